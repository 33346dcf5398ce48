// Drives the REAL language server (dist/server.js) over stdio with the LSP protocol, as VS Code would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  CodeLensRequest,
  CodeActionRequest,
  ExecuteCommandRequest,
  ApplyWorkspaceEditRequest,
  CodeLensRefreshRequest,
  ShutdownRequest,
  ExitNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type WorkspaceEdit,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import type { TestClientOptions } from '../../src/shared/protocol';

export const ROOT = join(__dirname, '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.js');

/** Builds dist/ when the server bundle is missing (npm test builds first; this keeps single suites runnable). */
export function ensureBuilt(): void {
  if (existsSync(SERVER) && existsSync(join(ROOT, 'dist', 'tree-sitter-python.wasm'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

export interface Lsp {
  conn: ProtocolConnection;
  child: ChildProcess;
  /** Workspace edits the server asked the client to apply. */
  appliedEdits: WorkspaceEdit[];
  lensRefreshes: number;
  diagnostics(uri: string, version?: number): Promise<Diagnostic[]>;
  open(path: string, text?: string): Promise<{ uri: string; text: string; diagnostics: Diagnostic[] }>;
  stop(): Promise<void>;
  stderr(): string;
}

export async function startServer(locale = 'en', server = SERVER): Promise<Lsp> {
  ensureBuilt();
  const child = spawn(process.execPath, [server, '--stdio'], { cwd: dirname(server), stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Map<string, PublishDiagnosticsParams[]>();
  const waiters: (() => void)[] = [];
  const appliedEdits: WorkspaceEdit[] = [];
  const lsp: Lsp = {
    conn,
    child,
    appliedEdits,
    lensRefreshes: 0,
    async diagnostics(uri, version) {
      for (;;) {
        const list = published.get(uri) ?? [];
        const hit = list.find((p) => version === undefined || p.version === version);
        if (hit) return hit.diagnostics;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}; server stderr: ${err}`)), 15000);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async open(path, text) {
      const body = text ?? readFileSync(path, 'utf8');
      const uri = pathToFileURL(path).toString();
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: body } });
      return { uri, text: body, diagnostics: await lsp.diagnostics(uri, 1) };
    },
    stop: () => stopServer(conn, child),
    stderr: () => err,
  };
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const list = published.get(p.uri) ?? [];
    list.push(p);
    published.set(p.uri, list);
    waiters.splice(0).forEach((w) => w());
  });
  conn.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
    appliedEdits.push(p.edit);
    return { applied: true };
  });
  conn.onRequest(CodeLensRefreshRequest.method, () => {
    lsp.lensRefreshes++;
    return null;
  });
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    locale,
    capabilities: { workspace: { codeLens: { refreshSupport: true }, applyEdit: true } },
    workspaceFolders: null,
    initializationOptions: { incidentLensTest: true } satisfies TestClientOptions,
  });
  await conn.sendNotification(InitializedNotification.type, {});
  return lsp;
}

/** Shutdown + exit, then waits for the process to end (killed after 3 s). */
async function stopServer(conn: ProtocolConnection, child: ChildProcess): Promise<void> {
  try {
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
  } catch {
    // already gone
  }
  conn.dispose();
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve();
    }, 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export { CodeLensRequest, CodeActionRequest, ExecuteCommandRequest, DidChangeTextDocumentNotification };
