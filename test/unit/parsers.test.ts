import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from '../../src/core/parse/prefix';
import { parseJournal } from '../../src/core/parse/journal';
import { interpret } from '../../src/core/parse/interpret';
import { parseText } from '../../src/core/parse/text';
import { classifyMessage } from '../../src/core/parse/classify';

const ctx = { source: 't', tz: 'Europe/Paris', ref: new Date('2025-01-15T21:20:00Z') };

test('gunicorn own log line: +0000 and +0100 offsets, worker pid, level', () => {
  const r = parseLine('[2025-05-31 22:05:12 +0000] [1096] [INFO] Handling signal: hup', ctx)!;
  assert.equal(r.time!.toISOString(), '2025-05-31T22:05:12.000Z');
  assert.equal(r.pid, 1096);
  assert.equal(r.level, 'INFO');
  const w = parseLine('[2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)', ctx)!;
  assert.equal(w.time!.toISOString(), '2025-01-15T21:20:20.000Z');
  assert.deepEqual(classifyMessage(w.message), { kind: 'worker_timeout', fields: { pid: 1202 } });
});

test('nginx combined access line: $time_local is the END, request_time gives the start', () => {
  const r = parseLine('203.0.113.50 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "https://aquademie.example.fr/adherents/communiquer/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:134.0) Gecko/20100101 Firefox/134.0"', ctx)!;
  assert.equal(r.time!.toISOString(), '2025-01-15T21:20:20.000Z');
  assert.equal(r.kind, 'http_error');
  assert.equal(r.fields!.method, 'POST');
  assert.equal(r.fields!.path, '/adherents/communiquer/');
  assert.equal(r.fields!.status, 502);
  const t = parseLine('198.51.100.7 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 504 167 "-" "curl/8.0" rt=60.001', ctx)!;
  assert.equal(t.fields!.requestTime, 60.001);
  assert.equal(t.fields!.start, '2025-01-15T21:19:19.999Z');
});

test('nginx error lines: upstream timed out, prematurely closed, connect() refused', () => {
  const a = parseLine('2025/01/15 22:20:20 [error] 812#812: *48213 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.50, server: aquademie.example.fr, request: "POST /adherents/communiquer/ HTTP/1.1", upstream: "http://unix:/run/aquademie.sock:/adherents/communiquer/", host: "aquademie.example.fr"', ctx)!;
  assert.equal(a.time!.toISOString(), '2025-01-15T21:20:20.000Z');
  assert.equal(a.fields!.path, '/adherents/communiquer/');
  assert.equal(a.fields!.client, '203.0.113.50');
  assert.equal(classifyMessage(a.message).kind, 'upstream_timeout');
  const b = parseLine('2025/01/15 22:20:20 [error] 812#812: *1 upstream prematurely closed connection while reading response header from upstream, client: 1.2.3.4, server: x, request: "POST /p HTTP/1.1", upstream: "http://unix:/run/a.sock:/p", host: "x"', ctx)!;
  assert.equal(classifyMessage(b.message).kind, 'http_error');
  const c = parseLine('2025/01/15 22:20:20 [error] 812#812: *2 connect() to unix:/run/aquademie.sock failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4', ctx)!;
  assert.equal(classifyMessage(c.message).kind, 'http_error');
});

test('RFC 3164 syslog: year from the window, host zone; kernel uptime stripped; RFC 3339 too', () => {
  const r = parseLine('Jan 15 22:20:21 aquademie-prod gunicorn[1187]: [2025-01-15 22:20:21 +0100] [1187] [ERROR] Worker (pid:1202) was sent SIGKILL! Perhaps out of memory?', ctx)!;
  assert.equal(r.time!.toISOString(), '2025-01-15T21:20:21.000Z');
  assert.equal(r.ident, 'gunicorn');
  assert.equal(classifyMessage(r.message).kind, 'oom_hint');
  const dec = parseLine('Dec 31 23:59:59 h CRON[1]: x', { ...ctx, ref: new Date('2025-01-01T10:00:00Z') })!;
  assert.equal(dec.time!.toISOString(), '2024-12-31T22:59:59.000Z');
  const k = parseLine('Jul 10 22:05:17 host kernel: [159805.364253] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,task_memcg=/docker/abc,task=gunicorn,pid=4242,uid=33', ctx)!;
  assert.deepEqual(classifyMessage(k.message, k.ident), { kind: 'oom_kill', fields: { process: 'gunicorn', pid: 4242 } });
  const s = parseLine('2026-02-08T00:40:07.136582+00:00 host systemd[1]: aquademie.service: A process of this unit has been killed by the OOM killer.', ctx)!;
  assert.equal(s.time!.toISOString(), '2026-02-08T00:40:07.136Z');
  assert.equal(classifyMessage(s.message, s.ident).kind, 'oom_kill');
});

