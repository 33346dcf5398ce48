/**
 * `incident-lens follow` (the built CLI) against the real test host: plain lines with the evidence mark,
 * Ctrl+C and SIGTERM end every remote process of the follow, a dropped connection ends it with status 3.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, cli, ensureBuilt } from '../engine/helpers';
import { cliHostArgs, useTestHost } from '../host/sshSetup';
import { startTestHost } from '../host/testHost';
import { pollUntil } from '../transport/helpers';
import { appendJournal, appendLog, followProcesses, line } from './append';

const TZ = 'Europe/Paris';
before(() => ensureBuilt());
const ssh = useTestHost({ fixtures: 'seed-incident' });

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function runFollow(args: string[] = []): Run {
  const child = spawn(process.execPath, [CLI, 'follow', ...cliHostArgs(ssh.host), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (err += b));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exit };
}

const realFollowers = () => followProcesses(ssh.host).filter((l) => /^\s*\d+\s+root\s+(tail|journalctl)\b/.test(l));

test('follow prints appended lines with their source and evidence mark; Ctrl+C ends every remote process', async () => {
  const r = runFollow(['--sources', 'journal,nginx_access']);
  try {
    await pollUntil('the follow runs on the host', () => realFollowers().length >= 2, 20000);
    const now = new Date();
    appendJournal(ssh.host, [{ time: now, message: line.gunicorn(now, TZ, 'CRITICAL', 'WORKER TIMEOUT (pid:2202)'), priority: 2 }]);
    appendLog(ssh.host, '/var/log/nginx/access.log', [line.nginxAccess(now, TZ, 'POST /adherents/communiquer/', 502, '198.51.100.23')]);
    await pollUntil('both lines on stdout', () => /WORKER TIMEOUT \(pid:2202\)/.test(r.out()) && / 502 /.test(r.out()), 10000);
    const lines = r.out().trim().split('\n');
    assert.match(lines.find((l) => l.includes('pid:2202'))!, /^journal\s+‼ .*WORKER TIMEOUT.*──── http_timeout$/);
    const access = lines.find((l) => l.includes(' 502 '))!;
    assert.match(access, /^nginx_access\s+‼ x\.x\.x\.x - - /, 'client IPs masked by default');
    assert.match(r.err(), /new cause while following: http_timeout/);
    assert.equal((r.err().match(/new cause/g) ?? []).length, 1, 'one message per cause');
    r.child.kill('SIGINT');
    assert.equal(await r.exit, 0, r.err());
    assert.match(r.err(), /followed 2 lines; 2 evidence lines: http_timeout 2/);
    await pollUntil('no follow process left on the host', () => followProcesses(ssh.host).length === 0, 5000);
  } finally {
    r.child.kill('SIGKILL');
  }
});

test('SIGTERM ends the follow and its remote processes too', async () => {
  const r = runFollow();
  try {
    await pollUntil('the follow runs on the host', () => realFollowers().length >= 5, 20000);
    r.child.kill('SIGTERM');
    assert.equal(await r.exit, 0, r.err());
    await pollUntil('no follow process left on the host', () => followProcesses(ssh.host).length === 0, 5000);
  } finally {
    r.child.kill('SIGKILL');
  }
});

test('a dropped connection is shown and ends a non-interactive follow with status 3', async () => {
  const r = runFollow(['--sources', 'nginx_error']);
  try {
    await pollUntil('the follow runs on the host', () => realFollowers().length >= 1, 20000);
    const { port, dir } = ssh.host;
    ssh.host.stop();
    assert.equal(await r.exit, 3, r.err());
    assert.match(r.err(), /──── connection to deploy@127\.0\.0\.1:\d+ lost/);
    ssh.host = startTestHost({ fixtures: 'seed-incident', port, dir });
  } finally {
    r.child.kill('SIGKILL');
  }
});

test('bad follow arguments exit 2 before connecting', () => {
  for (const [args, re] of [
    [['follow'], /exactly one of --host/],
    [['follow', '--host', 'deploy@127.0.0.1:1', '--sources', 'journal,bogus'], /unknown source bogus/],
    [['follow', '--host', 'deploy@127.0.0.1:1', '--unit', 'x;reboot'], /not allowed/],
    [['follow', '--host', 'deploy@127.0.0.1:1', '--max-lines', '0'], /--max-lines/],
  ] as [string[], RegExp][]) {
    const res = cli(args);
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, re);
    assert.doesNotMatch(res.stderr, /connecting/);
  }
});
