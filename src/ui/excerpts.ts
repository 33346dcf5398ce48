// Excerpts as read-only virtual documents: incident-log:/<source>.incident-log, language `incident-log`,
// refreshed when a new diagnosis (or a re-run) replaces them. Masked when incidentLens.report.redact is on.
import * as vscode from 'vscode';
import type { SourceResult } from '../core/model';
import { redactText } from '../core/redact';
import { visible } from '../core/visible';
import { redactEnabled } from './settings';
import { adviceText, statusText } from './tree/labels';
import { sourceLabel } from './tree/items';
import type { DiagnosisStore } from './store';
import { EXCERPT_SCHEME } from './tree/ids';

export const LANGUAGE_ID = 'incident-log';

export function excerptUri(sourceId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: EXCERPT_SCHEME, path: `/${sourceId}.incident-log` });
}

export function sourceIdOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== EXCERPT_SCHEME) return undefined;
  return /^\/(.+)\.incident-log$/.exec(uri.path)?.[1];
}

export class ExcerptDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly store: DiagnosisStore) {
    const refresh = () => {
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === EXCERPT_SCHEME) this.changed.fire(doc.uri);
    };
    this.subs = [
      this.changed,
      store.onDidChangeDiagnosis(refresh),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('incidentLens.report.redact') && refresh()),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = sourceIdOf(uri);
    const s = id ? this.store.findSource(id) : undefined;
    if (!s) return vscode.l10n.t('# No excerpt for this source in the current diagnosis.') + '\n';
    // the excerpt is exactly what the host returned (events' line numbers point into it); a status note
    // replaces an empty one
    // control characters shown visibly (the editor never receives an escape sequence or a NUL)
    const text = visible(s.excerpt || emptyNote(s));
    return redactEnabled() ? redactText(text) : text;
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }
}

/** Opens a source's excerpt, at an event's line when given (by number, else by its text). */
export async function openExcerpt(args: { source: string; lineNo?: number; line?: string }): Promise<vscode.TextEditor> {
  let doc = await vscode.workspace.openTextDocument(excerptUri(args.source));
  if (doc.languageId !== LANGUAGE_ID) doc = await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  let line = args.lineNo !== undefined ? args.lineNo - 1 : -1;
  if ((line < 0 || line >= doc.lineCount) && args.line) {
    const probe = visible(redactEnabled() ? redactText(args.line) : args.line).trim();
    for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(probe)) {
      line = i;
      break;
    }
  }
  const editor = await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: false });
  if (line >= 0 && line < doc.lineCount) {
    const range = doc.lineAt(line).range;
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return editor;
}

/** What the excerpt of a source without output says: its name, status and advice in the display language, its command. */
function emptyNote(s: SourceResult): string {
  const advice = adviceText(s);
  return `# ${sourceLabel(s)}: ${statusText(s.status)}${advice ? `\n# ${advice}` : ''}\n# ${s.command}\n`;
}
