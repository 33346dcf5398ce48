/**
 * The fleet fixture (test/fixtures/fleet: front + app1..app3) in four REAL test hosts side by side: each is its own
 * sshd with its own host key, hostname, machine id, zone and journal; the front resolves the app hosts' names.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FLEET_HOSTS as NAMES, startFleet, stopFleet, type FleetHostName } from './fleet';
import type { TestHost } from './testHost';

let hosts: Partial<Record<FleetHostName, TestHost>> = {};

before(() => {
  hosts = startFleet();
});
after(() => stopFleet(hosts));

test('each fleet host has its own name, machine id, zone and host key', () => {
  const seen = new Set<string>();
  for (const n of NAMES) {
    const h = hosts[n]!;
    assert.equal(h.ssh('uname -n').trim(), n);
    assert.equal(h.hostname, n);
    seen.add(h.ssh('cat /etc/machine-id').trim());
  }
  assert.equal(seen.size, 4);
  assert.equal(hosts.app3!.timezone, 'Etc/UTC');
  assert.equal(hosts.app1!.timezone, 'Europe/Paris');
  assert.equal(new Set(NAMES.map((n) => hosts[n]!.hostKeyFingerprint)).size, 4);
});

test('the front resolves the app hosts its upstream block names; only app2 has the OOM kill', () => {
  const out = hosts.front!.ssh('getent hosts app2.aquademie.internal');
  assert.match(out, /^192\.0\.2\.12\s+app2\.aquademie\.internal/);
  assert.match(hosts.front!.ssh('cat /etc/nginx/sites-enabled/aquademie'), /server app3\.aquademie\.internal:8000/);
  const since = "--since '2025-06-12 21:35' --until '2025-06-12 21:50'";
  assert.match(hosts.app2!.ssh(`sudo journalctl -k ${since} --no-pager`), /Out of memory: Killed process 1105 \(gunicorn\)/);
  for (const n of ['app1', 'app3'] as const) assert.doesNotMatch(hosts[n]!.ssh(`sudo journalctl -k ${since} --no-pager`), /Out of memory/);
  // app3 lives in UTC: its 19:39 is the front's 21:39
  assert.match(hosts.app3!.ssh("date '+%Z'"), /UTC/);
  assert.match(hosts.app2!.ssh(`sudo journalctl -u aquademie ${since} --no-pager -o cat`), /Worker \(pid:1105\) was sent SIGKILL/);
  assert.equal(hosts.front!.ssh('test -e /etc/systemd/system/aquademie.service && echo unit || echo none').trim(), 'none');
});
