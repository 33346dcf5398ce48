// Item 7 of issue 11: impact that never overclaims. The per-recipient picture from the local Postfix (joined by
// queue id, the app's sender only) and "an exception before the send loop → 0 sent", each with traps that must not
// trigger them. Postfix lines: the real lines of test/fixtures/hosts/real-rate-gmail-via-postfix (mailinabox#1771)
// and real-trap-root-cron-mail (docker-mailserver#374); the database traceback's library frames and message:
// sissbruecker/linkding#423 (psycopg2 "could not connect to server: Connection refused"), under the app's view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateImpact } from '../../src/core/impact';
import { beforeLoop } from '../../src/core/before-loop';
import { interpret } from '../../src/core/parse/interpret';
import { parseText } from '../../src/core/parse/text';
import { DEFAULT_PROFILE, buildWindow, LogEvent, recipientsPicture, resendListText, maskAddress, renderMarkdown } from '../../src/core/index';
import { render, verbatim } from '../../src/core/l10n';

const HOSTS = join(__dirname, '..', 'fixtures', 'hosts');
const window = buildWindow({ at: '2025-03-02 21:00', before: '5m', after: '10m', tz: 'Europe/Paris' });
const ctx = { tz: 'Europe/Paris', ref: window.since };
const SENDER = 'tresorier@aquademie.example.fr';

function events(source: string, text: string): LogEvent[] {
  return interpret(parseText(text, { ...ctx, source }), { source });
}
const mailLog = (host: string) => events('mail_log', readFileSync(join(HOSTS, host, 'var', 'log', 'mail.log'), 'utf8'));
const RELAY = { host: 'localhost', why: verbatim('settings.py EMAIL_HOST=localhost'), localPostfix: true };

