/**
 * The central log host, for real: a log host running Debian's systemd-journal-remote and rsyslogd as
 * receivers (and systemd-journal-gatewayd on its loopback), three app hosts (own sshd, hostname,
 * machine-id, journal, logs) shipping their journal with systemd-journal-upload and their log files with
 * rsyslog. `diagnose --central` must give, per host, the verdict and evidence `diagnose --host` gives on
 * that host itself: through the journal files + the syslog tree, and through gatewayd over the SSH
 * connection.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestHost } from '../host/testHost';
import { LogHost, startForwardingHost, startLogHost, waitForwarded } from '../host/logHost';
import type { Diagnosis } from '../../src/core/index';
import { adviceOf, checkDiagnosis, cli, ensureBuilt, expected, windowArgs } from './helpers';
import { cliHostArgs } from '../host/sshSetup';

/** app2's worker is OOM-killed during the send; app3 fails its own send another day (SMTP); app1 is quiet. */
const FLEET: { name: string; fixtures: string }[] = [
  { name: 'app1', fixtures: 'quiet-window' },
  { name: 'app2', fixtures: 'cause-oom-kill' },
  { name: 'app3', fixtures: 'cause-smtp-connection' },
];

/** Sources read both on the host and on the log host (journal via journal-remote, files via rsyslog). */
const SHARED = ['journal', 'kernel_oom', 'nginx_access', 'nginx_error', 'syslog', 'postgresql', 'mail_log'];
const events = (d: Diagnosis, id: string) => (d.sources.find((s) => s.id === id)?.events ?? []).map((e) => `${e.time} ${e.kind} ${e.line.replace(/^\S+ \S+ /, '')}`);

/** Several hosts: the fleet diagnosis (as `--host A --host B` gives it) with the central host and the hosts found. */
interface CentralJson {
  central: string;
  present?: { host: string; in: string[] }[];
  verdict: string;
  failedHosts: { host: string; cause: string }[];
  hosts: { name: string; diagnosis: Diagnosis }[];
}

