/** The host-side filter (find | zgrep | awk) really run by bash on files: rotations, .gz, window hours, continuations. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWindow, catalogue, DEFAULT_PROFILE, PlaybookSource } from '../../src/core/index';
import { LocalRunner } from '../../src/transport/local';
import { assertReadOnly } from './readonly-check';
import { syslogWant } from '../../src/core/catalogue/want';

let root: string;
const window = buildWindow({ at: '2025-06-01 00:03', tz: 'Europe/Paris' }); // 23:58 → 00:13 local, crosses midnight
const runner = new LocalRunner();

const H = 'aquademie-prod';
const SYSLOG_KEPT = [
  `Jun  1 00:01:00 ${H} aquademie[812]: sending batch 3 of 12`,
  `Jun  1 00:02:00 ${H} gunicorn[812]: [2025-06-01 00:02:00 +0200] [812] [CRITICAL] WORKER TIMEOUT (pid:901)`,
  `Jun  1 00:03:00 ${H} kernel: [12345.678] Out of memory: Killed process 901 (gunicorn) total-vm:812345kB`,
  `Jun  1 00:03:05 ${H} systemd[1]: aquademie.service: Main process exited, code=killed, status=9/KILL`,
  `Jun  1 00:04:00 ${H} earlyoom[401]: sending SIGTERM to process 901 uid 33 "gunicorn"`,
  `Jun  1 00:04:30 ${H} python3[812]: ERROR gestion.views: SMTPServerDisconnected('Connection unexpectedly closed')`,
];
// traps: the old filter matched "aquademie" (the host's name) and "oom" (zoom, room) anywhere in a line
const SYSLOG_NOISE = [
  `Jun  1 00:01:01 ${H} CRON[2822]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)`,
  `Jun  1 00:01:30 ${H} dhclient[512]: DHCPREQUEST for 192.0.2.10 on eth0 to 192.0.2.1 port 67`,
  `Jun  1 00:02:30 ${H} zoom-updater[77]: checking the room list`,
  `Jun  1 00:02:40 ${H} postfix/anvil[2095]: statistics: max connection rate 1/60s for (smtp:192.0.2.7) at Jun  1 00:00:07`,
  `Jun  1 00:03:10 ${H} sshd[3001]: Accepted publickey for deploy from 192.0.2.44 port 50122 ssh2`,
];
const bySyslogTime = (a: string, b: string) => a.slice(0, 15).localeCompare(b.slice(0, 15));

before(() => {
  root = mkdtempSync(join(tmpdir(), 'il-filter-'));
  mkdirSync(join(root, 'var/log/nginx'), { recursive: true });
  mkdirSync(join(root, 'var/log/aquademie'), { recursive: true });
  const acc = (d: string, p: string, st: number) => `203.0.113.50 - - [${d} +0200] "POST ${p} HTTP/1.1" ${st} 145 "-" "Mozilla/5.0"`;
  writeFileSync(join(root, 'var/log/nginx/access.log.2.gz'), gzipSync(acc('30/May/2025:23:58:30', '/adherents/communiquer/', 500) + '\n'));
  writeFileSync(join(root, 'var/log/nginx/access.log.1'), [acc('31/May/2025:18:00:00', '/adherents/communiquer/', 500), acc('31/May/2025:23:58:30', '/adherents/communiquer/', 500), acc('31/May/2025:23:59:00', '/static/x.css', 200)].join('\n') + '\n');
  writeFileSync(join(root, 'var/log/nginx/access.log'), [acc('01/Jun/2025:00:03:01', '/adherents/communiquer/', 500), acc('01/Jun/2025:00:04:00', '/autre/', 502)].join('\n') + '\n');
  writeFileSync(
    join(root, 'var/log/aquademie/gunicorn.log'),
    [
      '[2025-05-31 19:00:00 +0000] [1] [ERROR] Error handling request /old/',
      'Traceback (most recent call last):',
      '  File "/x.py", line 1, in f',
      'OldError: outside the window',
      '[2025-05-31 22:05:12 +0000] [1096] [ERROR] Error handling request /adherents/communiquer/',
      'Traceback (most recent call last):',
      '  File "/var/www/aquademie/gestion/views.py", line 50, in adherents_communiquer',
      'ValueError: inside the window (UTC log)',
    ].join('\n') + '\n',
  );
  // the app folder: its own log, and logs inside a virtualenv, node_modules and .git that are never read
  ['logs', 'venv/lib/python3.11/site-packages/pkg', '.venv/x', 'node_modules/pkg', '.git/logs', 'myvenv'].forEach((d, k) => {
    mkdirSync(join(root, 'var/www/aquademie', d), { recursive: true });
    writeFileSync(join(root, 'var/www/aquademie', d, 'app.log'), `2025-06-01 00:05:0${k},120 ERROR gestion.views sending failed in ${d}\n`);
  });
  // a host named like the app: its name is in EVERY line, so the filter must look at the line's program, not the line
  writeFileSync(join(root, 'var/log/syslog'), [...SYSLOG_KEPT, ...SYSLOG_NOISE].sort(bySyslogTime).join('\n') + '\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

async function fetch(id: string): Promise<{ src: PlaybookSource; out: string }> {
  const src = catalogue(DEFAULT_PROFILE, window, { root }).find((s) => s.id === id)!;
  assertReadOnly(src.command);
  const r = await runner.run(src.command, { timeoutMs: 20_000 });
  return { src, out: r.stdout };
}

test('nginx access: current and rotated files read, the window hours kept, only the send screen and 5xx', async () => {
  const { src, out } = await fetch('nginx_access');
  assert.match(out, /@@ incident-lens file: \/var\/log\/nginx\/access\.log\.1/);
  assert.match(out, /31\/May\/2025:23:58:30/);
  assert.match(out, /01\/Jun\/2025:00:03:01/);
  assert.match(out, /"POST \/autre\/ HTTP\/1\.1" 502/, '5xx of any path');
  assert.doesNotMatch(out, /31\/May\/2025:18:00:00/, 'hours outside the window (local and UTC) are filtered on the host');
  assert.doesNotMatch(out, /static\/x\.css/, 'only the send screen and 5xx');
  const events = src.parse(out, window);
  assert.deepEqual(events.map((e) => e.time), ['2025-05-31T21:58:30.000Z', '2025-05-31T22:03:01.000Z', '2025-05-31T22:04:00.000Z']);
});

test('gunicorn log in UTC: traceback bodies follow their timestamped line, old ones are dropped', async () => {
  const { src, out } = await fetch('gunicorn_log');
  assert.match(out, /inside the window/);
  assert.doesNotMatch(out, /outside the window/);
  const tb = src.parse(out, window).find((e) => e.kind === 'traceback')!;
  assert.equal(tb.time, '2025-05-31T22:05:12.000Z');
  assert.equal(tb.fields!.exception, 'ValueError');
});

test('a log that does not exist is reported on stderr as "No such file"', async () => {
  const src = catalogue(DEFAULT_PROFILE, window, { root }).find((s) => s.id === 'mail_err')!;
  const r = await runner.run(src.command, { timeoutMs: 20_000 });
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /\/var\/log\/mail\.err: No such file or directory/);
});

test('trap: a log that does not exist starts neither find nor the window reader; a rotation alone is read', async () => {
  // a PATH with only what the existence test uses: find or perl started would say "command not found"
  const bin = mkdtempSync(join(tmpdir(), 'il-nofind-'));
  try {
    for (const p of ['ls', 'grep']) symlinkSync(execFileSync('/bin/bash', ['-c', `command -v ${p}`], { encoding: 'utf8' }).trim(), join(bin, p));
    const src = catalogue(DEFAULT_PROFILE, window, { root }).find((s) => s.id === 'mail_err')!;
    const r = execFileSync('/bin/bash', ['-c', `${src.command} 2>&1`], { env: { PATH: bin }, encoding: 'utf8' });
    assert.equal(r, '/var/log/mail.err: No such file or directory\n');
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
  writeFileSync(join(root, 'var/log/mail.err.1'), 'Jun  1 00:03:30 h postfix/smtp[1]: warning: a rotation alone\n');
  try {
    const { out } = await fetch('mail_err');
    assert.match(out, /a rotation alone/);
  } finally {
    rmSync(join(root, 'var/log/mail.err.1'));
  }
});

test('syslog on a host named like the app: the app, its servers, the kernel and OOM lines travel; the host\'s other programs do not (trap)', async () => {
  const { src, out } = await fetch('syslog');
  const lines = out.split('\n').filter((l) => /^[A-Z][a-z][a-z] /.test(l));
  assert.deepEqual(lines, SYSLOG_KEPT);
  assert.ok(src.parse(out, window).length >= SYSLOG_KEPT.length);
  // the rest of the window is counted, not dropped
  assert.match(out, /@@ incident-lens summary: \d+ \w+ \d+/);
});

test('Django logs: the app folder is read, its virtualenv, node_modules and .git are not walked (a folder merely named like one is)', async () => {
  const { src, out } = await fetch('django_logs');
  assert.match(src.command, /-prune -o/);
  const from = (out.match(/ in (\S+)$/gm) ?? []).map((x) => x.slice(4)).sort();
  assert.deepEqual(from, ['logs', 'myvenv']);
});

test('real syslog lines of an app server under an identifier of its own (corpus: uWSGI log-syslog=app, gunicorn run by wsgi.sh) travel', () => {
  const want = syslogWant(DEFAULT_PROFILE);
  for (const f of ['uwsgi-syslog.log', 'gunicorn-syslog.log']) {
    const lines = readFileSync(join(__dirname, '../fixtures/corpus', f), 'utf8').split('\n').filter(Boolean);
    const travel = execFileSync('grep', ['-E', '-e', want], { input: lines.join('\n') + '\n', encoding: 'utf8' }).split('\n').filter(Boolean);
    // every line of the worker's life travels; only uWSGI's ordinary request line stays on the host
    assert.deepEqual(lines.filter((l) => !travel.includes(l)).map((l) => l.slice(16, 60)), f.startsWith('uwsgi') ? ['servername app: [pid: 97702|app: 0|req: 164/'] : []);
  }
});

test('a host without perl: the same command falls back to the full scan (find | zgrep | awk), same events', async () => {
  // a PATH holding every program of this machine but perl
  const bin = mkdtempSync(join(tmpdir(), 'il-noperl-'));
  try {
    for (const d of ['/usr/bin', '/bin']) {
      for (const f of readdirSync(d)) if (!/^perl/.test(f) && !existsSync(join(bin, f))) symlinkSync(join(d, f), join(bin, f));
    }
    for (const id of ['nginx_access', 'gunicorn_log', 'syslog', 'django_logs']) {
      const src = catalogue(DEFAULT_PROFILE, window, { root }).find((s) => s.id === id)!;
      const withPerl = (await runner.run(src.command, { timeoutMs: 20_000 })).stdout;
      const without = execFileSync('/bin/bash', ['-c', src.command], { env: { PATH: bin }, encoding: 'utf8' });
      assert.match(withPerl, /@@ incident-lens span: /, 'perl present: the window reader ran');
      assert.doesNotMatch(without, /@@ incident-lens span: /, 'perl absent: the full scan ran');
      const ev = (out: string) => src.parse(out, window).map((e) => [e.time, e.line, e.kind, e.detail]);
      assert.deepEqual(ev(without), ev(withPerl), id);
      assert.ok(ev(without).length > 0, id);
    }
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test('nginx site probe: grep for the plain site files, zgrep for a .gz one: the lines zgrep gives for each (trap)', async () => {
  const site = join(root, 'etc/nginx/sites-enabled');
  const avail = join(root, 'etc/nginx/sites-available');
  mkdirSync(site, { recursive: true });
  mkdirSync(avail, { recursive: true });
  mkdirSync(join(root, 'etc/nginx/conf.d'), { recursive: true });
  writeFileSync(join(avail, 'aquademie'), 'server {\n  proxy_read_timeout 90s;\n  proxy_pass http://app;\n}'); // no final newline
  symlinkSync(join(avail, 'aquademie'), join(site, 'aquademie')); // find -L follows it, as nginx does
  writeFileSync(join(root, 'etc/nginx/conf.d/old.conf.gz'), gzipSync('proxy_read_timeout 30s;\n'));
  writeFileSync(join(root, 'etc/nginx/nginx.conf'), "http {\n  log_format main '$remote_addr';\n}\n");
  try {
    const src = catalogue(DEFAULT_PROFILE, window, { root }).find((s) => s.id === 'nginx_site')!;
    assertReadOnly(src.command);
    assert.match(src.command, /-name '\*\.gz' -exec zgrep .* -o -exec grep /);
    const out = (await runner.run(src.command, { timeoutMs: 20_000 })).stdout;
    // the command as it was: every file through zgrep
    const before = src.command.replace(/ '\(' -name '\*\.gz' -exec zgrep .*? '\{\}' \+ '\)' \|/, " -print0 | xargs -0 -r zgrep -H -a -e '' -- |");
    assert.notEqual(before, src.command);
    const zg = (await runner.run(before, { timeoutMs: 20_000 })).stdout;
    const byFile = (s: string) => s.split(/^(?=@@ incident-lens file: )/m).sort();
    assert.deepEqual(byFile(out), byFile(zg));
    assert.match(out, /proxy_read_timeout 90s;\n {2}proxy_pass http:\/\/app;\n\}\n/);
    assert.match(out, /@@ incident-lens file: \/etc\/nginx\/conf\.d\/old\.conf\.gz\nproxy_read_timeout 30s;\n/, 'the .gz decompressed');
    assert.match(out, /log_format main/);
  } finally {
    rmSync(join(root, 'etc'), { recursive: true, force: true });
  }
});