test('journalctl short-iso (+0100 and +01:00) and short-iso-precise', () => {
  for (const line of ['2025-01-15T22:20:20+0100 host gunicorn[1187]: x', '2025-01-15T22:20:20+01:00 host gunicorn[1187]: x', '2025-01-15T22:20:20.613000+0100 host gunicorn[1187]: x']) {
    const r = parseLine(line, ctx)!;
    assert.equal(r.time!.toISOString().slice(0, 19), '2025-01-15T21:20:20', line);
    assert.equal(r.ident, 'gunicorn');
    assert.equal(r.pid, 1187);
  }
});

test('PostgreSQL with Debian prefix (zone abbreviation, two spaces after LEVEL:)', () => {
  const r = parseLine('2024-07-24 23:41:28.855 UTC [9937] user@db LOG:  could not receive data from client: Connection reset by peer', ctx)!;
  assert.equal(r.time!.toISOString(), '2024-07-24T23:41:28.855Z');
  assert.equal(r.level, 'LOG');
  const e = parseLine('2025-01-15 19:47:03.221 CET [2011] aquademie@aquademie ERROR:  duplicate key value violates unique constraint "gestion_adherent_email_key"', ctx)!;
  assert.equal(e.time!.toISOString(), '2025-01-15T18:47:03.221Z');
  assert.equal(classifyMessage(e.message, e.ident, e.level).kind, 'db_error');
});

test('Django asctime lines in the host zone; the progress and send-start lines', () => {
  const r = parseLine('2025-02-11 21:30:06,554 INFO gestion.views batch 1/42 sent to 10 recipients', ctx)!;
  assert.equal(r.time!.toISOString(), '2025-02-11T20:30:06.554Z');
  assert.deepEqual(classifyMessage(r.message), { kind: 'progress', fields: { batch: 1, batches: 42, recipients: 10 } });
  assert.deepEqual(classifyMessage('INFO gestion.views envoi à 412 destinataires par lots de 10'), { kind: 'progress', fields: { total: 412, batchSize: 10 } });
  assert.equal(classifyMessage('Batch 3 / 7 SENT TO 9 recipients').kind, 'progress');
});

test('Postfix lines: deferred by rate (code + wording), connection timeouts, sent', () => {
  assert.equal(classifyMessage('4YXgK10Hn2z1xJ: to=<a@b.org>, relay=ssl0.ovh.net[1.2.3.4]:465, delay=1, delays=0/0/0/1, dsn=4.7.0, status=deferred (host ssl0.ovh.net[1.2.3.4] said: 421 4.7.0 Try again later, closing connection. (in reply to MAIL FROM command))', 'postfix/smtp').kind, 'smtp_rate_limit');
  assert.equal(classifyMessage('4YX: to=<a@b.org>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.org[1.2.3.4]:25: Connection timed out)', 'postfix/smtp').kind, 'smtp_connection');
  assert.equal(classifyMessage('4YX: to=<a@b.org>, relay=mx[1.2.3.4]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok)', 'postfix/smtp').kind, 'mail_sent');
});

test('kernel OOM lines prove an OOM kill; "Perhaps out of memory?" is only a hint', () => {
  assert.equal(classifyMessage('Out of memory: Killed process 1105 (gunicorn) total-vm:1843212kB, anon-rss:1402116kB, file-rss:2304kB, shmem-rss:0kB, UID:33 pgtables:3020kB oom_score_adj:0').kind, 'oom_kill');
  assert.equal(classifyMessage('gunicorn invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0').kind, 'oom_kill');
  assert.equal(classifyMessage('[2025-01-15 22:20:21 +0100] [1187] [ERROR] Worker (pid:1202) was sent SIGKILL! Perhaps out of memory?').kind, 'oom_hint');
});

const CHAINED = `[2025-03-18 21:05:18 +0100] [1088] [ERROR] Error handling request /adherents/communiquer/
Traceback (most recent call last):
  File "/usr/lib/python3.11/smtplib.py", line 398, in getreply
    line = self.file.readline(_MAXLINE + 1)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/ssl.py", line 1167, in read
    return self._sslobj.read(len, buffer)
ConnectionResetError: [Errno 104] Connection reset by peer

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/var/www/aquademie/gestion/views.py", line 50, in adherents_communiquer
    email.send()
  File "/usr/lib/python3.11/smtplib.py", line 401, in getreply
    raise SMTPServerDisconnected("Connection unexpectedly closed: "
smtplib.SMTPServerDisconnected: Connection unexpectedly closed: [Errno 104] Connection reset by peer
[2025-03-18 21:05:19 +0100] [1088] [INFO] next line`;

