/** Follow Live's pure parts: the follow catalogue, the ring, line splitting, live interpretation and classification, time order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROFILE, validateProfile, type LogEvent } from '../../src/core/index';
import { HOSTNAME_COMMAND } from '../../src/core/catalogue/follow';
import { followSources, LineSplitter, LiveClassifier, LiveInterpreter, pickFollowSources, Reorder, TimeRing, formatLine, type FollowLine } from '../../src/core/follow/index';
import { assertReadOnly } from './readonly-check';

const TZ = 'Europe/Paris';

test('every follow command is read-only, follows from now (-n 0) and survives rotation (tail -F)', () => {
  for (const p of [DEFAULT_PROFILE, validateProfile({ unit: 'shop@2.service', appDir: '/srv/shop', urlPath: '/mail/send/', postgresLogGlob: '/var/log/postgresql/postgresql-16-*.log' })]) {
    for (const s of followSources(p)) {
      assert.doesNotThrow(() => assertReadOnly(s.command), `not read-only: ${s.command}`);
      assert.match(s.command, /-n 0/, s.id);
      if (s.format === 'text') assert.match(s.command, /tail (-q )?-F /, s.id);
      else assert.match(s.command, /^journalctl .* -f -n 0 -o json/, s.id);
    }
  }
  assert.doesNotThrow(() => assertReadOnly(HOSTNAME_COMMAND));
  assert.deepEqual(pickFollowSources(followSources(DEFAULT_PROFILE)).map((s) => s.id), ['journal', 'nginx_error', 'nginx_access', 'mail_log', 'syslog']);
  assert.deepEqual(pickFollowSources(followSources(DEFAULT_PROFILE), ['syslog', 'postgresql']).map((s) => s.id), ['syslog', 'postgresql']);
});

test('the syslog follow filter keeps the app and kernel lines, not every line of a host named like the app', () => {
  const cmd = followSources(DEFAULT_PROFILE).find((s) => s.id === 'syslog')!.command;
  const ere = new RegExp(/-e '(.*)'$/.exec(cmd)![1].replace(/\\\./g, '\\.'));
  assert.ok(ere.test('Dec  4 17:38:31 aquademie-prod aquademie[1187]: sending to 412 recipients'));
  assert.ok(ere.test('Dec  4 17:38:31 aquademie-prod kernel: [81234.5] Out of memory: Killed process 1300 (gunicorn)'));
  assert.ok(ere.test('Dec  4 17:38:31 aquademie-prod systemd[1]: aquademie.service: Main process exited, code=killed, status=9/KILL'));
  // traps: the host's name contains the app's, and "oom" inside ordinary words
  assert.ok(!ere.test('Dec  4 17:38:31 aquademie-prod CRON[59099]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)'));
  assert.ok(!ere.test('Dec  4 17:38:31 aquademie-prod sshd[811]: Accepted publickey for deploy from 192.0.2.4 port 50000 ssh2: zoom room bloom'));
});

test('the ring keeps the newest lines in time order; older ones leave and are counted', () => {
  const r = new TimeRing<{ t: number; id: string }>(3, (x) => x.t);
  r.push({ t: 10, id: 'a' });
  r.push({ t: 30, id: 'c' });
  r.push({ t: 20, id: 'b' }); // late from a slower source: takes its place
  assert.deepEqual(r.toArray().map((x) => x.id), ['a', 'b', 'c']);
  const left = r.push({ t: 40, id: 'd' });
  assert.deepEqual(left.map((x) => x.id), ['a']);
  assert.equal(r.dropped, 1);
  for (let i = 0; i < 10_000; i++) r.push({ t: 100 + i, id: String(i) });
  assert.equal(r.size, 3);
  assert.equal(r.dropped, 10_001);
  assert.deepEqual(r.toArray().map((x) => x.id), ['9997', '9998', '9999']);
  assert.throws(() => new TimeRing(0, () => 0));
});

test('the line splitter keeps the unfinished line for the next chunk', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('one\ntw'), ['one']);
  assert.deepEqual(s.push('o\r\nthree\n'), ['two', 'three']);
  assert.deepEqual(s.push('four'), []);
  assert.deepEqual(s.end(), ['four']);
});

function interpretAll(format: 'text' | 'journal', lines: string[], source = 'gunicorn_log'): LogEvent[] {
  const out: LogEvent[] = [];
  const i = new LiveInterpreter({ source, format, tz: TZ, emit: (e) => out.push(...e) });
  for (const l of lines) i.line(l);
  i.flush();
  return out;
}

test('a traceback arriving line by line becomes one event with its request path, as in the diagnosis', () => {
  const ev = interpretAll('text', [
    '[2025-01-15 22:20:20 +0100] [1202] [ERROR] Error handling request /adherents/communiquer/',
    'Traceback (most recent call last):',
    '  File "/var/www/aquademie/gestion/views.py", line 52, in adherents_communiquer',
    '    time.sleep(3)',
    '  File "/var/www/aquademie/venv/lib/python3.11/site-packages/gunicorn/workers/base.py", line 204, in handle_abort',
    '    sys.exit(1)',
    'SystemExit: 1',
    '[2025-01-15 22:20:21 +0100] [1187] [INFO] Booting worker with pid: 1300',
  ]);
  assert.deepEqual(ev.map((e) => e.kind), ['error', 'traceback', 'worker_boot']);
  assert.equal(ev[1].fields?.category, 'worker_abort');
  assert.equal(ev[1].fields?.path, '/adherents/communiquer/');
  assert.equal(ev[1].detail?.length, 5);
  const c = new LiveClassifier(DEFAULT_PROFILE, { notes: [] }, TZ);
  assert.deepEqual(ev.map((e) => c.classify(e) ?? '-'), ['-', 'http_timeout', '-']);
});

test('a journal entry per line is parsed with the journal parser; secrets never pass', () => {
  const entry = (ts: number, msg: string) => JSON.stringify({ __REALTIME_TIMESTAMP: String(ts * 1000), _SYSTEMD_UNIT: 'aquademie.service', SYSLOG_IDENTIFIER: 'gunicorn', _PID: '1187', MESSAGE: msg });
  const t = Date.UTC(2025, 0, 15, 21, 20, 20);
  const ev = interpretAll('journal', [entry(t, '[2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)'), entry(t + 1000, 'EMAIL_HOST_PASSWORD=hunter2 loaded')], 'journal');
  assert.equal(ev[0].kind, 'worker_timeout');
  assert.equal(ev[0].time, new Date(t).toISOString());
  assert.doesNotMatch(ev[1].line, /hunter2/);
});

test('classification: the rules mark evidence; traps with the same words or codes are not marked', () => {
  const c = new LiveClassifier(DEFAULT_PROFILE, { notes: [] }, TZ);
  const access = (req: string, status: number) => `203.0.113.5 - - [15/Jan/2025:22:20:20 +0100] "${req} HTTP/1.1" ${status} 157 "-" "Mozilla/5.0"`;
  const kinds = (lines: string[], source: string) => interpretAll('text', lines, source).map((e) => c.classify(e) ?? '-');
  assert.deepEqual(kinds([access('POST /adherents/communiquer/', 502), access('POST /adherents/communiquer/', 500), access('POST /adherents/communiquer/', 200), access('POST /api/other/', 502)], 'nginx_access'), ['http_timeout', 'python_exception', '-', '-']);
  assert.deepEqual(
    kinds(
      [
        'Jan 15 22:20:21 aquademie-prod postfix/smtp[51214]: 4YZ: to=<a@example.org>, relay=ssl0.ovh.net[192.0.2.25]:465, delay=1, dsn=4.7.1, status=deferred (host ssl0.ovh.net said: 450 4.7.1 Too many messages, try again later)',
        'Jan 15 22:20:22 aquademie-prod postfix/smtp[51214]: 4YZ: to=<b@example.org>, relay=mx.example.org[192.0.2.25]:25, delay=1, dsn=5.1.1, status=bounced (host mx.example.org said: 550 5.1.1 User unknown)',
        'Jan 15 22:20:23 aquademie-prod postfix/smtp[51214]: 4YZ: to=<c@example.org>, relay=mx.example.org[192.0.2.25]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued)',
        'Jan 15 22:20:24 aquademie-prod postfix/qmgr[1102]: 4YZ: removed',
      ],
      'mail_log',
    ),
    ['smtp_rate_limit', 'smtp_reply', '-', '-'],
  );
  assert.deepEqual(kinds(['[2025-01-15 22:20:20 +0100] [1187] [INFO] a worker timeout is configured at 30 s (pid:1202)'], 'gunicorn_log'), ['-']);
  assert.equal(c.total, 4);
  assert.equal(c.counts.get('smtp_reply'), 1);
});

test('the CLI order: lines from a slower source take their place within the hold; the format marks evidence', async () => {
  const got: string[] = [];
  const r = new Reorder((ls) => got.push(...ls.map((l) => l.source)), 30);
  const mk = (seq: number, s: number, source: string): FollowLine => ({ seq, time: new Date(Date.UTC(2025, 0, 15, 21, 20, s)).toISOString(), source, text: 'x', kind: 'info', arrivedAt: Date.now(), event: {} as LogEvent });
  r.push([mk(1, 2, 'nginx_error')]);
  r.push([mk(2, 1, 'journal'), mk(3, 3, 'mail_log')]);
  await new Promise((res) => setTimeout(res, 80));
  assert.deepEqual(got, ['journal', 'nginx_error', 'mail_log']);
  const l = { ...mk(4, 4, 'journal'), text: 'client 203.0.113.5 to a@example.org', cause: 'http_timeout' as const, detail: ['  File "x.py", line 1'] };
  assert.deepEqual(formatLine(l, { redact: true }), ['journal      ‼ client x.x.x.x to ***@example.org  ──── http_timeout', 'journal      │   File "x.py", line 1']);
});