test('the app\'s mail in the local Postfix, per recipient by queue id: deferred ×3, root\'s cron mail left out', () => {
  const p = recipientsPicture(mailLog('real-rate-gmail-via-postfix'), { sender: SENDER, localPostfix: true }, 412)!;
  assert.ok(p, 'a picture');
  assert.deepEqual([p.queueIds, p.handedOver, p.sent, p.deferred, p.bounced, p.neverHandedOver, p.notReached, p.notReachedExact], [3, 3, 0, 3, 0, 409, 412, true]);
  assert.deepEqual(p.resend, ['member1@example.com', 'member2@example.com', 'member3@example.com']);
  assert.ok(!p.outcomes.some((o) => o.address.startsWith('root')), 'root@ is not one of the app\'s recipients');
  assert.equal(p.outcomes[0].queueId, '4Z31BCDFGHJ');
  assert.equal(p.outcomes[0].dsn, '4.7.28');
  const file = resendListText(p);
  assert.match(file, /^member1@example\.com$/m, 'the export holds the full addresses (it is the explicit ask)');
  assert.match(file, /409 recipient\(s\) were never handed to Postfix/);
  assert.equal(maskAddress('member1@example.com'), 'm***@example.com');
  // VS Code's Export Resend List: masked as the report is unless asked, comment lines in the display language
  const masked = resendListText(p, { mask: true, lang: 'fr' });
  assert.deepEqual(masked.split('\n').filter((l) => l && !l.startsWith('#')), ['m***@example.com', 'm***@example.com', 'm***@example.com']);
  assert.match(masked, /^# 3 destinataire\(s\) que Postfix n'a pas servis \(différés 3, rejetés 0\)\.$/m);
  assert.match(masked, /^# Adresses masquées/m);
  assert.doesNotMatch(masked, /member\d@/);
  assert.doesNotMatch(file, /^# Addresses masked/m, 'the full list says nothing of masking');
});

test('trap: root\'s cron mail (six retries of one message) is not the app\'s recipients', () => {
  const evs = mailLog('real-trap-root-cron-mail');
  assert.ok(evs.some((e) => e.fields?.queueId), 'the lines parse');
  assert.equal(recipientsPicture(evs, { sender: SENDER, localPostfix: true }), undefined, 'the app\'s sender sent nothing');
  assert.equal(recipientsPicture(evs, { localPostfix: true }), undefined, 'no sender known: root is still a system sender');
  assert.equal(recipientsPicture(mailLog('real-rate-gmail-via-postfix'), { sender: SENDER, localPostfix: false }), undefined, 'the app talks to a remote relay: local Postfix is someone else\'s');
});

test('the picture reaches impact.recipients, the logged total moves to recipientsTotal, reports mask the addresses', () => {
  const access = events('nginx_access', '203.0.113.50 - - [02/Mar/2025:21:00:02 +0100] "POST /adherents/communiquer/ HTTP/1.1" 302 0 "-" "Mozilla/5.0"');
  const c = { events: [...mailLog('real-rate-gmail-via-postfix'), ...access], profile: DEFAULT_PROFILE, facts: { notes: [], appSender: SENDER, relay: RELAY }, window };
  const im = estimateImpact(c, { mailLogReadable: true });
  assert.equal(im.recipients?.deferred, 3);
  assert.match(render(im.summary, 'en'), /deferred 3/);
  assert.match(render(im.summary, 'en'), /m\*\*\*@example\.com/, 'the summary masks');
  assert.doesNotMatch(render(im.summary, 'en'), /member1@/);
  assert.equal(estimateImpact(c).recipients, undefined, 'a mail log not read (or not covering the window) gives no picture');
});

// the app's view building its recipients' list, then the real psycopg2 connection failure (linkding#423)
const DB_TRACEBACK = `2025-03-02 21:00:03,412 ERROR django.request Internal Server Error: /adherents/communiquer/
Traceback (most recent call last):
  File "/var/www/aquademie/venv/lib/python3.11/site-packages/django/core/handlers/base.py", line 197, in _get_response
    response = wrapped_callback(request, *callback_args, **callback_kwargs)
  File "/var/www/aquademie/gestion/views.py", line 36, in adherents_communiquer
    destinataires = list(Adherent.objects.exclude(email="").values_list("email", flat=True))
  File "/opt/venv/lib/python3.10/site-packages/django/db/backends/base/base.py", line 282, in ensure_connection
    self.connect()
  File "/opt/venv/lib/python3.10/site-packages/django/db/backends/postgresql/base.py", line 215, in get_new_connection
    connection = Database.connect(**conn_params)
  File "/opt/venv/lib/python3.10/site-packages/psycopg2/__init__.py", line 122, in connect
    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)
psycopg2.OperationalError: could not connect to server: Connection refused`;
const POST_500 = '203.0.113.50 - - [02/Mar/2025:21:00:03 +0100] "POST /adherents/communiquer/ HTTP/1.1" 500 145 "-" "Mozilla/5.0"';
const ROOT_MAIL = `Mar  2 21:00:01 aquademie-prod postfix/pickup[30211]: 81571C2D: uid=0 from=<root>
Mar  2 21:00:01 aquademie-prod postfix/qmgr[1102]: 81571C2D: from=<root@aquademie-prod.example.fr>, size=860, nrcpt=1 (queue active)`;

function dbCase(extra: LogEvent[] = [], django = DB_TRACEBACK) {
  return { events: [...events('django_logs', django), ...events('nginx_access', POST_500), ...events('mail_log', ROOT_MAIL), ...extra], profile: DEFAULT_PROFILE, facts: { notes: [], appSender: SENDER, relay: RELAY }, window };
}

test('an exception before the send loop → 0 sent, said with its proof (no start line in the logs: no range 0–N either)', () => {
  const im = estimateImpact(dbCase(), { mailLogReadable: true });
  assert.equal(im.recipientsSent, 0);
  assert.equal(im.batchesSent, 0);
  assert.equal(im.recipientsSentMax, undefined);
  assert.equal(im.estimate, false, 'read from the logs, not from timings');
  assert.match((im.beforeLoop ? render(im.beforeLoop.why, 'en') : ''), /OperationalError stopped the send before its first batch/);
  assert.match((im.beforeLoop ? render(im.beforeLoop.why, 'en') : ''), /received no message from tresorier@aquademie\.example\.fr/);
  assert.equal(im.attempts?.[0].beforeLoop, true);
  const md = renderMarkdown({ window: { since: '', until: '', tz: 'Europe/Paris' }, target: 'x', sources: [], causes: [], verdict: 'python_exception', impact: im, codeLinks: [] }, { redact: true });
  assert.match(md, /before its first batch/);
});

test('traps: a traceback after the loop started is never "before the loop"', () => {
  // without the mail log read, nothing proves zero: the range stays
  assert.equal(estimateImpact(dbCase()).beforeLoop, undefined);
  // the app's start line came before the traceback: the loop was reached
  const start = events('django_logs', '2025-03-02 21:00:02,100 INFO gestion.views envoi à 412 destinataires par lots de 10');
  assert.equal(estimateImpact(dbCase(start), { mailLogReadable: true }).beforeLoop, undefined);
  // the app's mail reached Postfix during the request: batches went out
  const mine = events('mail_log', 'Mar  2 21:00:02 aquademie-prod postfix/qmgr[1102]: 4Z30BCDFGHJ: from=<tresorier@aquademie.example.fr>, size=8412, nrcpt=10 (queue active)');
  assert.equal(estimateImpact(dbCase(mine), { mailLogReadable: true }).beforeLoop, undefined);
  // a mail traceback (smtplib frame) is the send itself
  const smtp = DB_TRACEBACK.replace('/opt/venv/lib/python3.10/site-packages/psycopg2/__init__.py', '/usr/lib/python3.11/smtplib.py');
  const c = dbCase([], smtp);
  const tb = c.events.find((e) => e.kind === 'traceback')!;
  assert.equal(beforeLoop(c, { end: Date.parse(tb.time) }, -Infinity, true), undefined);
});
