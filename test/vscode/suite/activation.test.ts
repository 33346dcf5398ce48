// The extension loads and activates in a real VS Code extension host, and everything it contributes is live.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, workspaceFolder } from './helpers';

suite('Activation', () => {
  test('the extension activates and returns its API', async () => {
    const a = await api();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'isActive after activate()');
    assert.equal(typeof a.describe, 'function');
    assert.equal(typeof a.excerptUri, 'function');
    assert.ok(a.tree && typeof a.tree.getChildren === 'function', 'api.tree is the Log Sources data provider');
    assert.equal(typeof a.onDidChangeDiagnosis, 'function');
  });

  test('every contributed command is registered', async () => {
    await api();
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.commands ?? []) as { command: string }[];
    assert.ok(contributed.some((c) => c.command === 'incidentLens.diagnose'), 'package.json contributes incidentLens.diagnose');
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
