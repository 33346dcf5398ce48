/**
 * Runs catalogue commands on this machine: VS Code running on the production host itself
 * (Remote-SSH), or offline work on a collected bundle. Same contract as the SSH runner.
 */
import { spawn } from 'node:child_process';
import { CommandRunner, RunOptions, RunResult, RunnerError } from '../core/exec';
import { msg } from '../core/l10n';
import { OutputCollector } from './output';

export interface LocalRunnerOptions {
  /** Working directory of the commands. */
  cwd?: string;
  /** sudo password, sent on stdin to `sudo -S` only. Never logged. */
  sudoPassword?: () => Promise<string | undefined>;
  log?: (line: string) => void;
}

export class LocalRunner implements CommandRunner {
  constructor(private readonly opts: LocalRunnerOptions = {}) {}

  describe(): string {
    return 'local';
  }

  async close(): Promise<void> {}

  run(command: string, options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const line = options.sudo && process.getuid?.() !== 0 ? `sudo -n -- bash -c ${shq(command)}` : command;
    this.opts.log?.(`local: ${line}`);
    return new Promise((resolve, reject) => {
      // detached: the command gets its own process group, so cancel/timeout end all of it
      const child = spawn('bash', ['-c', line], { cwd: this.opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const out = new OutputCollector(options.maxBytes, options.onStdout, options.discardStdout);
      let stderr = '';
      let finished = false;
      const kill = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      };
      const timer = options.timeoutMs
        ? setTimeout(() => {
            if (finished) return;
            finished = true;
            kill();
            reject(new RunnerError('COMMAND_TIMEOUT', msg('command timed out after {0} ms', options.timeoutMs)));
          }, options.timeoutMs)
        : undefined;
      const onAbort = () => {
        if (finished) return;
        finished = true;
        kill();
        reject(new RunnerError('CANCELLED', msg('command cancelled')));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (b: Buffer) => {
        if (out.push(b)) kill();
      });
      child.stderr.on('data', (b: Buffer) => {
        const s = b.toString('utf8');
        stderr += s;
        options.onStderr?.(s);
      });
      child.on('error', (e) => {
        if (finished) return;
        finished = true;
        reject(new RunnerError('UNREACHABLE', msg('cannot run bash: {0}', e.message)));
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (finished) return;
        finished = true;
        if (/a password is required|a terminal is required/.test(stderr)) {
          reject(new RunnerError('SUDO_PASSWORD_REQUIRED', msg('sudo needs a password'), msg(SUDO_ADVICE)));
          return;
        }
        resolve({ stdout: out.text(), stderr, code: out.truncated ? null : code, signal: signal ?? undefined, truncated: out.truncated, durationMs: Date.now() - started });
      });
    });
  }
}

export const SUDO_ADVICE =
  'sudo asks for a password. Either add the user to the groups adm and systemd-journal (they read every log the playbook needs), ' +
  'or add a NOPASSWD sudoers rule for the read-only commands (journalctl, grep, zgrep, cat, find, dmesg), or enter the sudo password when asked.';

/** POSIX single-quote shell quoting. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
