// Measurement aid for the fleet bench: where one host's diagnosis spends CPU. Starts ONE real app host (app2, the
// OOM one), puts its sshd in a cpuacct cgroup (v1) so every process the diagnosis starts there is counted, and runs
// the fleet diagnosis of that one host RUNS times: prints the host's CPU (cgroup), the client's (process.cpuUsage)
// and the commands the client ran (sudo or not). With PERF=1, also samples the whole machine with perf and
// attributes the samples of the host's pid namespace per command name.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, existsSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { connectSsh } = await tsImport('../src/transport/index.ts', import.meta.url);
const { DEFAULT_PROFILE } = await tsImport('../src/core/index.ts', import.meta.url);
const { diagnoseFleet } = await tsImport('../src/core/fleet/index.ts', import.meta.url);

const RUNS = Number(process.env.RUNS ?? 10);
// where perf.data and the last run's commands.json go
const OUT = '/tmp/h14cpu';
mkdirSync(OUT, { recursive: true });
const port = 24900 + (process.pid % 50);
const env = { ...process.env, TESTHOST_DIR: `/tmp/incident-lens-cpu-${port}`, TESTHOST_PORT: String(port), TESTHOST_HOSTNAME: 'app2' };
const th = (...a) => execFileSync('bash', [join(root, 'test', 'host', 'testhost.sh'), ...a], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const cg = `/sys/fs/cgroup/cpuacct/il-cpu-${port}`;
const usage = () => Number(readFileSync(join(cg, 'cpuacct.usage'), 'utf8')) / 1e6;
th('stop');
th('start', join(root, 'test', 'fixtures', 'fleet', 'app2'));
try {
  const info = JSON.parse(readFileSync(join(env.TESTHOST_DIR, 'run', 'connection.json'), 'utf8'));
  if (!existsSync(cg)) mkdirSync(cg);
  // the namespace's init and all its processes (sshd and the fake ones) go in; new ones inherit
  for (const p of execFileSync('bash', ['-c', `for p in /proc/[0-9]*; do [ "$(readlink $p/ns/pid)" = "$(readlink /proc/${info.nsInitPid}/ns/pid)" ] && echo \${p#/proc/}; done; true`], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    try { writeFileSync(join(cg, 'cgroup.procs'), p); } catch { /* gone */ }
  }
  const target = `deploy@127.0.0.1:${port}`;
  const commands = [];
  const open = async () => {
    const r = await connectSsh({ target, identityFile: info.sudoUser.privateKey, knownHostsFiles: [info.knownHosts] });
    const run = r.run.bind(r);
    r.run = (c, o = {}) => { commands.push({ sudo: !!o.sudo, c }); return run(c, o); };
    return r;
  };
  const req = { profile: DEFAULT_PROFILE, at: '2025-06-12 21:40', before: '5m', after: '10m' };
  await diagnoseFleet([target], req, open); // warm-up
  let perf;
  if (process.env.PERF) perf = spawn('perf', ['record', '-a', '-F', '2000', '-e', 'cpu-clock', '--namespaces', '-o', join(OUT, 'perf.data')], { stdio: 'ignore' });
  if (perf) await new Promise((r) => setTimeout(r, 1500));
  const host = [], client = [], wall = [];
  for (let i = 0; i < RUNS; i++) {
    commands.length = 0;
    const h0 = usage(), c0 = process.cpuUsage(), t0 = performance.now();
    const f = await diagnoseFleet([target], req, open, process.env.MAXPAR ? { maxParallel: Number(process.env.MAXPAR) } : {});
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    // let the host's last processes (session teardown) finish
    await new Promise((r) => setTimeout(r, 300));
    host.push(usage() - h0);
    client.push((c.user + c.system) / 1000);
    if (f.verdict !== 'oom_kill') throw new Error(`verdict ${f.verdict}`);
    if (process.env.DUMP && i === 0) writeFileSync(process.env.DUMP, JSON.stringify(f, (k, v) => (/duration|Ms$|^took$/i.test(k) ? undefined : v), 1));
  }
  if (perf) { perf.kill('SIGINT'); await new Promise((r) => perf.on('exit', r)); }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`one host, ${RUNS} runs: wall median ${med(wall).toFixed(0)} ms; host CPU median ${med(host).toFixed(0)} ms (${host.map((x) => x.toFixed(0)).join(' ')}); client CPU median ${med(client).toFixed(0)} ms (${client.map((x) => x.toFixed(0)).join(' ')})`);
  console.log(`commands of the last run: ${commands.length} (${commands.filter((c) => c.sudo).length} sudo)`);
  writeFileSync(join(OUT, 'commands.json'), JSON.stringify(commands, null, 1));
  console.log(`pid ns: ${execFileSync('readlink', [`/proc/${info.nsInitPid}/ns/pid`], { encoding: 'utf8' }).trim()}`);
} finally {
  th('stop');
  try { rmdirSync(cg); } catch { /* busy */ }
}
