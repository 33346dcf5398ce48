/**
 * The window reader (the Perl program of catalogue/window-reader.ts) run by the local perl on a generated
 * log: lines that are one JSON object each (nginx log_format escape=json, structured app logs) are dated by
 * their time field wherever it stands in the object, so bisection and the full scan keep the window's lines.
 * Trap: a time-like key inside an escaped string value must not date the line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WINDOW_READER, windowReaderArgs } from '../../src/core/index';

const T0 = Date.parse('2025-03-01T18:00:00Z');
const p2 = (n: number) => String(n).padStart(2, '0');
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** nginx $time_local in +01:00 */
const local = (t: number) => {
  const d = new Date(t + 3600_000);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0100`;
};

function read(lines: string[], from: number, to: number, full: boolean): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'il-wr-json-'));
  try {
    const f = join(dir, 'access.log');
    writeFileSync(f, lines.join('\n') + '\n');
    const args = windowReaderArgs({ from, to, offsetMinutes: 60, refYear: 2025, refMonth: 3, toleranceMs: 60_000, want: '', keep: '', samplePerMinute: 0, strip: dir, full });
    const r = spawnSync('perl', ['-e', WINDOW_READER, '--', ...args], { input: f + '\0', encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter((l) => l && !l.startsWith('@@'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('JSON access lines are dated by their time field (ISO 8601 or $time_local, any position)', () => {
  const lines: string[] = [];
  // 6 hours, one line every 2 s: large enough for the reader to bisect
  for (let t = T0, i = 0; t < T0 + 6 * 3600_000; t += 2000, i++) {
    const iso = new Date(t).toISOString().replace('.000Z', 'Z');
    if (i % 3 === 0) lines.push(`{"@timestamp":"${iso}","remote_addr":"198.51.100.7","request":"GET /a/ HTTP/1.1","status":"200"}`);
    else if (i % 3 === 1) lines.push(`{"remote_addr":"203.0.113.9","request":"POST /b/ HTTP/1.1","status":"504","time_local":"${local(t)}"}`);
    else lines.push(`{ "msg": "x", "time_iso8601": "${iso.replace('Z', '+00:00')}" }`);
  }
  const from = T0 + 3 * 3600_000;
  const to = from + 15 * 60_000;
  const fast = read(lines, from, to, false);
  const full = read(lines, from, to, true);
  assert.equal(fast.length, 15 * 30 + 1, 'every line of the window, edges included');
  assert.deepEqual(fast, full, 'bisection equals the full scan');
});

test('trap: a time-like key inside an escaped value does not date a JSON line', () => {
  const inWindow = new Date(T0 + 60_000).toISOString();
  const lines = [
    // the only "time" is inside the request string (escaped quotes): the line has no time field of its own
    `{"request":"GET /?q={\\"time\\":\\"${inWindow}\\"} HTTP/1.1","status":"200"}`,
    `{"time":"${new Date(T0 - 3600_000).toISOString()}","request":"GET /old HTTP/1.1"}`,
  ];
  assert.deepEqual(read(lines, T0, T0 + 5 * 60_000, true), []);
});
