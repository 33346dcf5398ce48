// Bench: peak memory on a hostile-log host (issue #9): one 100 MB syslog line plus 100,000 matching mail lines
// in the window, escape sequences, NUL, invalid UTF-8 (test/engine/hostile.ts, generated under /tmp at bench
// time). Prints the CLI's peak RSS (`/usr/bin/time -v`: the CLI or any of its children, whichever is larger)
// for `diagnose` over SSH against the REAL test host serving these logs, and on the same files as a bundle
// (`--root`). Goal ≤ 150 MB. Figures, never assertions.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli.js');
const dir = `/tmp/incident-lens-hostile-${process.pid}`;
const genJs = `${dir}-gen.mjs`;
await esbuild.build({ entryPoints: [join(root, 'test/engine/hostile.ts')], bundle: true, platform: 'node', format: 'esm', outfile: genJs, logLevel: 'error' });
const { hostileBundle } = await import(genJs);
rmSync(genJs);
hostileBundle(dir, { mailLines: 100_000, hugeLineBytes: 100 * 1024 * 1024 });
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'ignore' });
const mib = (f) => (statSync(join(dir, f)).size / 1048576).toFixed(0);
console.log(`hostile host: syslog ${mib('var/log/syslog')} MiB (one line of 100 MiB), mail.log ${mib('var/log/mail.log')} MiB (100,000 lines in the window)`);

const port = 25400 + (process.pid % 400);
const env = { ...process.env, TESTHOST_DIR: `/tmp/incident-lens-bench-hostile-${port}`, TESTHOST_PORT: String(port) };
const th = (...a) => execFileSync('bash', [join(root, 'test', 'host', 'testhost.sh'), ...a], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const run = (args) =>
  new Promise((res) => execFile('/usr/bin/time', ['-v', process.execPath, cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }, (err, stdout, stderr) => res({ err, stdout, stderr })));

async function measure(name, target) {
  const out = join(dir, `report-${name}.json`);
  const rss = [];
  let d;
  for (let i = 0; i < 3; i++) {
    const r = await run(['diagnose', ...target, '--at', '2025-01-15 22:20', '--format', 'json', '--out', out]);
    if (r.err) throw new Error(`bench: diagnose (${name}) failed: ${r.stderr.slice(-2000)}`);
    rss.push(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024);
    d = JSON.parse(readFileSync(out, 'utf8'));
  }
  const mail = d.sources.find((s) => s.id === 'mail_log');
  console.log(`${name}: peak RSS ${rss.map((x) => x.toFixed(0)).join(', ')} MB (max ${Math.max(...rss).toFixed(0)}, goal ≤ 150); report ${(statSync(out).size / 1048576).toFixed(1)} MiB; mail_log ${mail?.events.length} events — ${mail?.advice ?? ''}`);
}

try {
  th('stop');
  th('start', dir);
  const info = JSON.parse(readFileSync(join(env.TESTHOST_DIR, 'run', 'connection.json'), 'utf8'));
  await measure('real test host over SSH', ['--host', `${info.sudoUser.username}@127.0.0.1:${port}`, '--identity', info.sudoUser.privateKey, '--known-hosts', info.knownHosts]);
  await measure('bundle (--root)', ['--root', dir]);
} finally {
  th('stop');
  rmSync(dir, { recursive: true, force: true });
  rmSync(env.TESTHOST_DIR, { recursive: true, force: true });
}
