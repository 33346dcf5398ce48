// `incidentLens.exportReport`: the engine's Markdown report, saved into the workspace (never over an existing
// file) or opened in an untitled editor. Redaction follows `incidentLens.report.redact`; language follows VS Code's.
import { langOf, type Lang } from '../core/l10n';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Diagnosis } from '../core/model';
import { renderMarkdown } from '../core/report/markdown';
import { renderFleetMarkdown } from '../core/report/fleet';
import { localText } from '../core/time';
import type { DiagnosisStore } from './store';
import { incidentMoment, MomentArgs } from './timeline/model';
import { Commands } from '../shared/commands';

export const REPORT_FOLDER = 'incident-reports';

export type ReportLang = Lang;

/** The report's language from VS Code's display language (`fr`, `fr-ca`… → French), English without a catalogue. */
export function reportLang(language: string): ReportLang {
  return langOf(language);
}

/** A file-name-safe host: `deploy@aquademie-prod:22` → `aquademie-prod`; a bundle run → the bundle folder's name. */
export function hostOf(target: string, root?: string): string {
  let h = target.trim();
  if (root && (h === 'local' || h.startsWith('bundle'))) h = root.replace(/\/+$/, '').split('/').pop() ?? '';
  h = h.replace(/^bundle:?\s*/, '').replace(/^.*@/, '').replace(/:\d+$/, '');
  h = h.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return h || 'host';
}

/** `incident-reports/<date>-<host>.md`'s name: the incident's local date (the moment's, else the window start's). */
export function reportFileName(d: Diagnosis, args?: MomentArgs & { root?: string }): string {
  const moment = incidentMoment(d, args);
  const date = moment !== undefined ? localText(moment, d.window.tz).slice(0, 10) : d.window.since.slice(0, 10);
  return `${date}-${hostOf(d.target, args?.root)}.md`;
}

/** The n-th name tried for `name`: the name itself, then `-2`, `-3`… before the extension. */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${n}${name.slice(dot)}` : `${name}-${n}`;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Writes into `folder/<name>`, or `-2`, `-3`… when taken: an existing report is never overwritten. */
async function writeNew(folder: vscode.Uri, name: string, content: string): Promise<vscode.Uri> {
  await vscode.workspace.fs.createDirectory(folder);
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.joinPath(folder, numberedName(name, n));
    if (await exists(uri)) continue;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
    return uri;
  }
}

async function pickFolder(folders: readonly vscode.WorkspaceFolder[]): Promise<vscode.WorkspaceFolder | undefined> {
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Workspace folder to save the report into') });
}

/** Arguments of `incidentLens.exportReport` (tests, keybindings): skips the choice. */
export interface ExportArgs {
  to?: 'workspace' | 'untitled';
}

type Choice = vscode.QuickPickItem & { to: 'workspace' | 'untitled' };

/** Registers `incidentLens.exportReport`. Returns (from the command) the URI of the saved or untitled document. */
export function registerExportReport(ctx: Ctx, store: DiagnosisStore): void {
  ctx.command(Commands.exportReport, async (args?: ExportArgs): Promise<vscode.Uri | undefined> => {
    const d = store.diagnosis;
    if (!d) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No diagnosis to export yet: run "Incident Lens: Diagnose Mail Incident" first.'));
      return undefined;
    }
    const runArgs = store.run?.args;
    const name = reportFileName(d, runArgs);
    const folders = vscode.workspace.workspaceFolders ?? [];
    let to = args?.to;
    if (!to) {
      const items: Choice[] = [
        folders.length
          ? { to: 'workspace', label: vscode.l10n.t('Save into the workspace ({0})', `${REPORT_FOLDER}/${name}`) }
          : { to: 'workspace', label: vscode.l10n.t('Save as… ({0})', name) },
        { to: 'untitled', label: vscode.l10n.t('Open in an untitled editor') },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export Incident Report'), placeHolder: vscode.l10n.t('Where should the report go?') });
      if (!picked) return undefined;
      to = picked.to;
    }
    const folder = to === 'workspace' && folders.length ? await pickFolder(folders) : undefined;
    if (to === 'workspace' && folders.length && !folder) return undefined;
    const redact = vscode.workspace.getConfiguration('incidentLens', folder?.uri).get<boolean>('report.redact', true);
    const lang = reportLang(vscode.env.language);
    const markdown = store.fleet ? renderFleetMarkdown(store.fleet, { redact, lang }) : renderMarkdown(d, { redact, lang });

    if (to === 'untitled') {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.window.showTextDocument(doc);
      ctx.log.info(`report opened untitled (${lang}, redacted: ${redact})`);
      return doc.uri;
    }
    let uri: vscode.Uri | undefined;
    if (folder) {
      uri = await writeNew(vscode.Uri.joinPath(folder.uri, REPORT_FOLDER), name, markdown);
    } else {
      // no folder open: ask where, the dialog confirms any overwrite itself
      uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(vscode.Uri.file(homedir()), name), filters: { Markdown: ['md'] }, title: vscode.l10n.t('Export Incident Report') });
      if (!uri) return undefined;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(markdown));
    }
    ctx.log.info(`report written to ${uri.toString(true)} (${lang}, redacted: ${redact})`);
    await vscode.window.showTextDocument(uri);
    return uri;
  });
}
