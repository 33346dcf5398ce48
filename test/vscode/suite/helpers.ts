// Shared by the integration tests that run inside the extension host.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Diagnosis, SourceResult } from '../../../src/core/model';
import type { DiagnoseArgs, IncidentLensApi } from '../../../src/ui/api';
import { Commands } from '../../../src/shared/commands';

export const EXTENSION_ID = 'incident-lens.incident-lens';
/** The repository (out/vscode-test/suite/ → ../../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SEED_FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'hosts', 'seed-incident');
/** The seed incident: 2025-01-15 22:20 Europe/Paris, verdict http_timeout, traceback frame views.py line 52. */
export const SEED = { date: '2025-01-15', time: '22:20', verdict: 'http_timeout', frameFile: 'gestion/views.py', frameLine: 52 };

export async function api(): Promise<IncidentLensApi> {
  const ext = vscode.extensions.getExtension<IncidentLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
  const exported = await ext.activate();
  assert.ok(exported, 'activate() returns the IncidentLensApi');
  return exported;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open (the temp copy of samples/aquademie)');
  return f;
}

/** The test host written into the workspace's .vscode/settings.json by test/vscode/run.sh. */
export function testHostSettings(): { target: string; identityFile: string; knownHostsFile: string } {
  const c = vscode.workspace.getConfiguration('incidentLens', workspaceFolder().uri);
  const target = c.get<string>('host') ?? '';
  const identityFile = c.get<string>('identityFile') ?? '';
  const knownHostsFile = c.get<string>('knownHostsFile') ?? '';
  return { target, identityFile, knownHostsFile };
}

/** Polls `probe` until it returns a truthy value (no fixed sleeps); fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Writes `bytes` to `uri` and waits until an editor document open on it shows them: VS Code reloads an open, saved
 * document from disk a moment later, and a suite that asks lenses or actions before that gets the old version's lines.
 */
export async function restoreFile(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, bytes);
  const want = new TextDecoder().decode(bytes);
  await waitFor(`${uri.fsPath} reloaded from disk in its open editor`, () => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return !open || (!open.isDirty && open.getText() === want) || undefined;
  });
}

/** Children of a tree node (or the roots), described through the API. */
export async function children(a: IncidentLensApi, node?: unknown): Promise<{ node: unknown; info: ReturnType<IncidentLensApi['describe']>; item: vscode.TreeItem }[]> {
  const nodes = ((await a.tree.getChildren(node as never)) ?? []) as unknown[];
  return Promise.all(nodes.map(async (n) => ({ node: n, info: a.describe(n), item: await a.tree.getTreeItem(n as never) })));
}

export function labelOf(item: vscode.TreeItem): string {
  const l = item.label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

/** Runs `incidentLens.diagnose` with arguments (no question asked) against the test host of the workspace settings. */
export async function diagnoseSeed(): Promise<Diagnosis> {
  const s = testHostSettings();
  assert.ok(s.target, 'incidentLens.host is set in the workspace settings (test/vscode/run.sh writes it)');
  const d = await vscode.commands.executeCommand<Diagnosis | undefined>(Commands.diagnose, {
    target: s.target,
    date: SEED.date,
    time: SEED.time,
    identityFile: s.identityFile,
    knownHostsFile: s.knownHostsFile,
  } satisfies DiagnoseArgs);
  assert.ok(d, 'incidentLens.diagnose resolves to the Diagnosis');
  return d;
}

/** The diagnosis of the seed incident: the current one if a test already ran it, else a new run. */
export async function seedDiagnosis(a: IncidentLensApi): Promise<Diagnosis> {
  return a.diagnosis?.verdict === SEED.verdict ? a.diagnosis : diagnoseSeed();
}

/** The source whose excerpt holds the traceback frame into views.py (journal over SSH, syslog too). */
export function tracebackSource(d: Diagnosis): SourceResult {
  const s = d.sources.find((x) => x.excerpt.includes(`/var/www/aquademie/${SEED.frameFile}", line ${SEED.frameLine}`));
  assert.ok(s, `a source's excerpt has the frame ${SEED.frameFile}", line ${SEED.frameLine}; sources: ${d.sources.map((x) => `${x.id}=${x.status}`).join(' ')}`);
  return s;
}
