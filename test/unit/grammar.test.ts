// The incident-log TextMate grammar (syntaxes/incident-log.tmLanguage.json), tokenized by vscode-textmate +
// vscode-oniguruma — the engine VS Code itself uses. Lines are real formats: the public sources are named next to
// each one (collected in the project's log-formats reference), the rest come from the seed fixtures under
// test/fixtures/hosts/ and from a real diagnosis of the seed incident.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from 'vscode-textmate';
import { FILE_MARK } from '../../src/core/parse/text';
import { diagnose, redactDeep, validateProfile } from '../../src/core/index';
import { LocalRunner } from '../../src/transport/local';

const ROOT = resolve(__dirname, '../..');
const GRAMMAR_PATH = join(ROOT, 'syntaxes/incident-log.tmLanguage.json');
const SCOPE = 'text.log.incident';
const SUFFIX = '.incident-log';

interface Token {
  text: string;
  start: number;
  end: number;
  scopes: string[];
}

let grammar: IGrammar;
let checks = 0;

before(async () => {
  await oniguruma.loadWASM(readFileSync(join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm')));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => (scopeName === SCOPE ? parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null),
  });
  const g = await registry.loadGrammar(SCOPE);
  assert.ok(g, 'grammar loads');
  grammar = g;
});

/** Tokenizes a document line by line (state carried over), as an editor does. */
function tokenizeLines(lines: string[]): Token[][] {
  let state: StateStack = INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, end: Math.min(t.endIndex, line.length), scopes: t.scopes }));
  });
}
const tokenize = (line: string): Token[] => tokenizeLines([line])[0];

function locate(line: string, text: string, nth: number): [number, number] {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = line.indexOf(text, at + 1);
    assert.notEqual(at, -1, `"${text}" (occurrence ${nth}) not in line: ${line}`);
  }
  return [at, at + text.length];
}
const overlapping = (tokens: Token[], s: number, e: number) => tokens.filter((t) => t.end > s && t.start < e);
const describe = (tokens: Token[]) => tokens.map((t) => `${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`).join('\n  ');

/** `text` (its nth occurrence in `line`) is exactly one or more whole tokens, all carrying `scope` + .incident-log. */
function expectScope(line: string, text: string, scope: string, nth = 0, tokens = tokenize(line)): void {
  const [s, e] = locate(line, text, nth);
  const hit = overlapping(tokens, s, e);
  const full = scope + SUFFIX;
  assert.ok(
    hit.length > 0 && hit[0].start === s && hit[hit.length - 1].end === e && hit.every((t) => t.scopes.includes(full)),
    `"${text}" should be token(s) scoped ${full} in: ${line}\n  ${describe(hit)}`,
  );
  checks++;
}

/** No part of `text` carries a scope starting with `prefix`. */
function expectNoScope(line: string, text: string, prefix: string, nth = 0, tokens = tokenize(line)): void {
  const [s, e] = locate(line, text, nth);
  const hit = overlapping(tokens, s, e);
  assert.ok(!hit.some((t) => t.scopes.some((sc) => sc.startsWith(prefix))), `"${text}" must not be scoped ${prefix}* in: ${line}\n  ${describe(hit)}`);
  checks++;
}

test('the grammar file matches the package contribution; every scope ends in .incident-log', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const contrib = pkg.contributes.grammars.find((g: { language: string }) => g.language === 'incident-log');
  assert.equal(contrib.scopeName, SCOPE);
  assert.equal(resolve(ROOT, contrib.path), GRAMMAR_PATH);
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'incident-log');
  assert.ok(existsSync(resolve(ROOT, lang.configuration)), 'language configuration exists');
  const conf = JSON.parse(readFileSync(resolve(ROOT, lang.configuration), 'utf8'));
  assert.deepEqual(conf.brackets, [['[', ']'], ['(', ')']]);
  assert.ok(conf.surroundingPairs.some((p: string[]) => p[0] === '"' && p[1] === '"'));

  const raw = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8'));
  assert.equal(raw.scopeName, SCOPE);
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'name' && typeof x === 'string') names.push(x);
        else walk(x);
      }
    }
  };
  walk(raw.repository);
  walk(raw.patterns);
  assert.ok(names.length > 50);
  for (const n of names) assert.ok(n.endsWith(SUFFIX) && /^[a-z][a-z0-9.-]+$/.test(n), `scope ${n}`);
});

/** A line, the text in it (its nth occurrence, 0 = first) and a scope (or, for `unscoped`, a scope prefix). */
type Row = [line: string, text: string, scope: string, nth?: number];

/** One table of the grammar: what parts of real lines must be scoped as, and what they must not be. */
interface GrammarCase {
  title: string;
  /** The text is exactly one or more whole tokens, all carrying the scope (+ .incident-log). */
  scoped: Row[];
  /** No part of the text carries a scope starting with the prefix. */
  unscoped?: Row[];
  /** Lines tokenized together as one document (state carried over): rows on these lines use that tokenization. */
  doc?: string[];
  /** Checks beyond scopes. */
  extra?: () => void;
}

