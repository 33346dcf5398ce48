// Lens evidence from real engine diagnoses: matched by traceback frames / request path and time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchEvidence, sameFile, type SendTarget } from '../../src/server/evidence';
import { evidencePayload } from '../../src/shared/evidence';
import { evidenceTitle } from '../../src/server/i18n';
import { loadDiagnosis } from './diagnoses';

const SEND: SendTarget = { path: '/home/me/aquademie/gestion/views.py', line: 50, endLine: 50, loopLine: 41, loopEndLine: 52, function: 'adherents_communiquer' };

test('SMTP rate limit: the 450 traceback (views.py line 50) and the 500 of the POST are tied to email.send()', () => {
  const { diagnosis } = loadDiagnosis('smtp-rate-limit');
  const m = matchEvidence(evidencePayload(diagnosis), SEND);
  assert.ok(m.matchedBy.includes('frame'));
  assert.equal(m.smtpErrors, 1, 'the same traceback in the journal and django.log counts once');
  assert.deepEqual(m.httpErrors, [{ status: '500', time: '21:31:17' }]);
  assert.equal(m.progress, '17/42');
  assert.equal(evidenceTitle(m, 'en'), '1 SMTP error · HTTP 500 21:31:17 · last batch 17/42');
  assert.equal(evidenceTitle(m, 'fr'), '1 erreur SMTP · HTTP 500 21:31:17 · dernier lot 17/42');
  assert.equal(m.primary?.source, diagnosis.causes.find((c) => c.id === 'smtp_rate_limit')!.evidence[0].source);
  assert.equal(m.primary?.lineNo, diagnosis.causes.find((c) => c.id === 'smtp_rate_limit')!.evidence[0].lineNo);
});

test('seed incident (worker timeout during the pause, line 52): worker timeout and the 502 at the host clock time', () => {
  const { diagnosis } = loadDiagnosis('seed-incident');
  const m = matchEvidence(evidencePayload(diagnosis), SEND);
  assert.equal(m.workerTimeout, '22:20:20');
  assert.ok(m.httpErrors.some((h) => h.status === '502' && h.time === '22:20:20'));
  const title = evidenceTitle(m, 'en')!;
  assert.match(title, /worker timeout 22:20:20/);
  assert.ok(m.primary, 'something to reveal');
});

test('a send in another view and another file gets no evidence', () => {
  const { diagnosis } = loadDiagnosis('smtp-rate-limit');
  const other = matchEvidence(evidencePayload(diagnosis), { ...SEND, path: '/x/compta/views.py', function: 'relances_cotisations' });
  assert.equal(other.events.length, 0);
  assert.equal(evidenceTitle(other, 'en'), undefined);
});

test('file matching on trailing path segments', () => {
  assert.ok(sameFile('/var/www/aquademie/gestion/views.py', 'C:\\work\\aquademie\\gestion\\views.py'));
  assert.ok(sameFile('gestion/views.py', '/a/b/gestion/views.py'));
  assert.ok(!sameFile('/var/www/aquademie/compta/views.py', '/a/gestion/views.py'));
});

test('URL routes are read from the URLconf (ROOT_URLCONF → include → path) and used to match the request', async () => {
  const { projectRoutes, routeMatches } = await import('../../src/python/routes');
  const { loadPythonParser } = await import('../../src/python/parser');
  const { join } = await import('node:path');
  const routes = projectRoutes(await loadPythonParser(), join(__dirname, '..', '..', 'samples', 'aquademie', 'gestion', 'views.py'));
  assert.deepEqual(routes.get('adherents_communiquer'), ['/adherents/communiquer/']);
  assert.deepEqual(routes.get('adherents_liste'), ['/adherents/']);
  assert.ok(routeMatches('/adherents/<int:pk>/envoyer/', '/adherents/12/envoyer/?x=1'));
  assert.ok(!routeMatches('/adherents/<int:pk>/envoyer/', '/adherents/12/'));
  // A view whose name shares no word with its URL is still tied to its request through the route.
  const { diagnosis } = loadDiagnosis('smtp-rate-limit');
  const noFrames = { ...diagnosis, codeLinks: [], sources: diagnosis.sources.map((s) => ({ ...s, events: s.events.filter((e) => e.kind !== 'traceback') })) };
  const target = { ...SEND, path: '/x/mailing/views.py', function: 'envoi_groupe' };
  assert.deepEqual(matchEvidence(evidencePayload(noFrames), target).matchedBy, []);
  const m = matchEvidence(evidencePayload(noFrames), { ...target, routes: ['/adherents/communiquer/'] });
  assert.deepEqual(m.matchedBy, ['request']);
  assert.deepEqual(m.httpErrors, [{ status: '500', time: '21:31:17' }]);
});

test('a send whose POST answered 302 but whose mail Postfix deferred is tied to that mail evidence (no "diagnose again")', () => {
  const { diagnosis } = loadDiagnosis('rate-via-postfix');
  assert.equal(diagnosis.verdict, 'smtp_rate_limit');
  const m = matchEvidence(evidencePayload(diagnosis), SEND);
  assert.ok(m.matchedBy.includes('request'), 'the POST of the send screen');
  assert.ok(m.smtpErrors >= 1, `Postfix's 421-4.7.28 after the POST counts (${m.smtpErrors})`);
  assert.match(evidenceTitle(m, 'en') ?? '', /SMTP error/);
  assert.ok(m.events.some((e) => e.source === 'mail_log' && /4Z31BCDFGHJ: to=<member1@example\.com>.*status=deferred/.test(e.line)), 'the app\'s own deferred message is among the tied events');
});

test('trap: root\'s cron mail deferred after a 302 POST is not tied to the send (another sender, same local Postfix)', () => {
  const { diagnosis } = loadDiagnosis('root-mail-after-302');
  assert.equal(diagnosis.verdict, 'none');
  const payload = evidencePayload(diagnosis);
  assert.ok(payload.events.some((e) => e.kind === 'smtp_connection' && e.fields?.queueId === '81571C2D'), 'root\'s deferrals are in the diagnosis (queue id 81571C2D)');
  assert.deepEqual(payload.appMail, [], 'no message of the app\'s sender in the Postfix log');
  const m = matchEvidence(payload, SEND);
  assert.ok(m.matchedBy.includes('request'), 'the 302 POST of the send screen');
  assert.equal(m.smtpErrors, 0, `root's mail counts as no SMTP error of the send: ${m.events.map((e) => e.line).join(' | ')}`);
  assert.ok(!m.events.some((e) => e.source === 'mail_log'), 'no Postfix line of root\'s message among the send\'s evidence');
  assert.doesNotMatch(evidenceTitle(m, 'en') ?? '', /SMTP/);
  // the same lines, as if root's message were the app's (the app's sender set to root, as pickup logs it): tied
  const asApp = { ...diagnosis, relay: { ...diagnosis.relay!, sender: 'root' } };
  assert.ok(matchEvidence(evidencePayload(asApp), SEND).smtpErrors >= 1, 'the rule ties by sender, not by never looking at mail');
});
