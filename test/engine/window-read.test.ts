/**
 * The window reader on the real test host: bisection on the host and the full scan find the same events,
 * line for line, on the edge cases of reading a window by byte offset (rotation crossing the window, a
 * request logged after the window that started inside it, tracebacks at the edges, out-of-order lines,
 * a non-monotonic file, an empty file, no trailing newline, windows before the first line and after the
 * last, a file appended to during the run). The logs are generated here, into a temporary fixture folder.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startTestHost, TestHost, TESTHOST_SCRIPT } from '../host/testHost';
import type { Diagnosis } from '../../src/core/index';
import { adviceOf, assertSameEvents, cli, ensureBuilt } from './helpers';
import { shq } from '../../src/core/shell';
import { cliHostArgs } from '../host/sshSetup';

const TZ = 'Europe/Paris'; // +01:00 on 2025-03-12
const OFF = 3600_000;
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');
/** Local wall fields of an instant in +01:00. */
const w = (t: number) => new Date(t + OFF);
const T = (s: string) => Date.parse(`${s}+01:00`);
const nginxTime = (t: number) => `${p2(w(t).getUTCDate())}/${MON[w(t).getUTCMonth()]}/${w(t).getUTCFullYear()}:${w(t).toISOString().slice(11, 19)} +0100`;
const isoLocal = (t: number) => w(t).toISOString().slice(0, 19).replace('T', ' ');
const syslogTime = (t: number) => `${MON[w(t).getUTCMonth()]} ${String(w(t).getUTCDate()).padStart(2, ' ')} ${w(t).toISOString().slice(11, 19)}`;
const access = (t: number, method: string, path: string, status: number, tail = '') =>
  `198.51.100.${(t / 1000) % 200 | 0} - - [${nginxTime(t)}] "${method} ${path} HTTP/1.1" ${status} ${status >= 500 ? 157 : 5120} "-" "Mozilla/5.0"${tail}`;

function accessLines(from: number, to: number, step: number): string[] {
  const out: string[] = [];
  for (let t = from, i = 0; t < to; t += step, i++) {
    const path = i % 7 === 0 ? '/adherents/' : i % 3 === 0 ? '/static/app.css' : '/accueil/';
    out.push(access(t, 'GET', path, i % 97 === 0 ? 502 : 200));
  }
  return out;
}

function write(root: string, rel: string, text: string | Buffer, mtime?: number): void {
  const f = join(root, rel);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, text);
  if (mtime !== undefined) utimesSync(f, mtime / 1000, mtime / 1000);
}

