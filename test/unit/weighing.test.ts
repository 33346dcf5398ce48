/**
 * Evidence is weighed per event and per witness, not per line: an OOM block is one event, the retries of one
 * Postfix message are one event, and mail the app did not send (root's cron mail) or an OOM kill of another
 * process never convicts. Lines are real (test/fixtures/corpus sources), re-dated into the window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessCauses } from '../../src/core/rules/causes';
import { interpret } from '../../src/core/parse/interpret';
import { parseText } from '../../src/core/parse/text';
import { buildWindow, DEFAULT_PROFILE, LogEvent } from '../../src/core/index';
import type { HostFacts } from '../../src/core/facts';
import { render, verbatim } from '../../src/core/l10n';

const window = buildWindow({ at: '2025-01-15 22:20', tz: 'Europe/Paris' });
const events = (source: string, text: string): LogEvent[] => interpret(parseText(text, { source, tz: 'Europe/Paris', ref: window.since }), { source });
const assess = (evs: LogEvent[], facts: Partial<HostFacts> = {}) => assessCauses({ events: evs, profile: DEFAULT_PROFILE, facts: { notes: [], ...facts }, window });
const conf = (r: ReturnType<typeof assess>, id: string) => r.causes.find((c) => c.id === id)!.confidence;

// one OOM block of an unrelated perl process (ytmdl#71's shape: decision, kill, reaper, plus the invoker block)
const PERL_BLOCK = `Jan 15 22:19:02 aquademie-prod kernel: [230928.204113] perl invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
Jan 15 22:19:02 aquademie-prod kernel: [230928.205913] CPU: 0 PID: 22817 Comm: perl Not tainted 6.1.0-31-amd64 #1  Debian 6.1.128-1
Jan 15 22:19:02 aquademie-prod kernel: [230928.218513] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/cron.service,task=perl,pid=22817,uid=0
Jan 15 22:19:02 aquademie-prod kernel: [230928.220313] Out of memory: Killed process 22817 (perl) total-vm:1843212kB, anon-rss:1402116kB, file-rss:2304kB, shmem-rss:0kB, UID:0 pgtables:3020kB oom_score_adj:0
Jan 15 22:19:02 aquademie-prod kernel: [230928.265113] oom_reaper: reaped process 22817 (perl), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`;

test('one OOM block of another process is one event of memory pressure: no verdict, whatever its line count', () => {
  const once = assess(events('syslog', PERL_BLOCK));
  assert.equal(once.verdict, 'none');
  // the same block seen by journal -k, syslog and dmesg is still one event
  const thrice = assess([...events('syslog', PERL_BLOCK), ...events('kernel_oom', PERL_BLOCK), ...events('dmesg', PERL_BLOCK)]);
  assert.equal(thrice.verdict, 'none');
  assert.equal(conf(thrice, 'oom_kill'), conf(once, 'oom_kill'), 'repetition adds nothing');
  assert.ok(conf(once, 'oom_kill') < 0.2);
});

test("an OOM kill of the app's worker, tied by PID and cgroup, corroborated by systemd and the 502", () => {
  const block = PERL_BLOCK.replace(/perl/g, 'gunicorn').replace(/22817/g, '1202').replace('/system.slice/cron.service', '/system.slice/aquademie.service');
  const r = assess([
    ...events('kernel_oom', block),
    ...events('journal', '2025-01-15T22:19:02+01:00 aquademie-prod systemd[1]: aquademie.service: A process of this unit has been killed by the OOM killer.\n[2025-01-15 22:19:02 +0100] [1187] [ERROR] Worker (pid:1202) was sent SIGKILL! Perhaps out of memory?'),
    ...events('nginx_access', '203.0.113.50 - - [15/Jan/2025:22:19:02 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "Mozilla/5.0"'),
  ]);
  assert.equal(r.verdict, 'oom_kill');
  assert.ok(conf(r, 'oom_kill') >= 0.85, String(conf(r, 'oom_kill')));
  assert.equal(conf(r, 'http_timeout') < 0.5, true);
});

test('a python OOM victim in another cgroup (a cron script) is not the app', () => {
  const block = PERL_BLOCK.replace(/perl/g, 'python3');
  assert.equal(assess(events('syslog', block)).verdict, 'none');
});

// root's cron mail retried through Postfix (docker-mailserver#374's shape): six retries of ONE message
const ROOT_RETRIES = [0, 1, 2, 3, 4, 5].map((k) => {
  const ts = `Jan 15 22:${String(15 + k * 2).padStart(2, '0')}:25`;
  return `${ts} aquademie-prod postfix/qmgr[1434]: 81571C2D: from=<root@aquademie-prod.example.org>, size=642, nrcpt=1 (queue active)
${ts} aquademie-prod postfix/smtp[1436]: connect to mail.example.com[203.0.113.123]:25: Connection timed out
${ts} aquademie-prod postfix/smtp[1436]: 81571C2D: to=<root@mail.example.com>, orig_to=<root>, relay=none, delay=50784, delays=50754/0.01/30/0, dsn=4.4.1, status=deferred (connect to mail.example.com[203.0.113.123]:25: Connection timed out)`;
}).join('\n');

test("six retries of root's cron mail are one message the app never sent: no verdict", () => {
  const four = assess(events('mail_log', ROOT_RETRIES.split('\n').slice(0, 12).join('\n')));
  const six = assess(events('mail_log', ROOT_RETRIES));
  assert.equal(six.verdict, 'none');
  assert.equal(conf(six, 'smtp_connection_error'), conf(four, 'smtp_connection_error'), 'confidence follows meaning, not line count');
  assert.ok(conf(six, 'smtp_connection_error') < 0.1);
  // even when we do not know the app's sender
  assert.equal(assess(events('mail_log', ROOT_RETRIES), { appSender: 'tresorier@aquademie.example.org' }).verdict, 'none');
});

test("the app's own messages deferred by a provider rate limit (its sender, local Postfix) → smtp_rate_limit", () => {
  const mails = [1, 2, 3].map((k) => `Jan 15 22:2${k}:10 aquademie-prod postfix/qmgr[895]: 4Y${k}BCDFGHJ: from=<tresorier@aquademie.example.org>, size=4270, nrcpt=1 (queue active)
Jan 15 22:2${k}:11 aquademie-prod postfix/smtp[2031${k}]: 4Y${k}BCDFGHJ: to=<member${k}@example.com>, relay=alt1.aspmx.l.google.com[198.51.100.27]:25, delay=2, delays=0.1/0/0.9/1, dsn=4.7.28, status=deferred (host alt1.aspmx.l.google.com[198.51.100.27] said: 421-4.7.28 [203.0.113.88       4] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-x.x.xx users from spam, mail sent from your IP address has been temporarily 421-x.x.xx rate limited. z1si9679476pln.401 - gsmtp (in reply to end of DATA command))`).join('\n');
  const facts = { appSender: 'tresorier@aquademie.example.org', relay: { host: 'localhost', why: verbatim('settings.py'), localPostfix: true } };
  const r = assess(events('mail_log', mails), facts);
  assert.equal(r.verdict, 'smtp_rate_limit');
  const other = assess(events('mail_log', mails.replace(/tresorier@aquademie/g, 'newsletter@other')), facts);
  assert.equal(other.verdict, 'none', 'the same replies for another sender are not the app');
});

test("Gmail's 450-4.2.1 for one busy recipient is a plain deferral, not a rate limit", () => {
  const line = 'Jan 15 22:21:11 aquademie-prod postfix/smtp[2982]: 3A871140276: to=<member@example.com>, relay=ALT1.ASPMX.L.GOOGLE.COM[198.51.100.26]:25, delay=405, delays=404/0.39/0.23/0.04, dsn=4.2.1, status=deferred (host ALT1.ASPMX.L.GOOGLE.COM[198.51.100.26] said: 450-4.2.1 The user you are trying to contact is receiving mail at a rate that 450-4.2.1 prevents additional messages from being delivered. (in reply to RCPT TO command))';
  const r = assess(events('mail_log', `Jan 15 22:21:10 aquademie-prod postfix/qmgr[895]: 3A871140276: from=<tresorier@aquademie.example.org>, size=4270, nrcpt=1 (queue active)\n${line}`), { appSender: 'tresorier@aquademie.example.org' });
  assert.equal(r.verdict, 'none');
});

test('a slow page that still answered 302 is not a timeout', () => {
  const slow = '203.0.113.50 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 302 0 "-" "Mozilla/5.0" rt=118.204';
  const r = assess(events('nginx_access', slow), { gunicornTimeout: 120 });
  assert.equal(r.verdict, 'none');
  assert.ok(conf(r, 'http_timeout') < 0.3);
});

test('several WORKER TIMEOUTs at once are one witness, not several', () => {
  const wt = [7284, 7289, 7296].map((p) => `[2025-01-15 22:20:03 +0100] [1637] [CRITICAL] WORKER TIMEOUT (pid:${p})`).join('\n');
  assert.equal(conf(assess(events('gunicorn_log', wt)), 'http_timeout'), conf(assess(events('gunicorn_log', wt.split('\n')[0])), 'http_timeout'));
});

test('impact never overclaims: no start in the logs gives the most that could have been sent (0 possible), not a point estimate', async () => {
  const { estimateImpact } = await import('../../src/core/impact');
  const exc = `[2025-01-15 22:20:20 +0100] [1202] [ERROR] Error handling request /adherents/communiquer/
Traceback (most recent call last):
  File "/var/www/aquademie/gestion/views.py", line 31, in adherents_communiquer
    membres = list(Membre.objects.filter(actif=True).values_list("email", flat=True))
django.db.utils.OperationalError: server closed the connection unexpectedly`;
  const evs = [...events('journal', exc), ...events('nginx_access', '203.0.113.50 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 500 145 "-" "Mozilla/5.0"')];
  const im = estimateImpact({ events: evs, profile: DEFAULT_PROFILE, facts: { notes: [], gunicornTimeout: 300 }, window });
  assert.equal(im.recipientsSent, undefined, 'no "≈ 720 recipients sent" from a bound');
  assert.equal(im.batchesSent, undefined);
  assert.ok(typeof im.recipientsSentMax === 'number' && im.recipientsSentMax > 0);
  assert.match(render(im.summary, 'en'), /between 0 .* and \d+ recipients could have been sent — no point estimate/);
  assert.match(render(im.summary, 'fr'), /entre 0/);
});
