import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessCauses } from '../../src/core/rules/causes';
import { estimateImpact } from '../../src/core/impact';
import { interpret } from '../../src/core/parse/interpret';
import { parseText } from '../../src/core/parse/text';
import { DEFAULT_PROFILE, buildWindow, LogEvent } from '../../src/core/index';
import { parseOutput } from '../../src/core/source-run';
import { catalogue } from '../../src/core/catalogue';
import { render } from '../../src/core/l10n';

const window = buildWindow({ at: '2025-01-15 22:20', tz: 'Europe/Paris' });
const ctx = { source: 'x', tz: 'Europe/Paris', ref: window.since };

function events(source: string, text: string): LogEvent[] {
  return interpret(parseText(text, { ...ctx, source }), { source });
}

function assess(evs: LogEvent[], facts = {}) {
  return assessCauses({ events: evs, profile: DEFAULT_PROFILE, facts: { notes: [], ...facts }, window });
}

const ABORT = `[2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)
[2025-01-15 22:20:20 +0100] [1202] [ERROR] Error handling request /adherents/communiquer/
Traceback (most recent call last):
  File "/var/www/aquademie/gestion/views.py", line 52, in adherents_communiquer
    time.sleep(3)
  File "/var/www/aquademie/venv/lib/python3.11/site-packages/gunicorn/workers/base.py", line 204, in handle_abort
    sys.exit(1)
SystemExit: 1
[2025-01-15 22:20:21 +0100] [1187] [ERROR] Worker (pid:1202) was sent SIGKILL! Perhaps out of memory?`;
const ACCESS_502 = '203.0.113.50 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "Mozilla/5.0"';

test('worker timeout + abort traceback + 502 on the send → http_timeout; "Perhaps out of memory?" is not an OOM kill', () => {
  const r = assess([...events('gunicorn_log', ABORT), ...events('nginx_access', ACCESS_502)], { gunicornTimeout: 120 });
  assert.equal(r.verdict, 'http_timeout');
  const http = r.causes.find((c) => c.id === 'http_timeout')!;
  assert.ok(http.evidence.some((e) => e.line.includes('WORKER TIMEOUT (pid:1202)')));
  assert.ok(http.evidence.some((e) => e.line.includes('handle_abort')));
  assert.ok(http.evidence.some((e) => e.line.includes('502 157')));
  assert.ok(r.causes.find((c) => c.id === 'oom_kill')!.confidence < 0.5);
  assert.ok(r.causes.find((c) => c.id === 'python_exception')!.confidence < 0.5);
  assert.match(render(http.explanation, 'fr'), /Gunicorn/);
});

test('the gunicorn OOM hint alone gives no verdict', () => {
  const r = assess(events('journal', '[2025-01-15 22:20:21 +0100] [1187] [ERROR] Worker (pid:1202) was sent SIGKILL! Perhaps out of memory?'));
  assert.equal(r.verdict, 'none');
});

test('a kernel OOM kill of gunicorn → oom_kill; of another process it is not the verdict', () => {
  const ours = assess(events('syslog', 'Jan 15 22:20:18 h kernel: [230928.220313] Out of memory: Killed process 1202 (gunicorn) total-vm:1843212kB, anon-rss:1402116kB, file-rss:2304kB, shmem-rss:0kB, UID:33 pgtables:3020kB oom_score_adj:0'));
  assert.equal(ours.verdict, 'oom_kill');
  const other = assess(events('syslog', 'Jan 15 22:20:18 h kernel: [230928.220313] Out of memory: Killed process 61233 (clamd) total-vm:1843212kB, anon-rss:1402116kB, file-rss:2304kB, shmem-rss:0kB, UID:0 pgtables:3020kB oom_score_adj:0'));
  assert.notEqual(other.verdict, 'oom_kill');
});

function smtpTraceback(excLine: string, frames = ['  File "/usr/lib/python3.11/smtplib.py", line 908, in sendmail', '    raise SMTPDataError(code, resp)']): string {
  return [
    '[2025-01-15 22:20:20 +0100] [1202] [ERROR] Error handling request /adherents/communiquer/',
    'Traceback (most recent call last):',
    '  File "/var/www/aquademie/gestion/views.py", line 50, in adherents_communiquer',
    '    email.send()',
    ...frames,
    excLine,
  ].join('\n');
}

