// The language client as the extension loads it on first use (dist/client.js, see scripts/build.mjs): when the
// first Python file opens or the first diagnosis finishes, src/client/index.ts requires it; activation never does.
import type * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Diagnosis } from '../core/model';
import { evidencePayload } from '../shared/evidence';
import { DiagnosisChangedNotification, type DiagnosisChangedParams, type ServerInitOptions } from '../shared/protocol';

export interface ClientStart {
  asAbsolutePath(p: string): string;
  readonly log: vscode.LogOutputChannel;
  /** Called each time the server (re)starts running: a restarted server gets the current diagnosis again. */
  onRunning(client: LanguageClient): void;
}

/**
 * Starts the language server (dist/server.js next to the extension bundle; the wasm grammars sit beside it) and
 * returns its client and the listener to release with it.
 */
export async function startClient(host: ClientStart): Promise<{ client: LanguageClient; running: vscode.Disposable }> {
  const module = host.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    outputChannel: host.log,
    // the server renders its titles from the extension's own catalogue files
    initializationOptions: { l10nPath: host.asAbsolutePath('l10n') } satisfies ServerInitOptions,
  };
  const client = new LanguageClient('incidentLens', 'Incident Lens (Python)', serverOptions, clientOptions);
  await client.start();
  const running = client.onDidChangeState((e) => e.newState === State.Running && host.onRunning(client));
  return { client, running };
}

/** Sends the diagnosis' evidence (or null); the code lenses refresh on their own when the server gets it. */
export async function notify(client: LanguageClient, diagnosis: Diagnosis | null): Promise<void> {
  const params: DiagnosisChangedParams = { evidence: diagnosis ? evidencePayload(diagnosis) : null };
  await client.sendNotification(DiagnosisChangedNotification, params);
}
