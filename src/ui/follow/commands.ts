// Commands of Follow Live: Follow Live (palette, Log Sources title), Follow the Resend (the Impact node: sources that
// held evidence preselected), Stop, Reconnect, Show, and Diagnose Followed Lines.
import { render } from '../../core/l10n';
import * as vscode from 'vscode';
import { followSources, type FollowSourceDef } from '../../core/catalogue/follow';
import type { Diagnosis } from '../../core/model';
import type { Ctx } from '../../ctx';
import { Commands } from '../../shared/commands';
import type { Diagnoser } from '../diagnoseCommand';
import { profileSettings, uiLang } from '../settings';
import { explain } from '../runHelpers';
import type { DiagnosisStore } from '../store';
import type { FollowArgs, FollowController } from './controller';

/** Diagnosis sources → the follow source that shows the same log live. */
const LIVE_OF: Record<string, string> = { dmesg: 'kernel_oom' };

/** Follow sources whose diagnosis counterpart held evidence of a cause (confidence ≥ 0.3). */
export function evidenceSources(d: Diagnosis, all: FollowSourceDef[]): string[] {
  const ids = new Set(d.causes.filter((c) => c.confidence >= 0.3).flatMap((c) => c.evidence.map((e) => LIVE_OF[e.source] ?? e.source)));
  return all.filter((s) => ids.has(s.id)).map((s) => s.id);
}

async function pickSources(all: FollowSourceDef[], preselected: string[]): Promise<string[] | undefined> {
  const lang = uiLang();
  const items = all.map((s) => ({ label: s.id, description: render(s.label, lang), detail: s.runbookCommand, picked: preselected.includes(s.id), id: s.id }));
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Incident Lens: Follow Live — logs to follow'), placeHolder: vscode.l10n.t('Lines written from now on, merged in time order') });
  if (!picked) return undefined;
  return picked.length ? picked.map((p) => p.id) : undefined;
}

export function registerFollowCommands(ctx: Ctx, follow: FollowController, store: DiagnosisStore, diagnoser: Diagnoser): void {
  const start = async (args: FollowArgs = {}, preselected?: string[]) => {
    let all: FollowSourceDef[];
    try {
      all = followSources(profileSettings());
    } catch (e) {
      void vscode.window.showErrorMessage(explain(e).message, vscode.l10n.t('Check the incidentLens settings.'));
      return false;
    }
    const defaults = preselected?.length ? preselected : all.filter((s) => s.byDefault).map((s) => s.id);
    const sources = args.sources ?? (args.interactive === false ? defaults : await pickSources(all, defaults));
    if (!sources) return false;
    return !!(await follow.start(args, sources));
  };
  ctx.command(Commands.followLive, (args?: FollowArgs) => start(isArgs(args) ? args : {}));
  ctx.command(Commands.followResend, (args?: FollowArgs) => {
    const d = store.diagnosis;
    const ssh = diagnoser.session?.ssh;
    const given = isArgs(args) ? args : {};
    const pre = d ? evidenceSources(d, followSources(profileSettings())) : undefined;
    return start({ ...(ssh ? { target: ssh.target, identityFile: ssh.identityFile, knownHostsFile: ssh.knownHostsFile } : {}), ...given }, pre);
  });
  ctx.command(Commands.stopFollow, () => follow.stop());
  ctx.command(Commands.followReconnect, () => follow.reconnect());
  ctx.command(Commands.followShow, () => follow.showDocument());
  ctx.command(Commands.followDiagnose, () => {
    if (!follow.toDiagnosis()) void vscode.window.showInformationMessage(vscode.l10n.t('No follow to diagnose: run Incident Lens: Follow Live first.'));
  });
}

/** Command arguments (a tree node passed by a menu is not). */
function isArgs(a: unknown): a is FollowArgs {
  return typeof a === 'object' && a !== null && !Array.isArray(a) && !('kind' in a);
}
