// "Incident Lens: Diagnose Mail Incident": asks the moment, connects (host key checked first), runs the
// catalogue read-only with a cancellable progress, and feeds the store. "Re-run Source" reuses the session.
import * as vscode from 'vscode';
import { InputError } from '../core/errors';
import { RunnerError, type CommandRunner } from '../core/exec';
import type { Diagnosis } from '../core/model';
import type { DiagnoseRequest } from '../core/diagnose';
import type { FleetDiagnosis } from '../core/fleet/types';
import type { Ctx } from '../ctx';
import { Cancelled, explain, isComplete, raceAbort, shellSafeRoot, stageText, uiWording } from './runHelpers';
import type { DiagnoseArgs } from './api';
import { askDiagnoseArgs } from './diagnoseInput';
import { runCentralFleetDiagnosis } from './centralCommand';
import { engine } from './engine';
import { runFleetDiagnosis, showFleet } from './fleetCommand';
import { vscodePrompts, type SecretPrompts } from './prompts';
import { Session, type SshTarget } from './session';
import { sshConnectOptions } from './sshOptions';
import { centralHostsWanted, centralRunSettings, centralSettings, connectionSettings, profileSettings, uiLang, type ConnectionSettings } from './settings';
import type { DiagnosisStore } from './store';
import { VIEW_ID } from './tree/ids';
import { sourceLabel } from './tree/items';
import { statusText } from './tree/labels';

/** A diagnosis request with everything asked and resolved: what the run needs. */
interface Resolved {
  args: DiagnoseArgs;
  req: DiagnoseRequest;
  ssh: SshTarget | undefined;
  label: string;
  s: ConnectionSettings;
}

/** The request for the moment asked (date, time, window, zone) with the profile from the settings. */
function momentRequest(args: DiagnoseArgs, s: ConnectionSettings): DiagnoseRequest {
  const tz = args.timezone ?? s.timezone;
  return { profile: profileSettings(), at: `${args.date} ${args.time}`, before: args.before ?? s.before, after: args.after ?? s.after, ...(tz ? { tz } : {}) };
}