// Django's default logging format (seed fixture django.log)
const dj = '2024-09-03 20:14:07,118 INFO django.server "GET /adherents/ HTTP/1.1" 200 14511';
const acc = '203.0.113.50 - - [15/Jan/2025:22:20:02 +0100] "GET / HTTP/1.1" 200 5490 "-" "curl/8.0"';
// journalctl short (DarrickTruong/cardsense `ls`, benoitc/gunicorn#2275): bracketed PID is the master's
const l = 'Mar 11 22:19:00 ip-172-31-5-20 gunicorn[3203]: [2020-03-11 22:19:00 +0000] [3222] [INFO] Booting worker with pid: 3222';
// the engine's own journal excerpt lines (src/core/parse/journal.ts: short-iso-precise shape)
const j = '2025-01-15T22:20:20.612+01:00 aquademie-prod gunicorn[1187]: [2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)';
// postfix identifiers carry a slash
const pf = 'Jan 15 18:02:01 aquademie-prod postfix/smtp[51214]: connect to mx.example.org[192.0.2.25]:25: Connection timed out';
const lv: [string, string, string][] = [
  ['[2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)', 'CRITICAL', 'invalid.illegal.level.critical'],
  ['[2025-01-15 22:20:20 +0100] [1202] [ERROR] Error handling request /adherents/communiquer/', 'ERROR', 'invalid.illegal.level.error'],
  ['[2025-01-15 22:20:21 +0100] [1187] [WARNING] Worker with pid 1202 was terminated due to signal 9', 'WARNING', 'markup.changed.level.warning'],
  ['[2025-01-15 22:20:21 +0100] [30417] [INFO] Booting worker with pid: 30417', 'INFO', 'keyword.other.level.info'],
  ['[2025-01-15 22:20:21 +0100] [30417] [DEBUG] Closing connection.', 'DEBUG', 'comment.other.level.debug'],
  ['2025-02-11 21:31:17,850 ERROR django.request Internal Server Error: /adherents/communiquer/', 'ERROR', 'invalid.illegal.level.error'],
  ['2024-09-03 20:15:52,880 WARNING django.request Not Found: /favicon.ico', 'WARNING', 'markup.changed.level.warning'],
  ['WARN: retrying in 3 s', 'WARN', 'markup.changed.level.warning'],
  ['NOTICE: the queue is empty', 'NOTICE', 'keyword.other.level.notice'],
  ['2025/01/15 22:20:20 [error] 812#812: *48213 upstream timed out (110: Connection timed out)', 'error', 'invalid.illegal.level.error'],
  ['2025/01/15 22:20:20 [crit] 812#812: *1 connect() to unix:/run/aquademie.sock failed (2: No such file or directory)', 'crit', 'invalid.illegal.level.critical'],
  ['2025/01/15 22:20:20 [warn] 812#812: *3 an upstream response is buffered to a temporary file', 'warn', 'markup.changed.level.warning'],
  ['2025/01/15 22:20:20 [notice] 811#811: signal process started', 'notice', 'keyword.other.level.notice'],
  ['2024-07-24 23:41:28.855 UTC [9937] user@db LOG:  could not receive data from client: Connection reset by peer', 'LOG', 'keyword.other.level.info'],
  ['2024-07-24 23:41:28.855 UTC [9937] user@db FATAL:  connection to client lost', 'FATAL', 'invalid.illegal.level.fatal'],
  ['2025-01-15 19:47:03.204 CET [27310] aquademie@aquademie ERROR:  duplicate key value violates unique constraint "gestion_adherent_email_key"', 'ERROR', 'invalid.illegal.level.error'],
  ['2025-01-15 19:47:03.204 CET [27310] aquademie@aquademie DETAIL:  Key (email)=(jean.dupont@example.org) already exists.', 'DETAIL', 'keyword.other.level.detail'],
  ['2024-07-24 23:41:28.855 UTC [9937] LOG:  PANIC:  could not write to file', 'PANIC', 'invalid.illegal.level.fatal'],
];
// negatives: ERROR inside a word, a lower-case "error" in prose, a setting, "Error" in a sentence
const prose = 'XERROR ERRORS ERROR_CODE DEBUG=False an error occurred';
// nginx combined (seed access.log); the 502 157 of the runbook's incident
const a502 = '203.0.113.50 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "https://aquademie.example.fr/adherents/communiquer/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:134.0) Gecko/20100101 Firefox/134.0"';
const cls: [string, string, string][] = [
  ['203.0.113.88 - - [15/Jan/2025:00:01:22 +0100] "GET /adherents/?page=2 HTTP/1.1" 200 9958 "https://aquademie.example.fr/" "Mozilla/5.0"', '200', 'markup.inserted.status.2xx'],
  ['198.51.100.140 - - [15/Jan/2025:00:32:27 +0100] "GET /static/js/app.js HTTP/1.1" 304 0 "https://aquademie.example.fr/adherents/" "Mozilla/5.0"', '304', 'support.constant.status.3xx'],
  ['198.51.100.200 - - [15/Jan/2025:22:09:12 +0100] "GET /wp-login.php HTTP/1.1" 404 179 "-" "Mozilla/5.0 (X11; Linux x86_64)"', '404', 'markup.changed.status.4xx'],
  ['198.51.100.7 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 504 167 "-" "curl/8.0"', '504', 'markup.deleted.status.5xx'],
  ['2024-09-03 20:14:07,118 INFO django.server "GET /adherents/ HTTP/1.1" 200 14511', '200', 'markup.inserted.status.2xx'],
];
// IPv6 client, the redacted forms the engine writes, nginx listen [::]
const v6 = '2001:db8:85a3::8a2e:370:7334 - - [15/Jan/2025:22:20:20 +0100] "GET / HTTP/1.1" 200 5490 "-" "curl/8.0"';
// nginx error: the request in quotes, no status after it
const err = '2025/01/15 22:20:20 [error] 812#812: *48213 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.50, server: aquademie.example.fr, request: "POST /adherents/communiquer/ HTTP/1.1", upstream: "http://unix:/run/aquademie.sock:/adherents/communiquer/", host: "aquademie.example.fr"';
const msg = 'Jan 15 22:20:20 aquademie-prod gunicorn[1187]: sent 500 mails in 12345 s, gunicorn 21.2.0 at 22:20:20';
const ng = '2025/01/15 22:20:20 [error] 812#812: *48213 upstream timed out (110: Connection timed out) while reading response header from upstream';
// gunicorn sequences (benoitc/gunicorn#3136, open-runtimes PR #330)
const w = '[2025-01-15 22:20:21 +0100] [1187] [WARNING] Worker with pid 1202 was terminated due to signal 9';
const k = '[2025-01-15 22:20:21 +0100] [1187] [ERROR] Worker (pid:1202) was sent SIGKILL! Perhaps out of memory?';
const wt = '[2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)';
const boot = '[2025-01-15 22:20:21 +0100] [30417] [INFO] Booting worker with pid: 30417';
const lines = [
    'Jan 15 22:20:20 aquademie-prod gunicorn[1187]: Traceback (most recent call last):',
    'Jan 15 22:20:20 aquademie-prod gunicorn[1187]:   File "/var/www/aquademie/gestion/views.py", line 52, in adherents_communiquer',
    'Jan 15 22:20:20 aquademie-prod gunicorn[1187]:     time.sleep(3)',
    'Jan 15 22:20:20 aquademie-prod gunicorn[1187]:   File "/var/www/aquademie/venv/lib/python3.11/site-packages/gunicorn/workers/base.py", line 204, in handle_abort',
    'Jan 15 22:20:20 aquademie-prod gunicorn[1187]:     sys.exit(1)',
    'Jan 15 22:20:20 aquademie-prod gunicorn[1187]: SystemExit: 1',
];
// the bare seed fixture frame (journal message), Python 3.11 carets, <module>
const bare = '  File "/var/www/aquademie/venv/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner';
// exception names (log-formats: smtplib/Django issues; seed fixtures)
const ex: [string, string, string?][] = [
  ['smtplib.SMTPServerDisconnected: Connection unexpectedly closed', 'SMTPServerDisconnected', 'smtplib.'],
  ["smtplib.SMTPRecipientsRefused: {'x@example.org': (450, b'4.1.2 <x@example.org>: Recipient address rejected: Domain not found')}", 'SMTPRecipientsRefused', 'smtplib.'],
  ["smtplib.SMTPDataError: (450, b'4.7.1 <END-OF-MESSAGE>: End-of-data rejected: Sorry, too many requests per time unit')", 'SMTPDataError', 'smtplib.'],
  ['TimeoutError: timed out', 'TimeoutError'],
  ['MemoryError', 'MemoryError'],
  ['ConnectionRefusedError: [Errno 111] Connection refused', 'ConnectionRefusedError'],
  ["AttributeError: 'NoneType' object has no attribute 'strip'", 'AttributeError'],
  ['django.db.utils.IntegrityError: duplicate key value violates unique constraint', 'IntegrityError', 'django.db.utils.'],
  ['socket.timeout: timed out', 'timeout', 'socket.'],
  ['    raise SMTPDataError(code, resp)', 'SMTPDataError'],
];
// SMTPSenderRefused 421 4.7.0 (iiuni/projektzapisy#640; seed cause-smtp-rate-limit)
const s421 = "smtplib.SMTPSenderRefused: (421, b'4.7.0 ssl0.ovh.net Error: too many errors', 'contact@aquademie.example.fr')";
// Postfix (docker-mailserver#374, Mailu/Mailu#1458; seed mail.log)
const def = 'Jan 15 18:02:01 aquademie-prod postfix/smtp[51214]: 4YZbP73Gkmz1xV: to=<claire.moreau@example.org>, relay=none, delay=30, delays=0.05/0.01/30/0, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.25]:25: Connection timed out)';
const sent = 'Jan 15 18:58:32 aquademie-prod postfix/smtp[52870]: 4YZbP73Gkmz1xV: to=<secretariat@example.org>, relay=mx.example.org[192.0.2.25]:25, delay=3420, delays=3418/0.02/0.61/1.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 7F2A1C0042)';
const said = 'postfix/smtp[2012]: 3F1A: to=<a@example.org>, relay=ssl0.ovh.net[193.70.18.144]:587, delay=1.1, dsn=4.7.0, status=deferred (host ssl0.ovh.net[193.70.18.144] said: 421 4.7.0 Try again later (in reply to MAIL FROM command))';
// aquarist-labs/aquarium#695, NixOS/nixpkgs PR #307068; seed kernel.tsv
const oom = 'Out of memory: Killed process 1234 (gunicorn) total-vm:912344kB, anon-rss:601220kB, file-rss:1880kB, shmem-rss:0kB, UID:33 pgtables:1544kB oom_score_adj:0';
const kill = 'Jul 10 22:05:17 host kernel: [159805.364253] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/aquademie.service,task=gunicorn,pid=1105,uid=33';
const inv = 'Apr  9 21:39:58 aquademie-prod kernel: [230928.204113] gunicorn invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0';
const reap = 'oom_reaper: reaped process 1105 (gunicorn), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB';
// RFC 3339 syslog, systemd (bennettoxford/openprescribing#5431)
const sd = '2026-02-08T00:40:07.136582+00:00 host systemd[1]: X.service: A process of this unit has been killed by the OOM killer.';
const started = 'Jan 12 09:41:31 aquademie-prod systemd[1]: Started aquademie.service - Gunicorn daemon for aquademie.';
const main = '2025-01-14T03:12:44.431+01:00 aquademie-prod systemd[1]: clamav-daemon.service: Main process exited, code=killed, status=9/KILL';
// seed cause-smtp-rate-limit (Django LOGGING to the console → journal)
const l2 = 'Feb 11 20:12:05 aquademie-prod gunicorn[1093]: INFO gestion.views batch 3/12 sent to 10 recipients';
const sep = `${FILE_MARK}/etc/systemd/system/aquademie.service`;
// an excerpt line cut inside a quoted string (MAX_EXCERPT_CHARS) must not colour the lines after it as a string
const cut = ['203.0.113.50 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "Mozilla/5.0 (Windows', '2025/01/15 22:20:20 [error] 812#812: *48213 upstream timed out'];

