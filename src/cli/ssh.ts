/** Opens the SSH runner for --host/--ssh (src/transport). Host keys are checked against known_hosts before authenticating. */
import { createInterface } from 'node:readline';
import type { CommandRunner } from '../core/index';
import { connectSsh, type Prompts } from '../transport/index';
import type { CliOptions } from './args';

/** One y/N question on stderr, answered on stdin (only when stdin is a terminal). */
function askYesNo(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

/** Non-interactive, except the host-key question when a human is at a terminal. No password prompts: keys or agent only. */
export function cliPrompts(): Prompts | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return {
    confirmHostKey: (info) =>
      askYesNo(
        `The authenticity of host '${info.host}' (port ${info.port}) can't be established.\n` +
          `${info.keyType} key fingerprint is ${info.fingerprint}.\n` +
          `Add it to ${info.knownHostsFile} and continue connecting? [y/N] `,
      ),
  };
}

export async function openSsh(o: CliOptions, progress: (line: string) => void): Promise<CommandRunner> {
  const target = (o.host ?? o.ssh ?? o.central)!;
  progress(`connecting to ${target}`);
  return connectSsh({
    target,
    ...(o.identity ? { identityFile: o.identity } : {}),
    ...(o.knownHosts ? { knownHostsFiles: [o.knownHosts] } : {}),
    prompts: cliPrompts(),
  });
}
