import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble, buildWindow, DEFAULT_PROFILE, redactText, renderMarkdown, renderText, SourceResult } from '../../src/core/index';
import { interpret } from '../../src/core/parse/interpret';
import { parseText } from '../../src/core/parse/text';
import { msg, verbatim } from '../../src/core/l10n';

const window = buildWindow({ at: '2025-01-15 22:20', tz: 'Europe/Paris' });

function source(id: string, text: string): SourceResult {
  const events = interpret(parseText(text, { source: id, tz: window.tz, ref: window.since }), { source: id });
  return { id, label: verbatim(id), command: `cmd-${id}`, runbookCommand: `runbook-${id}`, status: events.length ? 'ok' : 'empty', events, excerpt: text };
}

const d = assemble('deploy@host:22', DEFAULT_PROFILE, window, { notes: [], gunicornTimeout: 120 }, [
  source('journal', '[2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)'),
  source('nginx_access', '203.0.113.50 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "Mozilla/5.0"'),
  source('mail_log', 'Jan 15 22:21:00 h postfix/smtp[9]: 4YX: to=<claire.moreau@example.org>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to mx[198.51.100.9]:25: Connection timed out)'),
  { id: 'gunicorn_log', label: verbatim('gunicorn'), command: 'c', status: 'missing', adviceText: msg('The file (or folder) does not exist on this host.'), events: [], excerpt: '' },
]);

test('redaction masks member e-mails and client IPs, keeps loopback and times', () => {
  assert.equal(redactText('to=<jean.dupont@example.org> client: 203.0.113.50 at 22:20:20 on 127.0.0.1'), 'to=<***@example.org> client: x.x.x.x at 22:20:20 on 127.0.0.1');
  assert.equal(redactText('PostgreSQL 15.10 (Debian 15.10-0+deb12u1)'), 'PostgreSQL 15.10 (Debian 15.10-0+deb12u1)');
  assert.equal(redactText('from 2001:db8::1 port'), 'from x:x::x port');
});

