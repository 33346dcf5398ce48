/** The UI's pure parts: what the Diagnose steps accept, host path → workspace candidates, ~/.ssh/config aliases, and the Log Sources tree built from a real diagnosis of the seed bundle. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { diagnose, DEFAULT_PROFILE, type Diagnosis } from '../../src/core/index';
import { LocalRunner } from '../../src/transport/index';
import { isDate, isDuration, isTime, isTypedHost, pathCandidates, yesterday } from '../../src/ui/inputRules';
import { sshConfigAliases } from '../../src/ui/sshHosts';
import { childNodes, rootNodes, type Node } from '../../src/ui/tree/nodes';
import { shortLine } from '../../src/ui/tree/lineText';
import type { DiagnosisStore } from '../../src/ui/store';

const SEED = resolve(__dirname, '..', 'fixtures', 'hosts', 'seed-incident');

test('date, time, window and host inputs: real calendar, 24 h clock, durations, nothing a shell reads', () => {
  assert.ok(isDate('2025-01-15'));
  assert.ok(isDate('2024-02-29'));
  assert.ok(!isDate('2025-02-29'), 'not a leap year');
  assert.ok(!isDate('2025-1-15'));
  assert.ok(!isDate('15/01/2025'));
  assert.ok(isTime('22:20') && isTime('22:20:05') && isTime('00:00'));
  assert.ok(!isTime('24:00') && !isTime('22h20') && !isTime('9:05'));
  assert.ok(isDuration('5m') && isDuration('1h30m') && isDuration('90s') && isDuration('20'));
  assert.ok(!isDuration('') && !isDuration('five') && !isDuration('5m; reboot'));
  assert.ok(isTypedHost('deploy@203.0.113.10:2222') && isTypedHost('prod') && isTypedHost('[2001:db8::1]:22'));
  assert.ok(!isTypedHost('deploy@host;id') && !isTypedHost('-oProxyCommand=x') && !isTypedHost('a b'));
  assert.ok(!isTypedHost('deploy:S3cret@prod'), 'a password typed in the target is refused (it would be remembered and logged)');
  assert.ok(isTypedHost('deploy@[2001:db8::1]:22'));
});

test('the default date is yesterday (the runbook\'s "22:20 hier"), across a month and a year boundary', () => {
  assert.equal(yesterday(new Date(2026, 10, 24, 9, 0)), '2026-11-23');
  assert.equal(yesterday(new Date(2026, 2, 1, 0, 30)), '2026-02-28');
  assert.equal(yesterday(new Date(2027, 0, 1, 12)), '2026-12-31');
});

test('host paths map to workspace candidates, app-relative first, never a bare file name', () => {
  assert.deepEqual(pathCandidates('/var/www/aquademie/gestion/views.py', '/var/www/aquademie').slice(0, 2), ['gestion/views.py', 'var/www/aquademie/gestion/views.py']);
  // another app folder than the profile's: trailing segments still find it
  const other = pathCandidates('/srv/club/app/gestion/views.py', '/var/www/aquademie');
  assert.ok(other.includes('gestion/views.py'));
  assert.ok(!other.includes('views.py'));
  assert.deepEqual(pathCandidates('/views.py', '/var/www/aquademie'), []);
});

test('~/.ssh/config aliases: Host names without patterns, in order, deduplicated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'il-sshcfg-'));
  const f = join(dir, 'config');
  writeFileSync(f, ['Host prod aquademie', '  HostName 203.0.113.10', 'Host *.internal !bastion', 'host staging prod', 'Match host x', '  User y', ''].join('\n'));
  assert.deepEqual(sshConfigAliases(f), ['prod', 'aquademie', 'staging']);
  assert.deepEqual(sshConfigAliases(join(dir, 'missing')), []);
});

async function seedDiagnosis(): Promise<Diagnosis> {
  return diagnose(new LocalRunner(), { profile: DEFAULT_PROFILE, root: SEED, at: '2025-01-15 22:20', tz: 'Europe/Paris' });
}

function fakeStore(d: Diagnosis | undefined, over: Partial<DiagnosisStore> = {}): DiagnosisStore {
  return { state: d ? 'done' : 'empty', run: undefined, diagnosis: d, ...over } as unknown as DiagnosisStore;
}

test('tree of the seed diagnosis: Verdict first with its evidence, Impact, Code, sources, Host checks last', async () => {
  const d = await seedDiagnosis();
  const roots = rootNodes(fakeStore(d));
  const kinds = roots.map((n) => n.kind);
  assert.equal(kinds[0], 'verdict');
  assert.equal(kinds[1], 'impact');
  assert.ok(kinds.includes('code'));
  assert.ok(kinds.indexOf('checks') > kinds.lastIndexOf('source'), 'host checks after the log sources');
  const verdict = roots[0] as Extract<Node, { kind: 'verdict' }>;
  assert.equal(verdict.diagnosis.verdict, 'http_timeout');
  const causes = childNodes(verdict);
  assert.equal((causes[0] as Extract<Node, { kind: 'cause' }>).cause.id, 'http_timeout');
  const evidence = childNodes(causes[0]);
  assert.ok(evidence.some((e) => e.kind === 'evidence' && /WORKER TIMEOUT/.test(e.ref.line)));
  // every log source appears once, checks under their node, each with its events as children
  const sourceIds = roots.filter((n) => n.kind === 'source').map((n) => (n as Extract<Node, { kind: 'source' }>).source.id);
  const checks = childNodes(roots.find((n) => n.kind === 'checks')!).map((n) => (n as Extract<Node, { kind: 'source' }>).source.id);
  assert.deepEqual([...sourceIds, ...checks].sort(), d.sources.map((s) => s.id).sort());
  assert.ok(checks.includes('host_tz') && !sourceIds.includes('host_tz'));
  const access = roots.find((n) => n.kind === 'source' && n.source.id === 'nginx_access')!;
  const kids = childNodes(access);
  const events = (access as Extract<Node, { kind: 'source' }>).source.events;
  assert.ok(kids.length > 0);
  if (events.length > 25) {
    assert.ok(kids.every((k) => k.kind === 'group'), 'many lines are grouped by kind');
    assert.equal(kids.reduce((n, g) => n + (g as Extract<Node, { kind: 'group' }>).events.length, 0), events.length);
  } else assert.ok(kids.every((k) => k.kind === 'event'));
  // ids are unique (VS Code matches nodes by id to reveal and keep expansion)
  const ids = new Set<string>();
  const walk = (ns: Node[]) => ns.forEach((n) => { assert.ok(!ids.has(n.id), `duplicate id ${n.id}`); ids.add(n.id); walk(childNodes(n)); });
  walk(roots);
});

test('while running: a progress node then the sources finished so far; a failure shows its advice', async () => {
  const d = await seedDiagnosis();
  const running = rootNodes(fakeStore(undefined, { state: 'running', run: { args: {}, label: 'x', stage: 'probing', partial: d.sources.slice(0, 3) } } as Partial<DiagnosisStore>));
  assert.equal(running[0].kind, 'message');
  assert.equal(running.filter((n) => n.kind === 'source' || n.kind === 'checks').length > 0, true);
  const failed = rootNodes(fakeStore(undefined, { state: 'failed', run: { args: {}, label: 'x', partial: [], error: { message: 'connection refused', advice: 'is sshd running?' } } } as Partial<DiagnosisStore>));
  assert.deepEqual(failed.map((n) => n.kind), ['message']);
  assert.equal((failed[0] as Extract<Node, { kind: 'message' }>).detail, 'is sshd running?');
});

test('tree labels drop what the description already says (time, host, tag), whatever the log format', () => {
  const cases: [string, string][] = [
    ['2025-01-15T22:20:20.612+01:00 aquademie-prod gunicorn[1187]: [2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)', '[1187] [CRITICAL] WORKER TIMEOUT (pid:1202)'],
    ['Jan 15 22:20:20 aquademie-prod gunicorn[1187]:   File "/var/www/aquademie/gestion/views.py", line 52, in adherents_communiquer', 'File "/var/www/aquademie/gestion/views.py", line 52, in adherents_communiquer'],
    ['2025/01/15 22:20:20 [error] 812#812: *48213 upstream prematurely closed connection', '[error] 812#812: *48213 upstream prematurely closed connection'],
    ['x.x.x.x - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "Mozilla"', '"POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "Mozilla"'],
    ['Feb  3 04:05:06 host kernel: Out of memory: Killed process 1202 (gunicorn)', 'Out of memory: Killed process 1202 (gunicorn)'],
    ['2025-01-15 22:20:20,123 ERROR gestion.views batch 3/12 failed', 'ERROR gestion.views batch 3/12 failed'],
    // nothing recognisable: the line as it is
    ['SystemExit: 1', 'SystemExit: 1'],
  ];
  for (const [line, want] of cases) assert.equal(shortLine(line), want);
  assert.ok(shortLine('x'.repeat(500)).length <= 160);
});

test('a very busy source: grouped by kind, a kind with hundreds of lines split by minute, nothing lost', async () => {
  const d = structuredClone(await seedDiagnosis());
  const access = d.sources.find((s) => s.id === 'nginx_access')!;
  const t0 = Date.parse('2025-01-15T22:15:00+01:00');
  access.events = Array.from({ length: 1500 }, (_, i) => ({ time: new Date(t0 + i * 400).toISOString(), source: 'nginx_access', line: `GET /p/${i}`, kind: i % 100 ? ('request' as const) : ('http_error' as const), lineNo: i + 1 }));
  const node = rootNodes(fakeStore(d)).find((n) => n.kind === 'source' && n.source.id === 'nginx_access')!;
  const groups = childNodes(node) as Extract<Node, { kind: 'group' }>[];
  assert.deepEqual(groups.map((g) => [g.eventKind, g.events.length]), [['http_error', 15], ['request', 1485]], 'the failures first');
  assert.ok(childNodes(groups[0]).every((n) => n.kind === 'event'), '15 lines: listed');
  const minutes = childNodes(groups[1]) as Extract<Node, { kind: 'group' }>[];
  assert.equal(minutes.length, 10, '1485 lines over 10 minutes');
  assert.ok(minutes.every((m) => m.minute && m.events.length <= 150));
  assert.equal(minutes.reduce((n, m) => n + childNodes(m).length, 0), 1485);
});

test('an event points into the app at its innermost frame outside libraries (traceback line or body)', async () => {
  const { codeFrame } = await import('../../src/ui/tree/lineText');
  assert.deepEqual(codeFrame({ line: 'Jan 15 22:20:20 h gunicorn[1187]:   File "/var/www/aquademie/gestion/views.py", line 52, in adherents_communiquer' }), { file: '/var/www/aquademie/gestion/views.py', line: 52, function: 'adherents_communiquer' });
  assert.equal(codeFrame({ line: '  File "/var/www/aquademie/venv/lib/python3.11/site-packages/django/core/handlers/base.py", line 197, in _get_response' }), undefined);
  assert.equal(codeFrame({ line: '  File "/usr/lib/python3.11/smtplib.py", line 398, in getreply' }), undefined);
  const tb = {
    line: 'Traceback (most recent call last):',
    detail: [
      '  File "/srv/club/app/gestion/views.py", line 61, in envoyer',
      '  File "/srv/club/app/gestion/mail.py", line 12, in envoyer_lot',
      '  File "/usr/lib/python3.11/smtplib.py", line 398, in getreply',
      'smtplib.SMTPServerDisconnected: Connection unexpectedly closed',
    ],
  };
  assert.deepEqual(codeFrame(tb), { file: '/srv/club/app/gestion/mail.py', line: 12, function: 'envoyer_lot' }, 'another app folder, the innermost app frame');
  assert.equal(codeFrame({ line: 'GET /adherents/communiquer/ 200' }), undefined);
});
