// The extension loads and activates in a real VS Code extension host, and everything it contributes is live.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/model';
import { api, EXTENSION_ID, SEED, SEED_FIXTURE, workspaceFolder } from './helpers';
import { Commands } from '../../../src/shared/commands';

/** Whether the extension host has required this file of the installed extension's dist/ folder. */
function required(file: string): boolean {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
  return require.cache[path.join(ext.extensionPath, 'dist', file)] !== undefined;
}

suite('Activation', () => {
  test('the extension activates and returns its API', async () => {
    const a = await api();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'isActive after activate()');
    assert.equal(typeof a.describe, 'function');
    assert.equal(typeof a.excerptUri, 'function');
    assert.ok(a.tree && typeof a.tree.getChildren === 'function', 'api.tree is the Log Sources data provider');
    assert.equal(typeof a.onDidChangeDiagnosis, 'function');
  });

  // first in the first suite: nothing has diagnosed yet, and the fresh workspace has no Python file open
  test('activation loads neither the engine (ssh2) nor the language client; the first diagnosis loads both', async () => {
    await api();
    assert.ok(required('extension.js'), 'the extension bundle is in the module cache, so what it loaded is seen there');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.languageId === 'python'), 'no Python file is open yet');
    assert.ok(!required('engine.js'), 'activation required dist/engine.js (the diagnosis engine and ssh2)');
    assert.ok(!required('client.js'), 'activation required dist/client.js (vscode-languageclient)');
    const d = await vscode.commands.executeCommand<Diagnosis | undefined>(Commands.diagnose, { date: SEED.date, time: SEED.time, timezone: 'Europe/Paris', root: SEED_FIXTURE });
    assert.equal(d?.verdict, SEED.verdict, 'the first diagnosis runs on the engine it loads');
    assert.ok(required('engine.js'), 'the first diagnosis required dist/engine.js');
    assert.ok(required('client.js'), 'the first diagnosis started the language server (its lenses need the evidence)');
    await vscode.commands.executeCommand(Commands.clear);
  });

  test('every contributed command is registered', async () => {
    await api();
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.commands ?? []) as { command: string }[];
    assert.ok(contributed.some((c) => c.command === Commands.diagnose), 'package.json contributes incidentLens.diagnose');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('the incident-log language is known, separate from the built-in log', async () => {
    const langs = await vscode.languages.getLanguages();
    assert.ok(langs.includes('incident-log'), 'incident-log registered');
    assert.ok(langs.includes('log'), "VS Code's own log language is still there");
  });

  test('the workspace is the sample Django project', async () => {
    const f = workspaceFolder();
    const views = await vscode.workspace.fs.stat(vscode.Uri.joinPath(f.uri, 'gestion', 'views.py'));
    assert.equal(views.type, vscode.FileType.File);
  });
});
