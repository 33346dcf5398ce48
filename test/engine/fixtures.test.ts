/**
 * Every fixture host, end to end: the real test host (sshd + journald files), `incident-lens diagnose --host`,
 * then `collect --out` and `diagnose --root` on the bundle must give the same verdict and evidence.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnosis } from '../../src/core/index';
import { assertSameEvents, checkDiagnosis, cli, ensureBuilt, expected, fixtureNames, windowArgs } from './helpers';
import { cliHostArgs, useTestHost } from '../host/sshSetup';

for (const name of fixtureNames()) {
  describe(`fixture ${name}`, () => {
    const e = expected(name);
    const ssh = useTestHost({ fixtures: name, timezone: e.timezone ?? e.tz });
    let bundle: string;
    before(() => {
      ensureBuilt();
      bundle = mkdtempSync(join(tmpdir(), `il-bundle-${name}-`));
    });
    after(() => {
      if (bundle) rmSync(bundle, { recursive: true, force: true });
    });
    const target = () => cliHostArgs(ssh.host);

    let first: ReturnType<typeof cli> | undefined;
    test('diagnose --host over SSH gives the expected verdict, evidence and impact', () => {
      const r = (first = cli(['diagnose', ...target(), ...windowArgs(e), '--format', 'json']));
      assert.equal(r.status, e.verdict === 'unknown' ? 4 : 0, r.stderr);
      // nothing of Node's own reaches the user's terminal (~20 commands in flight each listen to the cancel signal)
      assert.doesNotMatch(r.stderr, /\(node:\d+\)|Warning:/);
      const d: Diagnosis = JSON.parse(r.stdout);
      assert.equal(d.window.tz, e.timezone ?? e.tz, 'zone read from the host');
      checkDiagnosis(d, e, 'ssh');
      // the gunicorn processes are programs named gunicorn or python: not this diagnosis's own commands, which run beside
      // ps and name both in their filters, nor the seed host's decoys (an exporter, an editor, tail and perl naming gunicorn)
      const ps = d.sources.find((s) => s.id === 'host_ps')?.excerpt ?? '';
      for (const l of ps.split('\n').filter((x) => x && !x.startsWith('…'))) {
        assert.match((l.trim().split(/\s+/)[5] ?? '').replace(/.*\//, ''), /^(gunicorn:?|python[\d.]*|pypy[\d.]*)$/, `host_ps: ${l.slice(0, 200)}`);
      }
      if (e.verdict !== 'unknown') assert.match(ps, /gunicorn --workers 3/);
      // progress went to stderr, not into the JSON
      assert.match(r.stderr, e.verdict === 'unknown' ? /journal\s+(ok|empty)/ : /journal\s+ok/);
      assert.ok(d.sources.every((s) => ['ok', 'empty', 'missing', 'denied', 'timeout', 'error'].includes(s.status)));
    });

    test('bisection on the host and the full scan give the same events, line for line', () => {
      // the bisecting run is the one above (one run fewer per fixture)
      const fast = first ?? cli(['diagnose', ...target(), ...windowArgs(e), '--format', 'json']);
      const full = cli(['diagnose', ...target(), ...windowArgs(e), '--format', 'json', '--full-scan']);
      // an expected `unknown` verdict exits 4 (docs/cli.md), by either way of reading
      const status = e.verdict === 'unknown' ? 4 : 0;
      assert.equal(fast.status, status, fast.stderr);
      assert.equal(full.status, status, full.stderr);
      assertSameEvents(JSON.parse(fast.stdout), JSON.parse(full.stdout), name);
    });

    test('collect --out then diagnose --root replays the same diagnosis offline', () => {
      const c = cli(['collect', ...target(), ...windowArgs(e), '--out', bundle]);
      assert.equal(c.status, 0, c.stderr);
      assert.ok(existsSync(join(bundle, 'manifest.json')));
      assert.ok(existsSync(join(bundle, 'journal.export')));
      const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
      assert.equal(manifest.window.tz, e.timezone ?? e.tz);
      assert.ok(manifest.commands.some((x: { id: string }) => x.id === 'nginx_access'));
      const r = cli(['diagnose', '--root', bundle, ...windowArgs(e), '--format', 'json']);
      assert.equal(r.status, e.verdict === 'unknown' ? 4 : 0, r.stderr);
      const d: Diagnosis = JSON.parse(r.stdout);
      checkDiagnosis(d, e, 'root');
    });
  });
}
