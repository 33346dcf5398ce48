// Quick fixes as WorkspaceEdits: try/except around a send, one progress line per batch, LOGGING in settings.py.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { FoundSend } from '../python/analyze';
import { toLineEdits } from '../python/edits';
import { checkedResult, fixForSend } from '../python/fixes';
import { hasLoggingConfig, isDjangoSettings, loggingEdits } from '../python/fixLogging';
import { progressBlocker } from '../python/fixProgress';
import type { PythonParser } from '../python/parser';
import { findSettingsFile } from '../python/settingsLocator';
import { DIAGNOSTIC_SOURCE, type FixId } from '../shared/protocol';
import type { DocumentStore, OpenDocument } from './documents';
import { t, type Lang } from './i18n';

export interface ActionContext {
  parser: PythonParser;
  store: DocumentStore;
  lang: Lang;
  log?: (msg: string) => void;
}

function overlaps(a: Range, b: Range): boolean {
  return !(a.end.line < b.start.line || b.end.line < a.start.line);
}

export function sendAt(doc: OpenDocument, line: number, character: number): FoundSend | undefined {
  return doc.found().find((f) => {
    const r = f.call.range;
    return (line > r.start.line || (line === r.start.line && character >= r.start.character)) && (line < r.end.line || (line === r.end.line && character <= r.end.character));
  });
}

function editFor(uri: string, text: string, edits: { start: number; end: number; text: string }[]): WorkspaceEdit {
  const lineEdits: TextEdit[] = toLineEdits(text, edits);
  return { changes: { [uri]: lineEdits } };
}

/** The WorkspaceEdit of one fix on one send (try-except/progress), or undefined when it does not apply. */
export function sendFixEdit(ctx: ActionContext, doc: OpenDocument, f: FoundSend, fix: 'try-except' | 'progress'): WorkspaceEdit | undefined {
  if (fix === 'try-except' && f.call.protected) return undefined;
  if (fix === 'progress' && progressBlocker(f, doc.tree)) return undefined;
  const text = doc.doc.getText();
  const r = fixForSend(ctx.parser, text, fix, f);
  return r ? editFor(doc.doc.uri, text, r.edits) : undefined;
}

/** The LOGGING edit for the settings module of `doc`'s project (or `doc` itself when it is the settings). */
export function loggingFixEdit(ctx: ActionContext, doc: OpenDocument): WorkspaceEdit | undefined {
  let path: string | undefined;
  let uri: string;
  let text: string;
  const own = isDjangoSettings(doc.tree);
  if (own) {
    uri = doc.doc.uri;
    text = doc.doc.getText();
  } else {
    path = findSettingsFile(ctx.parser, doc.path);
    if (!path || !existsSync(path)) return undefined;
    const open = ctx.store.all().find((d) => d.path === path);
    // The editor's own URI when the file is open (drive-letter case and escaping may differ from ours).
    uri = open ? open.doc.uri : pathToFileURL(path).toString();
    text = open ? open.doc.getText() : readFileSync(path, 'utf8');
  }
  const tree = ctx.parser.parse(text);
  try {
    if (!isDjangoSettings(tree) || hasLoggingConfig(tree)) return undefined;
    const r = checkedResult(ctx.parser, text, loggingEdits(text, tree));
    return r ? editFor(uri, text, r.edits) : undefined;
  } finally {
    tree.delete();
  }
}

export function fixEdit(ctx: ActionContext, doc: OpenDocument, fix: FixId, line: number, character: number): WorkspaceEdit | undefined {
  if (fix === 'logging') return loggingFixEdit(ctx, doc);
  const f = sendAt(doc, line, character) ?? doc.found().find((s) => s.call.range.start.line === line);
  return f ? sendFixEdit(ctx, doc, f, fix) : undefined;
}

export function codeActionsFor(ctx: ActionContext, doc: OpenDocument, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  const s = t(ctx.lang);
  const out: CodeAction[] = [];
  const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
  const targets = doc.found().filter((f) => overlaps(f.call.range, range) || ours.some((d) => overlaps(d.range, f.call.range)));
  for (const f of targets) {
    const diag = ours.filter((d) => overlaps(d.range, f.call.range));
    const tryEdit = sendFixEdit(ctx, doc, f, 'try-except');
    if (tryEdit) out.push({ title: s.fixTry, kind: CodeActionKind.QuickFix, diagnostics: diag, isPreferred: true, edit: tryEdit });
    const progEdit = sendFixEdit(ctx, doc, f, 'progress');
    if (progEdit) out.push({ title: s.fixProgress, kind: CodeActionKind.QuickFix, diagnostics: diag, edit: progEdit });
  }
  if (targets.length || isDjangoSettings(doc.tree)) {
    try {
      const logEdit = loggingFixEdit(ctx, doc);
      if (logEdit) out.push({ title: s.fixLogging, kind: CodeActionKind.QuickFix, edit: logEdit });
    } catch (e) {
      ctx.log?.(`LOGGING fix unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}
