/**
 * The window reader's block path (block/pick/span in catalogue/window-reader.ts), run by the local perl: a 64 KiB
 * block of nginx access lines wholly inside the window is copied (or picked from, with a filter) and one wholly
 * outside it is skipped, without per-line work; every other block goes line by line. Whatever falls where, the
 * bisection must keep exactly what the full scan keeps (line for line, with the same per-minute summary) on a log
 * whose blocks hold the awkward cases: out-of-order lines (inside and outside the window), a request logged after
 * the window, multi-line entries across the window's start and end, a JSON line, an ISO line, another zone, a
 * fractional second, a bad month, a 40 KiB line, a 4th field that is not a time, no trailing newline; with no
 * filter, a filter, and a filter with a sampling cap.
 * Trap: the WANT regex split into its alternatives must keep its meaning (grouped alternatives, escaped and
 * bracketed bars stay whole).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WINDOW_READER, windowReaderArgs } from '../../src/core/index';
import { continuationAtBlockStart, inTempDir } from './window-reader-files';

const T0 = Date.parse('2025-03-01T18:00:00Z');
const MIN = 60_000;
const STEP = 800;
const p2 = (n: number) => String(n).padStart(2, '0');
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** nginx $time_local in +01:00 (or another offset in hours) */
const local = (t: number, h = 1) => {
  const d = new Date(t + h * 3600_000);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +${p2(h)}00`;
};
const access = (t: number, path: string, status: number, time = local(t)) =>
  `198.51.100.${(t / 1000) % 250 | 0} - - [${time}] "GET ${path} HTTP/1.1" ${status} ${status === 304 ? 0 : 5120} "-" "Mozilla/5.0 (X11; Linux x86_64)"`;

/** 3 hours, a line every 800 ms (~1.6 MB: 25-odd blocks), the oddities at fixed instants. */
function log(): string {
  const out: string[] = [];
  const at = (m: number) => T0 + m * MIN;
  for (let t = T0, i = 0; t < T0 + 3 * 3600_000; t += STEP, i++) {
    out.push(access(t, i % 11 === 0 ? '/adherents/communiquer/' : '/accueil/', i % 173 === 0 ? 502 : i % 37 === 0 ? 404 : 200));
    if (t === at(60)) out.push(access(t - 4 * MIN, '/accueil/', 200)); // out of order, before a window starting at 58
    if (t === at(75)) out.push(access(t - 7 * MIN, '/accueil/', 504), access(t + 90_000, '/accueil/', 200)); // stragglers both ways
    if (t === at(90) + STEP) out.push('{"time_local":"' + local(t) + '","status":"502"}'); // a JSON line
    if (t === at(91)) out.push(`2025-03-01 ${new Date(t + 3600_000).toISOString().slice(11, 19)} INFO an ISO line`);
    if (t === at(92)) out.push(access(t, '/accueil/', 200, local(t, 2))); // another zone, the same instant
    if (t === at(93)) out.push(access(t, '/accueil/', 200, local(t).replace(' +', '.250 +'))); // a fractional second
    if (t === at(94)) out.push(access(t, '/accueil/', 200).replace('/Mar/', '/Foo/')); // not a month: a continuation
    if (t === at(95)) out.push(access(t, '/accueil/' + 'x'.repeat(40_000), 200)); // over the 32 KiB cap
    if (t === at(96)) out.push('- - - [not a time] "GET / HTTP/1.1" 200 1 "-" "-"');
    // multi-line entries (a continuation is dated by the line before it) around 100, 110 and 130
    if (t === at(100) - STEP || t === at(110) - STEP || t === at(130) - STEP) out.push('  continuation one', '\tcontinuation two');
    // a request logged after the window it started in (nginx logs at the end)
    if (t === at(141)) out.push(access(at(139) + 30_000, '/adherents/communiquer/', 504));
  }
  return out.join('\n'); // no trailing newline
}

function read(file: string, dir: string, from: number, to: number, full: boolean, want = '', keep = '', sample = 0): string {
  const args = windowReaderArgs({ from, to, offsetMinutes: 60, refYear: 2025, refMonth: 3, toleranceMs: 10 * MIN, want, keep, samplePerMinute: sample, strip: dir, full });
  const r = spawnSync('perl', ['-e', WINDOW_READER, '--', ...args], { input: file + '\0', encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const WANT = '[A-Z]+ /adherents/communiquer/|"/adherents/communiquer/|" (5[0-9][0-9]|499) |[Ss]tatus": ?"?(5[0-9][0-9]|499)';
const KEEP = '[A-Z]+ /adherents/communiquer/|"/adherents/communiquer/';

test('blocks copied, picked from or skipped: the bisection keeps what the full scan keeps, line for line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'il-wr-blocks-'));
  try {
    const f = join(dir, 'access.log');
    writeFileSync(f, log());
    // [from, to] in minutes after T0: edges on stragglers, on multi-line entries, on the oddities, beyond both ends
    const windows = [[58, 80], [70, 100], [85, 110], [100, 130], [30, 139], [0, 200], [-60, -10], [181, 240]];
    const filters: [string, string, number][] = [['', '', 0], [WANT, '', 0], [WANT, KEEP, 20], [WANT, '', 3], ['', KEEP, 50]];
    for (const [a, b] of windows) {
      for (const [want, keep, sample] of filters) {
        const from = T0 + a * MIN;
        const to = T0 + b * MIN;
        const fast = read(f, dir, from, to, false, want, keep, sample);
        const full = read(f, dir, from, to, true, want, keep, sample);
        assert.equal(fast, full, `window ${a}..${b} min, want ${want ? 'set' : 'none'}, keep ${keep ? 'set' : 'none'}, sample ${sample}`);
      }
    }
    // the window 100..130 ends inside a multi-line entry whose first line is in it: kept whole
    const edge = read(f, dir, T0 + 100 * MIN, T0 + 130 * MIN - 1000, false).split('\n');
    const i = edge.map((l) => l.includes(`[${local(T0 + 130 * MIN - STEP)}]`)).lastIndexOf(true);
    assert.deepEqual(edge.slice(i + 1), ['  continuation one', '\tcontinuation two', ''], 'the entry whole, nothing after it');
    // what the oddities mean: the JSON and ISO lines, the other zone and the fraction are dated and kept, the long line cut
    const mid = read(f, dir, T0 + 88 * MIN, T0 + 98 * MIN, false);
    for (const s of ['{"time_local"', 'INFO an ISO line', '+0200]', '.250 +0100]', 'bytes cut]', '[not a time]', '/Foo/']) assert.ok(mid.includes(s), s);
    const filtered = read(f, dir, T0 + 30 * MIN, T0 + 139 * MIN, false, WANT, '', 3);
    assert.match(filtered, /@@ incident-lens summary: \d+ 2xx \d+/, 'the rest of the window is counted per minute');
    assert.match(filtered, /@@ incident-lens summary: \d+ sampled 5xx \d+|@@ incident-lens note: sampled/, 'wanted lines past the cap are sampled');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trap: a WANT with grouped, escaped and bracketed bars keeps its meaning once split', () => {
  const dir = mkdtempSync(join(tmpdir(), 'il-wr-blocks-'));
  try {
    const f = join(dir, 'access.log');
    const lines: string[] = [];
    for (let t = T0; t < T0 + 3600_000; t += 2000) lines.push(access(t, ['/a|b/', '/c/', '/d/', '/e/'][(t / 2000) % 4], 200));
    writeFileSync(f, lines.join('\n') + '\n');
    const from = T0 + 20 * MIN;
    const to = T0 + 30 * MIN;
    const kept = (want: string) => read(f, dir, from, to, false, want).split('\n').filter((l) => l && !l.startsWith('@@'));
    const paths = (want: string) => [...new Set(kept(want).map((l) => /GET (\S+)/.exec(l)?.[1]))].sort();
    assert.deepEqual(paths('GET /(c|d)/'), ['/c/', '/d/'], 'a bar inside a group is not split');
    assert.deepEqual(paths('/a\\|b/'), ['/a|b/'], 'an escaped bar is a bar');
    assert.deepEqual(paths('/a[|]b/|/e/'), ['/a|b/', '/e/'], 'a bracketed bar is a bar');
    assert.deepEqual(paths('(?:/c/|/d/)'), ['/c/', '/d/'], '(?…) is not split');
    // plain words go together in one alternation: a bracketed character is read as itself
    assert.deepEqual(paths('GET /[d]/|/[e]/'), ['/d/', '/e/'], 'a bracketed letter is the letter (not \\d)');
    assert.deepEqual(paths('/[.]/|/e/'), ['/e/'], 'a bracketed dot is a dot');
    assert.deepEqual(paths('/c/|/[d]/|GET /(e)/'), ['/c/', '/d/', '/e/'], 'words and regexes together');
    assert.deepEqual(kept('/c/|/e/'), read(f, dir, from, to, true, '/c/|/e/').split('\n').filter((l) => l && !l.startsWith('@@')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trap: blocks across the window edges and the stop are picked line by line from their keys, as the scan reads them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'il-wr-blocks-'));
  try {
    const f = join(dir, 'access.log');
    const LO = T0 + 60 * MIN;
    const HI = T0 + 90 * MIN;
    const TOL = 10 * MIN;
    const lines: string[] = [];
    for (let t = T0; t < T0 + 150 * MIN; t += 1000) {
      lines.push(access(t, '/accueil/', 200));
      if (t === LO - 30_000) lines.push(access(LO + 60_000, '/early-straggler-in/', 200)); // before the window's first line, dated in it
      if (t === LO + 30_000) lines.push(access(LO - 30_000, '/late-straggler-out/', 502)); // inside, dated before it
      if (t === HI + 5 * MIN) lines.push(access(HI - 60_000, '/late-straggler-in/', 200)); // after the window, dated in it
      if (t === HI + TOL + 2000) lines.push(access(HI - 60_000, '/past-the-stop/', 502)); // after the first line past HI + TOL
    }
    writeFileSync(f, lines.join('\n') + '\n');
    for (const [want, keep, sample] of [['', '', 0], [WANT, '', 0], [WANT + '|straggler', KEEP, 5]] as [string, string, number][]) {
      const fast = read(f, dir, LO, HI, false, want, keep, sample);
      const full = read(f, dir, LO, HI, true, want, keep, sample);
      if (!want || want.includes('straggler')) {
        assert.match(fast, /early-straggler-in/);
        assert.match(fast, /late-straggler-in/);
      }
      assert.doesNotMatch(fast, /late-straggler-out/);
      // the bisection stops at the first line past HI + TOL (the tolerance): what comes after is not read
      assert.doesNotMatch(fast, /past-the-stop/);
      if (!want) assert.match(full, /past-the-stop/);
      // (the full scan's file mark may stand for that line alone)
      const drop = (s: string) => s.split('\n').filter((l) => !l.includes('past-the-stop') && !l.startsWith('@@ incident-lens file: ')).join('\n');
      assert.equal(drop(fast), drop(full), `want ${want ? 'set' : 'none'}, sample ${sample}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trap: a continuation line that opens a block follows the previous block\'s LAST line, whichever path took that block', () => {
  inTempDir('il-wr-blocks-', (dir) => {
    const f = join(dir, 'access.log');
    // line 511 travels, line 512 (the first block's last) does not
    const text = continuationAtBlockStart((i) => access(T0 + i * 1000, `/p${i}/`, i === 511 ? 502 : 200) + ' ');
    assert.equal(Buffer.byteLength(text.slice(0, 512 * 128)), 65536);
    writeFileSync(f, text);
    // the block path with a filter searched through the block, and the one line by line (a WANT with $ cannot be searched so)
    for (const want of [WANT, '" (5[0-9][0-9]|499) [0-9]+ .*~$']) {
      const fast = read(f, dir, T0 - 5 * MIN, T0 + 30 * MIN, false, want);
      assert.match(fast, /\/p511\//, `want ${want}`);
      assert.doesNotMatch(fast, /continuation/, `want ${want}`);
      assert.equal(fast, read(f, dir, T0 - 5 * MIN, T0 + 30 * MIN, true, want));
    }
  });
});

test('the program compiles under use strict (not loaded on the host, where strict.pm costs ~1 ms of each start)', () => {
  assert.doesNotMatch(WINDOW_READER, /use strict/);
  const r = spawnSync('perl', ['-Mstrict', '-Mwarnings', '-c', '-e', WINDOW_READER], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /syntax OK/);
  // the check can fail: a variable never declared is refused
  const bad = spawnSync('perl', ['-Mstrict', '-c', '-e', WINDOW_READER + '\n$undeclared = 1;'], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
});
