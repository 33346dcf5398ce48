// `incidentLens.exportResendList`: the resend list of the local Postfix's per-recipient picture (impact.recipients)
// written to a file the user picks — the core's resendListText, the one the CLI's --resend-list writes. Masking
// follows the report's: with `incidentLens.report.redact` on (the default) the addresses are masked unless the user
// asks for the full ones; with it off they are written in full.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { resendListText } from '../core/resend-list';
import { reportFileName, reportLang, REPORT_FOLDER } from './report';
import type { DiagnosisStore } from './store';
import { Commands } from '../shared/commands';

/** Arguments of `incidentLens.exportResendList` (tests, keybindings): each one given skips its question. */
export interface ExportResendArgs {
  /** The file to write (a file URI or an absolute path). */
  to?: string | vscode.Uri;
  /** true: a***@example.org; false: the full addresses (to resend from). */
  masked?: boolean;
}

type MaskChoice = vscode.QuickPickItem & { masked: boolean };

/** Masked unless the user asks for the full addresses; no question when the report's redaction is off. */
async function chooseMasking(folder: vscode.Uri | undefined): Promise<boolean | undefined> {
  const redact = vscode.workspace.getConfiguration('incidentLens', folder).get<boolean>('report.redact', true);
  if (!redact) return false;
  const items: MaskChoice[] = [
    { masked: true, label: vscode.l10n.t('Masked addresses (a***@example.org), as in the report') },
    { masked: false, label: vscode.l10n.t('Full addresses, to resend (the file holds personal data)') },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export Resend List'), placeHolder: vscode.l10n.t('The report masks e-mail addresses (incidentLens.report.redact)') });
  return picked?.masked;
}

async function chooseFile(defaultName: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const base = folder ? vscode.Uri.joinPath(folder, REPORT_FOLDER) : vscode.Uri.file(homedir());
  return vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(base, defaultName), filters: { [vscode.l10n.t('Text')]: ['txt'] }, title: vscode.l10n.t('Export Resend List') });
}

/** Registers `incidentLens.exportResendList`; the command returns the written file's URI. */
export function registerExportResendList(ctx: Ctx, store: DiagnosisStore): void {
  ctx.command(Commands.exportResendList, async (args?: ExportResendArgs): Promise<vscode.Uri | undefined> => {
    const d = store.diagnosis;
    if (!d) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No diagnosis to export yet: run "Incident Lens: Diagnose Mail Incident" first.'));
      return undefined;
    }
    const p = d.impact.recipients;
    if (!p) {
      void vscode.window.showInformationMessage(vscode.l10n.t("No resend list: the logs do not show the app's mail per recipient (it needs the local Postfix's log and the app's sender)."));
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const masked = args?.masked ?? (await chooseMasking(folder));
    if (masked === undefined) return undefined;
    const to = args?.to;
    const uri = to === undefined ? await chooseFile(reportFileName(d, store.run?.args).replace(/\.md$/, '-resend.txt')) : typeof to === 'string' ? vscode.Uri.file(to) : to;
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(resendListText(p, { mask: masked, lang: reportLang(vscode.env.language) })));
    ctx.log.info(`resend list written to ${uri.toString(true)} (${p.resend.length} addresses, masked: ${masked})`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Resend list written: {0} address(es), {1}.', String(p.resend.length), masked ? vscode.l10n.t('masked') : vscode.l10n.t('in full')));
    return uri;
  });
}
