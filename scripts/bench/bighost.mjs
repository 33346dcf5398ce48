// Bench: a BIG host (scripts/bench/bighost/generate.mjs: 1 GiB nginx access.log over 10 days + rotations with one
// .gz, 210 MB syslog, 300,000 journal entries, the seed incident on the 6th day) served by the REAL test host.
// Alternating, 3 runs each: the runbook's window commands typed by hand over OpenSSH (one `ssh` per command) and
// `incident-lens diagnose`. Both go through a loopback byte-counting proxy. Prints medians and:
//   P1 diagnosis wall / runbook wall (goal ≤ 0.2)      P2 diagnosis bytes on the wire / runbook output bytes (≤ 1.2)
//   P3 bisection / grep of the same window on the big access.log (≤ 0.05)
//   P4 parse+classify throughput / `grep -c` on the same window text (≥ 0.5)     P7 CLI peak RSS (≤ 150 MB)
// Also printed: the reader as diagnose runs it (nginx_access's filter, keep, sampling), the bisection side's floor
// (starting perl, the window through a pipe), P4's cold first parse and `grep -c` of an empty file (its start).
// Size: BENCH_BIGHOST_MB (the current access.log in MiB, default 1024). Figures, never assertions.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { generate } from './bighost/generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli.js');
const mb = Number(process.env.BENCH_BIGHOST_MB ?? 1024);
const fixtures = `/tmp/incident-lens-bighost-${mb}`;
const t0 = performance.now();
await generate(join(root, 'test', 'fixtures', 'hosts', 'seed-incident'), fixtures, mb);
console.log(`big host: access.log ${(statSync(join(fixtures, 'var/log/nginx/access.log')).size / 1048576).toFixed(0)} MiB, syslog ${(statSync(join(fixtures, 'var/log/syslog')).size / 1048576).toFixed(0)} MiB (generated or reused in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'ignore' });
// the engine as one ES module (tsx cannot load src/core's re-exports here)
const coreJs = join(fixtures, '..', `incident-lens-bighost-core-${process.pid}.mjs`);
// (an ES module has no __dirname: the catalogue looks for l10n/ from the sources' folder)
// (with nginx_access's filter, to time the reader as diagnose runs it too)
const entry = "export * from './src/core/index'; export { accessWant, accessKeep } from './src/core/catalogue/want'; export { SAMPLE_PER_MINUTE } from './src/core/catalogue/filter';";
await esbuild.build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: coreJs, logLevel: 'error', define: { __dirname: JSON.stringify(join(root, 'src', 'core')) } });
const { catalogue, DEFAULT_PROFILE, buildWindow, WINDOW_READER, windowReaderArgs, accessWant, accessKeep, SAMPLE_PER_MINUTE } = await import(coreJs);

const port = 25000 + (process.pid % 400);
const env = { ...process.env, TESTHOST_DIR: `/tmp/incident-lens-bench-big-${port}`, TESTHOST_PORT: String(port) };
const th = (...a) => execFileSync('bash', [join(root, 'test', 'host', 'testhost.sh'), ...a], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
th('stop');
const t1 = performance.now();
th('start', fixtures);
console.log(`test host up in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
const info = JSON.parse(readFileSync(join(env.TESTHOST_DIR, 'run', 'connection.json'), 'utf8'));

// loopback proxy counting the bytes both ways; TCP_NODELAY on both of its sockets, as ssh and sshd set on theirs: with
// Nagle on, each small packet the proxy forwards waits for the previous one's (delayed) ACK, ~250 ms more per diagnosis
// measured here, a delay of the proxy, not of either side
let wire = 0;
const proxy = createServer((c) => {
  const s = connect(port, '127.0.0.1');
  c.setNoDelay(true);
  s.setNoDelay(true);
  c.on('data', (d) => (wire += d.length));
  s.on('data', (d) => (wire += d.length));
  c.pipe(s).pipe(c);
  c.on('error', () => s.destroy());
  s.on('error', () => c.destroy());
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const pport = proxy.address().port;
const kh = join(env.TESTHOST_DIR, 'bench_known_hosts');
writeFileSync(kh, readFileSync(info.knownHosts, 'utf8').replace(`[127.0.0.1]:${port}`, `[127.0.0.1]:${pport}`));
const key = info.sudoUser.privateKey;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const run = (cmd, args, env = process.env) => new Promise((res) => execFile(cmd, args, { encoding: 'buffer', maxBuffer: 1 << 30, env }, (err, stdout, stderr) => res({ err, stdout, stderr })));

const window = buildWindow({ at: '2025-01-15 22:20', tz: 'Europe/Paris' });
const runbook = catalogue(DEFAULT_PROFILE, window).filter((s) => s.phase === 'main').map((s) => s.runbookCommand);
const ssh = ['-q', '-i', key, '-o', `UserKnownHostsFile=${kh}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-p', String(pport), 'deploy@127.0.0.1'];

async function byHand() {
  wire = 0;
  const t = performance.now();
  let out = 0;
  for (const c of runbook) out += (await run('ssh', [...ssh, c])).stdout.length;
  return { ms: performance.now() - t, out, wire };
}
const target = ['--host', `deploy@127.0.0.1:${pport}`, '--identity', key, '--known-hosts', kh, '--at', '2025-01-15 22:20'];
async function tool(extra = [], childEnv = process.env) {
  wire = 0;
  const out = join(env.TESTHOST_DIR, 'bench-diagnosis.json');
  const t = performance.now();
  const r = await run('/usr/bin/time', ['-v', process.execPath, cli, 'diagnose', ...target, '--format', 'json', '--out', out, ...extra], childEnv);
  const ms = performance.now() - t;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr.toString())?.[1] ?? 0) / 1024;
  if (r.err) throw new Error(`bench: diagnose failed: ${r.stderr}`);
  return { ms, wire, rss, d: JSON.parse(readFileSync(out, 'utf8')) };
}

try {
  const hand = [];
  const ours = [];
  for (let i = 0; i < 3; i++) {
    hand.push(await byHand());
    ours.push(await tool());
  }
  const d = ours[ours.length - 1].d;
  const full = await tool(['--full-scan']);
  const plain = await tool([], { ...process.env, INCIDENT_LENS_SSH_COMPRESS: '0' }); // zlib is on by default for a direct target (connect.ts)
  const cite = (x) => JSON.stringify([x.verdict, x.causes.map((c) => [c.id, c.confidence, c.evidence.map((e) => e.line)])]);
  const evTotal = (x) => x.sources.reduce((s, y) => s + y.events.length, 0);
  const sameAsFull = cite(d) === cite(full.d) && evTotal(d) === evTotal(full.d);
  const handMs = median(hand.map((x) => x.ms));
  const ourMs = median(ours.map((x) => x.ms));
  const handOut = median(hand.map((x) => x.out));
  const ourWire = median(ours.map((x) => x.wire));
  const rss = Math.max(...ours.map((x) => x.rss));
  console.log(`runbook by hand (${runbook.length} commands, one ssh each): median ${handMs.toFixed(0)} ms, output ${(handOut / 1024).toFixed(0)} KiB, wire ${(median(hand.map((x) => x.wire)) / 1024).toFixed(0)} KiB (runs ${hand.map((x) => x.ms.toFixed(0)).join(', ')})`);
  console.log(`incident-lens diagnose: median ${ourMs.toFixed(0)} ms, wire ${(ourWire / 1024).toFixed(0)} KiB, verdict ${d.verdict}, ${evTotal(d)} events (runs ${ours.map((x) => x.ms.toFixed(0)).join(', ')})`);
  console.log(`without ssh compression (INCIDENT_LENS_SSH_COMPRESS=0): ${plain.ms.toFixed(0)} ms, wire ${(plain.wire / 1024).toFixed(0)} KiB (default, zlib: ${(ourWire / 1024).toFixed(0)} KiB)`);
  console.log(`diagnose --full-scan: ${full.ms.toFixed(0)} ms, verdict ${full.d.verdict}; verdict, evidence and event count equal to the bisection: ${sameAsFull ? 'yes' : 'NO'}`);
  const slow = ours.flatMap((x) => x.d.sources).sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))[0];
  console.log(`slowest source: ${slow.id} ${slow.durationMs} ms`);

  // P3: the window of the big access.log, bisection (the window reader) vs grep of the same window
  const access = join(fixtures, 'var/log/nginx/access.log');
  const unfiltered = { from: window.since.getTime(), to: window.until.getTime(), offsetMinutes: 60, refYear: 2025, refMonth: 1, toleranceMs: 600_000, want: '', keep: '', samplePerMinute: 0, strip: '', full: false };
  const args = windowReaderArgs(unfiltered);
  const bis = [];
  const grep = [];
  let text = '';
  const RUNS = 5; // P3: medians of 5 alternating runs
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    // both sides as alike as they can be: the output taken as bytes, as grep's below (decoding it is the parser's work, P4)
    const r = spawnSync('perl', ['-e', WINDOW_READER, '--', ...args], { input: access + '\0', maxBuffer: 1 << 30 });
    bis.push(performance.now() - t);
    text = r.stdout.toString('utf8');
    t = performance.now();
    spawnSync('grep', ['-e', '15/Jan/2025:22:1[5-9]', '-e', '15/Jan/2025:22:2', access], { maxBuffer: 1 << 30 });
    grep.push(performance.now() - t);
  }
  const P3 = median(bis) / median(grep);
  // the same reader as diagnose runs it on this file: nginx_access's filter, the send screen's lines kept, sampling (what
  // the bisection side does on top of the extraction: not in P3, whose grep side extracts the window unfiltered)
  const asRun = windowReaderArgs({ ...unfiltered, want: accessWant(DEFAULT_PROFILE), keep: accessKeep(DEFAULT_PROFILE), samplePerMinute: SAMPLE_PER_MINUTE });
  const filtered = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    spawnSync('perl', ['-e', WINDOW_READER, '--', ...asRun], { input: access + '\0', maxBuffer: 1 << 30 });
    filtered.push(performance.now() - t);
  }
  // P4: parse + classify the window's text vs grep -c on the same text
  const winFile = join(env.TESTHOST_DIR, 'window.txt');
  writeFileSync(winFile, text);
  // what the bisection side pays here whatever the reader does: starting perl, and the window's text through a pipe into
  // this process (cat of the same text, same options); a figure, to read P3 against
  const floor = { perl: [], cat: [] };
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    spawnSync('perl', ['-e', '1'], { encoding: 'utf8' });
    floor.perl.push(performance.now() - t);
    t = performance.now();
    spawnSync('cat', [winFile], { maxBuffer: 1 << 30 });
    floor.cat.push(performance.now() - t);
  }
  // P4 is a throughput: the parser's, once V8 has compiled it (the extension's host parses every diagnosis with the same
  // code), in a node of its own (bighost/parse-throughput.mjs); the first run, on a cold JIT, printed apart with its ratio
  const p4 = spawnSync(process.execPath, [join(root, 'scripts', 'bench', 'bighost', 'parse-throughput.mjs'), coreJs, winFile], { encoding: 'utf8' });
  if (p4.status !== 0) throw new Error(`bench: parse-throughput failed: ${p4.stderr}`);
  const { parse, count, empty } = JSON.parse(p4.stdout);
  const P4 = median(count.slice(1)) / median(parse.slice(1));
  const P4cold = median(count.slice(1)) / parse[0];
  const P1 = ourMs / handMs;
  const P2 = ourWire / handOut;
  console.log(`window of access.log (${(text.length / 1024).toFixed(0)} KiB): bisection median ${median(bis).toFixed(1)} ms, grep ${median(grep).toFixed(0)} ms; parse+classify ${median(parse.slice(1)).toFixed(1)} ms (runs 2-11; the first, on a cold JIT: ${parse[0].toFixed(0)} ms, P4 ${P4cold.toFixed(2)}), grep -c ${median(count.slice(1)).toFixed(1)} ms (on an empty file: ${median(empty.slice(1)).toFixed(1)} ms)`);
  console.log(`the reader with nginx_access's filter, as diagnose runs it: ${median(filtered).toFixed(1)} ms (= ${(median(filtered) / median(grep)).toFixed(4)} of grep's unfiltered window)`);
  console.log(`bisection side's floor here: perl -e 1 ${median(floor.perl).toFixed(1)} ms, the window through the pipe (cat) ${median(floor.cat).toFixed(1)} ms (= ${(median(floor.cat) / median(grep)).toFixed(4)} of grep)`);
  console.log(`P1 wall ratio ${P1.toFixed(3)} (goal ≤ 0.2) | P2 wire/runbook bytes ${P2.toFixed(2)} (≤ 1.2) | P3 bisection/grep ${P3.toFixed(4)} (≤ 0.05) | P4 parse/grep -c throughput ${P4.toFixed(2)} (≥ 0.5) | P7 peak RSS ${rss.toFixed(0)} MB (≤ 150)`);
  console.log(`size measured: access.log ${mb} MiB (BENCH_BIGHOST_MB); load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${(await import('node:os')).cpus().length} cores: figures are noisy under load`);
} finally {
  rmSync(coreJs, { force: true });
  proxy.close();
  th('stop');
  if (process.env.BENCH_BIGHOST_KEEP !== '1') rmSync(join(env.TESTHOST_DIR), { recursive: true, force: true });
}
