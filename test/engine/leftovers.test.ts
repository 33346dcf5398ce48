/**
 * Nothing of ours survives on the host. For each way a diagnosis can end early — SIGINT, SIGTERM and
 * SIGHUP to the CLI, Cancel (an aborted signal), a per-command timeout, a dropped TCP connection (a
 * loopback proxy we control is cut) — the processes the diagnosis started on the real test host are
 * gone within 5 s, checked with `ps` inside the host. Two sources are made slow on purpose: dmesg
 * (through sudo, so the slow processes are root's) and `free` (the SSH user's own).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { startTestHost, FIXTURES_ROOT, type TestHost } from '../host/testHost';
import { connectSsh } from '../../src/transport/index';
import { hostOptions, pollUntil, rejectsWith, tempDir } from '../transport/helpers';
import { CLI, ensureBuilt } from './helpers';
import { otherProcesses, PS_COMMAND, type Proc } from '../host/processes';

let host: TestHost;
let dir: string;
const figures: string[] = [];

before(() => {
  ensureBuilt();
  dir = tempDir('il-leftovers-');
  const fix = join(dir, 'fixture');
  cpSync(join(FIXTURES_ROOT, 'seed-incident'), fix, { recursive: true });
  const shim = (path: string, body: string) => {
    const f = join(fix, 'override', path);
    mkdirSync(join(f, '..'), { recursive: true });
    writeFileSync(f, `#!/bin/bash\n${body}\n`);
    chmodSync(f, 0o755);
  };
  // slow sources, each a small pipeline like a real zgrep | awk
  shim('usr/bin/dmesg', 'sleep 301 | cat');
  shim('usr/bin/free', 'sleep 302 | cat');
  host = startTestHost({ fixtures: fix });
});
after(() => {
  host?.stop();
  if (figures.length) process.stdout.write(`# leftovers: ${figures.join('; ')}\n`);
});


/** Every process in the host, minus the observing command's own chain (its sshd, shell and ps). */
function hostProcesses(): Proc[] {
  return otherProcesses(host.ssh(PS_COMMAND));
}

/** Processes that appeared since `baseline` (PIDs of before the run). */
function newProcesses(baseline: Set<number>): Proc[] {
  return hostProcesses().filter((p) => !baseline.has(p.pid));
}

const baselineNow = () => new Set(hostProcesses().map((p) => p.pid));

/** Waits until no process started since `baseline` is left; returns how long that took. */
async function noneLeft(baseline: Set<number>, what: string): Promise<number> {
  const t0 = Date.now();
  let last: Proc[] = [];
  try {
    await pollUntil(`${what}: no process of ours left on the host`, () => (last = newProcesses(baseline)).length === 0, 5000, 100);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nleft: ${last.map((p) => `${p.pid} ${p.args.slice(0, 120)}`).join('\n      ')}`);
  }
  const ms = Date.now() - t0;
  figures.push(`${what} 0 left after ${ms} ms`);
  return ms;
}

const slowRunning = (baseline: Set<number>) => {
  const ps = newProcesses(baseline).map((p) => p.args);
  return ps.some((a) => a === 'sleep 301') && ps.some((a) => a === 'sleep 302');
};

function cliArgs(target: string): string[] {
  const u = host.sudoUser;
  return [CLI, 'diagnose', '--host', target, '--identity', u.privateKey, '--known-hosts', host.knownHosts, '--at', '2025-01-15 22:20', '--format', 'json'];
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  test(`${signal} to the CLI: exit ${code}, no report, nothing left on the host`, async () => {
    const baseline = baselineNow();
    const child = spawn(process.execPath, cliArgs(`${host.sudoUser.username}@127.0.0.1:${host.port}`), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await pollUntil('slow sources running on the host', () => slowRunning(baseline) || (child.exitCode !== null && Promise.reject(new Error(`the CLI ended early: ${stderr}`))), 60000);
    child.kill(signal);
    assert.equal(await exited, code, stderr);
    assert.equal(stdout, '', 'an interrupted diagnosis prints no report');
    assert.match(stderr, new RegExp(`${signal}: stopping`));
    await noneLeft(baseline, signal);
  });
}

test('Cancel (aborted signal) and a per-command timeout end root and user pipelines alike', async () => {
  const r = await connectSsh(hostOptions(host, dir, 'deploy'));
  try {
    for (const sudo of [true, false]) {
      const baseline = baselineNow();
      const ac = new AbortController();
      const p = r.run('sleep 303 | cat | cat', { sudo, signal: ac.signal });
      await pollUntil('command running', () => newProcesses(baseline).some((x) => x.args === 'sleep 303'));
      ac.abort();
      await rejectsWith(p, 'CANCELLED');
      await noneLeft(baseline, `cancel (${sudo ? 'sudo' : 'user'})`);

      const base2 = baselineNow();
      await rejectsWith(r.run('sleep 304 | cat', { sudo, timeoutMs: 1500 }), 'COMMAND_TIMEOUT');
      await noneLeft(base2, `timeout (${sudo ? 'sudo' : 'user'})`);
    }
  } finally {
    await r.close();
  }
});

/** A loopback TCP proxy to the host's sshd that the test can cut. */
function proxy(): Promise<{ port: number; cut: () => void; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const up = connect(host.port, '127.0.0.1');
    sockets.add(client).add(up);
    client.pipe(up).pipe(client);
    const gone = () => {
      client.destroy();
      up.destroy();
    };
    client.on('error', gone).on('close', gone);
    up.on('error', gone).on('close', gone);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as { port: number }).port, server, cut: () => sockets.forEach((s) => s.destroy()) }),
    ),
  );
}

test('a dropped connection (the TCP link cut mid-diagnosis): nothing left on the host', async () => {
  const px = await proxy();
  try {
    const baseline = baselineNow();
    // the host key is known for [127.0.0.1]:port of sshd: the proxy's port is aliased to it
    const kh = join(dir, 'known_hosts_proxy');
    const { readFileSync } = await import('node:fs');
    writeFileSync(kh, readFileSync(host.knownHosts, 'utf8').replace(`[127.0.0.1]:${host.port}`, `[127.0.0.1]:${px.port}`));
    const args = cliArgs(`${host.sudoUser.username}@127.0.0.1:${px.port}`);
    args[args.indexOf('--known-hosts') + 1] = kh;
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    child.stdout.resume();
    let done = false;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => ((done = true), resolve(c))));
    await pollUntil('slow sources running on the host', () => {
      if (done) throw new Error(`the CLI ended before its slow sources ran: ${stderr}`);
      return slowRunning(baseline);
    }, 60000);
    px.cut();
    await noneLeft(baseline, 'dropped connection');
    await exited;
  } finally {
    px.server.close();
  }
});
