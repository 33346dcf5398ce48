/**
 * The window reader's bounded line reader (rl in catalogue/window-reader.ts), run by the local perl: a line
 * longer than 32 KiB keeps its first 32 KiB followed by " … [N bytes cut]" on the host, in the window scan,
 * in the bisection probes and in a .gz rotation, so a 100 MB line never sits in perl's memory nor travels.
 * Trap: lines under the cap, a last line without a newline and multi-byte characters at the cut are left whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WINDOW_READER, windowReaderArgs } from '../../src/core/index';

const T0 = Date.parse('2025-03-01T18:00:00Z');
const p2 = (n: number) => String(n).padStart(2, '0');
/** syslog time, host zone UTC */
const sys = (t: number) => {
  const d = new Date(t);
  return `Mar ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};

function read(name: string, content: Buffer, from: number, to: number, full: boolean): { lines: string[]; maxKb: number } {
  const dir = mkdtempSync(join(tmpdir(), 'il-wr-long-'));
  try {
    const f = join(dir, name);
    writeFileSync(f, content);
    const args = windowReaderArgs({ from, to, offsetMinutes: 0, refYear: 2025, refMonth: 3, toleranceMs: 60_000, want: '', keep: '', samplePerMinute: 0, strip: dir, full });
    const py = 'import resource,subprocess,sys\nr=subprocess.run(sys.argv[1:],input=sys.stdin.buffer.read(),capture_output=True)\nsys.stdout.buffer.write(r.stdout)\nsys.stderr.write("PEAK_KB %d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';
    const r = spawnSync('python3', ['-c', py, 'perl', '-e', WINDOW_READER, '--', ...args], { input: f + '\0', encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    return { lines: r.stdout.split('\n').filter((l) => l && !l.startsWith('@@')), maxKb: Number(/PEAK_KB (\d+)/.exec(r.stderr)?.[1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 6 hours of syslog, one line every 10 s, with one huge line of `huge` bytes at 21:00. */
function log(huge: number, tail = '\n'): Buffer {
  const parts: Buffer[] = [];
  for (let t = T0; t < T0 + 6 * 3600_000; t += 10_000) {
    parts.push(Buffer.from(`${sys(t)} host app[1]: line ${t}\n`));
    if (t === T0 + 3 * 3600_000) parts.push(Buffer.from(`${sys(t)} host app[1]: huge `), Buffer.alloc(huge, 'x'), Buffer.from(' end\n'));
  }
  parts.push(Buffer.from(`${sys(T0 + 6 * 3600_000)} host app[1]: last${tail}`));
  return Buffer.concat(parts);
}

test('a 20 MB line in the window: cut at 32 KiB with the count of bytes cut, the lines after it kept, perl stays small', () => {
  const huge = 20 * 1024 * 1024;
  for (const full of [false, true]) {
    const { lines, maxKb } = read('syslog', log(huge), T0 + 3 * 3600_000 - 30_000, T0 + 3 * 3600_000 + 30_000, full);
    const h = lines.find((l) => l.includes(' huge '));
    assert.ok(h, `full=${full}`);
    const head = `${sys(T0 + 3 * 3600_000)} host app[1]: huge `;
    assert.equal(h, `${head}${'x'.repeat(32 * 1024 - Buffer.byteLength(head))} … [${huge + 4 - (32 * 1024 - Buffer.byteLength(head))} bytes cut]`);
    assert.ok(lines.some((l) => l.endsWith(`line ${T0 + 3 * 3600_000 + 10_000}`)), 'the line after the huge one is read');
    assert.ok(maxKb < 20 * 1024, `perl peak ${maxKb} KiB`);
  }
});

test('a huge line under a bisection probe: the probes read past it and the window is the same as the full scan', () => {
  const from = T0 + 5 * 3600_000;
  const to = from + 120_000;
  const a = read('syslog', log(8 * 1024 * 1024), from, to, false).lines;
  const b = read('syslog', log(8 * 1024 * 1024), from, to, true).lines;
  assert.deepEqual(a, b);
  assert.equal(a.length, 13);
});

test('a .gz rotation with a huge line is cut the same way', () => {
  const { lines } = read('syslog.2.gz', gzipSync(log(1024 * 1024)), T0 + 3 * 3600_000, T0 + 3 * 3600_000 + 5_000, false);
  assert.match(lines.find((l) => l.includes(' huge ')) ?? '', /x … \[\d+ bytes cut\]$/);
});

test('trap: lines under the cap, multi-byte characters and a last line without a newline stay whole', () => {
  const long = `${sys(T0)} host app[1]: ${'é'.repeat(16_000)}`; // 32,000+ bytes: under the cap
  const content = Buffer.from(`${long}\n${sys(T0 + 1000)} host app[1]: ${'€'.repeat(11_000)}\n${sys(T0 + 2000)} host app[1]: no newline`);
  const { lines } = read('app.log', content, T0, T0 + 60_000, true);
  assert.equal(lines[0], long);
  assert.match(lines[1], /€ … \[\d+ bytes cut\]$/, 'cut on a character boundary');
  assert.equal(Buffer.byteLength(lines[1].replace(/ … \[\d+ bytes cut\]$/, '')) <= 32 * 1024, true);
  assert.equal(lines[2], `${sys(T0 + 2000)} host app[1]: no newline`);
});