test('markdown report: window, target, verdict with evidence, causes, impact, per-source command/status/excerpt, recommendations', () => {
  const md = renderMarkdown(d);
  assert.match(md, /Window\*\*: 2025-01-15T22:15:00\.000\+01:00 → 2025-01-15T22:30:00\.000\+01:00 \(Europe\/Paris\)/);
  assert.match(md, /Target\*\*: deploy@host:22/);
  assert.match(md, /## Verdict: `http_timeout`/);
  assert.match(md, /WORKER TIMEOUT \(pid:1202\)/);
  assert.match(md, /## Impact \(estimate\)/);
  assert.match(md, /### gunicorn \(`gunicorn_log`\) — missing/);
  assert.match(md, /cmd-nginx_access/);
  assert.match(md, /runbook-nginx_access/);
  assert.match(md, /Send in bulk from an asynchronous task/);
  assert.doesNotMatch(md, /claire\.moreau|203\.0\.113\.50|198\.51\.100\.9/);
  const raw = renderMarkdown(d, { redact: false });
  assert.match(raw, /claire\.moreau@example\.org/);
  assert.match(raw, /203\.0\.113\.50/);
});

test('French report', () => {
  const md = renderMarkdown(d, { lang: 'fr' });
  assert.match(md, /\*\*Fenêtre\*\*/);
  assert.match(md, /Utiliser une tâche asynchrone/);
  assert.match(md, /L'envoi tournait dans la requête web/);
  const txt = renderText(d, { lang: 'fr' });
  assert.match(txt, /Verdict: http_timeout/);
});

test('markdown report names the sources that could not be read, next to the verdict (missing ones are not listed)', () => {
  const denied: SourceResult = { id: 'journal', label: verbatim('journald'), command: 'c', status: 'denied', adviceText: verbatim('add the user to systemd-journal'), events: [], excerpt: '' };
  const quiet = assemble('auditor@host:22', DEFAULT_PROFILE, window, { notes: [] }, [denied, { ...denied, id: 'nginx_error', status: 'timeout' }, { ...denied, id: 'mail_err', status: 'missing' }]);
  const md = renderMarkdown(quiet);
  assert.match(md, /- \*\*Not read\*\*: `journal` \(denied\), `nginx_error` \(timeout\) — the verdict only weighs what could be read/);
  assert.doesNotMatch(md.split('\n').find((l) => l.includes('Not read'))!, /mail_err/);
  assert.match(renderMarkdown(quiet, { lang: 'fr' }), /- \*\*Non lues\*\*: `journal` \(denied\)/);
  assert.doesNotMatch(renderMarkdown(d), /Not read/, 'all read: no such line');
});

test('e-mail addresses: the user part from its first word boundary, the domain kept; no address, nothing changed; a hostile line read right', () => {
  assert.equal(redactText('a <.j.dupont+x@mail.example.org>, b@c.d, x@@example.org'), 'a <.***@mail.example.org>, b@c.d, x@@example.org');
  assert.equal(redactText('first@example.org,second@example.net'), '***@example.org,***@example.net');
  const dots = 'a.'.repeat(16000);
  assert.equal(redactText(`${dots} tail`), `${dots} tail`, 'a 32 KiB line of a.a.a.… (was ~1 s of CPU) has no address');
  assert.equal(redactText(`${dots}b@example.org`), '***@example.org');
});

test('secrets a host file shows are masked whatever the redaction setting, and what the parsers need is kept', async () => {
  const { maskSecrets } = await import('../../src/core/index');
  assert.equal(
    maskSecrets('Environment="EMAIL_HOST_PASSWORD=S3cret" "DJANGO_SECRET_KEY=abc$def" DATABASE_URL=postgres://app:pw0rd@db/aq SENTRY_DSN=https://k@s.io/1'),
    'Environment="EMAIL_HOST_PASSWORD=«masked»" "DJANGO_SECRET_KEY=«masked»" DATABASE_URL=postgres://app:«masked»@db/aq SENTRY_DSN=«masked»',
  );
  assert.equal(maskSecrets("password: hunter2, api_key='xyz' token=abc.def"), 'password: «masked», api_key=«masked» token=«masked»');
  for (const keep of [
    'Jan 15 22:21:00 h postfix/smtp[9]: 4YX: to=<a@b.org>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to mx[198.51.100.9]:25: Connection timed out)',
    'FATAL:  password authentication failed for user "aquademie"',
    "DEBUG=False PASSWORD_RESET_TIMEOUT passed: 3 SystemExit: 1",
  ]) assert.equal(maskSecrets(keep), keep);
});

test('secret names are whole words: a name that holds the secret part anywhere is masked; a longer word, a word inside a masked value and a hostile repetition are read right', async () => {
  const { maskSecrets } = await import('../../src/core/index');
  assert.equal(maskSecrets('MY_API_KEY_V2 = k1 xTOKENy:t2'), 'MY_API_KEY_V2 = «masked» xTOKENy:«masked»');
  assert.equal(maskSecrets('DB_PASS_RO=p1 DB_PASSX=keep'), 'DB_PASS_RO=«masked» DB_PASSX=keep', '_PASS followed by a letter is another word');
  assert.equal(maskSecrets('secret="a b" next=TOKEN=x'), 'secret=«masked» next=TOKEN=«masked»');
  // a 32 KiB line repeating a secret part: still one word, masked once where a separator follows it
  const long = 'TOKEN'.repeat(6554);
  assert.equal(maskSecrets(`${long}=v ${long} tail`), `${long}=«masked» ${long} tail`);
  assert.equal(maskSecrets(`${'a.'.repeat(16000)} x://u:p@h`), `${'a.'.repeat(16000)} x://u:«masked»@h`);
});

test('the seed host\'s unit file has secrets in Environment=: no excerpt and no unredacted report shows them', async () => {
  const { diagnose } = await import('../../src/core/index');
  const { LocalRunner } = await import('../../src/transport/index');
  const { resolve } = await import('node:path');
  const seed = await diagnose(new LocalRunner(), { profile: DEFAULT_PROFILE, root: resolve(__dirname, '..', 'fixtures', 'hosts', 'seed-incident'), at: '2025-01-15 22:20', tz: 'Europe/Paris' });
  const unit = seed.sources.find((s) => s.id === 'unit_file')!;
  assert.match(unit.excerpt, /EMAIL_HOST_PASSWORD=«masked»/, 'the unit file was read');
  const everything = JSON.stringify(seed) + renderMarkdown(seed, { redact: false }) + renderText(seed);
  for (const secret of ['Plong33-Secret', 'Db-Secret-77']) assert.ok(!everything.includes(secret), `${secret} leaked`);
  assert.equal(seed.verdict, 'http_timeout', 'and the diagnosis is unchanged');
});
