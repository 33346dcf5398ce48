// Commands on sources and evidence: Open Excerpt, Copy Command, Re-run Source, Run in Terminal,
// Reveal Evidence (from the code lenses), Open in Workspace (traceback frames).
import * as vscode from 'vscode';
import type { CodeLink, SourceResult } from '../core/model';
import type { RevealEvidenceArgs } from '../shared/protocol';
import { parseTarget } from '../transport/target';
import { prefilled, terminalCommand } from './terminalCommand';
import type { Ctx } from '../ctx';
import type { Diagnoser } from './diagnoseCommand';
import { openExcerpt } from './excerpts';
import type { DiagnosisStore } from './store';
import type { Node } from './tree/nodes';
import { sourceLabel } from './tree/items';
import type { SourcesTree } from './tree/provider';
import { toWorkspace } from './workspacePaths';
import { codeFrame } from './tree/lineText';
import { Commands } from '../shared/commands';

type SourceArg = Node | { source: string; lineNo?: number; line?: string } | undefined;

/** The source a command was invoked on: a tree node, or `{source}` from a lens/evidence item. */
function sourceOf(store: DiagnosisStore, arg: SourceArg): { source?: SourceResult; lineNo?: number; line?: string } {
  if (!arg) return {};
  if ('kind' in arg) {
    switch (arg.kind) {
      case 'source':
        return { source: arg.source };
      case 'event':
        return { source: arg.source, lineNo: arg.event.lineNo, line: arg.event.line };
      case 'group':
        return { source: arg.source, lineNo: arg.events[0]?.lineNo };
      case 'evidence':
        return { source: store.findSource(arg.ref.source), lineNo: arg.ref.lineNo, line: arg.ref.line };
      default:
        return {};
    }
  }
  return { source: store.findSource(arg.source), lineNo: arg.lineNo, line: arg.line };
}

export function registerSourceCommands(ctx: Ctx, store: DiagnosisStore, tree: SourcesTree, view: vscode.TreeView<Node>, diagnoser: Diagnoser): void {
  ctx.command(Commands.openExcerpt, async (arg: SourceArg) => {
    const { source, lineNo, line } = sourceOf(store, arg);
    if (!source) return;
    await openExcerpt({ source: source.id, lineNo, line });
  });

  ctx.command(Commands.copyCommand, async (arg: SourceArg) => {
    const { source } = sourceOf(store, arg);
    if (!source) return;
    await vscode.env.clipboard.writeText(terminalCommand(source));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Incident Lens: command of "{0}" copied', sourceLabel(source)), 3000);
  });

  ctx.command(Commands.rerunSource, async (arg: SourceArg) => {
    const { source } = sourceOf(store, arg);
    if (source) await diagnoser.rerun(source.id);
  });

  ctx.command(Commands.runInTerminal, (arg: SourceArg) => {
    const { source } = sourceOf(store, arg);
    if (!source) return;
    const ssh = diagnoser.session?.ssh;
    const command = terminalCommand(source);
    let terminal: vscode.Terminal;
    if (ssh) {
      const t = parseTarget(ssh.target);
      const args: string[] = [];
      if (ssh.sshConfigFile) args.push('-F', ssh.sshConfigFile);
      if (t.port) args.push('-p', String(t.port));
      if (ssh.identityFile) args.push('-i', ssh.identityFile);
      if (ssh.knownHostsFile) args.push('-o', `UserKnownHostsFile=${ssh.knownHostsFile}`);
      // the command waits, pre-filled, at a prompt of its own once the login is done (a passphrase or
      // password prompt cannot swallow it); Enter runs it, then a login shell stays open
      args.push('-o', 'StrictHostKeyChecking=yes', '-t', t.user ? `${t.user}@${t.host}` : t.host, prefilled(command));
      terminal = vscode.window.createTerminal({ name: `Incident Lens: ${ssh.target}`, shellPath: 'ssh', shellArgs: args });
    } else {
      terminal = vscode.window.createTerminal({ name: 'Incident Lens: local' });
      // typed, not executed: the user reads it and presses Enter
      terminal.sendText(command, false);
    }
    terminal.show();
  });

  ctx.command(Commands.revealEvidence, async (args: RevealEvidenceArgs) => {
    if (!args?.source) return;
    const node = tree.sourceNode(args.source);
    if (node) await view.reveal(node, { select: true, focus: false, expand: true }).then(undefined, () => undefined);
    await openExcerpt(args);
  });

  ctx.command(Commands.openCodeLink, async (arg: CodeLink | Node) => {
    // a Code node's link (app-relative), or an event / evidence line holding a traceback frame (host path)
    const link: { file: string; line: number } | undefined =
      'kind' in arg ? (arg.kind === 'event' ? codeFrame(arg.event) : arg.kind === 'evidence' ? codeFrame(arg.ref) : arg.kind === 'codeLink' ? arg.link : undefined) : arg;
    if (!link) return;
    const uri = await toWorkspace(link.file.startsWith('/') ? link.file : `/${link.file}`);
    if (!uri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not in this workspace. Open the folder of the app deployed on the host, or set incidentLens.workspaceAppFolder.', link.file));
      return;
    }
    const pos = new vscode.Position(Math.max(0, link.line - 1), 0);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos) });
  });
}
