/** Shared helpers of the transport tests: bounded polling, sshd logs, remote processes; the SSH test setup is test/host/sshSetup.ts. */
import { readFileSync, statSync } from 'node:fs';
import type { CommandRunner } from '../../src/core/exec';
import { render, type Localized } from '../../src/core/l10n';
import type { TestHost } from '../host/testHost';

export { emptySshConfig, hostOptions, tempDir, useTestHost } from '../host/sshSetup';

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
    const err = e as Error & { code: string; adviceText?: Localized };
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.code ?? err.name}: ${err.message}`);
    // the advice in English, as the CLI prints it (the error holds it as a catalogue message)
    return Object.assign(err, { advice: err.adviceText && render(err.adviceText, 'en') });
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