const CASES: GrammarCase[] = [
  {
    title: 'timestamps: ISO (T or space, fractions, offsets, Z, zone names), syslog, nginx error, nginx access, gunicorn, PostgreSQL',
    scoped: [
      // journalctl -o short-iso up to systemd 254 (+0200), 255+ (+02:00), short-iso-precise (systemd PRs #29134, #5884)
      ['2023-09-08T17:20:30+0200 host gunicorn[3203]: msg', '2023-09-08T17:20:30+0200', 'constant.numeric.timestamp.iso'],
      ['2023-09-08T17:20:30+02:00 host gunicorn[3203]: msg', '2023-09-08T17:20:30+02:00', 'constant.numeric.timestamp.iso'],
      ['2026-02-08T00:40:07.136582+00:00 host systemd[1]: X', '2026-02-08T00:40:07.136582+00:00', 'constant.numeric.timestamp.iso'],
      ['deployed at 2025-01-15T21:20:00Z by ci', '2025-01-15T21:20:00Z', 'constant.numeric.timestamp.iso'],
      // dmesg --time-format iso writes a comma
      ['2025-04-09T21:39:58,204113+02:00 gunicorn invoked oom-killer: gfp_mask=0x140cca', '2025-04-09T21:39:58,204113+02:00', 'constant.numeric.timestamp.iso'],
      [dj, '2024-09-03 20:14:07,118', 'constant.numeric.timestamp.iso'],
      // RFC 3164 syslog (seed syslog), also with the padded day
      ['Jan 15 22:20:02 aquademie-prod CRON[28227]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)', 'Jan 15 22:20:02', 'constant.numeric.timestamp.syslog'],
      ['Mar  2 20:40:05 aquademie-prod gunicorn[1094]: SystemExit: 1', 'Mar  2 20:40:05', 'constant.numeric.timestamp.syslog'],
      // a syslog time inside a message (postfix anvil)
      ['Jan 15 21:05:44 aquademie-prod postfix/anvil[1117]: statistics: max connection rate 1/60s for (smtp:192.0.2.25) at Jan 15 18:58:31', 'Jan 15 18:58:31', 'constant.numeric.timestamp.syslog'],
      // nginx error log and access log $time_local
      ['2025/01/15 22:20:02 [error] 812#812: *48213 upstream timed out', '2025/01/15 22:20:02', 'constant.numeric.timestamp.nginx'],
      [acc, '15/Jan/2025:22:20:02 +0100', 'constant.numeric.timestamp.clf'],
      [acc, '[', 'punctuation.definition.timestamp.begin'],
      // gunicorn datefmt [%Y-%m-%d %H:%M:%S %z] (benoitc/gunicorn#1771)
      ['[2025-01-15 22:20:02 +0100] [1187] [INFO] Starting gunicorn 21.2.0', '2025-01-15 22:20:02 +0100', 'constant.numeric.timestamp.iso'],
      // PostgreSQL log_line_prefix '%m [%p] ' (psycopg/psycopg2#1717; seed postgresql-15-main.log)
      ['2024-07-24 23:41:28.855 UTC [9937] user@db LOG:  could not receive data from client: Connection reset by peer', '2024-07-24 23:41:28.855 UTC', 'constant.numeric.timestamp.iso'],
      ['2025-01-15 22:20:02.123 CET [29876] aquademie@aquademie LOG:  could not receive data from client', '2025-01-15 22:20:02.123 CET', 'constant.numeric.timestamp.iso'],
      // kernel uptime prefix (dokku/dokku#4676)
      ['Jul 10 22:05:17 host kernel: [159805.364253] oom-kill:constraint=CONSTRAINT_NONE', '159805.364253', 'constant.numeric.timestamp.uptime'],
      ['[    0.000000] Linux version 6.1.0-31-amd64', '0.000000', 'constant.numeric.timestamp.uptime'],
    ],
    unscoped: [
      // negatives: a duration, a version, a level word after a time are not part of a timestamp
      ['postfix/smtp[52870]: 4YZbP73Gkmz1xV: delay=3420, delays=3418/0.02/0.61/1.2, dsn=2.0.0', '3420', 'constant.numeric.timestamp'],
      [dj, 'INFO', 'constant.numeric.timestamp'],
    ],
  },
  {
    title: 'journal and syslog headers: host, identifier, PID',
    scoped: [
      [l, 'ip-172-31-5-20', 'variable.other.hostname'],
      [l, 'gunicorn', 'entity.name.tag.ident'],
      [l, '3203', 'constant.numeric.pid'],
      [l, '3222', 'constant.numeric.pid'],
      [l, '3222', 'constant.numeric.pid', 1],
      [l, 'Booting worker', 'keyword.other.lifecycle.start'],
      [l, 'INFO', 'keyword.other.level.info'],
      [j, '2025-01-15T22:20:20.612+01:00', 'constant.numeric.timestamp.iso'],
      [j, 'aquademie-prod', 'variable.other.hostname'],
      [j, '1187', 'constant.numeric.pid'],
      [pf, 'postfix/smtp', 'entity.name.tag.ident'],
      [pf, '51214', 'constant.numeric.pid'],
      [pf, '192.0.2.25', 'constant.other.ipv4'],
      [pf, 'Connection timed out', 'markup.deleted.failure'],
    ],
  },
  {
    title: 'log levels: bracketed, bare, nginx lower case, PostgreSQL LEVEL: — and not inside words',
    scoped: [
      ...lv,

    ],
    unscoped: [
      [prose, 'XERROR', 'invalid.illegal.level'],
      [prose, 'ERRORS', 'invalid.illegal.level'],
      [prose, 'ERROR_CODE', 'invalid.illegal.level'],
      [prose, 'DEBUG', 'comment.other.level'],
      [prose, 'error', 'invalid.illegal.level'],
      ['[2025-01-15 22:20:20 +0100] [1202] [ERROR] Error handling request /x', 'Error', 'invalid.illegal.level'],
    ],
  },
  {
    title: 'HTTP: request line, methods, status classes, sizes, addresses — and no false statuses',
    scoped: [
      [a502, '203.0.113.50', 'constant.other.ipv4'],
      [a502, '"POST /adherents/communiquer/ HTTP/1.1"', 'string.quoted.double.request'],
      [a502, 'POST', 'keyword.other.http-method'],
      [a502, '/adherents/communiquer/', 'markup.underline.link.path'],
      [a502, 'HTTP/1.1', 'constant.other.protocol'],
      [a502, '502', 'markup.deleted.status.5xx'],
      [a502, '157', 'constant.numeric.bytes'],
      [a502, 'https://aquademie.example.fr/adherents/communiquer/', 'markup.underline.link.url'],
      [a502, '"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:134.0) Gecko/20100101 Firefox/134.0"', 'string.quoted.double'],
      ...cls,
      [cls[4][0], '14511', 'constant.numeric.bytes'],
      [v6, '2001:db8:85a3::8a2e:370:7334', 'constant.other.ipv6'],
      ['    listen [::]:443 ssl;', '::', 'constant.other.ipv6'],
      ['x.x.x.x - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "-"', 'x.x.x.x', 'constant.other.ip.redacted'],
      ['client: x:x::x, server: aquademie.example.fr', 'x:x::x', 'constant.other.ip.redacted'],
      [err, 'POST', 'keyword.other.http-method'],
      [err, '203.0.113.50', 'constant.other.ipv4'],
      [err, 'http://unix:/run/aquademie.sock:/adherents/communiquer/', 'markup.underline.link.url'],
      [err, 'upstream prematurely closed connection', 'markup.deleted.failure'],
    ],
    unscoped: [
      // negatives: a 5-digit number in a message, a 3-digit number not after a request line, times and versions
      [err, '48213', 'markup.deleted.status'],
      [err, '48213', 'constant.numeric.status'],
      ...['500', '12345'].flatMap((n) => ['markup.deleted.status', 'markup.inserted.status', 'markup.changed.status'].map((p): Row => [msg, n, p])),
      [msg, '21.2.0', 'constant.other.ip'],
      [msg, '21.2.0', 'constant.numeric.smtp'],
      [msg, '22:20:20', 'constant.other.ipv6', 1],
      ['Jan 12 00:00:01 aquademie-prod rsyslogd: [origin software="rsyslogd" swVersion="8.2302.0" x-pid="612"] rsyslogd was HUPed', '8.2302.0', 'constant.other.ip'],
      ['snmp: OID 1.3.6.1.4.1.2021 answered', '1.3.6.1', 'constant.other.ip'],
    ],
  },
  {
    title: 'PIDs: ident[pid], [pid], pid N / pid: N / (pid:N) / pid=N, nginx pid#tid: *conn',
    scoped: [
      [ng, '812', 'constant.numeric.pid'],
      [ng, '812', 'constant.numeric.tid', 1],
      [ng, '48213', 'constant.numeric.connection'],
      [ng, '110', 'constant.numeric.errno'],
      [w, '1187', 'constant.numeric.pid'],
      [w, 'pid', 'keyword.other.pid'],
      [w, '1202', 'constant.numeric.pid'],
      [w, 'was terminated due to signal', 'invalid.illegal.lifecycle.failure'],
      [k, '1202', 'constant.numeric.pid'],
      [k, 'SIGKILL', 'constant.language.signal'],
      ['[2025-01-15 22:20:20 +0100] [1202] [INFO] Worker exiting (pid: 1202)', '1202', 'constant.numeric.pid', 1],
      ['[2025-01-15 22:20:20 +0100] [1202] [INFO] Worker exiting (pid: 1202)', 'Worker exiting', 'keyword.other.lifecycle.stop'],
      ['oom-kill:constraint=CONSTRAINT_NONE,task=gunicorn,pid=1105,uid=33', '1105', 'constant.numeric.pid'],
      ['CPU: 0 PID: 1105 Comm: gunicorn Not tainted 6.1.0-31-amd64 #1  Debian 6.1.128-1', '1105', 'constant.numeric.pid'],
      ['2024-07-24 23:41:28.855 UTC [9937] user@db LOG:  connection received', '9937', 'constant.numeric.pid'],
      ['ConnectionResetError: [Errno 104] Connection reset by peer', '104', 'constant.numeric.errno'],
    ],
  },
  {
    title: 'gunicorn: WORKER TIMEOUT, booting, the SIGKILL line',
    scoped: [
      [wt, 'WORKER TIMEOUT', 'invalid.illegal.timeout.worker'],
      [wt, '1202', 'constant.numeric.pid'],
      [wt, 'pid', 'keyword.other.pid'],
      [boot, 'Booting worker', 'keyword.other.lifecycle.start'],
      [boot, '30417', 'constant.numeric.pid', 1],
      ['[2025-01-12 09:41:32 +0100] [1187] [INFO] Listening at: unix:/run/aquademie.sock (1187)', 'Listening at', 'keyword.other.lifecycle.start'],
    ],
    unscoped: [
      // "Perhaps out of memory?" follows every timeout (log-formats: pitfall) — it is not a kernel OOM line
      ['[2025-01-15 22:20:21 +0100] [1187] [ERROR] Worker (pid:1202) was sent SIGKILL! Perhaps out of memory?', 'out of memory', 'invalid.illegal.oom'],
    ],
  },
  {
    title: 'Python tracebacks: header, frames (path, line, function), carets, exception names',
    doc: lines,
    scoped: [
      [lines[0], 'Traceback (most recent call last):', 'markup.heading.traceback'],
      [lines[1], '/var/www/aquademie/gestion/views.py', 'string.quoted.double.path'],
      [lines[1], '52', 'constant.numeric.line'],
      [lines[1], 'adherents_communiquer', 'entity.name.function'],
      [lines[1], 'File', 'keyword.other.frame.file'],
      [lines[3], '204', 'constant.numeric.line'],
      [lines[3], 'handle_abort', 'entity.name.function'],
      [lines[5], 'SystemExit', 'entity.name.type.exception'],
      [bare, '55', 'constant.numeric.line'],
      [bare, 'inner', 'entity.name.function'],
      ['               ^^^^^^^^^^^^^^^^^^^^^', '^^^^^^^^^^^^^^^^^^^^^', 'comment.line.caret'],
      ['    ~~~~~~~~~~^^^^^^^^^^^^^^^^', '~~~~~~~~~~^^^^^^^^^^^^^^^^', 'comment.line.caret'],
      ['  File "/srv/app/manage.py", line 22, in <module>', '<module>', 'entity.name.function'],
      ...ex.flatMap(([line, name, mod]): Row[] => [[line, name, 'entity.name.type.exception'], ...(mod ? [[line, mod, 'entity.name.namespace'] as Row] : [])]),
      ['During handling of the above exception, another exception occurred:', 'During handling of the above exception, another exception occurred:', 'markup.heading.traceback.chain'],
      ['ConnectionRefusedError: [Errno 111] Connection refused', 'Connection refused', 'markup.deleted.failure'],
    ],
    unscoped: [
      [lines[2], 'time.sleep(3)', 'entity.name'],
      // negatives: "Error" alone, a lower-case module path, a file path mentioning smtplib
      ['Internal Server Error: /adherents/communiquer/', 'Error', 'entity.name.type'],
      ['INFO gestion.views batch 1/4 sent to 10 recipients', 'gestion.views', 'entity.name'],
      ['  File "/usr/lib/python3.11/smtplib.py", line 398, in getreply', 'smtplib', 'entity.name.type'],
    ],
  },
  {
    title: 'SMTP replies: reply codes by class, enhanced codes, dsn=, status=',
    scoped: [
      [s421, '421', 'markup.changed.smtp.4xx'],
      [s421, '4.7.0', 'constant.numeric.smtp.enhanced'],
      [s421, 'contact@aquademie.example.fr', 'markup.underline.link.email'],
      ["smtplib.SMTPDataError: (550, b'5.7.1 Message rejected')", '550', 'markup.deleted.smtp.5xx'],
      // OVH (claroline/Distribution#2267) and a 550 5.1.1 from a relay
      ['421 4.7.0 player771.ha.ovh.net Error: too many errors', '421', 'markup.changed.smtp.4xx'],
      ['421 4.7.0 player771.ha.ovh.net Error: too many errors', '4.7.0', 'constant.numeric.smtp.enhanced'],
      ['550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown', '550', 'markup.deleted.smtp.5xx'],
      ['550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown', '5.1.1', 'constant.numeric.smtp.enhanced'],
      ['450 4.7.0 try again later', '450', 'markup.changed.smtp.4xx'],
      ['sorry, too many emails (#5.7.1)', '5.7.1', 'constant.numeric.smtp.enhanced'],
      [def, '4.4.1', 'constant.numeric.smtp.enhanced'],
      [def, 'deferred', 'markup.changed.smtp.status.deferred'],
      [def, 'claire.moreau@example.org', 'markup.underline.link.email'],
      [sent, 'sent', 'markup.inserted.smtp.status.sent'],
      [sent, '250', 'markup.inserted.smtp.2xx'],
      [sent, '2.0.0', 'constant.numeric.smtp.enhanced'],
      [sent, '2.0.0', 'constant.numeric.smtp.enhanced', 1],
      [said, '421', 'markup.changed.smtp.4xx'],
      ['postfix/smtp[2012]: 3F1A: to=<a@example.org>, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.25] said: 550 5.1.1 User unknown (in reply to RCPT TO command))', 'bounced', 'markup.deleted.smtp.status.bounced'],
    ],
    unscoped: [
      // negatives: a byte count after a status and a postfix delay are not SMTP replies
      [sent, '3420', 'markup'],
      ['"GET / HTTP/1.1" 200 5490 "-" "curl/8.0"', '200', 'markup.inserted.smtp'],
    ],
  },
  {
    title: 'OOM lines: kernel, systemd, and what is not one',
    scoped: [
      [oom, 'Out of memory', 'invalid.illegal.oom'],
      [oom, 'Killed process', 'keyword.other.oom'],
      [oom, '1234', 'constant.numeric.pid'],
      [oom, 'gunicorn', 'entity.name.tag.process'],
      [kill, 'oom-kill', 'invalid.illegal.oom'],
      [kill, 'kernel', 'entity.name.tag.ident'],
      [inv, 'oom-killer', 'invalid.illegal.oom'],
      [inv, 'invoked', 'keyword.other.oom'],
      [inv, 'gunicorn', 'entity.name.tag.process'],
      [reap, 'oom_reaper', 'invalid.illegal.oom'],
      [reap, '1105', 'constant.numeric.pid'],
      [sd, 'OOM killer', 'invalid.illegal.oom'],
      [sd, 'A process of this unit has been killed', 'invalid.illegal.lifecycle.failure'],
      ["clamav-daemon.service: Failed with result 'oom-kill'.", 'oom-kill', 'invalid.illegal.oom'],
    ],
    unscoped: [
      ['oom_score_adj:0 oom-killed-ish', 'oom_score_adj', 'invalid.illegal.oom'],
    ],
  },
  {
    title: 'systemd lifecycle and units',
    scoped: [
      [started, 'Started', 'keyword.other.lifecycle.start'],
      [started, 'aquademie.service', 'support.class.unit'],
      ['Jan 12 09:41:20 aquademie-prod systemd[1]: Stopped aquademie.service - Gunicorn daemon for aquademie.', 'Stopped', 'keyword.other.lifecycle.stop'],
      [main, 'Main process exited', 'keyword.other.lifecycle.stop'],
      [main, 'clamav-daemon.service', 'support.class.unit'],
      ['2025-01-13 00:00:04.690304\tlogrotate\tsystemd\t1\t6\tlogrotate.service: Deactivated successfully.', 'Deactivated successfully', 'keyword.other.lifecycle.stop'],
      ["systemd[1]: aquademie.service: Failed with result 'timeout'.", 'Failed with result', 'invalid.illegal.lifecycle.failure'],
    ],
    unscoped: [
      // negatives: the words in the middle of a sentence
      ['Jan 15 22:20:20 aquademie-prod gunicorn[1187]: the job Started late and Stopped early', 'Started', 'keyword.other.lifecycle'],
      ['Jan 15 22:20:20 aquademie-prod gunicorn[1187]: the job Started late and Stopped early', 'Stopped', 'keyword.other.lifecycle'],
    ],
  },
  {
    title: "the product's progress line: batch k/N sent to M recipients",
    scoped: [
      [l2, 'batch', 'keyword.other.batch'],
      [l2, '3', 'constant.numeric.batch.index', 1],
      [l2, '12', 'constant.numeric.batch.total', 1],
      [l2, 'sent', 'markup.inserted.sent'],
      [l2, '10', 'constant.numeric.batch.recipients', 1],
      [l2, 'batch 3/12 sent to 10 recipients', 'meta.progress.batch'],
    ],
    unscoped: [
      ['batch_size = 10', 'batch_size', 'meta.progress.batch'],
    ],
  },
  {
    title: 'excerpt separators and notes written by the engine',
    doc: cut,
    scoped: [
      [sep, sep, 'comment.line.separator.file'],
      [sep, '/etc/systemd/system/aquademie.service', 'string.unquoted.path.file'],
      ['… (12 more lines not shown)', '… (12 more lines not shown)', 'comment.line.truncated'],
      ['… (1 more line not shown)', '… (1 more line not shown)', 'comment.line.truncated'],
      ['-- No entries --', '-- No entries --', 'comment.line.journal'],
      [cut[1], 'error', 'invalid.illegal.level.error'],
    ],
    unscoped: [
      [cut[1], '2025/01/15 22:20:20', 'string.quoted'],
    ],
    extra: () => {
      // nothing else is recognised inside a separator (the path holds no "service" unit scope or IPs)
      const t = tokenize(`${FILE_MARK}/var/log/nginx/10.0.0.1.log`);
      assert.ok(t.every((x) => x.scopes.includes('comment.line.separator.file.incident-log') && !x.scopes.some((s) => s.startsWith('constant.other.ip'))));
      checks++;
    },
  },
];

