/**
 * THE shared SSH test setup of the suites that use a real test host (test/transport, test/engine, test/follow):
 * `useTestHost` starts it for a test file, `hostOptions` connects to it through the transport API, `cliHostArgs`
 * names it to the CLI; temp folders are removed when the test process exits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { SshConnectOptions } from '../../src/transport/index';
import { startTestHost, type TestHost, type TestHostOptions, type TestUser } from './testHost';

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

/** Options for `user@127.0.0.1:port` as the extension passes them: the key and known_hosts only (ssh config and agent as they are). */
export function apiOptions(host: TestHost, user: 'deploy' | 'auditor' = 'deploy'): SshConnectOptions {
  const u = user === 'deploy' ? host.sudoUser : host.passwordSudoUser;
  return { target: `${u.username}@127.0.0.1:${host.port}`, identityFile: u.privateKey, knownHostsFiles: [host.knownHosts] };
}

/** The CLI's arguments that name the test host (`--host user@127.0.0.1:port` or `--central`), its key and known_hosts. */
export function cliHostArgs(host: TestHost, user: 'deploy' | 'auditor' | TestUser = 'deploy', flag: '--host' | '--central' = '--host'): string[] {
  const u = typeof user === 'object' ? user : user === 'deploy' ? host.sudoUser : host.passwordSudoUser;
  return [flag, `${u.username}@127.0.0.1:${host.port}`, '--identity', u.privateKey, '--known-hosts', host.knownHosts];
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
