/**
 * The window reader's block path for syslog lines (sblock in catalogue/window-reader.ts), run by the local perl: a
 * 64 KiB block of `Mon dd HH:MM:SS host prog[pid]: text` lines (or their RFC 3339 form) wholly outside the window is skipped, one wholly inside
 * it keeps the lines the WANT regex matches (searched through the block, each found line checked alone) and counts the
 * others per minute and class. Whatever falls where, the bisection must keep exactly what the full scan (line by line)
 * keeps, with the same per-minute summary, on a log whose blocks hold the awkward cases: level words in any case and
 * inside other words (`login`, `blogs`, `CRITICAL` vs `CRIT`), a quoted request and its status, out-of-order lines, a
 * line of another form (ISO, a continuation, a month that is not one, an nginx time as 4th field), a single-digit day.
 * Traps: a WANT that, searched through a block, matches across two lines (the line it starts in does not match alone,
 * the next does); WANTs that can look past their line's end ($, \B, a lookahead), which keep the line path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PROFILE, WINDOW_READER, windowReaderArgs } from '../../src/core/index';
import { syslogWant } from '../../src/core/catalogue/want';
import { continuationAtBlockStart, inTempDir } from './window-reader-files';

// 1 March 2025, 18:00 UTC = 19:00 on the host (+01:00, as the reader is told)
const T0 = Date.parse('2025-03-01T18:00:00Z');
const MIN = 60_000;
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');
/** the syslog date of an instant on the host (+01:00): `Mar  1 19:00:00`, a single-digit day padded with a space */
const traditional = (t: number) => {
  const d = new Date(t + 3600_000);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};

const TEXTS = [
  'CRON[4242]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
  'systemd-logind[611]: New session 12 of user deploy.',
  'sshd[9001]: Accepted publickey for deploy from 192.0.2.10 port 50022 ssh2',
  'redis-server[733]: 733:M 01 Mar 2025 19:00:00.000 * 100 changes in 300 seconds. Saving...',
  'systemd[1]: Starting sysstat-collect.service - system activity accounting tool...',
  'kernel: [12345.678901] Out of memory: Killed process 4321 (gunicorn) total-vm:812340kB',
  'aquademie[5150]: [2025-03-01 19:00:00 +0100] [5150] [ERROR] Exception in worker process',
  'postfix/smtp[777]: warning: hostname mail.example.org does not resolve to address 192.0.2.25',
  'nginx[88]: 192.0.2.7 - - "POST /adherents/communiquer/ HTTP/1.1" 502 166 "-" "Mozilla/5.0"',
  'myapp[99]: a CRITICAL failure, then the Blogs and the catalog; INFO: done',
  'rsyslogd[500]: imuxsock: Acquired UNIX socket (fd 3) CRIT-ical: no',
  'dockerd[321]: level=Warning msg="the notice board is full"',
  'python3[2024]: Traceback (most recent call last):',
  'gunicorn[5150]: [2025-03-01 19:00:00 +0100] [5150] [CRITICAL] WORKER TIMEOUT (pid:5151)',
];

/**
 * rsyslog's RFC 3339 form (Debian 12's default), `2025-03-01T20:00:00.400123+02:00`, the fraction left out at times; in
 * +02:00 where the reader is told +01:00 for zone-less dates (as after a change to summer time): the zone written wins
 */
const rfc3339 = (t: number) => new Date(t + 7200_000).toISOString().slice(0, 19) + (t % 3000 ? `.${String(t % 1000).padStart(3, '0')}123` : '') + '+02:00';

/** 3 hours, a line every 400 ms (~2.5 MB: 40-odd blocks), the oddities at fixed instants; in either form of date. */
function log(form: 'traditional' | 'rfc3339'): string {
  const out: string[] = [];
  const at = (m: number) => T0 + m * MIN;
  const date = form === 'traditional' ? traditional : rfc3339;
  for (let t = T0, i = 0; t < T0 + 3 * 3600_000; t += 400, i++) {
    const host = i % 97 === 0 ? 'log' : 'aquademie-prod';
    out.push(`${date(t)} ${host} ${TEXTS[(i * 5) % TEXTS.length]}`);
    // the same instant in another zone (+01:00, one hour before on the clock): a block holding it goes line by line
    if (form === 'rfc3339' && t === at(85)) out.push(`${new Date(t + 3600_000).toISOString().slice(0, 19)}+01:00 aquademie-prod CRON[1]: in +01:00`);
    if (t === at(60)) out.push(`${date(t - 4 * MIN)} aquademie-prod kernel: straggler before, dated 4 minutes earlier`);
    if (t === at(75)) out.push(`${date(t + 90_000)} aquademie-prod aquademie[1]: straggler after, dated 90 s later`);
    if (t === at(91)) out.push(`2025-03-01 ${new Date(t + 3600_000).toISOString().slice(11, 19)} INFO an ISO line`);
    if (t === at(100)) out.push('  a continuation line', '\tanother one');
    if (t === at(110)) out.push(`Foo  1 19:00:00 aquademie-prod kernel: not a month: a continuation`);
    if (t === at(120)) out.push(`${date(t)} [01/Mar/2025:17:00:00 +0100] kernel: an nginx time as 4th field`);
    // a leap second (:60), read as the next minute's first second (found by a review: the block path took it in its minute)
    if (t === at(70) - 400) out.push(`${date(t).replace(/:59(?=$|[.+])/, ':60')} aquademie-prod app[7]: a leap second error`);
  }
  return out.join('\n') + '\n';
}

