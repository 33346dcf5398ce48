// The extension's one context object (after rust-analyzer's Ctx): the ExtensionContext, the log channel, and
// disposal scopes. Everything registered goes through `subscribe`, so no disposable is ever dropped.
import * as vscode from 'vscode';

export type Disposable = { dispose(): unknown };

/** A set of disposables released together (the extension's lifetime, or one diagnosis run). */
export class Scope implements vscode.Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.items.push(d);
    return d;
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.items.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        /* keep disposing the rest */
      }
    }
  }
}

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private readonly root = new Scope();

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Incident Lens', { log: true });
    extension.subscriptions.push(this);
    this.subscribe(this.log);
  }

  /** Ties a disposable to the extension's lifetime. */
  subscribe<T extends Disposable>(d: T): T {
    return this.root.add(d);
  }

  command(id: string, run: (...args: never[]) => unknown): void {
    this.subscribe(vscode.commands.registerCommand(id, run as (...args: unknown[]) => unknown));
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
    this.root.dispose();
  }
}