/** The host's logs around an incident at 14:30 on 2025-03-12 (window 14:25 → 14:40). */
function makeFixtures(root: string): void {
  // rotations: .3.gz is days old (never opened), .2.gz ends inside the window's margin, .1 crosses the window start,
  // the current file starts inside the window and runs for hours (big enough to bisect)
  write(root, 'var/log/nginx/access.log.3.gz', gzipSync(accessLines(T('2025-03-09T00:00:00'), T('2025-03-10T00:00:00'), 60_000).join('\n') + '\n'), T('2025-03-10T00:00:00'));
  write(root, 'var/log/nginx/access.log.2.gz', gzipSync(accessLines(T('2025-03-11T00:00:00'), T('2025-03-12T14:10:00'), 10_000).join('\n') + '\n'), T('2025-03-12T14:10:00'));
  const one = accessLines(T('2025-03-12T14:10:00'), T('2025-03-12T14:33:00'), 2000);
  one.push(access(T('2025-03-12T14:26:10'), 'GET', '/adherents/communiquer/', 200));
  write(root, 'var/log/nginx/access.log.1', one.join('\n') + '\n', T('2025-03-12T14:33:00'));
  const cur = accessLines(T('2025-03-12T14:33:00'), T('2025-03-12T20:00:00'), 2000);
  // a few lines out of order by seconds (workers finishing in another order)
  const k = cur.findIndex((l) => l.includes('14:36:00'));
  cur.splice(k, 0, access(T('2025-03-12T14:36:04'), 'GET', '/accueil/', 504), access(T('2025-03-12T14:35:57'), 'POST', '/adherents/communiquer/', 499));
  // a request that started inside the window and was logged after it (rt=$request_time), and one cut by the proxy
  const after = cur.findIndex((l) => l.includes('14:41:30'));
  cur.splice(after, 0, access(T('2025-03-12T14:41:29'), 'POST', '/adherents/communiquer/', 502, ' rt=95.000'), access(T('2025-03-12T14:40:40'), 'POST', '/adherents/communiquer/', 504));
  write(root, 'var/log/nginx/access.log', cur.join('\n') + '\n');

  // error log without a trailing newline
  const err: string[] = [];
  for (let t = T('2025-03-12T13:00:00'); t < T('2025-03-12T15:00:00'); t += 45_000) {
    err.push(`${isoLocal(t).replace(/-/g, '/')} [error] 812#812: *${t % 10000} upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.7, server: aquademie.example, request: "POST /adherents/communiquer/ HTTP/1.1", upstream: "http://unix:/run/aquademie.sock:/adherents/communiquer/", host: "aquademie.example"`);
  }
  write(root, 'var/log/nginx/error.log', err.join('\n'));

  // gunicorn: tracebacks straddling the window's start and end
  const g: string[] = [];
  for (let t = T('2025-03-12T12:00:00'); t < T('2025-03-12T16:00:00'); t += 5000) {
    const edge = t === T('2025-03-12T14:24:55') || t === T('2025-03-12T14:39:55') || t === T('2025-03-12T13:45:00');
    g.push(`[${isoLocal(t)} +0100] [1202] [${edge ? 'ERROR' : 'INFO'}] ${edge ? 'Error handling request /adherents/communiquer/' : 'Booting worker with pid: 1202'}`);
    if (edge) g.push('Traceback (most recent call last):', '  File "/var/www/aquademie/gestion/views.py", line 52, in adherents_communiquer', '    connection.send_messages(batch)', 'smtplib.SMTPServerDisconnected: Connection unexpectedly closed');
  }
  write(root, 'var/log/aquademie/gunicorn.log', g.join('\n') + '\n');

  // the app's log is not in time order (blocks of hours written out of order): read whole, and said so
  const blocks = ['12', '15', '14', '13'].map((h) => {
    const b: string[] = [];
    for (let t = T(`2025-03-12T${h}:00:00`); t < T(`2025-03-12T${h}:00:00`) + 3600_000; t += 3000) b.push(`${(t / 3000) % 50 === 0 ? 'ERROR' : 'INFO'} ${isoLocal(t)},123 views ${t % 9999} batch sent`);
    return b.join('\n');
  });
  write(root, 'var/www/aquademie/logs/django.log', blocks.join('\n') + '\n');

  write(root, 'var/log/mail.log', ''); // empty
  // syslog: every line before the window, no trailing newline; PostgreSQL: every line after it
  const sys: string[] = [];
  for (let t = T('2025-03-12T06:00:00'); t < T('2025-03-12T13:00:00'); t += 4000) sys.push(`${syslogTime(t)} aquademie-prod gunicorn[1202]: [INFO] Booting worker with pid: 1202`);
  write(root, 'var/log/syslog', sys.join('\n'));
  const pg: string[] = [];
  for (let t = T('2025-03-12T16:00:00'); t < T('2025-03-12T18:00:00'); t += 6000) pg.push(`${isoLocal(t)}.000 CET [2231] aquademie@aquademie ERROR:  deadlock detected`);
  write(root, 'var/log/postgresql/postgresql-15-main.log', pg.join('\n') + '\n');
}

const WINDOW = ['--at', '2025-03-12 14:30', '--before', '5m', '--after', '10m'];

