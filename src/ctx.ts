// The extension's one context object (after rust-analyzer's Ctx): the ExtensionContext, the log channel, the
// language client's scope, and the extension's disposal scope. Everything registered goes through `subscribe`
// (extension lifetime) or `pushClientCleanup` (the client's lifetime), so no disposable is ever dropped.
import * as vscode from 'vscode';
import { ServerClient } from './client/index';
import type { Diagnosis } from './core/model';
import type { CommandId } from './shared/commands';
import { Scope, type Disposable } from './scope';

export type { Disposable } from './scope';

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private readonly root = new Scope();
  private server: ServerClient | undefined;
  private readonly closers: (() => Promise<unknown>)[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Incident Lens', { log: true });
    // the log outlives stopAndDispose: the language client still writes its server's exit there; VS Code disposes it
    extension.subscriptions.push(this, this.log);
  }

  /** Ties a disposable to the extension's lifetime. */
  subscribe<T extends Disposable>(d: T): T {
    return this.root.add(d);
  }

  command(id: CommandId, run: (...args: never[]) => unknown): void {
    this.subscribe(vscode.commands.registerCommand(id, run as (...args: unknown[]) => unknown));
  }

  /** The language client's scope, created once; `current` is the diagnosis a restarted server gets again. */
  client(current: () => Diagnosis | undefined): ServerClient {
    this.server ??= new ServerClient(this, current);
    return this.server;
  }

  /** Ties a disposable to the language client's lifetime (released when the client stops). */
  pushClientCleanup<T extends Disposable>(d: T): T | undefined {
    return this.server?.pushClientCleanup(d);
  }

  /**
   * Work that must end before the extension host stops (runs aborted, remote commands ended, SSH connections closed):
   * deactivate() awaits it through stopAndDispose.
   */
  atShutdown(close: () => Promise<unknown>): void {
    this.closers.push(close);
  }

  /**
   * What deactivate() returns: ends the runs and closes the connections (atShutdown), stops the language server, then
   * releases everything registered (VS Code disposing context.subscriptions afterwards finds nothing left).
   */
  async stopAndDispose(): Promise<void> {
    const closing = this.closers.splice(0).map((c) => c().catch((e: unknown) => this.log.error(`shutdown: ${e instanceof Error ? e.message : String(e)}`)));
    await Promise.all([...closing, this.server?.stopAndDispose()]);
    this.dispose();
  }

  get globalState(): vscode.Memento {
    return this.extension.globalState;
  }

  get secrets(): vscode.SecretStorage {
    return this.extension.secrets;
  }

  asAbsolutePath(p: string): string {
    return this.extension.asAbsolutePath(p);
  }

  dispose(): void {
    void this.server?.stopAndDispose();
    this.root.dispose();
  }
}
