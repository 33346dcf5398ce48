// THE options the extension connects with over SSH, for one host (Diagnose, Re-run Source), each host of a fleet and
// the central log host: the target's key, known_hosts and ssh config, the prompts, the log and the run's limits.
import type { DiagnoseRequest } from '../core/diagnose';
import type { SshConnectOptions } from '../transport/index';
import type { SecretPrompts } from './prompts';
import type { SshTarget } from './session';
import type { ConnectionSettings } from './settings';

export interface SshOptionsInput {
  settings: ConnectionSettings;
  req: DiagnoseRequest;
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
    commandTimeoutMs: i.req.profile.commandTimeoutMs,
    maxChannels: i.settings.maxParallel,
  };
}
