// THE options the extension connects with over SSH, for one host (Diagnose, Re-run Source), each host of a fleet,
// the central log host and Follow Live: the target's key, known_hosts and ssh config, the prompts, the log and the run's limits.
import type { SshConnectOptions } from '../transport/index';
import type { SecretPrompts } from './prompts';
import type { SshTarget } from './session';
import type { ConnectionSettings } from './settings';

export interface SshOptionsInput {
  settings: ConnectionSettings;
  /** The profile's limit on one command (none for Follow Live, whose commands run until stopped). */
  commandTimeoutMs?: number;
  /** The prompts of an interactive run (host key, passphrase, passwords); none = a run that asks nothing. */
  prompts?: SecretPrompts;
  log: (line: string) => void;
}

export function sshConnectOptions(ssh: SshTarget, i: SshOptionsInput): SshConnectOptions {
  return {
    target: ssh.target,
    ...(ssh.identityFile ? { identityFile: ssh.identityFile } : {}),
    ...(ssh.knownHostsFile ? { knownHostsFiles: [ssh.knownHostsFile] } : {}),
    ...(ssh.sshConfigFile ? { sshConfigFile: ssh.sshConfigFile } : {}),
    ...(i.prompts ? { prompts: i.prompts } : {}),
    log: i.log,
    ...(i.commandTimeoutMs !== undefined ? { commandTimeoutMs: i.commandTimeoutMs } : {}),
    maxChannels: i.settings.maxParallel,
  };
}