for (const c of CASES) {
  test(c.title, () => {
    const docTokens = new Map<string, Token[]>();
    if (c.doc) tokenizeLines(c.doc).forEach((tokens, i) => docTokens.set(c.doc![i], tokens));
    const tokens = (line: string) => docTokens.get(line) ?? tokenize(line);
    for (const [line, text, scope, nth = 0] of c.scoped) expectScope(line, text, scope, nth, tokens(line));
    for (const [line, text, prefix, nth = 0] of c.unscoped ?? []) expectNoScope(line, text, prefix, nth, tokens(line));
    c.extra?.();
  });
}

test('a real diagnosis of the seed incident: its excerpts are highlighted where it matters', async () => {
  const d = await diagnose(new LocalRunner(), {
    profile: validateProfile({}),
    at: '2025-01-15 22:20',
    tz: 'Europe/Paris',
    root: join(ROOT, 'test/fixtures/hosts/seed-incident'),
  });
  const byId = new Map(d.sources.map((s) => [s.id, s]));
  const lines = (id: string) => {
    const ex = byId.get(id)?.excerpt ?? '';
    assert.ok(ex, `source ${id} has an excerpt`);
    return ex.split('\n');
  };
  const find = (ls: string[], needle: string) => {
    const l = ls.find((x) => x.includes(needle));
    assert.ok(l, `an excerpt line holds ${needle}`);
    return l;
  };
  // unit file: the engine's separator line
  const unit = lines('unit_file');
  expectScope(unit[0], unit[0], 'comment.line.separator.file');
  expectScope(unit[0], '/etc/systemd/system/aquademie.service', 'string.unquoted.path.file');
  // nginx access: the 502 of the interrupted POST
  const acc = find(lines('nginx_access'), '"POST /adherents/communiquer/');
  expectScope(acc, '502', 'markup.deleted.status.5xx');
  expectScope(acc, 'POST', 'keyword.other.http-method');
  // syslog: the worker timeout and the traceback frame into views.py
  const sys = lines('syslog');
  const doc = tokenizeLines(sys);
  const frame = sys.findIndex((x) => x.includes('views.py'));
  assert.ok(frame >= 0, 'the syslog excerpt shows the views.py frame');
  expectScope(sys[frame], '/var/www/aquademie/gestion/views.py', 'string.quoted.double.path', 0, doc[frame]);
  expectScope(sys[frame], '52', 'constant.numeric.line', 0, doc[frame]);
  expectScope(sys[frame], 'adherents_communiquer', 'entity.name.function', 0, doc[frame]);
  const wt = sys.findIndex((x) => x.includes('WORKER TIMEOUT'));
  expectScope(sys[wt], 'WORKER TIMEOUT', 'invalid.illegal.timeout.worker', 0, doc[wt]);
  expectScope(sys[wt], '1202', 'constant.numeric.pid', 0, doc[wt]);
  // PostgreSQL: the dropped client
  const pg = find(lines('postgresql'), 'could not receive data');
  expectScope(pg, 'LOG', 'keyword.other.level.info');
  // the redacted report keeps addresses recognisable
  const red = redactDeep(d);
  const racc = red.sources.find((s) => s.id === 'nginx_access')!.excerpt.split('\n').find((x) => x.includes('" 502 '))!;
  assert.ok(racc, 'the redacted access excerpt still holds the 502');
  expectScope(racc, 'x.x.x.x', 'constant.other.ip.redacted');
  expectScope(racc, '502', 'markup.deleted.status.5xx');
});

