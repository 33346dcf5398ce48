import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWindow, catalogue, DEFAULT_PROFILE, validateProfile } from '../../src/core/index';
import { assertReadOnly } from './readonly-check';
import { render } from '../../src/core/l10n';

const profiles = [
  DEFAULT_PROFILE,
  validateProfile({ unit: 'shop@2.service', appDir: '/srv/shop', urlPath: '/mail/send/', nginxAccessLog: '/var/log/nginx/shop.access.log', postgresLogGlob: '/var/log/postgresql/postgresql-16-*.log', smtpPort: 587 }),
];
const windows = [
  buildWindow({ at: '2025-01-15 22:20', tz: 'Europe/Paris' }),
  buildWindow({ since: '2025-03-30 01:30', until: '2025-03-30 03:30', tz: 'Europe/Paris' }), // DST gap
  buildWindow({ since: '2025-05-01 00:00', until: '2025-05-09 00:00', tz: 'America/New_York' }), // long: day patterns
];

function allCommands(): string[] {
  const out: string[] = [];
  for (const p of profiles)
    for (const w of windows)
      for (const root of [undefined, '/tmp/bundle dir'.replace(' ', '_')])
        for (const s of catalogue(p, w, { root })) {
          out.push(s.command);
          if (s.collectCommand) out.push(s.collectCommand);
        }
  return out;
}

test('every command the catalogue can build is read-only (allowlist, no redirection to files)', () => {
  const cmds = allCommands();
  assert.ok(cmds.length >= 100, `enumerated ${cmds.length} commands`);
  for (const c of cmds) assert.doesNotThrow(() => assertReadOnly(c), `not read-only: ${c}`);
});

test('the read-only checker refuses writing commands (so the test above can fail)', () => {
  for (const bad of [
    'rm -rf /var/log/nginx',
    'journalctl -u x > /tmp/out',
    'journalctl -u x >> /tmp/out',
    'cat /var/log/syslog | tee /tmp/copy',
    "sed -i 's/a/b/' /etc/passwd",
    'find /var/log -name x -delete',
    'find /var/log -exec rm {} +',
    "find /var/log -exec grep -H -e '' -- '{}' + -o -exec rm '{}' +",
    "find /var/log -exec grep -e x '{}' ';'",
    "find /var/log -execdir grep -e x '{}' +",
    // a `;` ends the first -exec (find's own rule): the second runs rm on every name
    "find /var/log -exec grep -e x ';' -exec rm '{}' +",
    "find /var/log -exec grep -e x -- ';' -o -exec rm -f '{}' +",
    "awk '{ print > \"/tmp/x\" }' /var/log/syslog",
    "awk 'BEGIN { system(\"id\") }'",
    'journalctl --vacuum-time=1s',
    'systemctl restart aquademie',
    'echo $(id)',
    'cat `id`',
    'date -s 2020-01-01',
    'dmesg -C',
    'sleep 100 &',
    'xargs -0 rm',
  ]) {
    assert.throws(() => assertReadOnly(bad), `should refuse: ${bad}`);
  }
});

test('every source has an id, labels, a runbook command and machine-friendly journal output', () => {
  const w = windows[0];
  const srcs = catalogue(DEFAULT_PROFILE, w);
  const ids = srcs.map((s) => s.id);
  for (const id of ['journal', 'gunicorn_log', 'nginx_error', 'nginx_access', 'django_logs', 'mail_log', 'mail_err', 'syslog', 'postgresql', 'kernel_oom', 'dmesg', 'host_systemctl', 'host_free', 'host_df', 'host_ps', 'host_smtp_conn', 'unit_file', 'nginx_site', 'host_tz']) {
    assert.ok(ids.includes(id), `missing source ${id}`);
  }
  assert.equal(new Set(ids).size, ids.length);
  for (const s of srcs) {
    assert.ok(render(s.label, 'en') && render(s.label, 'fr') && s.runbookCommand, s.id);
  }
  const j = srcs.find((s) => s.id === 'journal')!;
  assert.match(j.command, /^journalctl -u 'aquademie\.service' --since '@1736975700' --until '@1736976600' -o json --no-pager;/);
  assert.match(j.runbookCommand, /journalctl -u aquademie --since "2025-01-15 22:15:00" --until "2025-01-15 22:30:00"/);
  // rotated and gzipped files are selected by name and modification time, read with zgrep
  const a = srcs.find((s) => s.id === 'nginx_access')!;
  assert.match(a.command, /-name 'access\.log\.\*'/);
  assert.match(a.command, /-newermt '@1736975700'/);
  assert.match(a.command, /zgrep -H -a/);
});

test('profile values with shell metacharacters are refused before any command is built', () => {
  for (const bad of [{ unit: 'aquademie;reboot' }, { appDir: '/var/www/$(id)' }, { urlPath: '/a b/' }, { nginxAccessLog: "/var/log/x'y" }, { unit: 'a|b' }, { smtpHost: 'ssl0.ovh.net;id' }]) {
    assert.throws(() => validateProfile(bad), /not allowed/, JSON.stringify(bad));
  }
});
