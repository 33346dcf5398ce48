// Cancel: a diagnosis stopped while it runs resolves to nothing and leaves the tree as Clear wants it (empty,
// with the welcome view), not half-filled; the next run works. And nothing of it stays on the host: against a host
// whose dmesg (root's, through sudo) and free (the user's) never end, the run is cancelled while both run there, and
// within 5 s no process it started is left in the host (`ps` inside its PID namespace), its sshd session included.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/model';
import { api, children, diagnoseSeed, SEED, testHostSettings } from './helpers';
import { noneLeft, runUntilSlowSources, startSlowHost, type SlowHost } from './slowHost';
import { Commands } from '../../../src/shared/commands';

suite('Cancel a running diagnosis', () => {
  test('Clear during a run: the run resolves undefined, the tree stays empty, the next run works', async () => {
    const a = await api();
    await vscode.commands.executeCommand(Commands.clear);
    const s = testHostSettings();
    // react on the tree's first change (the run started), not after a delay
    let sub: vscode.Disposable | undefined;
    const started = new Promise<void>((resolve) => {
      sub = a.tree.onDidChangeTreeData?.(() => resolve());
    });
    const run = vscode.commands.executeCommand<Diagnosis | undefined>(Commands.diagnose, {
      target: s.target,
      date: SEED.date,
      time: SEED.time,
      identityFile: s.identityFile,
      knownHostsFile: s.knownHostsFile,
      interactive: false,
    });
    await started;
    sub?.dispose();
    await vscode.commands.executeCommand(Commands.clear);
    assert.equal(await run, undefined, 'a cancelled run gives no diagnosis');
    assert.equal(a.diagnosis, undefined);
    assert.deepEqual((await children(a)).map((c) => c.info.kind), [], 'the tree is empty (the welcome view shows)');
    const d = await diagnoseSeed();
    assert.equal(d.verdict, SEED.verdict);
  });

  suite('with remote commands running', () => {
    let host: SlowHost | undefined;
    suiteSetup(async function () {
      this.timeout(180_000);
      host = await startSlowHost();
    });
    suiteTeardown(async () => host?.stop());

    test('Cancel while sources run on the host: no process of the diagnosis is left there within 5 s', async () => {
      const h = host!;
      const { run, base } = await runUntilSlowSources(h);
      // Clear aborts the run's AbortController, as the progress notification's Cancel does
      await vscode.commands.executeCommand(Commands.clear);
      const left = noneLeft(h, base, 'Cancel');
      assert.equal(await run, undefined, 'a cancelled run gives no diagnosis');
      const ms = await left;
      console.log(`# Cancel in VS Code: 0 processes left on the host after ${ms} ms`);
    });
  });
});
