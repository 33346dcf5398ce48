/**
 * The fixture fleet (test/fixtures/fleet: nginx front + app1..app3, app2's worker OOM-killed while serving the send
 * POST, app3 in UTC) forwarding FOR REAL to a central log host (systemd-journal-upload → systemd-journal-remote,
 * rsyslog imfile/omfwd → rsyslog imtcp, systemd-journal-gatewayd on the log host's loopback). `diagnose --central`
 * finds the four hosts in the store and gives what `diagnose --host ×4` gives on the hosts themselves
 * (test/engine/fleet.test.ts): oom_kill on app2, the front's 502 traced to app2, per-host evidence.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FLEET_HOSTS, FLEET_ROOT, FLEET_WINDOW, startFleet, stopFleet, type FleetHostName } from '../host/fleet';
import { LogHost, startLogHost, waitForwarded } from '../host/logHost';
import type { TestHost } from '../host/testHost';
import type { FleetDiagnosis } from '../../src/core/index';
import { adviceOf, cli, ensureBuilt } from './helpers';
import { cliHostArgs } from '../host/sshSetup';

type CentralFleet = FleetDiagnosis & { central: string; present: { host: string; in: string[] }[] };

describe('the fixture fleet through a central log host', () => {
  let log: LogHost;
  let fleet: Record<FleetHostName, TestHost> | undefined;
  before(async () => {
    ensureBuilt();
    log = await startLogHost();
    fleet = startFleet(FLEET_HOSTS, { env: { TESTHOST_FORWARD_JOURNAL_URL: `http://127.0.0.1:${log.journalPort}`, TESTHOST_FORWARD_SYSLOG: `127.0.0.1:${log.syslogPort}` } });
    for (const n of FLEET_HOSTS) await waitForwarded(log, n, join(FLEET_ROOT, n), { tz: fleet![n].timezone, ref: new Date(`${FLEET_WINDOW.at.replace(' ', 'T')}:00Z`) });
  });
  after(() => {
    stopFleet(fleet);
    log?.stop();
  });
  const window = ['--at', FLEET_WINDOW.at, '--before', FLEET_WINDOW.before, '--after', FLEET_WINDOW.after];
  const central = (...extra: string[]): CentralFleet => {
    const r = cli(['diagnose', ...cliHostArgs(log, 'deploy', '--central'), ...window, '--format', 'json', '--no-redact', ...extra]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /verdict: oom_kill on app2\n/);
    return JSON.parse(r.stdout);
  };

  for (const via of ['journal files + syslog tree', 'systemd-journal-gatewayd']) {
    test(`through the ${via}: oom_kill on app2, the front's 502 traced to app2, evidence from both hosts`, () => {
      const f = central(...(via.startsWith('systemd') ? ['--gateway', String(log.gatewayPort)] : []));
      assert.deepEqual(f.present.map((p) => p.host), ['app1', 'app2', 'app3', 'front'], 'the four hosts found in the store');
      assert.equal(f.verdict, 'oom_kill');
      assert.deepEqual(f.failedHosts.map((x) => [x.host, x.cause]), [['app2', 'oom_kill']]);
      const byName = Object.fromEntries(f.hosts.map((h) => [h.name, h]));
      assert.equal(byName.front.role, 'front', 'nginx logs only: the front');
      assert.equal(byName.app2.role, 'app', "app2: the unit's journal entries, no nginx");
      // app1/app3 log nothing of the unit in the window (app3 only booted at 04:03): 'app' or 'other', never a front
      for (const n of ['app1', 'app3']) assert.ok(['app', 'other'].includes(byName[n].role), `${n}: ${byName[n].role}`);
      for (const n of ['app1', 'app3']) assert.equal(byName[n].diagnosis!.verdict, 'none', `${n} is healthy`);
      assert.equal(f.traces.length, 1, JSON.stringify(f.traces));
      assert.equal(f.traces[0].front, 'front');
      assert.equal(f.traces[0].host, 'app2');
      assert.equal(f.traces[0].upstream, '192.0.2.12:8000', "the upstream named by the front's error log");
      const best = f.causes.find((c) => c.id === 'oom_kill' && c.host === 'app2')!;
      assert.ok(best.evidence.some((e) => e.host === 'app2' && e.source === 'kernel_oom' && /Out of memory: Killed process 1105 \(gunicorn\)/.test(e.line)), JSON.stringify(best.evidence));
      assert.ok(best.evidence.some((e) => e.host === 'front' && e.source === 'nginx_access' && /"POST \/adherents\/communiquer\/ HTTP\/1\.1" 502/.test(e.line)), 'the front\'s 502');
      // app3 logs in UTC, the log host in Paris: its syslog lines are read in its own zone, found from its journal
      const zone = (n: string) => byName[n].diagnosis!.sources.find((s) => s.id === 'central_zone');
      assert.match(adviceOf(zone('app3')) ?? '', /read in UTC\+00:00 .* not in Europe\/Paris/, JSON.stringify(zone('app3')));
      for (const n of ['app1', 'app2']) assert.equal(adviceOf(zone(n)), undefined, `${n} logs in the log host's zone`);
      const syslog3 = byName.app3.diagnosis!.sources.find((s) => s.id === 'syslog')!;
      assert.equal(syslog3.holds?.from, '2025-06-12T04:03:02.000Z', "app3's first syslog line, 04:03:02 in UTC");
      const journal = byName.app2.diagnosis!.sources.find((s) => s.id === 'journal')!;
      assert.ok(journal.events.some((e) => /Worker \(pid:1105\) was sent SIGKILL/.test(e.line)), 'gunicorn master line from the central journal');
    });
  }
});
