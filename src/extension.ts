// Incident Lens entry point: builds the one Ctx and wires the parts; every disposable goes through subscribe.
import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { Commands } from './shared/commands';
import type { IncidentLensApi } from './ui/api';
import { Diagnoser } from './ui/diagnoseCommand';
import { ExcerptDocuments, excerptUri } from './ui/excerpts';
import { LINK_SELECTOR, TracebackLinks } from './ui/links';
import { forgetAllSecrets } from './ui/prompts';
import { registerExportReport } from './ui/report';
import { registerExportResendList } from './ui/resendList';
import { registerSourceCommands } from './ui/sourceCommands';
import { DiagnosisStore } from './ui/store';
import { registerTimeline } from './ui/timeline/index';
import { EXCERPT_SCHEME, VIEW_ID } from './ui/tree/ids';
import { SourcesTree } from './ui/tree/provider';
import { clearPathCache } from './ui/workspacePaths';
import { FollowController } from './ui/follow/controller';
import { registerFollowCommands } from './ui/follow/commands';
import { ContextKeys } from './shared/ids';

/** The running extension's context: deactivate() awaits its language client's stop. */
let current: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): IncidentLensApi {
  const ctx = new Ctx(context);
  current = ctx;
  const store = ctx.subscribe(new DiagnosisStore());
  const tree = ctx.subscribe(new SourcesTree(store));
  const view = ctx.subscribe(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }));
  const diagnoser = ctx.subscribe(new Diagnoser(ctx, store));
  ctx.atShutdown(() => diagnoser.close());
  const excerpts = ctx.subscribe(new ExcerptDocuments(store));

  ctx.subscribe(vscode.workspace.registerTextDocumentContentProvider(EXCERPT_SCHEME, excerpts));
  ctx.subscribe(vscode.languages.registerDocumentLinkProvider(LINK_SELECTOR, new TracebackLinks()));
  ctx.subscribe(vscode.workspace.onDidChangeWorkspaceFolders(clearPathCache));
  ctx.subscribe(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('incidentLens') && clearPathCache()));

  ctx.command(Commands.diagnose, (args?: unknown) => diagnoser.run(isArgs(args) ? args : {}));
  ctx.command(Commands.diagnoseBundle, async () => {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Diagnose this bundle'), title: vscode.l10n.t('Folder collected with `incident-lens collect`') });
    if (picked?.[0]) return diagnoser.run({ root: picked[0].fsPath });
    return undefined;
  });
  ctx.command(Commands.clear, () => {
    diagnoser.cancel();
    void diagnoser.session?.close();
    diagnoser.session = undefined;
    store.clear();
  });
  ctx.command(Commands.showLog, () => ctx.log.show());
  ctx.command(Commands.forgetSecrets, async () => {
    const n = await forgetAllSecrets(ctx.secrets, ctx.globalState);
    void vscode.window.showInformationMessage(vscode.l10n.t('Incident Lens: stored passwords forgotten: {0}.', String(n)));
  });
  registerSourceCommands(ctx, store, tree, view, diagnoser);
  registerExportReport(ctx, store);
  registerExportResendList(ctx, store);
  registerTimeline(ctx, store);
  const follow = ctx.subscribe(new FollowController(ctx, store));
  registerFollowCommands(ctx, follow, store, diagnoser);
  ctx.atShutdown(() => follow.stop());

  // context key for menus and the welcome view; the view's message shows the target while running
  const sync = () => {
    void vscode.commands.executeCommand('setContext', ContextKeys.state, store.state === 'running' ? 'running' : store.diagnosis ? 'done' : store.state === 'failed' ? 'failed' : 'empty');
    view.description = store.run?.label;
  };
  sync();
  ctx.subscribe(store.onDidChange(sync));

  // the language server: when a Python file opens, or when a diagnosis finishes (its lenses need the evidence);
  // the client, its listeners and its restart live in the client scope Ctx owns
  const server = ctx.client(() => store.diagnosis);
  server.startOnPython();
  ctx.subscribe(store.onDidChangeDiagnosis((d) => void server.send(d).catch((e: unknown) => ctx.log.error(`language server: ${e instanceof Error ? e.message : String(e)}`))));

  return {
    get diagnosis() {
      return store.diagnosis;
    },
    get fleet() {
      return store.fleet;
    },
    onDidChangeDiagnosis: store.onDidChangeDiagnosis,
    tree,
    describe: (n) => tree.describe(n),
    excerptUri,
    follow: {
      get following() {
        return follow.following;
      },
      get statusText() {
        return follow.status.text;
      },
      get documentUri() {
        return follow.current?.uri;
      },
      get errors() {
        return follow.current?.session.errors ?? 0;
      },
    },
  };
}

function isArgs(a: unknown): a is Record<string, string> {
  return typeof a === 'object' && a !== null && !Array.isArray(a) && !('kind' in a);
}

/**
 * The window closes or reloads: ends the runs, the re-runs and a follow (their remote processes stop with their
 * channels), closes the SSH connections and stops the language client, then releases the rest of Ctx. VS Code awaits
 * the promise before it stops the extension host.
 */
export function deactivate(): Promise<void> | undefined {
  const ctx = current;
  current = undefined;
  return ctx?.stopAndDispose();
}
