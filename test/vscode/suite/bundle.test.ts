// What `npm start` offers where the test host cannot run: the seed incident as a collected bundle, read through the
// local transport (no SSH), in the same tree.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/model';
import type { DiagnoseArgs } from '../../../src/ui/api';
import { api, children, SEED, SEED_FIXTURE, tracebackSource } from './helpers';
import { Commands } from '../../../src/shared/commands';

/** Diagnose of the seed incident's moment with these arguments (Europe/Paris unless `timezone` says otherwise). */
function diagnoseAt(args: DiagnoseArgs): Thenable<Diagnosis | undefined> {
  return vscode.commands.executeCommand<Diagnosis | undefined>(Commands.diagnose, { date: SEED.date, time: SEED.time, timezone: 'Europe/Paris', ...args } satisfies DiagnoseArgs);
}

suite('Diagnose a collected bundle (npm start without a test host)', () => {
  test('incidentLens.diagnose with root reads the seed incident locally: same verdict, same tree', async () => {
    const a = await api();
    const d = await diagnoseAt({ root: SEED_FIXTURE });
    assert.ok(d, 'the bundle diagnosis resolves');
    assert.equal(d.verdict, SEED.verdict);
    assert.ok(tracebackSource(d), 'the traceback into views.py is found in the bundle');
    const roots = await children(a);
    assert.equal(roots[0].info.kind, 'verdict');
    assert.ok(roots.some((r) => r.info.kind === 'source' && r.info.source === 'syslog'));
  });

  test('a bundle folder with spaces and accents (as a download folder has) reads the same', async () => {
    const base = mkdtempSync(join(tmpdir(), 'il-bundle-'));
    const folder = join(base, 'Téléchargements', 'incident du 15 janvier');
    cpSync(SEED_FIXTURE, folder, { recursive: true });
    try {
      const d = await diagnoseAt({ root: folder });
      assert.ok(d, 'no "characters not allowed" refusal');
      assert.equal(d.verdict, SEED.verdict);
      assert.equal(d.sources.find((s) => s.id === 'nginx_access')?.status, 'ok');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  test('a bundle that does not say its time zone, with no incidentLens.timezone: an error node that names the setting', async () => {
    const a = await api();
    // the fixture bundle carries its zone (incident-lens/host_tz.txt, as collect writes it): a folder made by hand does not
    const base = mkdtempSync(join(tmpdir(), 'il-bundle-'));
    const folder = join(base, 'by-hand');
    cpSync(SEED_FIXTURE, folder, { recursive: true });
    rmSync(join(folder, 'incident-lens', 'host_tz.txt'));
    let d: Awaited<ReturnType<typeof diagnoseAt>>;
    try {
      d = await diagnoseAt({ root: folder, timezone: undefined });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
    assert.equal(d, undefined);
    const roots = await children(a);
    assert.equal(roots[0].info.kind, 'message');
    assert.match(roots[0].info.label, /incidentLens\.timezone/, 'the setting, not the CLI flag --tz');
    assert.doesNotMatch(roots[0].info.label, /--tz/);
  });

  test('incidentLens.bundleFolder: Diagnose reads that bundle, no host asked (npm start without a test host)', async () => {
    const c = vscode.workspace.getConfiguration('incidentLens');
    await c.update('bundleFolder', SEED_FIXTURE, vscode.ConfigurationTarget.Workspace);
    try {
      const d = await diagnoseAt({ interactive: false });
      assert.ok(d, 'no host step, no question');
      assert.equal(d.target, 'local', 'read through the local transport');
      assert.equal(d.verdict, SEED.verdict);
    } finally {
      await c.update('bundleFolder', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
