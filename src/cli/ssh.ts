/** Opens the SSH runner for --host/--ssh (src/transport). Host keys are checked against known_hosts before authenticating. */
import { createInterface } from 'node:readline';
import type { CommandRunner } from '../core/index';
import { connectSsh, type Prompts } from '../transport/index';
import type { CliOptions } from './args';
import { t } from '../core/l10n';
import { CLI_LANG } from './lang';

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

/** True when a human can answer on this terminal. */
export function canAskPassphrase(): boolean {
  return !!process.stdin.isTTY && !!process.stderr.isTTY;
}

/** Reads one line from the terminal without echoing it. */
function askHidden(question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = process.stdin;
    process.stderr.write(question);
    let typed = '';
    input.setRawMode?.(true);
    input.resume();
    const done = (v: string | undefined) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      process.stderr.write('\n');
      resolve(v);
    };
    const onData = (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(typed);
        if (ch === '\u0003' || ch === '\u0004' || ch === '\u001b') return done(undefined); // Ctrl+C, Ctrl+D, Esc
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}

/** Non-interactive, except the host-key question and a key's passphrase when a human is at a terminal. No password prompts: keys or agent only. */
export function cliPrompts(): Prompts | undefined {
  if (!canAskPassphrase()) return undefined;
  return {
    passphrase: (keyFile) => askHidden(t(CLI_LANG, "Enter passphrase for key '{0}': ", keyFile)),
    confirmHostKey: (info) =>
      askYesNo(
        t(CLI_LANG, "The authenticity of host '{0}' (port {1}) can't be established.", info.host, info.port) +
          '\n' +
          t(CLI_LANG, '{0} key fingerprint is {1}.', info.keyType, info.fingerprint) +
          '\n' +
          t(CLI_LANG, 'Add it to {0} and continue connecting? [y/N] ', info.knownHostsFile),
      ),
  };
}

export async function openSsh(o: Partial<CliOptions>, progress: (line: string) => void, target = (o.host ?? o.ssh ?? o.central)!): Promise<CommandRunner> {
  progress(t(CLI_LANG, 'connecting to {0}', target));
  return connectSsh({
    target,
    ...(o.identity ? { identityFile: o.identity } : {}),
    ...(o.knownHosts ? { knownHostsFiles: [o.knownHosts] } : {}),
    prompts: cliPrompts(),
  });
}
