// Bench: several hosts, one diagnosis. N = 1, 2, 4 REAL app hosts (test/fixtures/fleet, one sshd each; app4 is app1's
// fixture under another name), each run = connect to every host + host-key check + the playbook on each + merge,
// through the engine's diagnoseFleet. Goal: 4 hosts <= 1.3x one host (the hosts work at once).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { connectSsh } = await tsImport('../../src/transport/index.ts', import.meta.url);
const { DEFAULT_PROFILE } = await tsImport('../../src/core/index.ts', import.meta.url);
const { diagnoseFleet } = await tsImport('../../src/core/fleet/index.ts', import.meta.url);

const base = 24500 + (process.pid % 100) * 5;
const specs = [
  ['app2', 'app2'],
  ['app1', 'app1'],
  ['app3', 'app3'],
  ['app1', 'app4'],
];
const hosts = [];
const th = (env, ...a) => execFileSync('bash', [join(root, 'test', 'host', 'testhost.sh'), ...a], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  specs.forEach(([fixture, name], i) => {
    const port = base + i;
    const env = { ...process.env, TESTHOST_DIR: `/tmp/incident-lens-bench-fleet-${port}`, TESTHOST_PORT: String(port), TESTHOST_HOSTNAME: name };
    th(env, 'stop');
    th(env, 'start', join(root, 'test', 'fixtures', 'fleet', fixture));
    const info = JSON.parse(readFileSync(join(env.TESTHOST_DIR, 'run', 'connection.json'), 'utf8'));
    hosts.push({ name, target: `deploy@127.0.0.1:${port}`, key: info.sudoUser.privateKey, knownHosts: info.knownHosts, stop: () => th(env, 'stop') });
  });
  const byTarget = new Map(hosts.map((h) => [h.target, h]));
  const open = (target) => {
    const h = byTarget.get(target);
    return connectSsh({ target, identityFile: h.key, knownHostsFiles: [h.knownHosts] });
  };
  const req = { profile: DEFAULT_PROFILE, at: '2025-06-12 21:40', before: '5m', after: '10m' };
  const results = {};
  for (const n of [1, 2, 4]) {
    const targets = hosts.slice(0, n).map((h) => h.target);
    const ms = [];
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      const f = await diagnoseFleet(targets, req, open);
      const took = performance.now() - t;
      if (f.verdict !== 'oom_kill' || f.failedHosts[0]?.host !== hosts[0].target) throw new Error(`bench: N=${n}: verdict ${f.verdict} on ${f.failedHosts.map((x) => x.host)}`);
      if (f.hosts.some((h) => h.status !== 'ok')) throw new Error(`bench: N=${n}: ${JSON.stringify(f.hosts.map((h) => [h.name, h.status, h.error]))}`);
      if (i > 0) ms.push(took); // the first run warms up (JIT, the hosts' page cache)
    }
    results[n] = median(ms);
    console.log(`fleet: ${n} app host(s), connect + playbook on each + merge: median ${results[n].toFixed(0)} ms (runs: ${ms.map((x) => x.toFixed(0)).join(', ')})`);
  }
  // the alternative, in the same run: the same 4 hosts one after another (maxHosts 1)
  const seq = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await diagnoseFleet(hosts.map((h) => h.target), req, open, { maxHosts: 1 });
    seq.push(performance.now() - t);
  }
  console.log(`fleet: 4 app hosts one after another (maxHosts 1): median ${median(seq).toFixed(0)} ms; at once / one after another = ${(results[4] / median(seq)).toFixed(2)}`);
  const ratio = results[4] / results[1];
  console.log(`fleet: 4 hosts / 1 host = ${ratio.toFixed(2)} (goal <= 1.3: ${ratio <= 1.3 ? 'OK' : 'OVER'}); 2 hosts / 1 host = ${(results[2] / results[1]).toFixed(2)} — the test hosts run on this machine's cores too, so their work adds up here where real hosts work apart; noisy under load (load average ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
} finally {
  for (const h of hosts) h.stop();
}
