// The language client side: starts the Incident Lens Python language server (dist/server.js) on demand and
// tells it about each new diagnosis through the typed custom notification of src/shared/protocol.ts.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Diagnosis } from '../core/model';
import { DiagnosisChangedNotification, type DiagnosisChangedParams } from '../shared/protocol';

let starting: Promise<LanguageClient> | undefined;

/**
 * Starts the language server once per extension host (later calls return the same client). The server
 * module is dist/server.js next to the extension bundle; the wasm grammars sit beside it.
 */
export function startLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<LanguageClient> {
  starting ??= (async () => {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'python' },
      ],
      outputChannel: log,
    };
    const client = new LanguageClient('incidentLens', 'Incident Lens (Python)', serverOptions, clientOptions);
    context.subscriptions.push({ dispose: () => void client.stop().catch(() => undefined) });
    try {
      await client.start();
    } catch (e) {
      starting = undefined;
      log.error(`Incident Lens language server did not start: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    log.info('Incident Lens language server started');
    return client;
  })();
  return starting;
}

/** Starts the server when a Python document is (or gets) open, and not before. */
export function startLanguageClientOnPython(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const isPython = (d: vscode.TextDocument) => d.languageId === 'python';
  if (vscode.workspace.textDocuments.some(isPython)) {
    void startLanguageClient(context, log).catch(() => undefined);
    return;
  }
  const sub = vscode.workspace.onDidOpenTextDocument((d) => {
    if (!isPython(d)) return;
    sub.dispose();
    void startLanguageClient(context, log).catch(() => undefined);
  });
  context.subscriptions.push(sub);
}

/** Sends the new diagnosis (or null to clear) to the server; the code lenses refresh on their own. */
export async function notifyDiagnosis(client: LanguageClient, diagnosis: Diagnosis | null): Promise<void> {
  const params: DiagnosisChangedParams = { diagnosis };
  await client.sendNotification(DiagnosisChangedNotification, params);
}

/** The client if it was started (or is starting), without starting it. */
export function startedLanguageClient(): Promise<LanguageClient> | undefined {
  return starting;
}
