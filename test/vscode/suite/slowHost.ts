// A second real test host for the "nothing left on the host" tests: the seed incident with two sources made slow
// on purpose (dmesg through sudo, so root's processes; `free`, the SSH user's own), each a small pipeline like a
// real zgrep | awk — as test/engine/leftovers.test.ts does. Started and stopped asynchronously (the extension host
// keeps answering), its processes seen with `ps` inside the host's PID namespace.
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { otherProcesses, PS_COMMAND, type Proc } from '../../host/processes';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/model';
import { REPO_ROOT, SEED, SEED_FIXTURE, waitFor } from './helpers';
import { closedPort } from './testHostInfo';
import { Commands } from '../../../src/shared/commands';

const SCRIPT = path.join(REPO_ROOT, 'test', 'host', 'testhost.sh');

export type { Proc } from '../../host/processes';

export interface SlowHost {
  /** What incidentLens.diagnose needs (no question asked). */
  args: { target: string; identityFile: string; knownHostsFile: string; interactive: false };
  /** Every process in the host, minus the observing command's own chain (its sshd, shell and ps). */
  processes(): Promise<Proc[]>;
  stop(): Promise<void>;
}

function sh(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('bash', [SCRIPT, ...args], { env, encoding: 'utf8', maxBuffer: 16 << 20 }, (e, out, err) => (e ? reject(new Error(`testhost.sh ${args[0]}: ${e.message}\n${err}`)) : resolve(out))),
  );
}

export async function startSlowHost(): Promise<SlowHost> {
  const work = mkdtempSync(path.join(tmpdir(), 'il-slowhost-'));
  const fix = path.join(work, 'fixture');
  cpSync(SEED_FIXTURE, fix, { recursive: true });
  const shim = (p: string, body: string) => {
    const f = path.join(fix, 'override', p);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, `#!/bin/bash\n${body}\n`);
    chmodSync(f, 0o755);
  };
  shim('usr/bin/dmesg', 'sleep 301 | cat');
  shim('usr/bin/free', 'sleep 302 | cat');
  const dir = path.join(work, 'host');
  const env = { ...process.env, TESTHOST_DIR: dir, TESTHOST_PORT: String(await closedPort()) };
  await sh(['start', fix], env);
  const c = JSON.parse(readFileSync(path.join(dir, 'run', 'connection.json'), 'utf8')) as { host: string; port: number; knownHosts: string; sudoUser: { username: string; privateKey: string } };
  const processes = async (): Promise<Proc[]> => otherProcesses(await sh(['ssh', c.sudoUser.username, PS_COMMAND], env));
  return {
    args: { target: `${c.sudoUser.username}@${c.host}:${c.port}`, identityFile: c.sudoUser.privateKey, knownHostsFile: c.knownHosts, interactive: false },
    processes,
    stop: async () => {
      await sh(['stop'], env).catch(() => undefined);
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The PIDs in the host now: what a run adds is judged against them. */
export async function baseline(h: SlowHost): Promise<Set<number>> {
  return new Set((await h.processes()).map((p) => p.pid));
}

export async function newProcesses(h: SlowHost, base: Set<number>): Promise<Proc[]> {
  return (await h.processes()).filter((p) => !base.has(p.pid));
}

/** Both slow sources run on the host (root's `sleep 301` under sudo, the user's `sleep 302`). */
export async function slowSourcesRunning(h: SlowHost, base: Set<number>): Promise<boolean> {
  const ps = (await newProcesses(h, base)).map((p) => p.args);
  return ps.includes('sleep 301') && ps.includes('sleep 302');
}

/** Waits (at most 5 s) until no process started since `base` is left; returns how long that took. */
export async function noneLeft(h: SlowHost, base: Set<number>, what: string): Promise<number> {
  const t0 = Date.now();
  let last: Proc[] = [];
  try {
    await waitFor(`${what}: no process of the diagnosis left on the host`, async () => (last = await newProcesses(h, base)).length === 0, 5000);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nleft: ${last.map((p) => `${p.pid} ${p.args.slice(0, 120)}`).join('\n      ')}`);
  }
  return Date.now() - t0;
}

/**
 * Starts a diagnosis of the seed moment on the slow host and resolves once its slow sources run there (the condition,
 * not a delay): the run's promise and the processes the host had before it.
 */
export async function runUntilSlowSources(h: SlowHost): Promise<{ run: Thenable<Diagnosis | undefined>; base: Set<number> }> {
  const base = await baseline(h);
  const run = vscode.commands.executeCommand<Diagnosis | undefined>(Commands.diagnose, { ...h.args, date: SEED.date, time: SEED.time });
  let ended = false;
  void run.then(() => (ended = true));
  await waitFor('the slow sources running on the host', async () => {
    if (ended) throw new Error('the diagnosis ended before its slow sources ran');
    return slowSourcesRunning(h, base);
  }, 90_000, 250);
  return { run, base };
}
