/** The fleet layer's pure parts: nginx upstream blocks, the upstream a line names, host names, tracing by time, CLI targets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROFILE, parseUpstreams, sameName, tracePost, upstreamOf, mergeFleet, type FleetHost, type LogEvent, type SourceResult } from '../../src/core/index';
import { parseArgs, UsageError } from '../../src/cli/args';
import { HOST_NAME_COMMAND, resolveNamesCommand } from '../../src/core/catalogue/fleet';
import { assertReadOnly } from './readonly-check';
import { childNodes, rootNodes } from '../../src/ui/tree/nodes';
import { fleetSource } from '../../src/ui/fleetIds';
import type { DiagnosisStore } from '../../src/ui/store';
import { verbatim } from '../../src/core/l10n';

test('upstream blocks: every server, comments and unix sockets skipped, IPv6 and parameters handled', () => {
  const conf = [
    '# upstream old { server 198.51.100.9:8000; }',
    'upstream shop_app {',
    '    zone shop 64k;',
    '    server web-1.example.internal:8001 weight=2 max_fails=3;',
    '    server 192.0.2.21 backup;   # no port: 80',
    '    server [2001:db8::15]:9000;',
    '    server unix:/run/other.sock;',
    '}',
    'server { listen 80; location / { proxy_pass http://shop_app; } }',
  ].join('\n');
  assert.deepEqual(parseUpstreams(conf), [
    { group: 'shop_app', host: 'web-1.example.internal', port: 8001 },
    { group: 'shop_app', host: '192.0.2.21' },
    { group: 'shop_app', host: '2001:db8::15', port: 9000 },
  ]);
  assert.deepEqual(parseUpstreams('server { location / { proxy_pass http://unix:/run/a.sock; } }'), []);
});

test('the upstream a line names: the error log field, or $upstream_addr in the access line (the last one of a retry)', () => {
  assert.equal(upstreamOf('… request: "POST /x/ HTTP/1.1", upstream: "http://192.0.2.12:8000/x/", host: "a"'), '192.0.2.12:8000');
  assert.equal(upstreamOf('… upstream: "http://unix:/run/app.sock:/x/", host: "a"'), undefined);
  const retried = '203.0.113.5 - - [12/Jun/2025:21:39:58 +0200] "POST /x/ HTTP/1.1" 502 157 "https://192.0.2.99:8443/form" "UA" upstream=192.0.2.11:8000, 192.0.2.12:8000 rt=68.0';
  assert.equal(upstreamOf(retried), '192.0.2.12:8000');
  // trap: an address inside the referer URL is not an upstream
  assert.equal(upstreamOf('203.0.113.5 - - [12/Jun/2025:21:39:58 +0200] "POST /x/ HTTP/1.1" 502 157 "http://192.0.2.99:8080/form" "UA"'), undefined);
});

test('host names: a short name matches its FQDN, two FQDNs must be equal, addresses are literal', () => {
  assert.ok(sameName('app2', 'app2.aquademie.internal'));
  assert.ok(sameName('APP2.aquademie.internal.', 'app2.aquademie.internal'));
  assert.ok(!sameName('app2.site-a.example', 'app2.site-b.example'));
  assert.ok(!sameName('app2', 'app20.aquademie.internal'));
  assert.ok(!sameName('192.0.2.12', '192.0.2.1'));
});

const W = { since: '2025-06-12T21:35:00.000+02:00', until: '2025-06-12T21:50:00.000+02:00', tz: 'Europe/Paris' };
function src(id: string, events: Partial<LogEvent>[], excerpt = ''): SourceResult {
  return { id, label: verbatim(id), command: 'true', status: 'ok', excerpt, events: events.map((e) => ({ source: id, line: e.line ?? '', kind: e.kind ?? 'info', time: e.time ?? W.since, ...(e.fields ? { fields: e.fields } : {}) })) };
}
function host(name: string, role: FleetHost['role'], sources: SourceResult[], hostname?: string): FleetHost {
  return { name, role, status: 'ok', ...(hostname ? { hostname } : {}), diagnosis: { window: W, target: name, sources, causes: [], verdict: 'none', impact: { estimate: true, summary: verbatim('') }, codeLinks: [] } };
}
const POST = { line: '"POST /adherents/communiquer/ HTTP/1.1" 502 157', kind: 'http_error' as const, time: '2025-06-12T19:39:58.000Z', fields: { method: 'POST', path: '/adherents/communiquer/', status: 502 } };

test('no line names the upstream: the one host whose worker died at that moment is taken, marked "time"; two such hosts: none', () => {
  const front = host('front', 'front', [src('nginx_access', [POST])]);
  const a = host('a', 'app', [src('journal', [{ kind: 'worker_timeout', time: '2025-06-12T19:39:57.400Z', line: 'WORKER TIMEOUT (pid:7)' }])]);
  const b = host('b', 'app', [src('journal', [{ kind: 'worker_boot', time: '2025-06-12T19:39:58.000Z', line: 'Booting worker with pid: 9' }])]);
  const tr = tracePost(front, front.diagnosis!.sources[0].events[0], [front, a, b]);
  assert.equal(tr.host, 'a');
  assert.equal(tr.how, 'time');
  // a worker boot is not a failure; a failure an hour earlier is not this request
  const late = host('c', 'app', [src('journal', [{ kind: 'oom_kill', time: '2025-06-12T18:39:58.000Z', line: 'Out of memory: Killed process 1 (gunicorn)' }])]);
  assert.equal(tracePost(front, front.diagnosis!.sources[0].events[0], [front, b, late]).host, undefined);
  const a2 = host('a2', 'app', a.diagnosis!.sources);
  assert.equal(tracePost(front, front.diagnosis!.sources[0].events[0], [front, a, a2]).host, undefined);
});

test('an upstream address resolved by the front to a listed host: traced by address; an unlisted upstream is offered', () => {
  const site = 'upstream app { server app1.example.internal:8000; server app2.example.internal:8000; }';
  const err = { line: 'upstream prematurely closed connection … upstream: "http://192.0.2.12:8000/adherents/communiquer/"', kind: 'http_error' as const, time: POST.time, fields: { method: 'POST', path: '/adherents/communiquer/', upstream: 'http://192.0.2.12:8000/adherents/communiquer/' } };
  const front = host('deploy@front.example.org', 'front', [src('nginx_site', [], site), src('nginx_access', [POST]), src('nginx_error', [err])]);
  front.resolved = { 'app1.example.internal': ['192.0.2.11'], 'app2.example.internal': ['192.0.2.12'] };
  const app2 = host('deploy@198.51.100.7', 'app', [], 'app2');
  const f = mergeFleet([front, app2], { profile: DEFAULT_PROFILE });
  assert.equal(f.traces[0].host, 'deploy@198.51.100.7');
  assert.equal(f.traces[0].how, 'address');
  assert.deepEqual(f.suggestedHosts, ['app1.example.internal']);
});

test('CLI: --host and --ssh repeat for a fleet; the same host twice, or collect on two hosts, is refused', () => {
  const o = parseArgs(['--host', 'deploy@a', '--ssh', 'b', '--host', 'deploy@c:2222', '--at', '2025-06-12 21:40'], 'diagnose');
  assert.deepEqual(o.targets, ['deploy@a', 'b', 'deploy@c:2222']);
  assert.throws(() => parseArgs(['--host', 'a', '--host', 'a', '--at', '2025-06-12 21:40'], 'diagnose'), UsageError);
  assert.throws(() => parseArgs(['--host', 'a', '--host', 'b', '--at', '2025-06-12 21:40', '--out', 'x'], 'collect'), /collect reads one host/);
  assert.throws(() => parseArgs(['--host', 'a', '--root', '/tmp/b', '--at', '2025-06-12 21:40'], 'diagnose'), UsageError);
});

test("the fleet's own commands are read-only and refuse a name that is not a host name", () => {
  assertReadOnly(HOST_NAME_COMMAND);
  assertReadOnly(resolveNamesCommand(['app1.example.internal', 'app2']));
  assert.throws(() => resolveNamesCommand(['app1;reboot']), /not allowed/);
  assert.throws(() => resolveNamesCommand(['$(id)']), /not allowed/);
});

test('the tree of a fleet: verdict, traces, then one level per host whose sources have ids unique across hosts', () => {
  const front = host('front', 'front', [src('nginx_access', [POST]), src('syslog', [])]);
  const a = host('a', 'app', [src('journal', [{ kind: 'worker_timeout', time: '2025-06-12T19:39:57.400Z', line: 'WORKER TIMEOUT (pid:7)' }]), src('syslog', [])]);
  const down: FleetHost = { name: 'b', role: 'other', status: 'unreachable', errorText: verbatim('connection refused') };
  const f = mergeFleet([front, a, down], { profile: DEFAULT_PROFILE });
  const store = { state: 'done', diagnosis: a.diagnosis, fleet: f, run: undefined } as unknown as DiagnosisStore;
  const roots = rootNodes(store);
  assert.deepEqual(roots.map((n) => n.kind), ['fleetVerdict', 'trace', 'impact', 'host', 'host', 'host']);
  const hostNodes = roots.filter((n) => n.kind === 'host');
  const ids = hostNodes.flatMap((n) => childNodes(n)).map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length, ids.join(' '));
  assert.deepEqual(childNodes(hostNodes[2]), [], 'an unreachable host has no sources');
  // a source under a host is named h<index>~<id>, and the store finds it (excerpts, Open Excerpt)
  const journal = childNodes(hostNodes[1]).find((n) => n.kind === 'source')!;
  assert.equal(journal.kind === 'source' && journal.source.id, 'h1~journal');
  assert.equal(fleetSource(f, 'h1~journal')?.events[0].line, 'WORKER TIMEOUT (pid:7)');
  assert.equal(fleetSource(f, 'journal'), undefined);
});
