// The Python analysis on the loop and send shapes real views use (tree-sitter, no regular expressions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { py, sendsOf } from './pyHelpers';
import { bigViews } from './bigViews';

const ROOT = join(__dirname, '..', '..');

test('the sample view: email.send() line 50 in a for/range loop of 10 with a 3 s pause, unprotected', async () => {
  const [s, ...rest] = await sendsOf(readFileSync(join(ROOT, 'samples/aquademie/gestion/views.py'), 'utf8'));
  assert.equal(rest.length, 0);
  assert.equal(s.line, 50);
  assert.equal(s.column, 9);
  assert.equal(s.callee, 'email.send');
  assert.equal(s.kind, 'message.send');
  assert.equal(s.function, 'adherents_communiquer');
  assert.deepEqual(s.loop, { kind: 'for-range', line: 41, endLine: 52, variable: 'i', batchSizeExpr: 'batch_size', batchSize: 10, pauseExpr: '3', pause: 3 });
  assert.equal(s.protected, false);
  assert.equal(s.failSilently, false);
});

test('send_mail in a while loop that slices, literal size, pause from a constant', async () => {
  const [s] = await sendsOf(py(`
    import time
    from django.core.mail import send_mail
    PAUSE = 2.5

    def envoyer(dest):
        while dest:
            lot = dest[:50]   # cinquante
            dest = dest[50:]
            send_mail("s", "b", None, lot)
            time.sleep(PAUSE)
  `));
  assert.equal(s.kind, 'send_mail');
  assert.equal(s.loop.kind, 'while-slice');
  assert.equal(s.loop.batchSize, 50);
  assert.equal(s.loop.pause, 2.5);
  assert.equal(s.loop.pauseExpr, 'PAUSE');
  assert.equal(s.protected, false);
});

test('send_mass_mail over a chunked list comprehension, and connection.send_messages inside with get_connection()', async () => {
  const sends = await sendsOf(py(`
    from django.core import mail

    def a(messages, n=20):
        for chunk in [messages[i:i + n] for i in range(0, len(messages), n)]:
            mail.send_mass_mail(chunk)

    def b(msgs):
        with mail.get_connection() as connection:
            for i in range(0, len(msgs), 100):
                connection.send_messages(msgs[i:i + 100])
  `));
  assert.equal(sends.length, 2);
  assert.equal(sends[0].kind, 'send_mass_mail');
  assert.equal(sends[0].loop.kind, 'for-slice');
  assert.equal(sends[0].loop.batchSizeExpr, 'n');
  assert.equal(sends[1].kind, 'send_messages');
  assert.equal(sends[1].withConnection, true);
  assert.equal(sends[1].loop.batchSize, 100);
});

test('a project helper that wraps EmailMultiAlternatives(...).send() counts when called in a batch loop', async () => {
  const sends = await sendsOf(py(`
    from django.core.mail import EmailMultiAlternatives
    from more_itertools import chunked

    def envoyer_lot(sujet, lot):
        EmailMultiAlternatives(sujet, "corps", to=lot).send()

    class Vue:
        def post(self, dest):
            for lot in chunked(dest, 25):
                self.envoyer(lot)
                envoyer_lot("s", lot)
  `));
  assert.equal(sends.length, 1, JSON.stringify(sends));
  assert.equal(sends[0].kind, 'helper');
  assert.equal(sends[0].helper, 'envoyer_lot');
  assert.equal(sends[0].loop.kind, 'for-chunks');
  assert.equal(sends[0].loop.batchSize, 25);
  assert.equal(sends[0].function, 'post');
});

test('tabs, comments everywhere, and a loop already protected by try/except smtplib.SMTPException', async () => {
  const src = 'import smtplib\nfrom django.core.mail import EmailMessage\n\ndef f(d):\n\tbs = 10  # taille\n\tfor i in range(0, len(d), bs):  # lots\n\t\t# message\n\t\tm = EmailMessage("s", "b", to=d[i:i+bs])\n\t\ttry:\n\t\t\tm.send()  # envoi\n\t\texcept smtplib.SMTPException:\n\t\t\tpass\n\t\tm.send()\n';
  const sends = await sendsOf(src);
  assert.equal(sends.length, 2);
  assert.equal(sends[0].protected, true);
  assert.equal(sends[1].protected, false);
  assert.equal(sends[1].loop.batchSize, 10);
});

test('a try that only catches ValueError does not protect; bare except and Exception do', async () => {
  const sends = await sendsOf(py(`
    from django.core.mail import send_mail
    def f(d):
        for i in range(0, len(d), 5):
            try:
                send_mail("s", "b", None, d[i:i+5])
            except ValueError:
                pass
            try:
                send_mail("s", "b", None, d[i:i+5])
            except:
                pass
            try:
                send_mail("s", "b", None, d[i:i+5])
            except (KeyError, Exception) as e:
                print(e)
  `));
  assert.deepEqual(sends.map((s) => s.protected), [false, true, true]);
});

test('fail_silently=True is reported, on the call or on the connection', async () => {
  const sends = await sendsOf(py(`
    from django.core.mail import send_mail, get_connection, EmailMessage
    def f(d):
        for i in range(0, len(d), 10):
            send_mail("s", "b", None, d[i:i+10], fail_silently=True)
        with get_connection(fail_silently=True) as c:
            for i in range(0, len(d), 10):
                EmailMessage("s", "b", to=d[i:i+10], connection=c).send()
  `));
  assert.deepEqual(sends.map((s) => s.failSilently), [true, true]);
});

test('sends outside batch loops and non-mail .send() calls are not reported', async () => {
  const sends = await sendsOf(py(`
    from django.core.mail import EmailMessage
    def f(d, sock, signal):
        EmailMessage("s", "b", to=d).send()
        for x in d:
            sock.send(x)
        for i in range(0, len(d), 10):
            signal.send(sender=None)
  `));
  assert.deepEqual(sends, []);
});

test('a retry loop inside a bulk loop: the bulk send is still reported (its break leaves only the retry loop); a return leaves both', async () => {
  const sends = await sendsOf(py(`
    import smtplib
    from django.core.mail import send_mail
    def relancer(membres):
        for m in membres:
            for attempt in range(3):
                try:
                    send_mail("s", "b", None, [m.email])
                    break
                except smtplib.SMTPException:
                    continue
    def premier(membres):
        for m in membres:
            for attempt in range(3):
                send_mail("s", "b", None, [m.email])
                return
  `));
  assert.deepEqual(sends.map((s) => [s.line, s.function, s.loop.kind, s.loop.line, s.protected]), [[7, 'relancer', 'for-each', 4, true]]);
});

test('a 5,000-line views.py: the runbook loop near line 2,870 is found', async () => {
  const { text, sendLine } = bigViews(5000, 2870);
  const sends = await sendsOf(text);
  assert.equal(sends.length, 1);
  assert.equal(sends[0].line, sendLine);
  assert.ok(Math.abs(sendLine - 2870) < 20);
});
