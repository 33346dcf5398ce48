// Bench: Follow Live against the real test host (Debian sshd on 127.0.0.1, logs on overlayfs).
//  1. Delay from a line written on the host to the follow (parsed, classified, in the ring: what the live document
//     renders, it then coalesces re-renders over ≤ 50 ms) and to the CLI's stdout (+ its 150 ms reorder hold):
//     median and p95, for a tail -F source and the journal — with the alternative measured in the same run:
//     plain `tail -F` (GNU tail polls every 1 s where the kernel cannot notify, as on this overlayfs).
//  2. Memory after 1,000,000 followed lines written on the host at once: heap after GC at each step (flat once the
//     ring of 5,000 lines is full), and the lines/s the follow keeps up with.
import { tsImport } from 'tsx/esm/api';
import { require as tsRequire } from 'tsx/cjs/api';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';

const load = (p) => tsImport(p, import.meta.url);
const { connectSsh } = await load('../../src/transport/index.ts');
const { startFollow, Reorder, DEFAULT_RING_CAPACITY } = await load('../../src/core/follow/index.ts');
const { DEFAULT_PROFILE } = await load('../../src/core/index.ts');
const { startTestHost } = tsRequire('../../test/host/testHost.ts', import.meta.url);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const fmt = (xs) => `median ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms (n=${xs.length}, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
const until = async (what, f, ms = 30000) => {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const dir = mkdtempSync(join(tmpdir(), 'il-bench-follow-'));
const sshConfigFile = join(dir, 'ssh_config');
writeFileSync(sshConfigFile, '');
const host = startTestHost({ fixtures: 'seed-incident' });
const options = { target: `deploy@127.0.0.1:${host.port}`, identityFile: host.sudoUser.privateKey, knownHostsFiles: [host.knownHosts], sshConfigFile, useAgent: false };
/** The host's ssh helper WITHOUT blocking this process (a writer runs while the follow reads). */
const sshAsync = (command) =>
  promisify(execFile)('bash', [join(process.cwd(), 'test/host/testhost.sh'), 'ssh', 'deploy', command], {
    env: { ...process.env, TESTHOST_DIR: host.dir, TESTHOST_PORT: String(host.port) },
    maxBuffer: 1 << 20,
  });
const followers = () => host.ssh('ps -eo user=,args=').split('\n').filter((l) => /^root\s+(tail|journalctl)\b/.test(l)).length;

/** A writer on the host: N lines, one every `everyMs`, each carrying its write instant in ns (same clock: one kernel). */
function writeNginx(n, everyMs, tag) {
  return sshAsync(
    `sudo sh -c 'i=0; while [ $i -lt ${n} ]; do printf "%s [error] 812#812: *1 ${tag} %s %s\\n" "$(date "+%Y/%m/%d %H:%M:%S")" $i "$(date +%s%N)" >> /var/log/nginx/error.log; i=$((i+1)); sleep ${everyMs / 1000}; done'`,
  );
}
function writeJournal(n, everyMs, tag) {
  return sshAsync(
    `MID=$(cat /etc/machine-id); B=$(tr -d - < /proc/sys/kernel/random/boot_id); i=0; while [ $i -lt ${n} ]; do t=$(date +%s%N); ` +
      `printf "__REALTIME_TIMESTAMP=%s\\n_BOOT_ID=%s\\n_MACHINE_ID=%s\\n_HOSTNAME=aquademie-prod\\nPRIORITY=6\\nSYSLOG_IDENTIFIER=gunicorn\\n_PID=1187\\n_TRANSPORT=stdout\\n_SYSTEMD_UNIT=aquademie.service\\nMESSAGE=${tag} %s %s\\n\\n" $((t/1000)) $B $MID $i $t ` +
      `| sudo /lib/systemd/systemd-journal-remote -o /var/log/journal/$MID/bench-$i.journal - 2>/dev/null; echo "written $i $(date +%s%N)"; i=$((i+1)); sleep ${everyMs / 1000}; done`,
  );
}
const writtenNs = (text) => {
  const m = /(\d{18,})\s*$/.exec(text);
  return m ? BigInt(m[1]) : undefined;
};

try {
  const runner = await connectSsh(options);
  // 1. delay
  const session = await startFollow(runner, { profile: DEFAULT_PROFILE, sources: ['journal', 'nginx_error'] });
  const toSession = { journal: [], nginx_error: [] };
  /** Arrival instant of each journal line, by its index: compared with the end of systemd-journal-remote's write too. */
  const journalArrived = new Map();
  const toCli = [];
  const cli = new Reorder((lines) => {
    const t = nowNs();
    for (const l of lines) {
      const w = writtenNs(l.text);
      if (w && /bench-delay/.test(l.text)) toCli.push(Number(t - w) / 1e6);
    }
  });
  session.on({
    onLines: (lines) => {
      const t = nowNs();
      for (const l of lines) {
        const w = writtenNs(l.text);
        if (w && /bench-delay/.test(l.text)) toSession[l.source].push(Number(t - w) / 1e6);
        const i = / bench-delay (\d+) \d+$/.exec(l.text);
        if (l.source === 'journal' && i) journalArrived.set(i[1], t);
      }
      cli.push(lines);
    },
  });
  session.start();
  await until('the follow commands', () => followers() >= 2);
  const writers = Promise.all([writeNginx(60, 97, 'bench-delay'), writeJournal(40, 150, 'bench-delay')]);
  await until(() => `every delay line (so far ${toSession.nginx_error.length}/60 nginx, ${toSession.journal.length}/40 journal)`, () => toSession.nginx_error.length >= 60 && toSession.journal.length >= 40, 180_000);
  const [, jw] = await writers;
  const afterWrite = [];
  for (const m of jw.stdout.matchAll(/^written (\d+) (\d+)$/gm)) if (journalArrived.has(m[1])) afterWrite.push(Number(journalArrived.get(m[1]) - BigInt(m[2])) / 1e6);
  await new Promise((r) => setTimeout(r, 400));
  await session.stop();
  console.log(`delay, line written on the host → followed (parsed, classified, in the live document's ring):`);
  console.log(`  tail -F -s 0.1 (nginx error log on overlayfs: polled)   ${fmt(toSession.nginx_error)}`);
  console.log(`  journalctl -f (journal files, inotify)                  ${fmt(toSession.journal)}`);
  console.log(`    of which systemd-journal-remote's own write (the test rig's writer: a process and an 8 MB file per entry); from the end of that write: ${fmt(afterWrite)} (negative: shown before the writer process exited)`);
  console.log(`  → the CLI's stdout (+ its 150 ms time-order hold)       ${fmt(toCli)}`);

  // the alternative, same run: plain tail -F (the runbook's tail -f), default 1 s poll where inotify cannot be used
  const plain = [];
  const abort = new AbortController();
  let rest = '';
  const run = runner.run("tail -F -n 0 -- '/var/log/nginx/error.log'", {
    sudo: true, timeoutMs: 0, discardStdout: true, signal: abort.signal,
    onStdout: (c) => {
      const t = nowNs();
      const parts = (rest + c).split('\n');
      rest = parts.pop();
      for (const l of parts) {
        const w = writtenNs(l);
        if (w && /bench-plain/.test(l)) plain.push(Number(t - w) / 1e6);
      }
    },
  }).catch(() => undefined);
  await until('plain tail on the host', () => followers() >= 1);
  const w2 = writeNginx(30, 97, 'bench-plain');
  await until('every plain-tail line', () => plain.length >= 30);
  await w2;
  abort.abort();
  await run;
  console.log(`  alternative: tail -F (default 1 s poll here)           ${fmt(plain)}  → p95 ${(pct(plain, 95) / pct(toSession.nginx_error, 95)).toFixed(1)}× the follow's`);

  // 2. memory after 1,000,000 followed lines
  const N = 1_000_000;
  const big = await startFollow(runner, { profile: DEFAULT_PROFILE, sources: ['nginx_error'] });
  let seen = 0;
  const marks = [100_000, 250_000, 500_000, 750_000, N];
  const heap = [];
  big.on({ onLines: (l) => (seen += l.length) });
  gc();
  const base = process.memoryUsage().heapUsed;
  big.start();
  await until('the big follow', () => followers() >= 1);
  const t0 = Date.now();
  // one write of 1,000,000 lines (1 in 1,000 a worker-side upstream timeout on the send screen: evidence)
  const writer = sshAsync(
    `awk 'BEGIN { for (i = 1; i <= ${N}; i++) { if (i % 1000 == 0) printf "2026/12/04 12:00:00 [error] 812#812: *%d upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.50, request: \\"POST /adherents/communiquer/ HTTP/1.1\\"\\n", i; else printf "2026/12/04 12:00:00 [info] 811#811: *%d client closed connection while waiting for request, client: 198.51.100.140, server: 0.0.0.0:443\\n", i } }' | sudo tee -a /var/log/nginx/error.log >/dev/null`,
  );
  for (const m of marks) {
    await until(`${m} lines`, () => seen >= m, 600_000);
    gc();
    heap.push([m, process.memoryUsage().heapUsed]);
  }
  const secs = (Date.now() - t0) / 1000;
  await writer;
  await big.stop();
  await runner.close();
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  console.log(`memory while following 1,000,000 lines (ring ${DEFAULT_RING_CAPACITY.toLocaleString('en')} lines; heap after GC, base ${mb(base)} before the follow):`);
  console.log('  ' + heap.map(([m, h]) => `${m.toLocaleString('en')}: ${mb(h)}`).join(' · '));
  console.log(`  growth from 250,000 to 1,000,000 lines: ${mb(heap[heap.length - 1][1] - heap[1][1])}; ring ${big.ring.size} lines, ${big.ring.dropped.toLocaleString('en')} left with the marker; ${big.errors} evidence lines counted`);
  console.log(`  throughput: ${Math.round(N / secs).toLocaleString('en')} lines/s over SSH (parse + classify + ring)`);
} finally {
  host.stop();
}
