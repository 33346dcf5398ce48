/** The central log host profile: its commands are read-only and quoted, its settings refused when unsafe, its hosts parsed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWindow, catalogue, DEFAULT_PROFILE, validateCentral } from '../../src/core/index';
import { centralHostsSource, parseCentralHosts } from '../../src/core/catalogue';
import { gatewayPath } from '../../src/core/gateway';
import { parseLine } from '../../src/core/parse/prefix';
import { assertReadOnly } from './readonly-check';

const w = buildWindow({ at: '2025-04-09 21:40', tz: 'Europe/Paris' });
const central = (extra: Record<string, unknown> = {}) => validateCentral({ host: 'app2', ...extra });

test('every central command is read-only; the store is read by _HOSTNAME, the unit kept afterwards', () => {
  const layouts = [undefined, '/srv/logs/{host}/current', '/var/log/hosts/{host}'];
  for (const treeLayout of layouts)
    for (const journalDir of [undefined, '/var/log/journal/remote/all.journal']) {
      const srcs = catalogue(DEFAULT_PROFILE, w, { central: central({ treeLayout, journalDir }) });
      for (const s of srcs) {
        assert.ok(!s.gateway, s.id);
        assert.doesNotThrow(() => assertReadOnly(s.command), `not read-only: ${s.command}`);
        if (s.collectCommand) assertReadOnly(s.collectCommand);
      }
    }
  const srcs = catalogue(DEFAULT_PROFILE, w, { central: central() });
  const ids = srcs.map((s) => s.id);
  assert.deepEqual(ids.slice(0, 3).sort(), ['central_hosts', 'central_zone', 'host_tz'], 'probes first');
  for (const absent of ['host_ps', 'host_free', 'dmesg', 'unit_file', 'nginx_site']) assert.ok(!ids.includes(absent), `${absent} describes the log host, not app2`);
  const j = srcs.find((s) => s.id === 'journal')!;
  assert.match(j.command, /^journalctl --directory '\/var\/log\/journal\/remote' '_HOSTNAME=app2' --since '@1744227300' --until '@1744228200' -o json --no-pager \| grep -E '"_SYSTEMD_UNIT":"aquademie\[\.\]service"\|"UNIT":/);
  assert.doesNotMatch(j.command, / -u /, 'no unit match: it would bisect entries of every host');
  const k = srcs.find((s) => s.id === 'kernel_oom')!;
  assert.match(k.command, /grep -E '"_TRANSPORT":"kernel"'/);
  const a = srcs.find((s) => s.id === 'nginx_access')!;
  assert.match(a.command, /find '\/var\/log\/remote\/app2' -maxdepth 1 -type f '\(' -name '\*nginx\*access\*' -o -name 'access\.log\*'/);
  assert.match(a.command, /echo '\/var\/log\/remote\/app2: No such file or directory' 1>&2/);
  const one = catalogue(DEFAULT_PROFILE, w, { central: central({ journalDir: '/var/log/journal/remote/all.journal' }) }).find((s) => s.id === 'journal')!;
  assert.match(one.command, /^journalctl --file '\/var\/log\/journal\/remote\/all\.journal' /);
});

test('through the gateway: a query, not a command; the window as a realtime cursor', () => {
  const srcs = catalogue(DEFAULT_PROFILE, w, { central: central({ gatewayPort: 19531 }) });
  const j = srcs.find((s) => s.id === 'journal')!;
  assert.ok(j.gateway);
  assert.equal(j.sudo, false);
  assert.deepEqual(j.gateway!.matches, ['_HOSTNAME=app2']);
  assert.deepEqual(j.gateway!.keep, ['_SYSTEMD_UNIT=aquademie.service', 'UNIT=aquademie.service', 'OBJECT_SYSTEMD_UNIT=aquademie.service']);
  assert.equal(j.gateway!.sinceUs, 1744227300_000_000);
  assert.match(j.command, /Range: entries=t=6325d909fc100:0:2000/);
  assert.equal(gatewayPath(['_HOSTNAME=app 2&x', 'UNIT=a=b']), '/entries?_HOSTNAME=app%202%26x&UNIT=a%3Db');
  // the text sources still come from the tree
  assert.ok(!srcs.find((s) => s.id === 'nginx_access')!.gateway);
});

test('unsafe or malformed settings are refused before any command is built', () => {
  for (const bad of [{ host: 'app2;reboot' }, { host: 'app 2' }, { host: '$(id)' }, { host: 'app2', journalDir: '/var/log/$(id)' }, { host: 'app2', treeLayout: '/var/log/remote' },
    { host: 'app2', treeLayout: '/var/log/{host}/{host}' }, { host: 'app2', treeLayout: "/var/log/'{host}" }, { host: 'app2', gatewayPort: 70000 }, { host: 'app2', gatewayPort: 1.5 }]) {
    assert.throws(() => validateCentral(bad as never), /not allowed|must contain \{host\}|port|empty/, JSON.stringify(bad));
  }
  assert.throws(() => catalogue(DEFAULT_PROFILE, w, { root: '/tmp/b', central: central() }), /cannot be read together/);
});

test('hosts present: journal _HOSTNAMEs and tree folders, merged, names checked; the tree root that holds them', () => {
  const out = 'journal app2\njournal app1\ntree /var/log/hosts/app1\ntree /var/log/hosts/app3\ntree /var/log/remote/lost+found\njournal \ntree /var/log/hosts/weird;name\ntree /var/log/remote/app1\ntree /var/log/hosts/app2\n';
  const listing = parseCentralHosts(out);
  assert.deepEqual(listing.hosts, [
    { host: 'app1', in: ['journal', 'tree'] },
    { host: 'app2', in: ['journal', 'tree'] },
    { host: 'app3', in: ['tree'] },
  ]);
  assert.equal(listing.treeRoot, '/var/log/hosts', 'the root with the most host folders');
  assert.equal(parseCentralHosts('journal app2\n').treeRoot, undefined);
  // the detecting probe looks at the usual roots, read-only
  const probe = centralHostsSource({ journalDir: '/var/log/journal/remote', treeLayout: '/var/log/remote/{host}' }, true);
  assertReadOnly(probe.command);
  assert.match(probe.command, /find '\/var\/log\/remote' '\/var\/log\/hosts' .* -mindepth 1 -maxdepth 1 -type d/);
});

// nginx logging through syslog (`access_log syslog:server=unix:/dev/log,tag=nginx`, as described in
// https://chabik.com/nginx-logging-to-syslog), written by the receiver with its RFC 3164 or RFC 3339 header
test('an nginx line inside a syslog line is read as the nginx line, with its own time', () => {
  const ctx = { source: 'nginx_access', tz: 'Europe/Paris', ref: w.since };
  const line = 'Apr  9 21:40:03 app2 nginx: 203.0.113.50 - - [09/Apr/2025:21:39:58 +0200] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "Mozilla/5.0"';
  const r = parseLine(line, ctx)!;
  assert.equal(r.kind, 'http_error');
  assert.equal(r.fields?.status, 502);
  assert.equal(r.fields?.method, 'POST');
  assert.equal(r.time!.toISOString(), '2025-04-09T19:39:58.000Z', "nginx's $time_local, not the header's");
  assert.equal(r.raw, line);
  const iso = parseLine('2025-04-09T21:39:58.500+02:00 app2 nginx: 2025/04/09 21:39:58 [error] 812#812: *4411 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.50, server: _, request: "POST /adherents/communiquer/ HTTP/1.1", upstream: "http://unix:/run/aquademie.sock:/adherents/communiquer/"', ctx)!;
  assert.equal(iso.fields?.method, 'POST');
  assert.equal(iso.fields?.upstream, 'http://unix:/run/aquademie.sock:/adherents/communiquer/');
  // trap: an app that merely quotes a request line in its message stays an app line
  const trap = parseLine('Apr  9 21:39:58 app2 gunicorn[1090]: failed after "POST /adherents/communiquer/ HTTP/1.1" 502 157', ctx)!;
  assert.equal(trap.ident, 'gunicorn');
  assert.notEqual(trap.kind, 'http_error');
  assert.equal(trap.fields?.status, undefined);
});

test('CLI: --central options are checked before anything runs', async () => {
  const { parseArgs, UsageError } = await import('../../src/cli/args');
  const at = ['--at', '2025-04-09 21:40'];
  const o = parseArgs(['--central', 'deploy@logs.example.org', '--for-host', 'app1', '--for-host', 'app2', '--gateway', '19531', ...at], 'diagnose');
  assert.deepEqual(o.forHosts, ['app1', 'app2']);
  assert.equal(o.gateway, '19531');
  for (const [args, re] of [
    [['--host', 'deploy@app2', '--for-host', 'app2', ...at], /go with --central/],
    [['--central', 'deploy@logs', '--host', 'deploy@app2', ...at], /exactly one of/],
    [['--central', 'deploy@logs', '--gateway', 'http://x', ...at], /--gateway takes the gateway's port/],
  ] as [string[], RegExp][]) {
    assert.throws(() => parseArgs(args, 'diagnose'), (e: unknown) => e instanceof UsageError && re.test((e as Error).message), args.join(' '));
  }
  assert.throws(() => parseArgs(['--central', 'deploy@logs', ...at, '--out', '/tmp/x'], 'collect'), /collect reads one host/);
});