test('chained traceback in a text log (body lines without timestamps) becomes one event', () => {
  const events = interpret(parseText(CHAINED, ctx), { source: 'gunicorn_log' });
  assert.deepEqual(events.map((e) => e.kind), ['error', 'traceback', 'info']);
  const tb = events[1];
  assert.equal(tb.fields!.category, 'smtp_connection');
  assert.equal(tb.fields!.exception, 'smtplib.SMTPServerDisconnected');
  assert.equal(tb.fields!.chain, 'ConnectionResetError > smtplib.SMTPServerDisconnected');
  assert.equal(tb.fields!.path, '/adherents/communiquer/');
  assert.ok(tb.detail!.some((l) => l.includes('views.py", line 50, in adherents_communiquer')));
});

test('journal JSON: one entry per traceback line, gunicorn prefix inside MESSAGE, timestamps in UTC µs', () => {
  const base = { _SYSTEMD_UNIT: 'aquademie.service', _PID: '1187', SYSLOG_IDENTIFIER: 'gunicorn', _STREAM_ID: 'abc' };
  const lines = [
    '[2025-01-15 22:20:20 +0100] [1202] [ERROR] Error handling request /adherents/communiquer/',
    'Traceback (most recent call last):',
    '  File "/var/www/aquademie/gestion/views.py", line 52, in adherents_communiquer',
    '    time.sleep(3)',
    '  File "/var/www/aquademie/venv/lib/python3.11/site-packages/gunicorn/workers/base.py", line 204, in handle_abort',
    '    sys.exit(1)',
    'SystemExit: 1',
    '[2025-01-15 22:20:20 +0100] [1202] [INFO] Worker exiting (pid: 1202)',
  ];
  const json = lines.map((m, i) => JSON.stringify({ ...base, __REALTIME_TIMESTAMP: String(1736976020614402 + i * 30), MESSAGE: m })).join('\n');
  const events = interpret(parseJournal(json, ctx), { source: 'journal' });
  assert.deepEqual(events.map((e) => e.kind), ['error', 'traceback', 'info']);
  assert.equal(events[0].time, '2025-01-15T21:20:20.614Z');
  assert.equal(events[0].fields!.pid, 1202);
  assert.equal(events[1].fields!.category, 'worker_abort');
  // binary MESSAGE (array of bytes) and null (too large)
  const bin = JSON.stringify({ ...base, __REALTIME_TIMESTAMP: '1736976020000000', MESSAGE: [...Buffer.from('[CRITICAL] WORKER TIMEOUT (pid:7)')] });
  assert.equal(interpret(parseJournal(bin, ctx), { source: 'journal' })[0].kind, 'worker_timeout');
});

test('journal export format, with a multi-line binary-framed MESSAGE', () => {
  const msg = 'Traceback (most recent call last):\n  File "/x/views.py", line 1, in f\nValueError: boom';
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(Buffer.byteLength(msg)));
  const exp = `__CURSOR=s=1\n__REALTIME_TIMESTAMP=1736976020000000\n_SYSTEMD_UNIT=aquademie.service\nSYSLOG_IDENTIFIER=gunicorn\nMESSAGE\n${size.toString('latin1')}${msg}\n_PID=1187\n\n__CURSOR=s=2\n__REALTIME_TIMESTAMP=1736976021000000\nMESSAGE=[2025-01-15 22:20:21 +0100] [1187] [INFO] Booting worker with pid: 30417\n\n`;
  const events = interpret(parseJournal(exp, ctx), { source: 'journal' });
  assert.deepEqual(events.map((e) => e.kind), ['traceback', 'worker_boot']);
  assert.equal(events[0].fields!.exception, 'ValueError');
  assert.equal(events[1].time, '2025-01-15T21:20:21.000Z');
});

test("Django's verbose formatter (level first) and its traceback in a log file", () => {
  const text = `ERROR 2025-01-15 22:20:20,123 log 1202 140234 Internal Server Error: /adherents/communiquer/
Traceback (most recent call last):
  File "/var/www/aquademie/gestion/views.py", line 50, in adherents_communiquer
    email.send()
ValueError: bad header
INFO 2025-01-15 22:21:00,000 views 1201 1 other`;
  const events = interpret(parseText(text, ctx), { source: 'django_logs' });
  assert.deepEqual(events.map((e) => e.kind), ['error', 'traceback', 'info']);
  assert.equal(events[0].time, '2025-01-15T21:20:20.123Z');
  assert.equal(events[1].fields!.path, '/adherents/communiquer/');
});
