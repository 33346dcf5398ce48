/**
 * Several hosts, one diagnosis, through the shipped CLI against four REAL test hosts (test/fixtures/fleet: an nginx
 * front and three gunicorn app hosts, app3 in UTC). Each host has its own host key and its own user key: the keys
 * are in a real ssh-agent, the host keys in one known_hosts file, as a maintainer's machine would have them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { FLEET_WINDOW, startFleet, stopFleet, type FleetHostName } from '../host/fleet';
import type { TestHost } from '../host/testHost';
import type { FleetDiagnosis } from '../../src/core/index';
import { CLI, ensureBuilt } from './helpers';

let hosts: Record<FleetHostName, TestHost>;
let tmp: string;
let agent: { sock: string; pid: number } | undefined;

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

before(() => {
  ensureBuilt();
  hosts = startFleet();
  tmp = mkdtempSync(join(tmpdir(), 'il-fleet-'));
  const out = execFileSync('ssh-agent', ['-s', '-a', join(tmp, 'agent.sock')], { encoding: 'utf8' });
  agent = { sock: join(tmp, 'agent.sock'), pid: Number(/SSH_AGENT_PID=(\d+)/.exec(out)![1]) };
  for (const h of Object.values(hosts)) execFileSync('ssh-add', ['-q', h.sudoUser.privateKey], { env: { ...process.env, SSH_AUTH_SOCK: agent.sock }, stdio: 'ignore' });
  writeFileSync(join(tmp, 'known_hosts'), Object.values(hosts).map((h) => readFileSync(h.knownHosts, 'utf8')).join(''));
});

after(() => {
  stopFleet(hosts);
  if (agent) process.kill(agent.pid);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const target = (h: TestHost) => `${h.sudoUser.username}@127.0.0.1:${h.port}`;

function fleetCli(targets: string[], extra: string[] = []) {
  const args = ['diagnose', ...targets.flatMap((t) => ['--host', t]), '--known-hosts', join(tmp, 'known_hosts'), '--at', FLEET_WINDOW.at, '--before', FLEET_WINDOW.before, '--after', FLEET_WINDOW.after, ...extra];
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, SSH_AUTH_SOCK: agent!.sock } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('four hosts: verdict oom_kill on app2 with its evidence, the 502 POST traced from the front to app2', () => {
  const names = (['front', 'app1', 'app2', 'app3'] as const).map((n) => target(hosts[n]));
  const r = fleetCli(names, ['--format', 'json', '--no-redact']);
  assert.equal(r.status, 0, r.stderr);
  const f = JSON.parse(r.stdout) as FleetDiagnosis;
  const [front, app1, app2, app3] = names;
  assert.equal(f.verdict, 'oom_kill');
  assert.deepEqual(f.failedHosts.map((x) => [x.host, x.cause]), [[app2, 'oom_kill']]);
  const best = f.causes[0];
  assert.equal(best.id, 'oom_kill');
  assert.equal(best.host, app2);
  assert.ok(best.evidence.some((e) => e.host === app2 && /Out of memory: Killed process 1105 \(gunicorn\)/.test(e.line)), JSON.stringify(best.evidence));
  assert.ok(best.evidence.some((e) => e.host === front && e.source === 'nginx_access' && /"POST \/adherents\/communiquer\/ HTTP\/1.1" 502/.test(e.line)));
  assert.ok(!best.evidence.some((e) => e.host === app1 || e.host === app3), 'healthy hosts cite nothing');
  // the trace: access 502 → error line naming 192.0.2.12:8000 → upstream server app2.aquademie.internal → the host named app2
  assert.equal(f.traces.length, 1);
  const t = f.traces[0];
  assert.equal(t.front, front);
  assert.equal(t.upstream, '192.0.2.12:8000');
  assert.equal(t.upstreamServer, 'app2.aquademie.internal:8000');
  assert.equal(t.host, app2);
  assert.equal(t.how, 'address');
  assert.match(t.errorLine!, /upstream prematurely closed connection/);
  // each host: its role, its own name and zone, only the sources it has
  const by = Object.fromEntries(f.hosts.map((h) => [h.name, h]));
  assert.deepEqual([front, app1, app2, app3].map((n) => by[n].role), ['front', 'app', 'app', 'app']);
  assert.deepEqual([front, app1, app2, app3].map((n) => by[n].hostname), ['front', 'app1', 'app2', 'app3']);
  assert.ok(by[front].skippedSources?.includes('journal') && !by[front].diagnosis!.sources.some((s) => s.id === 'journal'));
  assert.ok(by[app1].skippedSources?.includes('nginx_access'));
  assert.equal(by[app1].diagnosis!.verdict, 'none');
  assert.equal(by[app3].diagnosis!.verdict, 'none');
  assert.equal(by[front].resolved?.['app2.aquademie.internal']?.[0], '192.0.2.12');
  // app3 logs in UTC: its boot line (04:03 UTC) is read as 06:03 Paris, like the others
  assert.deepEqual(f.suggestedHosts, []);
  assert.equal(f.impact?.elapsedSeconds, 68);
  assert.match(r.stderr, /verdict: oom_kill on .*:\d+/);
});

test('a host that cannot be reached is a status; the others complete; the front names the missing app host', async () => {
  const dead = `deploy@127.0.0.1:${await closedPort()}`;
  const names = [target(hosts.front), target(hosts.app1), dead, target(hosts.app2)];
  const out = join(tmp, 'fleet-report.md');
  const r = fleetCli(names, ['--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const md = readFileSync(out, 'utf8');
  assert.match(md, /\*\*Verdict\*\*: `oom_kill`/);
  assert.match(md, new RegExp(`\\*\\*Failed on\\*\\*: ${target(hosts.app2).replace(/[.]/g, '\\.')} \\(oom_kill`));
  assert.match(md, new RegExp(`## Host \`${dead}\` — other\\n\\nnot diagnosed: \\*\\*unreachable\\*\\*`));
  // a section per host, with its own sources
  for (const n of ['front', 'app1', 'app2'] as const) assert.match(md, new RegExp(`## Host \`${target(hosts[n])}\` \\(${n}\\)`));
  // client IPs masked in the report by default; the upstream app3 the front names is offered
  assert.doesNotMatch(md, /203\.0\.113\.50/);
  assert.match(r.stderr, /the front's nginx upstream names app3\.aquademie\.internal, which is not in the host list/);
  assert.match(r.stderr, new RegExp(`✖ ${dead}: unreachable`));
});

test('every host unreachable: exit 3, one status line per host', async () => {
  const r = fleetCli([`deploy@127.0.0.1:${await closedPort()}`, `deploy@127.0.0.1:${await closedPort()}`], ['--format', 'json']);
  assert.equal(r.status, 3, r.stderr);
  const f = JSON.parse(r.stdout) as FleetDiagnosis;
  assert.deepEqual(f.hosts.map((h) => h.status), ['unreachable', 'unreachable']);
  assert.equal(f.verdict, 'unknown', 'nothing read is not "no cause"');
});
