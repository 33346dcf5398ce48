// One Follow Live at a time: connects like the diagnosis (host key checked first, same prompts, pooled connection),
// starts the picked follow commands, feeds the live document and the status bar, notifies once per new cause,
// and ends every remote process on Stop, on closing the document, or when the window closes.
import * as vscode from 'vscode';
import type { FollowCause, FollowLine, FollowNotice, FollowSession } from '../../core/follow/index';
import type { CommandRunner } from '../../core/exec';
import { redactText } from '../../core/redact';
import { parseTarget } from '../../transport/target';
import { engine } from '../engine';
import type { Ctx } from '../../ctx';
import { explain } from '../runHelpers';
import { vscodePrompts } from '../prompts';
import { sshConnectOptions } from '../sshOptions';
import { connectionSettings, profileSettings, redactEnabled, uiLang } from '../settings';
import { render } from '../../core/l10n';
import type { DiagnosisStore } from '../store';
import { FollowDocuments, followUri } from './document';
import { followCauseName, lineIndexOf } from './render';
import { FollowStatusBar } from './status';
import { ContextKeys } from '../../shared/ids';

export interface FollowArgs {
  target?: string;
  /** Follow source ids; absent = asked (the default set preselected), or the default set when not interactive. */
  sources?: string[];
  identityFile?: string;
  knownHostsFile?: string;
  /** false: nothing asked (unknown host key refused, no passphrase or sudo password). */
  interactive?: boolean;
}

const MAX_NOTICES = 200;

export interface LiveFollow {
  session: FollowSession;
  runner: CommandRunner;
  label: string;
  uri: vscode.Uri;
  notices: FollowNotice[];
}

