/**
 * The parsers and the classifier on REAL log lines taken from public bug reports and sample logs
 * (test/fixtures/corpus, each source named in its README; personal data replaced, formats untouched).
 * Prints the recognition count per format.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseText } from '../../src/core/parse/text';
import { parseJournal } from '../../src/core/parse/journal';
import { interpret } from '../../src/core/parse/interpret';
import { accessParsers } from '../../src/core/parse/nginxFormat';
import { isSmtpRateText } from '../../src/core/parse/classify';
import type { LogEvent } from '../../src/core/model';
import type { ParseContext } from '../../src/core/parse/record';

const DIR = resolve(__dirname, '..', 'fixtures', 'corpus');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
const counts: string[] = [];

function parse(file: string, extra: Partial<ParseContext> = {}): { events: LogEvent[]; unparsed: string[]; lines: number } {
  const text = read(file);
  const ctx: ParseContext = { source: 'x', tz: 'Europe/Paris', ref: new Date('2024-06-01T00:00:00Z'), ...extra };
  const unparsed: string[] = [];
  const events = interpret(parseText(text, ctx), { source: 'x', onUnparsed: (r) => unparsed.push(r.raw) });
  const lines = text.split('\n').filter((l) => l.trim()).length;
  const joined = events.reduce((n, e) => n + 1 + (e.detail?.length ?? 0), 0);
  counts.push(`${file.padEnd(22)} ${String(lines).padStart(3)} lines: ${String(events.length).padStart(3)} events (${joined} lines placed), ${unparsed.length} not understood`);
  return { events, unparsed, lines };
}
const kinds = (es: LogEvent[]) => es.map((e) => e.kind);

after(() => console.log(`\nrecognition on the real-world corpus:\n${counts.join('\n')}`));

test('gunicorn under another syslog identifier (wsgi.sh[pid]) and in its own log file', () => {
  const s = parse('gunicorn-syslog.log');
  assert.equal(s.unparsed.length, 0);
  assert.deepEqual(kinds(s.events).filter((k) => k !== 'info' && k !== 'error'), ['worker_timeout', 'worker_boot']);
  assert.equal(s.events[0].fields?.pid, 3129714, 'the worker that timed out, not the master');
  assert.equal(s.events[0].time, '2024-07-05T07:13:44.000Z', "gunicorn's own +0200 stamp wins over the syslog prefix");
  const g = parse('gunicorn.log');
  assert.equal(g.events.filter((e) => e.kind === 'worker_timeout').length, 5);
  assert.equal(g.events.filter((e) => e.kind === 'worker_killed').length, 4);
  assert.equal(g.events.filter((e) => e.kind === 'oom_hint').length, 1, '"Perhaps out of memory?" is only a hint');
  assert.ok(!g.events.some((e) => e.kind === 'oom_kill'));
});

test('uWSGI harakiri is a worker timeout; DAMN … died is the kill', () => {
  const u = parse('uwsgi-syslog.log');
  assert.deepEqual(kinds(u.events), ['info', 'worker_timeout', 'worker_timeout', 'worker_timeout', 'worker_timeout', 'worker_killed', 'worker_boot']);
  assert.equal(u.events[1].fields?.pid, 97702);
});

test('dmesg -T, raw [seconds] (with the boot time) and --time-format iso; old and new OOM forms', () => {
  const t = parse('dmesg-T.txt');
  assert.equal(t.unparsed.length, 0);
  const uv = t.events.find((e) => e.line.includes('Killed process 1483 (uvicorn)'))!;
  assert.equal(uv.kind, 'oom_kill');
  assert.equal(uv.fields?.process, 'uvicorn');
  assert.equal(uv.time, '2021-10-05T14:38:47.000Z', 'dmesg -T is the host local time');
  const old = t.events.find((e) => e.line.includes('Kill process 89746 (python) score 1031 or sacrifice child'))!;
  assert.equal(old.kind, 'oom_kill', 'the old kernels\' "Kill process … or sacrifice child" is the kill decision');
  assert.equal(old.fields?.pid, 89746);
  const inv = t.events.find((e) => e.line.includes('postgres invoked oom-killer'))!;
  assert.equal(inv.fields?.invoker, 'postgres');
  assert.equal(inv.fields?.process, undefined, 'the invoker is not the victim');
  const cg = t.events.find((e) => e.line.includes('oom-kill:constraint'))!;
  assert.equal(cg.fields?.process, 'python');
  assert.equal(cg.fields?.pid, 7899);

  const boot = new Date('2025-01-01T00:00:00Z');
  const raw = parse('dmesg-raw.txt', { bootTime: boot });
  assert.equal(raw.unparsed.length, 0);
  assert.ok(raw.events.filter((e) => e.kind === 'oom_kill').length >= 6);
  const cgroup = raw.events.find((e) => e.line.includes('Memory cgroup out of memory'))!;
  assert.equal(cgroup.fields?.process, 'uwsgi');
  assert.equal(cgroup.time, new Date(boot.getTime() + 7063247).toISOString());
  assert.ok(raw.events.some((e) => e.kind === 'oom_kill' && e.fields?.process === 'python2' && /or sacrifice child/.test(e.line)));

  const iso = parse('dmesg-iso.txt');
  assert.deepEqual(kinds(iso.events), ['oom_kill', 'oom_kill', 'oom_kill']);
  assert.equal(iso.events[0].time, '2021-10-05T14:38:47.204Z');
});

test('kernel lines in syslog: single-space day, zero-padded day, uptime prefix, the old form', () => {
  const k = parse('kern-syslog.log');
  assert.equal(k.unparsed.length, 0);
  const single = k.events.find((e) => e.line.startsWith('Mar 3 17:08:10'))!;
  assert.equal(single.kind, 'oom_kill');
  assert.equal(single.time, '2024-03-03T16:08:10.000Z');
  assert.equal(k.events.filter((e) => e.fields?.pid === 15889).length, 3, 'old form: decision, kill, reaper');
  assert.ok(k.events.some((e) => e.fields?.process === 'uvicorn'));
});

test('Postfix: provider rate limits vs a plain deferral for one recipient; every connection failure', () => {
  const p = parse('postfix.log');
  assert.equal(p.unparsed.length, 0);
  const by = (s: string) => p.events.find((e) => e.line.includes(s))!;
  assert.equal(by('dsn=4.2.1').kind, 'mail_deferred', 'Gmail 450-4.2.1: that user receives too much, not a limit on us');
  assert.equal(by('dsn=4.7.28').kind, 'smtp_rate_limit', 'Gmail 421-4.7.28 unusual rate');
  assert.equal(by('dsn=4.7.651').kind, 'smtp_rate_limit', 'Outlook 451 4.7.651');
  assert.equal(by('dsn=4.7.650').kind, 'smtp_rate_limit', 'Outlook 451 4.7.650');
  assert.equal(by('refused to talk to me: 421 Refused').kind, 'smtp_connection');
  assert.equal(by('refused to talk to me: 554').kind, 'smtp_connection');
  assert.equal(by(':25: Cannot assign requested address').kind, 'smtp_connection');
  assert.equal(by(':25: Network is unreachable').kind, 'smtp_connection');
  assert.equal(by('connect to nine.testrun.org[198.51.100.41]:25: Connection timed out').kind, 'smtp_connection');
  assert.equal(by('lost connection with etb-2').kind, 'smtp_connection');
  assert.equal(by('SSL_connect error to 198.51.100.2[198.51.100.2]:25: -1').kind, 'smtp_connection');
  assert.equal(by('while sending RCPT TO').kind, 'smtp_connection');
  const rfc3339 = by('2017-11-21T14:44:51.577481+00:00');
  assert.equal(rfc3339.time, '2017-11-21T14:44:51.577Z', 'RFC 3339 syslog stamp');
  assert.equal(rfc3339.fields?.queueId, 'C948D1F7B3A');
  assert.equal(by('uid=0 from=<root>').fields?.from, 'root');
  assert.equal(by('relay=local').kind, 'mail_sent');
  assert.equal(by('4JgyGN3kgGzMCn').fields?.queueId, '4JgyGN3kgGzMCn', 'long queue ids (enable_long_queue_ids)');
});

test("the app's SMTP replies: OVH, connection-rate, Outlook, Swisscom limits; Gmail's per-recipient 4.2.1 is not one", () => {
  const lines = read('app-smtp-replies.txt').trim().split('\n');
  const verdicts = lines.map((l) => isSmtpRateText(l));
  assert.deepEqual(verdicts, [true, true, true, true, true, false]);
});

test('PostgreSQL: continuation lines belong to their entry', () => {
  const pg = parse('postgresql.log');
  assert.equal(pg.unparsed.length, 0);
  assert.equal(pg.events.length, 6, 'six entries, not one event per statement line');
  const st = pg.events.find((e) => e.line.includes('STATEMENT:'))!;
  assert.equal(st.detail?.length, 2);
  assert.equal(pg.events.find((e) => e.line.includes('bind S_26'))?.detail?.length, 6);
  assert.equal(pg.events.find((e) => e.line.includes('duplicate key'))?.kind, 'db_error');
});

test('nginx access in the declared format: JSON (escape=json, nested keys, $time_iso8601) and a custom text format', () => {
  for (const [log, conf] of [['nginx-json.log', 'nginx-json.conf'], ['nginx-json2.log', 'nginx-json2.conf'], ['nginx-custom.log', 'nginx-custom.conf']]) {
    const withFormat = parse(log, { accessFormats: accessParsers(read(conf), '/var/log/nginx/access.log') });
    assert.equal(withFormat.unparsed.length, 0, log);
    assert.equal(withFormat.events.length, withFormat.lines, log);
    const without = parse(log);
    assert.equal(without.events.length, 0, `${log}: without the declared format nothing is understood…`);
    assert.equal(without.unparsed.length, without.lines, `${log}: …and every line is counted as not understood`);
  }
  const j = parse('nginx-json.log', { accessFormats: accessParsers(read('nginx-json.conf'), '/var/log/nginx/access.log') });
  const post = j.events[1];
  assert.equal(post.kind, 'http_error');
  assert.deepEqual([post.fields?.method, post.fields?.path, post.fields?.status, post.fields?.requestTime], ['POST', '/adherents/communiquer/', 502, 61.204]);
  assert.equal(post.time, '2020-04-27T16:00:43.000Z');
  const c = parse('nginx-custom.log', { accessFormats: accessParsers(read('nginx-custom.conf'), '/var/log/nginx/access.log') });
  assert.deepEqual([c.events[0].fields?.method, c.events[0].fields?.status, c.events[0].fields?.requestTime], ['GET', 304, 0.001]);
});

test("journald PRIORITY is the level when the message has none", () => {
  const entry = (prio: number, msg: string) => JSON.stringify({ __REALTIME_TIMESTAMP: '1736976020000000', PRIORITY: String(prio), SYSLOG_IDENTIFIER: 'wsgi.sh', _PID: '2977068', MESSAGE: msg });
  const text = [entry(3, 'could not send the newsletter'), entry(6, 'ok'), entry(4, 'slow'), entry(2, '[2025-01-15 22:20:20 +0100] [1187] [INFO] Booting worker with pid: 1202')].join('\n');
  const es = interpret(parseJournal(text, { source: 'journal', tz: 'UTC', ref: new Date() }), { source: 'journal' });
  assert.deepEqual(kinds(es), ['error', 'info', 'warning', 'worker_boot']);
  assert.equal(es[3].fields?.level, 'INFO', "gunicorn's own level wins over the priority");
});
