// Closing the window while a diagnosis runs: VS Code calls the extension's deactivate() and awaits it before it
// stops the extension host. Here the extension's own loaded module (the same instance VS Code activated) is
// deactivated while dmesg (root's, through sudo) and free (the user's) run on the host and never end: deactivate
// resolves, the run resolves to nothing, and within 5 s no process of the diagnosis is left in the host (`ps` inside
// its PID namespace, its sshd session included); the extension's commands are gone (Ctx released).
// (Named zw… so that mocha runs it last: the extension stays deactivated for the rest of this host's life.)
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, EXTENSION_ID } from './helpers';
import { noneLeft, runUntilSlowSources, startSlowHost, type SlowHost } from './slowHost';
import { Commands } from '../../../src/shared/commands';

suite('Closing the window while a diagnosis runs', () => {
  let host: SlowHost | undefined;
  suiteSetup(async function () {
    this.timeout(180_000);
    host = await startSlowHost();
  });
  suiteTeardown(async () => host?.stop());

  test('deactivate() ends the run: nothing of it is left on the host within 5 s, the commands are gone', async () => {
    const h = host!;
    await api();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // the module VS Code loaded (Node's module cache): its deactivate is the one the window's close calls
    const mod = require(path.join(ext.extensionPath, (ext.packageJSON as { main: string }).main)) as { deactivate?: () => Promise<void> | undefined };
    assert.equal(typeof mod.deactivate, 'function', 'the extension exports deactivate');
    const { run, base } = await runUntilSlowSources(h);
    const t0 = Date.now();
    await mod.deactivate!();
    const deactivateMs = Date.now() - t0;
    const left = noneLeft(h, base, 'window closed');
    assert.equal(await run, undefined, 'the run stopped by the shutdown gives no diagnosis');
    const ms = await left;
    console.log(`# window closed (deactivate): resolved after ${deactivateMs} ms, 0 processes left on the host ${ms} ms later`);
    assert.ok(deactivateMs + ms <= 5000, `nothing left within 5 s of the close (took ${deactivateMs + ms} ms)`);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(!commands.includes(Commands.diagnose), 'the extension released its commands (it is the instance VS Code activated)');
  });
});
