// Diagnose several hosts (incidentLens.hosts, or DiagnoseArgs.targets): one SSH connection per host, each with its
// own host-key check and prompts (a sudo password is asked per host), hosts diagnosed at once; the store gets the
// fleet, and the host where the send failed as its single-host diagnosis (lenses, code links).
import * as vscode from 'vscode';
import type { DiagnoseRequest, FleetDiagnosis } from '../core/index';
import { engine } from './engine';
import type { Ctx } from '../ctx';
import { primaryDiagnosis } from './fleetIds';
import { vscodePrompts, type SecretPrompts } from './prompts';
import { stageText } from './runHelpers';
import { sshConnectOptions } from './sshOptions';
import type { ConnectionSettings } from './settings';
import { uiLang } from './settings';
import type { DiagnosisStore } from './store';
import { sourceLabel } from './tree/items';
import { statusText } from './tree/labels';
import { joined, render } from '../core/l10n';

export interface FleetRunInput {
  targets: string[];
  req: DiagnoseRequest;
  settings: ConnectionSettings;
  interactive: boolean;
  identityFile?: string;
  knownHostsFile?: string;
  signal: AbortSignal;
  report: (message: string) => void;
  current: () => boolean;
}

/** Opens one SSH connection per host with its own prompts (host key, passphrase, sudo password); commits them at the end. */
export function hostOpener(ctx: Ctx, i: Pick<FleetRunInput, 'settings' | 'interactive' | 'identityFile' | 'knownHostsFile' | 'signal' | 'req'>) {
  const s = i.settings;
  const prompts: SecretPrompts[] = [];
  const open = async (target: string) => {
    const p = i.interactive ? vscodePrompts(ctx.secrets, s.rememberPasswords, ctx.globalState, i.signal) : undefined;
    if (p) prompts.push(p);
    const ssh = { target, identityFile: i.identityFile ?? s.identityFile, knownHostsFile: i.knownHostsFile ?? s.knownHostsFile, sshConfigFile: s.sshConfigFile };
    const runner = await engine().connectSsh(sshConnectOptions(ssh, { settings: s, commandTimeoutMs: i.req.profile.commandTimeoutMs, ...(p ? { prompts: p } : {}), log: (l) => ctx.log.info(`${target}: ${l}`) }));
    await p?.commit();
    return runner;
  };
  return { open, commit: async () => { for (const p of prompts) await p.commit(); } };
}

export async function runFleetDiagnosis(ctx: Ctx, store: DiagnosisStore, i: FleetRunInput): Promise<FleetDiagnosis> {
  const s = i.settings;
  const { open, commit } = hostOpener(ctx, i);
  const f = await engine().diagnoseFleet(i.targets, i.req, open, {
    signal: i.signal,
    lang: uiLang(),
    maxParallel: s.maxParallel,
    onStage: (host, m, info) => {
      const text = `${host}: ${stageText(m, info)}`;
      i.report(text);
      if (i.current()) store.stage(text, info?.id === 'run' ? info.tz : undefined);
    },
    onSource: (host, r) => {
      i.report(`${host}: ${sourceLabel(r)}: ${statusText(r.status)}`);
      if (i.current()) store.source({ ...r, label: joined(' · ', [host, r.label]) });
    },
    onHost: (h) => ctx.log.info(`${h.name}: ${h.status}${h.diagnosis ? ` (${h.role}, verdict ${h.diagnosis.verdict})` : h.errorText ? ` — ${render(h.errorText, 'en')}` : ''}`),
  });
  await commit();
  return f;
}

/** Shows the fleet: the store's single-host views use the failing host's diagnosis; offers the upstream hosts the list lacks. */
export function showFleet(ctx: Ctx, store: DiagnosisStore, f: FleetDiagnosis): void {
  const primary = primaryDiagnosis(f);
  if (!primary) {
    const down = f.hosts.map((h) => `${h.name}: ${h.errorText ? render(h.errorText, uiLang()) : h.status}`).join('; ');
    store.fail(vscode.l10n.t('No host could be diagnosed: {0}', down));
    return;
  }
  store.finish({ ...primary, verdict: f.verdict }, f);
  ctx.log.info(`fleet verdict ${f.verdict} on ${f.failedHosts.map((x) => x.host).join(', ') || '-'} (${f.hosts.length} hosts, ${f.durationMs ?? '?'} ms)`);
  if (f.suggestedHosts.length) void offerUpstreams(f.suggestedHosts);
}

async function offerUpstreams(names: string[]): Promise<void> {
  const add = vscode.l10n.t('Add to incidentLens.hosts');
  const pick = await Promise.resolve(
    vscode.window.showInformationMessage(vscode.l10n.t("The front's nginx upstream block names hosts that are not in incidentLens.hosts: {0}", names.join(', ')), add),
  ).catch(() => undefined);
  if (pick !== add) return;
  const cfg = vscode.workspace.getConfiguration('incidentLens');
  const now = cfg.get<string[]>('hosts') ?? [];
  await cfg.update('hosts', [...now, ...names.filter((n) => !now.includes(n))], vscode.ConfigurationTarget.Workspace).then(undefined, () =>
    cfg.update('hosts', [...now, ...names.filter((n) => !now.includes(n))], vscode.ConfigurationTarget.Global),
  );
}
