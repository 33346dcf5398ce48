// Bench: the seed incident end to end through the REAL test host (sshd in namespaces, journald files):
// `incident-lens diagnose --host … --format json` (process start, SSH handshake, 19 sources, report), the same
// through the engine API on one connection, and `diagnose --root` on a collected bundle. Goal: a few seconds at most.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli.js');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'ignore' });
const { connectSsh } = await tsImport('../../src/transport/index.ts', import.meta.url);
const { diagnose, DEFAULT_PROFILE } = await tsImport('../../src/core/index.ts', import.meta.url);

// the test host through its script (testHost.ts needs CommonJS __dirname)
const port = 24000 + (process.pid % 400);
const env = { ...process.env, TESTHOST_DIR: `/tmp/incident-lens-bench-${port}`, TESTHOST_PORT: String(port) };
const th = (...a) => execFileSync('bash', [join(root, 'test', 'host', 'testhost.sh'), ...a], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
th('stop');
th('start', join(root, 'test', 'fixtures', 'hosts', 'seed-incident'));
const info = JSON.parse(readFileSync(join(env.TESTHOST_DIR, 'run', 'connection.json'), 'utf8'));
const host = { port, knownHosts: info.knownHosts, sudoUser: info.sudoUser, stop: () => th('stop') };
const bundle = mkdtempSync(join(tmpdir(), 'il-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const target = ['--host', `deploy@127.0.0.1:${host.port}`, '--identity', host.sudoUser.privateKey, '--known-hosts', host.knownHosts];
const win = ['--at', '2025-01-15 22:20'];
const run = (args) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`bench: ${args[0]} exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
};
try {
  const cliMs = [];
  for (let i = 0; i < 5; i++) {
    const { ms, out } = run(['diagnose', ...target, ...win, '--format', 'json']);
    const d = JSON.parse(out);
    if (d.verdict !== 'http_timeout') throw new Error(`bench: verdict ${d.verdict}`);
    cliMs.push(ms);
  }
  const apiMs = [];
  const runner = await connectSsh({ target: `deploy@127.0.0.1:${host.port}`, identityFile: host.sudoUser.privateKey, knownHostsFiles: [host.knownHosts] });
  try {
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const d = await diagnose(runner, { profile: DEFAULT_PROFILE, at: '2025-01-15 22:20' });
      apiMs.push(performance.now() - t);
      if (d.verdict !== 'http_timeout') throw new Error(`bench: verdict ${d.verdict}`);
    }
  } finally {
    await runner.close();
  }
  const collectMs = run(['collect', ...target, ...win, '--out', bundle]).ms;
  const rootMs = [];
  for (let i = 0; i < 5; i++) rootMs.push(run(['diagnose', '--root', bundle, ...win, '--format', 'json']).ms);
  const files = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')).commands.length;
  console.log(`seed incident, CLI diagnose --host (process + SSH + 19 sources + report): median ${median(cliMs).toFixed(0)} ms (runs: ${cliMs.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`seed incident, engine diagnose() on an open connection:                median ${median(apiMs).toFixed(0)} ms`);
  console.log(`seed incident, CLI collect --out (${files} commands):                      ${collectMs.toFixed(0)} ms`);
  console.log(`seed incident, CLI diagnose --root on the bundle:                       median ${median(rootMs).toFixed(0)} ms`);
} finally {
  host.stop();
  rmSync(bundle, { recursive: true, force: true });
}
