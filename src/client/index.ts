// The language client side: starts the Incident Lens Python language server (dist/server.js) on demand and
// tells it about each new diagnosis through the typed custom notification of src/shared/protocol.ts.
// One ServerClient per Ctx (no module-level client): it owns the client, the client's listeners (a Scope released
// when the client stops) and the re-send after a restart; Ctx.stopAndDispose() / deactivate() await its stop.
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Diagnosis } from '../core/model';
import { Scope, type Disposable } from '../scope';
import { evidencePayload } from '../shared/evidence';
import { DiagnosisChangedNotification, type DiagnosisChangedParams, type ServerInitOptions } from '../shared/protocol';

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
    const module = this.host.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'python' },
      ],
      outputChannel: this.host.log,
      // the server renders its titles from the extension's own catalogue files
      initializationOptions: { l10nPath: this.host.asAbsolutePath('l10n') } satisfies ServerInitOptions,
    };
    const client = new LanguageClient('incidentLens', 'Incident Lens (Python)', serverOptions, clientOptions);
    try {
      await client.start();
    } catch (e) {
      this.starting = undefined;
      this.host.log.error(`Incident Lens language server did not start: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    // a restarted server (after a crash) gets the current diagnosis again
    this.pushClientCleanup(client.onDidChangeState((e) => e.newState === State.Running && void notify(client, this.current() ?? null)));
    this.host.log.info('Incident Lens language server started');
    return client;
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
    if (client) await notify(client, d ?? null);
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

/** Sends the diagnosis' evidence (or null); the code lenses refresh on their own when the server gets it. */
async function notify(client: LanguageClient, diagnosis: Diagnosis | null): Promise<void> {
  const params: DiagnosisChangedParams = { evidence: diagnosis ? evidencePayload(diagnosis) : null };
  await client.sendNotification(DiagnosisChangedNotification, params);
}