export class FollowController implements vscode.Disposable {
  current: LiveFollow | undefined;
  readonly docs: FollowDocuments;
  readonly status: FollowStatusBar;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly store: DiagnosisStore,
  ) {
    this.docs = new FollowDocuments(() => this.current, () => redactEnabled());
    this.status = new FollowStatusBar();
    this.subs.push(
      vscode.workspace.registerTextDocumentContentProvider(followUri('x').scheme, this.docs),
      this.docs,
      this.status,
      // closing the live document ends the follow (its tab gone; the document itself may close much later)
      vscode.window.tabGroups.onDidChangeTabs((e) => e.closed.length && this.stopIfNoTab()),
      vscode.workspace.onDidCloseTextDocument((d) => this.current && d.uri.toString() === this.current.uri.toString() && void this.stop()),
    );
  }

  get following(): boolean {
    return !!this.current && !this.current.session.isStopped;
  }

  /** Starts a follow (stopping the previous one). Resolves once the follow commands were started. */
  async start(args: FollowArgs, sources: string[] | undefined): Promise<LiveFollow | undefined> {
    const s = connectionSettings();
    const target = args.target ?? s.host;
    if (!target) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Incident Lens: no host given.'), vscode.l10n.t('Set incidentLens.host or type user@host in the first step.'));
      return undefined;
    }
    await this.stop();
    const label = hostLabel(target);
    let runner: CommandRunner | undefined;
    try {
      const profile = profileSettings();
      runner = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Incident Lens — {0}', target) }, async (p) => {
        p.report({ message: vscode.l10n.t('connecting to {0}', target) });
        const prompts = args.interactive === false ? undefined : vscodePrompts(this.ctx.secrets, s.rememberPasswords, this.ctx.globalState);
        const ssh = { target, identityFile: args.identityFile ?? s.identityFile, knownHostsFile: args.knownHostsFile ?? s.knownHostsFile, sshConfigFile: s.sshConfigFile };
        const r = await engine().connectSsh(sshConnectOptions(ssh, { settings: s, ...(prompts ? { prompts } : {}), log: (l) => this.ctx.log.info(l) }));
        await prompts?.commit();
        return r;
      });
      const session = await engine().startFollow(runner, { profile, sources, ...(s.timezone ? { tz: s.timezone } : {}), capacity: followMaxLines(), log: (l) => this.ctx.log.info(`follow: ${l}`) });
      const name = session.hostName ?? label;
      const live: LiveFollow = { session, runner, label: name, uri: followUri(name), notices: [] };
      this.current = live;
      this.wire(live);
      session.start();
      this.docs.refresh(live.uri); // the same host's document may still show an earlier follow
      this.ctx.log.info(`follow ${target}: ${session.o.sources.map((x) => x.id).join(', ')}`);
      await this.showDocument(live);
      this.sync();
      return live;
    } catch (e) {
      await runner?.close().catch(() => undefined);
      const { message, advice } = explain(e);
      this.ctx.log.error(`follow: ${message}`);
      void vscode.window.showErrorMessage(advice ? `${message} — ${advice}` : message);
      return undefined;
    }
  }

  /** Ends every remote process of the follow; the document stays, marked stopped. */
  async stop(): Promise<void> {
    const live = this.current;
    if (!live || live.session.isStopped) return;
    await live.session.stop();
    await live.runner.close().catch(() => undefined);
    this.ctx.log.info(`follow ${live.label} stopped: ${live.session.errors} evidence line(s)`);
    this.docs.refresh(live.uri);
    this.sync();
    const diag = vscode.l10n.t('Diagnose These Lines');
    void Promise.resolve(
      vscode.window.showInformationMessage(vscode.l10n.t('Follow Live on {0} stopped: {1}, {2}.', live.label, linesText(live.session.lines().length), evidenceText(live.session.errors)), diag),
    ).then((pick) => pick === diag && this.toDiagnosis());
  }

  /** A dropped connection: start the lost follow commands again (on demand only). */
  reconnect(): void {
    const live = this.current;
    if (!live || live.session.isStopped) return;
    live.session.reconnect();
    this.sync();
  }

  /** The followed lines as a diagnosis of their own, in the Log Sources tree. */
  toDiagnosis(): boolean {
    const live = this.current;
    if (!live) return false;
    const d = engine().followDiagnosis(live.session, live.runner.describe());
    this.store.start({ target: live.runner.describe() }, vscode.l10n.t('{0} (followed live)', live.label));
    this.store.finish(d);
    return true;
  }

  private wire(live: LiveFollow): void {
    const { session } = live;
    session.on({
      onLines: () => {
        this.docs.refresh(live.uri);
        this.sync();
      },
      onStatus: () => this.sync(),
      onProgress: () => this.sync(),
      onCause: (cause, line) => this.notifyCause(live, cause, line),
      onNotice: (n) => {
        live.notices.push(n);
        if (live.notices.length > MAX_NOTICES) live.notices.shift();
        this.docs.refresh(live.uri);
        this.sync();
        if (n.kind === 'lost') void this.notifyLost(live, n);
      },
    });
  }

  private async notifyCause(live: LiveFollow, cause: FollowCause, line: FollowLine): Promise<void> {
    const show = vscode.l10n.t('Show');
    const text = redactEnabled() ? redactText(line.text) : line.text;
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Following {0}: new cause {1} — {2}', live.label, followCauseName(cause), text.slice(0, 200)), show);
    if (pick === show) await this.reveal(live, line);
  }

  private async notifyLost(live: LiveFollow, n: FollowNotice): Promise<void> {
    const again = vscode.l10n.t('Reconnect');
    const pick = await vscode.window.showErrorMessage(vscode.l10n.t('Follow Live on {0}: {1}', live.label, render(n.messageText, uiLang())), again);
    if (pick === again && this.current === live) this.reconnect();
  }

  async showDocument(live = this.current): Promise<vscode.TextEditor | undefined> {
    if (!live) return undefined;
    let doc = await vscode.workspace.openTextDocument(live.uri);
    if (doc.languageId !== 'incident-log') doc = await vscode.languages.setTextDocumentLanguage(doc, 'incident-log');
    return vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true });
  }

  private async reveal(live: LiveFollow, line: FollowLine): Promise<void> {
    const editor = await this.showDocument(live);
    if (!editor) return;
    const i = lineIndexOf(editor.document.getText(), line, redactEnabled());
    if (i < 0) return;
    const range = editor.document.lineAt(i).range;
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  }

  private stopIfNoTab(): void {
    const live = this.current;
    if (!live || live.session.isStopped) return;
    const open = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === live.uri.toString()));
    if (!open) void this.stop();
  }

  private sync(): void {
    this.status.update(this.current);
    void vscode.commands.executeCommand('setContext', ContextKeys.following, this.following);
  }

  dispose(): void {
    void this.stop();
    this.subs.forEach((d) => d.dispose());
  }
}

/** `deploy@prod.example.org:22` → `prod.example.org`; an ssh alias stays as typed. */
export function hostLabel(target: string): string {
  try {
    const t = parseTarget(target);
    return t.host ?? target;
  } catch {
    return target;
  }
}

export function followMaxLines(): number {
  const n = vscode.workspace.getConfiguration('incidentLens').get<number>('follow.maxLines') ?? 5000;
  return Math.max(100, Math.min(100_000, Math.floor(n)));
}

function linesText(n: number): string {
  return n === 1 ? vscode.l10n.t('1 line') : vscode.l10n.t('{0} lines', String(n));
}

function evidenceText(n: number): string {
  return n === 1 ? vscode.l10n.t('1 evidence line') : vscode.l10n.t('{0} evidence lines', String(n));
}