describe('window reader on the real test host', () => {
  let host: TestHost;
  let fixtures: string;
  const target = () => cliHostArgs(host);
  let runs = 0;
  const diagnose = (...extra: string[]): Diagnosis => {
    const out = join(fixtures, `diagnosis-${++runs}.json`); // a file: big JSON, whatever the pipe does
    const r = cli(['diagnose', ...target(), ...WINDOW, '--format', 'json', '--out', out, ...extra]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(readFileSync(out, 'utf8'));
  };
  const src = (d: Diagnosis, id: string) => d.sources.find((s) => s.id === id)!;

  before(() => {
    ensureBuilt();
    fixtures = mkdtempSync(join(tmpdir(), 'il-window-read-'));
    makeFixtures(fixtures);
    host = startTestHost({ fixtures, timezone: TZ });
  });
  after(() => {
    host?.stop();
    if (fixtures) rmSync(fixtures, { recursive: true, force: true });
  });

  test('bisection == full scan line for line; rotations, edges, disorder, empty and unterminated files', () => {
    const fast = diagnose();
    const full = diagnose('--full-scan');
    assertSameEvents(fast, full, 'edges');
    const acc = src(fast, 'nginx_access');
    const lines = acc.events.map((e) => e.line);
    assert.ok(lines.some((l) => l.includes('14:26:10') && l.includes('communiquer')), 'the rotated .1 file (window crosses the rotation)');
    assert.ok(lines.some((l) => l.includes('14:41:29') && l.includes('rt=95.000')), 'a request started in the window, logged after it');
    assert.ok(lines.some((l) => l.includes('14:40:40') && l.includes('" 504 ')), 'the send POST the proxy cut after the window');
    assert.ok(lines.some((l) => l.includes('14:35:57') && l.includes('" 499 ')), 'an out-of-order line');
    assert.ok(!lines.some((l) => l.includes('" 200 ') && !l.includes('communiquer')), 'ordinary requests do not travel');
    // rotations chosen by time: the .3.gz is never opened; the .2.gz cannot overlap either (mtime)
    assert.ok(!(acc.reading ?? []).some((n) => n.file.endsWith('.3.gz')), JSON.stringify(acc.reading));
    assert.ok(acc.summary?.some((m) => (m.counts['2xx'] ?? 0) > 0), 'the rest of the window is counted per minute');
    assert.ok(acc.holds?.to?.startsWith('2025-03-12T18:59'), `span of the access log files ${JSON.stringify(acc.holds)}`);
    // tracebacks at the window's edges are whole
    const tb = src(fast, 'gunicorn_log').events.filter((e) => e.kind === 'traceback');
    assert.ok(tb.length >= 1 && tb.every((e) => (e.detail ?? []).some((d) => d.includes('SMTPServerDisconnected'))), JSON.stringify(tb));
    // the app's log is not in time order: read whole, and the source says so
    const dj = src(fast, 'django_logs');
    assert.ok(dj.reading?.some((n) => n.kind === 'unordered' && n.file.endsWith('django.log')), JSON.stringify(dj.reading));
    assert.match(adviceOf(dj) ?? '', /not in time order, read whole \(full scan\)/);
    assert.ok(dj.events.some((e) => e.line.startsWith('ERROR 2025-03-12 14:')), 'its window lines still found');
    assert.ok(src(fast, 'nginx_error').events.length > 0, 'error log without a trailing newline');
    for (const id of ['mail_log', 'syslog', 'postgresql']) assert.equal(src(fast, id).status, 'empty', `${id}: empty file / window after the last line / before the first`);
    assert.ok(src(fast, 'syslog').holds, 'syslog still tells the span it holds');
  });

  test('a file appended to during the run: the window reads the same', async () => {
    // an appender writes lines (after the window) as fast as it can while the diagnosis runs
    const line = access(T('2025-03-12T20:00:01'), 'GET', '/accueil/', 200).replace(/'/g, '');
    const loop = `for i in $(seq 1 40000); do echo '${line}' >> /var/log/nginx/access.log; done`;
    const writer = spawn('bash', [TESTHOST_SCRIPT, 'ssh', 'deploy', `sudo bash -c ${shq(loop)}`], {
      env: { ...process.env, TESTHOST_DIR: host.dir, TESTHOST_PORT: String(host.port) },
      stdio: 'ignore',
    });
    let exited = false;
    const ended = new Promise<void>((res) => writer.on('exit', () => ((exited = true), res())));
    const size = () => Number(host.ssh('sudo stat -c %s /var/log/nginx/access.log').trim());
    const start = size();
    while (size() === start && !exited) await new Promise((r) => setImmediate(r)); // the appender has started
    const during = diagnose();
    const grewDuring = size() > start;
    await ended;
    const afterwards = diagnose('--full-scan');
    assert.ok(grewDuring, 'the file grew while the diagnosis ran');
    assertSameEvents(during, afterwards, 'appended');
  });
});