function read(file: string, dir: string, from: number, to: number, full: boolean, want: string): string {
  const args = windowReaderArgs({ from, to, offsetMinutes: 60, refYear: 2025, refMonth: 3, toleranceMs: 10 * MIN, want, keep: '', samplePerMinute: 0, strip: dir, full });
  const r = spawnSync('perl', ['-e', WINDOW_READER, '--', ...args], { input: file + '\0', encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** the two readings, with the file marks left out (the full scan's may stand for a line past the stop alone) */
const same = (fast: string, full: string, what: string) => {
  const strip = (s: string) => s.split('\n').filter((l) => !l.startsWith('@@ incident-lens file: ')).join('\n');
  assert.equal(strip(fast), strip(full), what);
};

for (const form of ['traditional', 'rfc3339'] as const)
test(`syslog blocks (${form} dates) skipped, or searched and counted: the bisection keeps and counts what the full scan does`, () => {
  inTempDir('il-wr-syslog-', (dir) => {
    const f = join(dir, 'syslog');
    writeFileSync(f, log(form));
    const real = syslogWant(DEFAULT_PROFILE);
    // [from, to] in minutes after T0: the oddities at the edges or inside, the whole file, beyond both ends
    const windows: [number, number][] = [[58, 80], [62, 125], [90, 101], [0, 180], [-30, 5], [170, 240], [30, 31]];
    for (const want of [real, '', 'Traceback|WORKER TIMEOUT|[Oo]ut of memory']) {
      for (const [a, b] of windows) {
        const fast = read(f, dir, T0 + a * MIN, T0 + b * MIN, false, want);
        const full = read(f, dir, T0 + a * MIN, T0 + b * MIN, true, want);
        same(fast, full, `window ${a}..${b}, want ${want ? want.slice(0, 30) : 'none'}`);
      }
    }
    // what the case means: the window 62..125 keeps the app's and the kernel's lines and counts the rest per class
    const out = read(f, dir, T0 + 62 * MIN, T0 + 125 * MIN, false, real);
    assert.match(out, /aquademie\[5150\]: .*\[ERROR\] Exception in worker process/);
    assert.match(out, /kernel: .*Killed process 4321/);
    assert.doesNotMatch(out, /CRON\[4242\]/);
    const classes = new Set([...out.matchAll(/^@@ incident-lens summary: \d+ (\S+) \d+$/gm)].map((m) => m[1]));
    for (const c of ['other', '5xx', 'crit', 'critical', 'warning', 'log']) assert.ok(classes.has(c), `class ${c} counted: ${[...classes].join(' ')}`);
  });
});

test('trap: WANTs that a block search reads differently from a line keep the line-by-line meaning', () => {
  inTempDir('il-wr-syslog-', (dir) => {
    const f = join(dir, 'syslog');
    const lines: string[] = [];
    for (let t = T0; t < T0 + 3600_000; t += 500) {
      const i = (t - T0) / 500;
      // "warning:" ends one line (no "resolve" after it there) and the next line holds both: searched through the
      // block, `warning:[^!]*resolve` first matches from the end of one line into the next
      lines.push(`${traditional(t)} aquademie-prod app[7]: ${i % 5 === 0 ? 'disk warning:' : i % 5 === 1 ? 'warning: cannot resolve mail.example.org' : 'tick'}`);
    }
    writeFileSync(f, lines.join('\n') + '\n');
    const from = T0 + 20 * MIN;
    const to = T0 + 40 * MIN;
    // (read alone, a line ends with its newline: `tick\s$`, `tick\s\B` and `tick\n(?!.)` match after it, at the end of
    // the text; in a block, the next line follows)
    for (const want of ['warning:[^!]*resolve', 'tick\\s$', 'tick\\s\\B', 'tick\\n(?!.)', '(?<=app\\[7\\]: )disk', 'warning:\\s+cannot']) {
      const fast = read(f, dir, from, to, false, want);
      same(fast, read(f, dir, from, to, true, want), `want ${want}`);
      assert.match(fast, /^\w{3} [ \d]\d \d\d:\d\d:\d\d aquademie-prod app\[7\]: /m, `want ${want}: lines kept`);
    }
    // the line a cross-line match starts in travels only if it matches alone; the next line is still found
    const kept = read(f, dir, from, to, false, 'warning:[^!]*resolve').split('\n').filter((l) => l.includes('app[7]'));
    assert.ok(kept.length > 100 && kept.every((l) => l.includes('cannot resolve')), `${kept.length} kept, e.g. ${kept.find((l) => !l.includes('cannot resolve'))}`);
  });
});

test('trap: a continuation line that opens a block follows the previous block\'s LAST line', () => {
  inTempDir('il-wr-syslog-', (dir) => {
    const f = join(dir, 'syslog');
    // line 511 travels, line 512 (the first block's last) does not
    writeFileSync(f, continuationAtBlockStart((i) => `${traditional(T0 + i * 1000)} aquademie-prod app[7]: line ${i} ${i === 511 ? 'ERROR' : 'fine'} `));
    const fast = read(f, dir, T0 - 5 * MIN, T0 + 30 * MIN, false, 'ERROR|FATAL');
    assert.match(fast, /line 511 ERROR/);
    assert.doesNotMatch(fast, /continuation/);
    assert.equal(fast, read(f, dir, T0 - 5 * MIN, T0 + 30 * MIN, true, 'ERROR|FATAL'));
  });
});