describe('central log host (systemd-journal-remote, rsyslog, systemd-journal-gatewayd)', () => {
  let log: LogHost;
  const apps = new Map<string, TestHost>();
  before(async () => {
    ensureBuilt();
    log = await startLogHost();
    for (const a of FLEET) apps.set(a.name, await startForwardingHost(log, a.fixtures, a.name));
    for (const a of FLEET) await waitForwarded(log, a.name, a.fixtures, { tz: apps.get(a.name)!.timezone, ref: new Date(`${expected(a.fixtures).at.replace(' ', 'T')}:00Z`) });
  });
  after(() => {
    for (const h of apps.values()) h.stop();
    log?.stop();
  });
  const central = (...extra: string[]) => ['diagnose', ...cliHostArgs(log, 'deploy', '--central'), ...extra];
  const direct = (h: TestHost) => ['diagnose', ...cliHostArgs(h)];
  const json = <T>(args: string[]): T => {
    const r = cli([...args, '--format', 'json']);
    // 4: verdict unknown (a host whose logs do not reach the window, e.g. the quiet host at another incident's time)
    assert.ok(r.status === 0 || r.status === 4, `exit ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };

  test('the log host holds what the app hosts sent: journal files per _HOSTNAME, one tree folder per host', () => {
    const files = log.ssh("sudo find /var/log/journal/remote /var/log/remote -type f -name '*.journal' -o -type f -path '*/remote/app*'");
    assert.match(files, /\/var\/log\/journal\/remote\/remote-[^/]+\.journal/, 'systemd-journal-remote wrote the uploads');
    for (const a of FLEET) assert.match(files, new RegExp(`/var/log/remote/${a.name}/`), `rsyslog wrote ${a.name}'s folder`);
    assert.match(log.ssh('sudo journalctl --directory /var/log/journal/remote -F _HOSTNAME'), /app1[\s\S]*app2|app2[\s\S]*app1/);
  });

  for (const incident of ['cause-oom-kill', 'cause-smtp-connection']) {
    test(`every host, at ${incident}'s time: the central verdict is the host's own verdict, with its evidence`, () => {
      const e = expected(incident);
      const all = json<CentralJson>(central(...windowArgs(e)));
      assert.deepEqual(all.present?.map((p) => p.host), ['app1', 'app2', 'app3'], 'hosts found in the store');
      assert.ok(all.present?.every((p) => p.in.includes('journal') && p.in.includes('tree')), JSON.stringify(all.present));
      const failing = FLEET.find((a) => a.fixtures === incident)!.name;
      assert.equal(all.verdict, e.verdict, 'the fleet verdict');
      assert.deepEqual(all.failedHosts.map((x) => x.host), [failing], 'the host where the send failed');
      for (const a of FLEET) {
        const here = json<Diagnosis>([...direct(apps.get(a.name)!), ...windowArgs(e)]);
        const there = all.hosts.find((h) => h.name === a.name)!.diagnosis;
        assert.equal(there.verdict, here.verdict, `${a.name}: central ${there.verdict} vs on the host ${here.verdict}`);
        // the same events, source by source: the central store lost nothing of the window
        for (const id of SHARED) assert.deepEqual(events(there, id), events(here, id), `${a.name} ${id}: central vs on the host`);
        if (a.name === failing) checkDiagnosis(there, e, `central ${a.name}`);
        else assert.notEqual(there.verdict, e.verdict, `${a.name} did not fail`);
      }
    });
  }

  test('through systemd-journal-gatewayd (forwarded SSH channel to its loopback port): same verdict and evidence', () => {
    const e = expected('cause-oom-kill');
    const d = json<Diagnosis>(central('--for-host', 'app2', '--gateway', String(log.gatewayPort), ...windowArgs(e)));
    checkDiagnosis(d, e, 'gateway');
    for (const id of ['journal', 'kernel_oom']) {
      const s = d.sources.find((x) => x.id === id)!;
      assert.equal(s.status, 'ok', `${id}: ${adviceOf(s)}`);
      assert.match(s.command, /^GET http:\/\/127\.0\.0\.1:\d+\/entries\?_HOSTNAME=app2 .* through the SSH connection$/);
    }
    const files = json<Diagnosis>(central('--for-host', 'app2', ...windowArgs(e)));
    for (const id of ['journal', 'kernel_oom']) assert.deepEqual(events(d, id), events(files, id), `${id}: gateway vs journal files`);
    assert.ok(events(d, 'journal').some((x) => /killed by the OOM killer/.test(x)), 'the unit entries are read, not only the kernel');
    const best = d.causes.find((c) => c.id === d.verdict)!;
    assert.ok(best.evidence.some((x) => x.source === 'kernel_oom' && /Killed process 1105/.test(x.line)), 'kernel line read from the gateway');
  });

  test('a gateway port where nothing listens, and a host the store does not hold: statuses, not failures', () => {
    const e = expected('cause-oom-kill');
    const d = json<Diagnosis>(central('--for-host', 'app2', '--gateway', '1', ...windowArgs(e)));
    assert.equal(d.sources.find((s) => s.id === 'journal')!.status, 'missing');
    assert.equal(d.verdict, 'oom_kill', 'the tree (syslog, nginx) still completes');
    const none = json<Diagnosis>(central('--for-host', 'app9', ...windowArgs(e)));
    assert.equal(none.verdict, 'none');
    assert.ok(none.sources.filter((s) => !['host_tz', 'central_hosts', 'central_zone', 'log_spans'].includes(s.id)).every((s) => s.status === 'missing' || s.status === 'empty'), JSON.stringify(none.sources.map((s) => [s.id, s.status])));
  });

  test('text report: the fleet verdict, then one section per host', () => {
    const r = cli([...central(...windowArgs(expected('cause-oom-kill'))), '--format', 'text']);
    assert.equal(r.status, 0, r.stderr);
    // app1 is the quiet host of another day: its logs stop weeks before the window (as on the host itself)
    assert.match(r.stdout, /=== Host app1 \(app1\)[^\n]*\n[^\n]*\nVerdict: unknown/);
    assert.match(r.stdout, /=== Host app2 \(app2\)[^\n]*\n[^\n]*\nVerdict: oom_kill/);
    assert.match(r.stderr, /verdict for app2: oom_kill\n[\s\S]*verdict: oom_kill on app2\n/);
  });
});