test('SMTP rate limits are recognised by reply code and wording, not one sentence', () => {
  for (const exc of [
    "smtplib.SMTPDataError: (450, b'4.7.1 <END-OF-MESSAGE>: End-of-data rejected: Sorry, too many requests per time unit')",
    "smtplib.SMTPSenderRefused: (421, b'4.7.0 Try again later, closing connection. (MAIL)', 'asso@example.org')",
    "smtplib.SMTPRecipientsRefused: {'a@example.org': (451, b'4.7.1 received more than 10.3 messages for 1s')}",
    "smtplib.SMTPDataError: (554, b'5.7.1 sorry, too many emails (#5.7.1)')",
    "smtplib.SMTPDataError: (554, b'5.7.0 limit on the number of allowed outgoing messages was exceeded')",
    "smtplib.SMTPSenderRefused: (421, b'4.7.0 player771.ha.ovh.net Error: too many errors', 'asso@example.org')",
  ]) {
    const r = assess(events('journal', smtpTraceback(exc)));
    assert.equal(r.verdict, 'smtp_rate_limit', exc);
    assert.ok(r.causes[0].evidence.some((e) => e.line === exc), exc);
  }
  // a refusal that is not about rate: an unhandled exception, not a rate limit
  const other = assess(events('journal', smtpTraceback("smtplib.SMTPRecipientsRefused: {'x@nowhere.invalid': (450, b'4.1.2 <x@nowhere.invalid>: Recipient address rejected: Domain not found')}")));
  assert.equal(other.verdict, 'python_exception');
});

test('SMTP connection failures: refused, timed out in create_connection, disconnected, SSL', () => {
  const conn = ['  File "/usr/lib/python3.11/smtplib.py", line 1050, in __init__', '  File "/usr/lib/python3.11/socket.py", line 836, in create_connection', '    sock.connect(sa)'];
  for (const exc of ['ConnectionRefusedError: [Errno 111] Connection refused', 'TimeoutError: timed out', 'smtplib.SMTPServerDisconnected: Connection unexpectedly closed', 'ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)', 'socket.gaierror: [Errno -3] Temporary failure in name resolution']) {
    const r = assess(events('journal', smtpTraceback(exc, conn)));
    assert.equal(r.verdict, 'smtp_connection_error', exc);
  }
});

test('an unrelated exception (not the send) does not make a verdict; one in the send view does', () => {
  const unrelated = `[2025-01-15 22:20:20 +0100] [1201] [ERROR] Error handling request /adherents/export/
Traceback (most recent call last):
  File "/var/www/aquademie/gestion/exports.py", line 12, in export_csv
    row.strip()
AttributeError: 'NoneType' object has no attribute 'strip'`;
  assert.equal(assess(events('journal', unrelated)).verdict, 'none');
  const mine = unrelated.replace('/adherents/export/', '/adherents/communiquer/');
  assert.equal(assess(events('journal', mine)).verdict, 'python_exception');
});

test('errors outside the window are dropped before the rules (parseOutput)', () => {
  const src = catalogue(DEFAULT_PROFILE, window).find((s) => s.id === 'syslog')!;
  const out = 'Jan 14 03:12:44 h kernel: [1.0] Out of memory: Killed process 1202 (gunicorn) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:1kB oom_score_adj:0\n' +
    'Jan 15 22:31:10 h kernel: [2.0] Out of memory: Killed process 1203 (gunicorn) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:1kB oom_score_adj:0\n';
  const evs = parseOutput(src, out, { window, requestSlackMs: 0, isSendPost: () => false });
  assert.equal(evs.length, 0);
  assert.equal(assess(evs).verdict, 'none');
});

test('impact: timing estimate from WORKER TIMEOUT − --timeout, exact from progress lines', () => {
  const evs = [...events('journal', ABORT), ...events('nginx_access', ACCESS_502)];
  const im = estimateImpact({ events: evs, profile: DEFAULT_PROFILE, facts: { notes: [], gunicornTimeout: 120 }, window });
  assert.equal(im.estimate, true);
  assert.equal(im.requestStart, '2025-01-15T22:18:20.000+01:00');
  assert.equal(im.requestEnd, '2025-01-15T22:20:20.000+01:00');
  assert.equal(im.batchesSent, 29);
  const prog = [
    '2025-01-15 22:18:20,100 INFO gestion.views envoi à 412 destinataires par lots de 10',
    ...Array.from({ length: 17 }, (_, k) => `2025-01-15 22:18:${String(21 + k * 2).padStart(2, '0')},000 INFO gestion.views batch ${k + 1}/42 sent to 10 recipients`),
  ].join('\n');
  const im2 = estimateImpact({ events: [...events('django_logs', prog), ...events('journal', prog), ...events('nginx_access', ACCESS_502)], profile: DEFAULT_PROFILE, facts: { notes: [] }, window });
  assert.equal(im2.estimate, false);
  assert.equal(im2.batchesSent, 17);
  assert.equal(im2.recipientsSent, 170);
  assert.equal(im2.recipientsTotal, 412);
  assert.equal(im2.recipientsUnsent, 242);
  assert.equal(im2.requestStart, '2025-01-15T22:18:20.100+01:00');
});
