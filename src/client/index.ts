// The language client side: starts the Incident Lens Python language server (dist/server.js) on demand and
// tells it about each new diagnosis through the typed custom notification of src/shared/protocol.ts. The client
// library itself (vscode-languageclient) sits in src/lazy/client.ts, loaded when the server first starts.
// One ServerClient per Ctx (no module-level client): it owns the client, the client's listeners (a Scope released
// when the client stops) and the re-send after a restart; Ctx.stopAndDispose() / deactivate() await its stop.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Diagnosis } from '../core/model';
import type * as Lsp from '../lazy/client';
import { Scope, type Disposable } from '../scope';

export interface ClientHost {
  asAbsolutePath(p: string): string;
  readonly log: vscode.LogOutputChannel;
}

export class ServerClient implements vscode.Disposable {
  private starting: Promise<LanguageClient> | undefined;
  /** The running client's listeners: released with the client, renewed with the next one. */
  private scope = new Scope();

  /** `current` gives the diagnosis a restarted server (after a crash) must receive again. */
  constructor(
    private readonly host: ClientHost,
    private readonly current: () => Diagnosis | undefined,
  ) {}

  /** Ties a disposable to the client's lifetime (rust-analyzer's pushClientCleanup). */
  pushClientCleanup<T extends Disposable>(d: T): T {
    return this.scope.add(d);
  }

  /**
   * Starts the language server once (later calls return the same client). The server module is dist/server.js
   * next to the extension bundle; the wasm grammars sit beside it.
   */
  start(): Promise<LanguageClient> {
    this.starting ??= this.create();
    return this.starting;
  }

  /** The client if it was started (or is starting), without starting it. */
  started(): Promise<LanguageClient> | undefined {
    return this.starting;
  }

  private async create(): Promise<LanguageClient> {
    const lsp = clientChunk();
    let started: Awaited<ReturnType<typeof lsp.startClient>>;
    try {
      started = await lsp.startClient({ asAbsolutePath: (p) => this.host.asAbsolutePath(p), log: this.host.log, onRunning: (c) => void lsp.notify(c, this.current() ?? null) });
    } catch (e) {
      this.starting = undefined;
      this.host.log.error(`Incident Lens language server did not start: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    // a restarted server (after a crash) gets the current diagnosis again
    this.pushClientCleanup(started.running);
    this.host.log.info('Incident Lens language server started');
    return started.client;
  }

  /** Starts the server when a Python document is (or gets) open, and not before. */
  startOnPython(): void {
    const isPython = (d: vscode.TextDocument) => d.languageId === 'python';
    if (vscode.workspace.textDocuments.some(isPython)) {
      void this.start().catch(() => undefined);
      return;
    }
    const sub = this.pushClientCleanup(
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!isPython(d)) return;
        sub.dispose();
        void this.start().catch(() => undefined);
      }),
    );
  }

  /** Sends the new diagnosis (or null to clear): a diagnosis starts the server, a Clear only reaches a running one. */
  async send(d: Diagnosis | undefined): Promise<void> {
    const client = await (d ? this.start() : this.started());
    if (client) await clientChunk().notify(client, d ?? null);
  }

  /** Stops the server and releases the client's listeners (rust-analyzer's stopAndDispose); awaited by deactivate(). */
  async stopAndDispose(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    this.scope.dispose();
    this.scope = new Scope();
    const client = await starting?.catch(() => undefined);
    if (!client) return;
    try {
      await client.stop();
    } catch {
      /* already stopped (or never ran): nothing left to release */
    }
  }

  dispose(): void {
    void this.stopAndDispose();
  }
}

/** The language client (src/lazy/client.ts, dist/client.js in the built extension), required on first use. */
function clientChunk(): typeof Lsp {
  return require('../lazy/client') as typeof Lsp;
}
