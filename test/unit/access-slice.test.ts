/**
 * The access-log lane (src/core/parse/accessSlice.ts) builds the events of a slice of nginx access lines straight
 * from its lines. Wherever it answers, its events, their instants and the count of records must be those of the
 * general path (interpret(parseText(slice))); everywhere else it must give up. Checked on every fixture log, on
 * slices cut at random line ends, and on 20,000 hostile mutations of real access lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { usualAccessEvents } from '../../src/core/parse/accessSlice';
import { interpret } from '../../src/core/parse/interpret';
import { parseText } from '../../src/core/parse/text';
import type { ParseContext } from '../../src/core/parse/record';
import type { LogEvent } from '../../src/core/model';

const ctx: ParseContext = { source: 'nginx_access', tz: 'Europe/Paris', ref: new Date('2025-01-15T21:20:00Z') };
const FIXTURES = join(__dirname, '..', 'fixtures');

function general(text: string, c = ctx): { events: LogEvent[]; times: number[]; records: number } {
  const read = { records: 0 };
  const times: number[] = [];
  const events = interpret(parseText(text, c), { source: c.source, read, times });
  return { events, times, records: read.records };
}

/** The lane's answer, checked against the general path; true when it answered (events of some line). */
function agrees(text: string, what: string, c = ctx): boolean {
  const read = { records: 0 };
  const times: number[] = [];
  const events = usualAccessEvents(text, c, c.source, times, read);
  if (!events) {
    assert.equal(times.length, 0, `${what}: a lane that gave up leaves no instants`);
    return false;
  }
  const g = general(text, c);
  assert.deepEqual(events, g.events, `${what}: events`);
  assert.deepEqual(times, g.times, `${what}: instants`);
  assert.equal(read.records, g.records, `${what}: records`);
  return events.length > 0;
}

function* logFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* logFiles(p);
    else if (/\.(log|txt)$|\/log\/.*|\.gz$/.test(p)) yield p;
  }
}

