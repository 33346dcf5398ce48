// Cancel: a diagnosis stopped while it runs resolves to nothing and leaves the tree as Clear wants it (empty,
// with the welcome view), not half-filled; the next run works.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/model';
import { api, children, diagnoseSeed, SEED, testHostSettings } from './helpers';

suite('Cancel a running diagnosis', () => {
  test('Clear during a run: the run resolves undefined, the tree stays empty, the next run works', async () => {
    const a = await api();
    await vscode.commands.executeCommand('incidentLens.clear');
    const s = testHostSettings();
    // react on the tree's first change (the run started), not after a delay
    let sub: vscode.Disposable | undefined;
    const started = new Promise<void>((resolve) => {
      sub = a.tree.onDidChangeTreeData?.(() => resolve());
    });
    const run = vscode.commands.executeCommand<Diagnosis | undefined>('incidentLens.diagnose', {
      target: s.target,
      date: SEED.date,
      time: SEED.time,
      identityFile: s.identityFile,
      knownHostsFile: s.knownHostsFile,
      interactive: false,
    });
    await started;
    sub?.dispose();
    await vscode.commands.executeCommand('incidentLens.clear');
    assert.equal(await run, undefined, 'a cancelled run gives no diagnosis');
    assert.equal(a.diagnosis, undefined);
    assert.deepEqual((await children(a)).map((c) => c.info.kind), [], 'the tree is empty (the welcome view shows)');
    const d = await diagnoseSeed();
    assert.equal(d.verdict, SEED.verdict);
  });
});