test('every line of every fixture log tokenizes, covering the line, with no state leaking to the next line', () => {
  const hosts = join(ROOT, 'test/fixtures/hosts');
  const files: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
    else if (!/\.(py|json|md)$/.test(p)) files.push(p);
  };
  for (const h of readdirSync(hosts).sort()) walk(join(hosts, h));
  assert.ok(files.length >= 50, `fixture files found: ${files.length}`);
  const base = grammar.tokenizeLine('', INITIAL).ruleStack; // the root state, as after any complete line
  let lines = 0;
  for (const f of files) {
    const buf = readFileSync(f);
    const text = f.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
    let state: StateStack = INITIAL;
    for (const line of text.split('\n')) {
      const r = grammar.tokenizeLine(line, state);
      assert.equal(r.stoppedEarly, false, `${f}: ${line}`);
      assert.equal(r.tokens[0].startIndex, 0);
      for (let i = 1; i < r.tokens.length; i++) assert.equal(r.tokens[i].startIndex, r.tokens[i - 1].endIndex, `${f}: contiguous tokens`);
      assert.ok(r.tokens[r.tokens.length - 1].endIndex >= line.length, `${f}: the tokens cover the line`);
      assert.ok(r.ruleStack.equals(base), `${f}: no open rule after: ${line}`);
      state = r.ruleStack;
      lines++;
    }
  }
  assert.ok(lines > 5000, `lines tokenized: ${lines}`);
});

test('scope assertion count', (t) => {
  t.diagnostic(`${checks} scope assertions on tokens`);
  assert.ok(checks >= 150, `${checks} scope assertions`);
});