function textOf(p: string): string {
  const raw = readFileSync(p);
  return (p.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

/** A small deterministic generator (tests are reproducible). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Slices of whole lines, cut at random line ends (as the stream cuts its output). */
function slices(text: string, rnd: () => number): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at + Math.floor(rnd() * 2000));
    end = end < 0 ? text.length : end + 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

test('every fixture log: the lane answers as the general path, or gives up', () => {
  const rnd = prng(7);
  const answered: string[] = [];
  for (const p of logFiles(FIXTURES)) {
    const text = textOf(p);
    if (agrees(text, p)) answered.push(p);
    for (const s of slices(text, rnd)) agrees(s, `${p} (slice)`);
  }
  // the lane must engage where it is meant to (a lane that always gives up would pass the rest)
  assert.ok(answered.some((p) => p.endsWith('seed-incident/var/log/nginx/access.log')), `answered: ${answered.join(', ')}`);
  assert.ok(answered.some((p) => p.endsWith('access.log.2.gz')));
  assert.ok(answered.every((p) => /\/nginx\/access\.log[^/]*$/.test(p)), `answered: ${answered.join(', ')}`);
});

const EDITS: ((l: string, r: () => number) => string)[] = [
  (l, r) => insertAt(l, r, '\\'),
  (l, r) => insertAt(l, r, '"'),
  (l, r) => insertAt(l, r, ' '),
  (l, r) => insertAt(l, r, '\r'),
  (l, r) => insertAt(l, r, '\u2028'),
  (l, r) => insertAt(l, r, '\u00a0'),
  (l, r) => insertAt(l, r, 'é'),
  (l, r) => insertAt(l, r, '['),
  (l, r) => deleteAt(l, r),
  (l) => `${l}\r`,
  (l) => `[${l}`,
  (l) => ` ${l}`,
  (l) => l.replace(/:(\d\d) ([+-])/, ':$1.123 $2'),
  (l) => l.replace(/\/Jan\//, '/Foo/'),
  (l) => l.replace(/\/Jan\//, '/jan/'),
  (l) => l.replace(/:(\d\d) \+/, ':61 +'),
  (l) => l.replace(/"[A-Z]+ [^"]*"/, '"Traceback (most recent call last):"'),
  (l) => l.replace(/"[A-Z]+ [^"]*"/, '"-"'),
  (l) => l.replace(/"[A-Z]+ ([^ "]*)[^"]*"/, '"PROPFIND $1"'),
  (l) => l.replace(/ (\d+) "/, ' - "'),
  (l) => l.replace(/ (\d+) "/, ' 12x "'),
  (l) => l.replace(/ \d{3} /, ' 504 '),
  (l) => l.replace(/ "[^"]*" "[^"]*"$/, ''),
  (l) => l.replace(/ "[^"]*"$/, ''),
  (l) => `${l} rt=61.002`,
  (l) => `${l} 0.250`,
  (l) => `${l} "x"`,
  (l) => l.replace(/\+0100/, '-0530'),
];

function insertAt(l: string, r: () => number, s: string): string {
  const i = Math.floor(r() * (l.length + 1));
  return l.slice(0, i) + s + l.slice(i);
}

function deleteAt(l: string, r: () => number): string {
  const i = Math.floor(r() * l.length);
  return l.slice(0, i) + l.slice(i + 1);
}

test('20,000 hostile mutations of real access lines: the lane never differs from the general path', () => {
  const rnd = prng(2025);
  const lines = textOf(join(FIXTURES, 'hosts', 'seed-incident', 'var', 'log', 'nginx', 'access.log')).split('\n').filter(Boolean);
  let answered = 0;
  for (let i = 0; i < 20_000; i++) {
    let line = lines[Math.floor(rnd() * lines.length)];
    const edits = 1 + Math.floor(rnd() * 2);
    for (let e = 0; e < edits; e++) line = EDITS[Math.floor(rnd() * EDITS.length)](line, rnd);
    // one mutated line alone, and one among plain lines (a slice that gives up somewhere in its middle)
    if (agrees(line, `mutated line ${JSON.stringify(line)}`)) answered++;
    const k = Math.floor(rnd() * lines.length);
    agrees([...lines.slice(k, k + 3), line, ...lines.slice(k + 3, k + 6)].join('\n'), `slice around ${JSON.stringify(line)}`);
  }
  // mutations that keep the line an access line (status, bytes, request time…) are answered by the lane
  assert.ok(answered > 2000, `answered ${answered}`);
});

test('traps: the lane gives up on what the general path reads differently', () => {
  const plain = '203.0.113.7 - - [15/Jan/2025:22:20:20 +0100] "GET / HTTP/1.1" 200 5 "-" "curl/8.0"';
  assert.equal(agrees(plain, 'plain'), true);
  // a request whose text opens a traceback for the general path
  assert.equal(agrees('203.0.113.7 - - [15/Jan/2025:22:20:20 +0100] "Traceback (most recent call last):" 400 0 "-" "-"', 'traceback request'), false);
  // a line the general path strips of its \r, one it offers to dmesg/gunicorn first, one no parser reads
  assert.equal(agrees(`${plain}\r`, 'CR'), false);
  assert.equal(agrees(`[${plain}`, 'bracket'), false);
  assert.equal(agrees(`${plain}\nJan 15 22:20:20 web1 kernel: Out of memory`, 'syslog line'), false);
  assert.equal(agrees(`${plain}\n  continuation`, 'continuation line'), false);
  // declared log formats are tried first by the general path
  assert.equal(usualAccessEvents(plain, { ...ctx, accessFormats: [] }, 'x', [], { records: 0 }), undefined);
});

test('the lane keeps what the general path keeps around its lines: notes, markers, blank lines, out-of-order lines', () => {
  const a = '203.0.113.7 - - [15/Jan/2025:22:20:21 +0100] "GET /a HTTP/1.1" 200 5 "-" "curl/8.0"';
  const b = '203.0.113.8 - - [15/Jan/2025:22:20:19 +0100] "POST /b HTTP/1.1" 502 0 "-" "curl/8.0" rt=3.5';
  const text = ['@@ incident-lens file: /var/log/nginx/access.log', a, '', b, '@@ incident-lens span: 1 2 /x', a, ''].join('\n');
  assert.equal(agrees(text, 'notes and disorder'), true);
  const events = usualAccessEvents(text, ctx, 'x', [], { records: 0 })!;
  assert.deepEqual(events.map((e) => e.lineNo), [2, 1, 3]);
  assert.equal(events[0].fields?.start, '2025-01-15T21:20:15.500Z');
});

test('a busy window past the cap: the lane keeps, counts and numbers what the general path does', async () => {
  const { SliceParser, MAX_EVENTS } = await import('../../src/core/source-stream');
  const { catalogue } = await import('../../src/core/catalogue');
  const { DEFAULT_PROFILE } = await import('../../src/core/profile');
  const { buildWindow } = await import('../../src/core/window');
  const window = buildWindow({ at: '2025-01-15 22:20', tz: 'Europe/Paris' });
  const src = catalogue(DEFAULT_PROFILE, window).find((s) => s.id === 'nginx_access')!;
  const pw = { window, requestSlackMs: 120_000, isSendPost: (e: LogEvent) => e.fields?.method === 'POST', isStartContext: (e: LogEvent) => e.fields?.method === 'GET' && e.fields?.status === 302 };
  // ordinary lines well past the cap, 5xx and send POSTs among them, lines before and after the window, a few out of order
  const rnd = prng(11);
  const from = window.since.getTime() - 5 * 60_000;
  const span = window.until.getTime() + 5 * 60_000 - from;
  const lines: string[] = [];
  for (let i = 0; i < 4 * MAX_EVENTS; i++) {
    const t = new Date(from + Math.floor((i / (4 * MAX_EVENTS)) * span) - (rnd() < 0.02 ? 90_000 : 0) + 3_600_000);
    const stamp = `${String(t.getUTCDate()).padStart(2, '0')}/Jan/2025:${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')} +0100`;
    const x = rnd();
    const [method, status] = x < 0.03 ? ['POST', 502] : x < 0.06 ? ['POST', 200] : x < 0.08 ? ['GET', 302] : ['GET', 200];
    lines.push(`203.0.113.${Math.floor(rnd() * 250)} - - [${stamp}] "${method} /p${Math.floor(rnd() * 9)}/ HTTP/1.1" ${status} ${Math.floor(rnd() * 9000)} "-" "agent ${Math.floor(rnd() * 5)}"${rnd() < 0.1 ? ` rt=${(rnd() * 200).toFixed(3)}` : ''}`);
  }
  const text = lines.join('\n') + '\n';
  const run = (lane: boolean) => {
    const p = new SliceParser(src, pw, undefined, lane);
    const r = prng(3);
    for (let at = 0; at < text.length; ) {
      let end = text.indexOf('\n', at + Math.floor(r() * 60_000));
      end = end < 0 ? text.length : end + 1;
      p.slice(text.slice(at, end));
      at = end;
    }
    return p.kept;
  };
  const lane = run(true);
  const general = run(false);
  assert.ok(general.dropped > 1000, `dropped ${general.dropped}`);
  assert.equal(lane.dropped, general.dropped);
  assert.deepEqual(lane.events, general.events);
});
