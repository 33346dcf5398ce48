/**
 * Transports: SSH (ssh2, host keys checked against known_hosts before authentication) and local.
 * Usable from plain node (CLI, tests) and from the extension; prompts and logging are injected.
 */
import { RunnerError } from '../core/exec';
import { msg } from '../core/l10n';
import { SshRunner } from './sshRunner';
import { acquireShared } from './sshConnection';
import { parseTarget, resolveHost, resolveHostAsync, type ResolvedHost } from './target';
import type { SshConnectOptions } from './types';

export { LocalRunner, shq, SUDO_ADVICE } from './local';
export type { LocalRunnerOptions } from './local';
export type { Prompts, SshConnectOptions } from './types';
export { parseTarget } from './target';
export type { ParsedTarget, ResolvedHost } from './target';
export { SshRunner } from './sshRunner';

/** Resolves the target (and its ProxyJump chain) with `ssh -G`; jump hosts first, target last. */
export function resolveHops(options: Pick<SshConnectOptions, 'target' | 'sshConfigFile'>): ResolvedHost[] {
  const target = resolveHost(parseTarget(options.target), options.sshConfigFile);
  checkHops(options.target, target);
  const jumps = target.proxyJump.map((j) => resolveHost(j, options.sshConfigFile));
  return [...jumps, target];
}

/** resolveHops without blocking the event loop (the `ssh -G` of several hosts run at once). */
export async function resolveHopsAsync(options: Pick<SshConnectOptions, 'target' | 'sshConfigFile'>): Promise<ResolvedHost[]> {
  const target = await resolveHostAsync(parseTarget(options.target), options.sshConfigFile);
  checkHops(options.target, target);
  const jumps = await Promise.all(target.proxyJump.map((j) => resolveHostAsync(j, options.sshConfigFile)));
  return [...jumps, target];
}

function checkHops(name: string, target: ResolvedHost): void {
  if (target.proxyCommand) {
    throw new RunnerError('BAD_TARGET', msg('{0} uses ProxyCommand, which this transport does not run', name), msg('Use ProxyJump instead of ProxyCommand for this host.'));
  }
}

/**
 * Connects (or reuses the pooled connection to the same resolved target) and returns a runner.
 * Rejects with RunnerError: BAD_TARGET, HOST_KEY_*, AUTH_FAILED, UNREACHABLE, CONNECT_TIMEOUT.
 */
export async function connectSsh(options: SshConnectOptions): Promise<SshRunner> {
  const hops = await resolveHopsAsync(options);
  const shared = acquireShared(hops, options);
  const runner = new SshRunner(shared, options);
  try {
    await runner.ready();
  } catch (e) {
    await runner.close();
    throw e;
  }
  return runner;
}
