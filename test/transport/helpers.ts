/** Shared helpers of the transport tests: real test hosts, option builders, bounded polling. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../../src/core/exec';
import type { SshConnectOptions } from '../../src/transport/index';
import { after, before } from 'node:test';
import { startTestHost, type TestHost, type TestHostOptions } from '../host/testHost';

const made: string[] = [];
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A temp folder removed when the test process exits. */
export function tempDir(prefix = 'il-transport-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** An empty ssh config so the machine's ~/.ssh/config cannot change what a test resolves. */
export function emptySshConfig(dir: string): string {
  const f = join(dir, 'ssh_config');
  writeFileSync(f, '# empty: tests resolve targets without the machine’s ssh config\n');
  return f;
}

/** Options for `user@127.0.0.1:port` with the host's key and known_hosts; no agent. */
export function hostOptions(host: TestHost, dir: string, user: 'deploy' | 'auditor' = 'deploy', extra: Partial<SshConnectOptions> = {}): SshConnectOptions {
  const u = user === 'deploy' ? host.sudoUser : host.passwordSudoUser;
  return {
    target: `${u.username}@${host.host}:${host.port}`,
    identityFile: u.privateKey,
    knownHostsFiles: [host.knownHosts],
    sshConfigFile: emptySshConfig(dir),
    useAgent: false,
    connectTimeoutMs: 10000,
    ...extra,
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Remote processes whose command line contains `needle`, seen through a fresh command. */
export async function remoteProcesses(runner: CommandRunner, needle: string): Promise<string[]> {
  const r = await runner.run('ps -eo pid=,user=,args=');
  return r.stdout.split('\n').filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}

/** Size of the sshd log now, to read only what a later attempt adds. */
export function logOffset(host: TestHost): number {
  return statSync(host.sshdLog).size;
}

export function logSince(host: TestHost, offset: number): string {
  return readFileSync(host.sshdLog).subarray(offset).toString('utf8');
}

/** Asserts `p` rejects with a RunnerError of `code`; returns it. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<Error & { code: string; advice?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { code: string; advice?: string };
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.code ?? err.name}: ${err.message}`);
    return err;
  }
  throw new Error(`expected a ${code} rejection, but it resolved`);
}

/** PID of the `sshd: USER@notty` process serving the session in which a process matching `exact` (pgrep -f -x) runs. */
export function sessionPidOf(host: TestHost, exact: string): string {
  const script =
    `p=$(pgrep -f -x ${shellQuote(exact)} | head -1); ` +
    `while [ -n "$p" ] && [ "$p" != 1 ]; do case "$(ps -o args= -p "$p")" in "sshd: "*@notty*) echo "$p"; exit 0;; esac; p=$(ps -o ppid= -p "$p" | tr -d ' '); done; exit 1`;
  return host.ssh(script).trim();
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The file's real test host and temp folder, set by useTestHost's `before` (reassign `host` after a restart). */
export interface TestHostSetup {
  host: TestHost;
  dir: string;
}

/**
 * THE shared SSH test setup: registers `before` (start a real test host with `opts`, make a temp folder, then
 * `ready`) and `after` (`done`, then stop the host) for the calling test file.
 */
export function useTestHost(opts: TestHostOptions = {}, hooks: { ready?: (s: TestHostSetup) => Promise<void> | void; done?: () => Promise<void> | void } = {}): TestHostSetup {
  const s = {} as TestHostSetup;
  before(async () => {
    s.host = startTestHost(opts);
    s.dir = tempDir();
    await hooks.ready?.(s);
  });
  after(async () => {
    await hooks.done?.();
    s.host?.stop();
  });
  return s;
}