export class Diagnoser implements vscode.Disposable {
  session: Session | undefined;
  private running: AbortController | undefined;
  /** Bumps with each run: a run that was superseded no longer writes into the store. */
  private seq = 0;
  private readonly reruns = new Set<AbortController>();
  /** The connections of runs in progress (not yet `session`): closed at once when the extension stops. */
  private readonly live = new Set<Session>();
  /** Runs and re-runs in progress: the extension's shutdown waits for them to end. */
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: Ctx,
    private readonly store: DiagnosisStore,
  ) {}

  /** The command. Resolves to the diagnosis, or undefined when cancelled or failed (the failure is shown). */
  run(given: DiagnoseArgs = {}): Promise<Diagnosis | undefined> {
    return this.track(this.runCommand(given));
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    p.then(
      () => this.inflight.delete(p),
      () => this.inflight.delete(p),
    );
    return p;
  }

  private async runCommand(given: DiagnoseArgs): Promise<Diagnosis | undefined> {
    const s = connectionSettings();
    // several hosts (incidentLens.hosts, or targets given): one diagnosis of the fleet
    const fleet = given.targets?.length ? given.targets : !given.target && !given.root && s.hosts.length > 1 ? s.hosts : undefined;
    if (fleet && fleet.length > 1) return this.runFleet(given, fleet);
    const central = given.root || given.targets?.length ? undefined : centralHostsWanted(given.centralFor);
    if (central) return this.runCentralFleet(given, s, central === 'all' ? undefined : central);
    const asked = await this.resolveRequest(given, s);
    if (!asked) return undefined;
    this.running?.abort();
    const token = ++this.seq;
    const current = () => token === this.seq;
    const r = this.resolveTarget(asked, s);
    if (!r) return undefined;
    this.store.start({ ...r.args }, r.label);
    // show the Log Sources view: sources appear there as they finish
    void vscode.commands.executeCommand(`${VIEW_ID}.focus`).then(undefined, () => undefined);
    this.ctx.log.info(`diagnose ${r.label} at ${r.req.at} (${r.req.before} before, ${r.req.after} after)${r.req.tz ? ` tz ${r.req.tz}` : ''}`);

    const abort = new AbortController();
    this.running = abort;
    const opener = this.openRunner(r, abort.signal);
    const session = new Session(opener.open, r.req, r.ssh);
    this.live.add(session);
    try {
      const d = await this.withProgress(r.label, abort, (report) => this.diagnoseOn(session, r, abort.signal, report, current));
      if (abort.signal.aborted) throw new Cancelled();
      await opener.prompts()?.commit(); // a sudo password typed during the run (opt-in)
      this.commitSession(session, d);
      return d;
    } catch (e) {
      void session.close();
      // a cancelled run fails in whatever step it was (a probe without the host's zone…): it is just cancelled
      if (current()) this.fail(abort.signal.aborted ? new Cancelled() : e, opener.prompts());
      return undefined;
    } finally {
      this.live.delete(session);
      if (this.running === abort) this.running = undefined;
    }
  }

  /** The questions not answered by `given` (or the bundle setting), then the checked request; undefined when dropped. */
  private async resolveRequest(given: DiagnoseArgs, s: ConnectionSettings): Promise<{ args: DiagnoseArgs; req: DiagnoseRequest } | undefined> {
    // incidentLens.bundleFolder: the incident is read from that bundle, there is no host to ask
    const withBundle = !given.target && !given.root && s.bundleFolder ? { ...given, root: s.bundleFolder } : given;
    const args = isComplete(withBundle) ? { ...withBundle } : await askDiagnoseArgs(this.ctx.globalState, withBundle);
    if (!args) return undefined;
    try {
      const req: DiagnoseRequest = { ...momentRequest(args, s), ...(args.root ? { root: shellSafeRoot(args.root) } : {}) };
      const central = args.root ? undefined : centralSettings(args.centralFor);
      if (central) req.central = central;
      engine().checkRequest(req);
      return { args, req };
    } catch (e) {
      if (e instanceof InputError) {
        void this.showError(vscode.l10n.t('Incident Lens: {0}', uiWording(e)), vscode.l10n.t('Check the date, time and the incidentLens settings.'));
        return undefined;
      }
      throw e;
    }
  }

  /** The SSH target (none for a bundle) and the run's label; undefined, with the error shown, when no host is given. */
  private resolveTarget({ args, req }: { args: DiagnoseArgs; req: DiagnoseRequest }, s: ConnectionSettings): Resolved | undefined {
    const ssh: SshTarget | undefined = args.root
      ? undefined
      : {
          target: args.target ?? s.host,
          identityFile: args.identityFile ?? s.identityFile,
          knownHostsFile: args.knownHostsFile ?? s.knownHostsFile,
          sshConfigFile: s.sshConfigFile,
        };
    if (ssh && !ssh.target) {
      void this.showError(vscode.l10n.t('Incident Lens: no host given.'), vscode.l10n.t('Set incidentLens.host or type user@host in the first step.'));
      return undefined;
    }
    const label = ssh ? (req.central ? vscode.l10n.t('{0} on the central log host {1}', req.central.host, ssh.target) : ssh.target) : vscode.l10n.t('bundle {0}', args.root!);
    return { args, req, ssh, label, s };
  }

  /** How the session opens its runner: the local one for a bundle, else SSH with the prompts (kept for commit/forget). */
  private openRunner(r: Resolved, signal: AbortSignal): { open: () => Promise<CommandRunner>; prompts: () => SecretPrompts | undefined } {
    const { ssh, s, args, req } = r;
    let prompts: SecretPrompts | undefined;
    const open = async (): Promise<CommandRunner> => {
      if (!ssh) return new (engine().LocalRunner)({ log: (l) => this.ctx.log.debug(l) });
      prompts = args.interactive === false ? undefined : vscodePrompts(this.ctx.secrets, s.rememberPasswords, this.ctx.globalState, signal);
      const runner = await engine().connectSsh(sshConnectOptions(ssh, { settings: s, commandTimeoutMs: req.profile.commandTimeoutMs, ...(prompts ? { prompts } : {}), log: (l) => this.ctx.log.info(l) }));
      await prompts?.commit();
      return runner;
    };
    return { open, prompts: () => prompts };
  }

  /** Connects (or opens the bundle) and runs the catalogue, reporting stages and sources while the run is current. */
  private async diagnoseOn(session: Session, r: Resolved, signal: AbortSignal, report: (m: string) => void, current: () => boolean): Promise<Diagnosis> {
    const connecting = r.ssh ? vscode.l10n.t('connecting to {0}', r.label) : vscode.l10n.t('reading {0}', r.label);
    report(connecting);
    if (current()) this.store.stage(connecting);
    const runner = await raceAbort(session.get(), signal);
    return engine().diagnose(runner, r.req, {
      signal,
      lang: uiLang(),
      maxParallel: r.s.maxParallel,
      onStage: (m, info) => {
        const text = stageText(m, info);
        report(text);
        if (current()) this.store.stage(text, info?.id === 'run' ? info.tz : undefined);
      },
      onSource: (x) => {
        report(`${sourceLabel(x)}: ${statusText(x.status)}`);
        if (current()) this.store.source(x);
      },
    });
  }

  /** The diagnosis shown keeps its connection until a new one succeeds (Re-run Source, Run in Terminal). */
  private commitSession(session: Session, d: Diagnosis): void {
    if (session.request.central) d.target = `${session.request.central.host} (central log host ${d.target})`;
    const previous = this.session;
    this.session = session;
    if (previous !== session) void previous?.close();
    this.store.finish(d);
    this.ctx.log.info(`verdict ${d.verdict} (${d.sources.length} sources, ${d.durationMs ?? '?'} ms)`);
  }

  /** Several hosts at once (incidentLens.hosts): the host step is skipped, the other steps are asked as usual. */
  private runFleet(given: DiagnoseArgs, targets: string[]): Promise<Diagnosis | undefined> {
    return this.runMany(given, targets[0], targets.join(', '), { ...given, targets }, (req, args, signal, report, current) =>
      runFleetDiagnosis(this.ctx, this.store, { targets, req, settings: connectionSettings(), interactive: args.interactive !== false, identityFile: args.identityFile, knownHostsFile: args.knownHostsFile, signal, report, current }),
    );
  }

  /** Several app hosts read on the central log host (incidentLens.central.forHost = "*" or names): shown as a fleet. */
  private runCentralFleet(given: DiagnoseArgs, s: ConnectionSettings, forHosts: string[] | undefined): Promise<Diagnosis | undefined> {
    const target = given.target ?? s.host;
    if (!target) {
      void this.showError(vscode.l10n.t('Incident Lens: no host given.'), vscode.l10n.t('Set incidentLens.host or type user@host in the first step.'));
      return Promise.resolve(undefined);
    }
    const label = vscode.l10n.t('{0} on the central log host {1}', forHosts?.join(', ') ?? '*', target);
    return this.runMany(given, target, label, { ...given, target }, (req, args, signal, report, current) =>
      runCentralFleetDiagnosis(this.ctx, this.store, { target, forHosts, options: centralRunSettings(), req, settings: s, interactive: args.interactive !== false, identityFile: args.identityFile, knownHostsFile: args.knownHostsFile, signal, report, current }),
    );
  }

  /** The steps of a run over several hosts: ask, check, run `work` with a cancellable progress, show the fleet. */
  private async runMany(given: DiagnoseArgs, askTarget: string, label: string, shown: DiagnoseArgs, work: (req: DiagnoseRequest, args: DiagnoseArgs, signal: AbortSignal, report: (m: string) => void, current: () => boolean) => Promise<FleetDiagnosis>): Promise<Diagnosis | undefined> {
    const s = connectionSettings();
    const asked = isComplete({ ...given, target: askTarget }) ? { ...given, target: askTarget } : await askDiagnoseArgs(this.ctx.globalState, { ...given, target: askTarget });
    if (!asked) return undefined;
    const args: DiagnoseArgs = { ...asked, target: shown.target, ...(shown.targets ? { targets: shown.targets } : {}) };
    let req: DiagnoseRequest;
    try {
      req = momentRequest(args, s);
      engine().checkRequest(req);
    } catch (e) {
      if (e instanceof InputError) {
        void this.showError(vscode.l10n.t('Incident Lens: {0}', uiWording(e)), vscode.l10n.t('Check the date, time and the incidentLens settings.'));
        return undefined;
      }
      throw e;
    }
    this.running?.abort();
    const token = ++this.seq;
    const current = () => token === this.seq;
    this.store.start(args, label);
    void vscode.commands.executeCommand(`${VIEW_ID}.focus`).then(undefined, () => undefined);
    this.ctx.log.info(`diagnose ${label} at ${req.at}`);
    const abort = new AbortController();
    this.running = abort;
    try {
      const f = await this.withProgress(label, abort, (report) => work(req, args, abort.signal, report, current));
      if (abort.signal.aborted) throw new Cancelled();
      if (!current()) return undefined;
      void this.session?.close();
      this.session = undefined;
      showFleet(this.ctx, this.store, f);
      return this.store.diagnosis;
    } catch (e) {
      if (current()) this.fail(abort.signal.aborted ? new Cancelled() : e, undefined);
      return undefined;
    } finally {
      if (this.running === abort) this.running = undefined;
    }
  }

  /** Re-runs one source on the session's connection and re-assesses the verdict. */
  rerun(sourceId: string): Promise<void> {
    return this.track(this.rerunSource(sourceId));
  }

  private async rerunSource(sourceId: string): Promise<void> {
    const d = this.store.diagnosis;
    if (!d || !this.session) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Run a diagnosis first.'));
      return;
    }
    const session = this.session;
    const abort = new AbortController();
    this.reruns.add(abort);
    const generation = this.store.generation;
    try {
      const next = await this.withProgress(session.ssh?.target ?? 'local', abort, async (report) => {
        report(vscode.l10n.t('re-running {0}', sourceId));
        const runner = await raceAbort(session.get(), abort.signal);
        return engine().rerunInDiagnosis(runner, session.request, d, sourceId, { signal: abort.signal, lang: uiLang() });
      });
      // cancelled, or the diagnosis changed meanwhile (new run, Clear, another re-run): keep what is shown
      if (abort.signal.aborted || this.store.generation !== generation) return;
      this.store.replace(next);
      const r = next.sources.find((x) => x.id === sourceId);
      this.ctx.log.info(`re-ran ${sourceId}: ${r?.status}`);
    } catch (e) {
      if (abort.signal.aborted) return;
      if (e instanceof RunnerError && e.code === 'CONNECTION_LOST') await session.reset();
      this.fail(e, undefined, false);
    } finally {
      this.reruns.delete(abort);
    }
  }

  /** Stops the run in progress without recording it (Clear): the tree shows what the caller sets. */
  cancel(): void {
    this.seq++;
    this.running?.abort();
    this.reruns.forEach((a) => a.abort());
  }

  private async withProgress<T>(label: string, abort: AbortController, work: (report: (m: string) => void) => Promise<T>): Promise<T> {
    // the view shows a progress bar; the notification names the stage and can cancel
    return await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Incident Lens — {0}', label), cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          return work((message) => progress.report({ message }));
        },
      ),
    );
  }

  private fail(e: unknown, prompts: SecretPrompts | undefined, recordInStore = true): void {
    if (e instanceof Cancelled || (e instanceof RunnerError && e.code === 'CANCELLED')) {
      this.ctx.log.info('diagnosis cancelled');
      if (recordInStore) this.store.fail(vscode.l10n.t('Cancelled.'), undefined, true);
      return;
    }
    const { message, advice } = explain(e);
    this.ctx.log.error(`${message}${advice ? ` — ${advice}` : ''}`);
    if (e instanceof RunnerError && e.code === 'AUTH_FAILED') void prompts?.forgetTyped();
    if (recordInStore) this.store.fail(message, advice);
    if (e instanceof RunnerError && (e.code === 'HOST_KEY_MISMATCH' || e.code === 'HOST_KEY_REVOKED')) {
      vscode.window.showErrorMessage(message, { modal: true, detail: advice }).then(undefined, () => undefined);
      return;
    }
    void this.showError(message, advice);
  }

  private async showError(message: string, advice?: string): Promise<void> {
    const log = vscode.l10n.t('Show Log');
    const settings = vscode.l10n.t('Open Settings');
    const pick = await Promise.resolve(vscode.window.showErrorMessage(advice ? `${message} — ${advice}` : message, log, settings)).catch(() => undefined);
    if (pick === log) this.ctx.log.show(true);
    if (pick === settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'incidentLens');
  }

  /**
   * The extension stops (window closed or reloaded): every run and re-run is aborted, every connection closed (the
   * remote commands see their channel end and stop), and the runs are awaited so deactivate() returns when they ended.
   */
  async close(): Promise<void> {
    this.cancel();
    const sessions = [...this.live, this.session];
    this.session = undefined;
    await Promise.all([...sessions.map((s) => s?.close()), ...[...this.inflight].map((p) => p.catch(() => undefined))]);
  }

  dispose(): void {
    void this.close();
  }
}
