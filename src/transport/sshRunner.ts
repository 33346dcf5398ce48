/**
 * CommandRunner over SSH: commands run in parallel on channels of one pooled connection, never more
 * than the server allows; output streamed and capped; timeout/cancel end the remote process; sudo
 * through `sudo -n`, or `sudo -S` with the password on stdin.
 */
import type { SshConnectOptions } from './types';
import type { ClientChannel } from 'ssh2';
import type { Duplex } from 'node:stream';
import { CommandRunner, RunOptions, RunResult, RunnerError } from '../core/exec';
import { msg } from '../core/l10n';
import { SUDO_ADVICE } from './local';
import { OutputCollector } from './output';
import { StderrDemux, StdoutFrame, wrapCommand, type SudoMode } from './remoteCommand';
import type { Live, SharedConnection } from './sshConnection';

const OPEN_REFUSED = /open failed|Channel open failure/i;
const SUDO_NEEDS_PW = /a password is required|a terminal is required/;
const SUDO_WRONG_PW = /incorrect password attempt|Sorry, try again|no password was provided/;

export class SshRunner implements CommandRunner {
  /** In memory only, for this runner's life; never logged. */
  private sudoPassword?: string;
  private sudoNeedsPassword = false;
  /** One question at a time, however many root commands run in parallel. */
  private sudoPrompt?: Promise<string | undefined>;
  /** The user declined to give the password: root commands fail at once, without asking again. */
  private sudoDeclined = false;
  private closed = false;

  constructor(
    private readonly shared: SharedConnection,
    /** This runner's own prompts and timeout (a pooled connection may have been opened with others). */
    private readonly own: Pick<SshConnectOptions, 'prompts' | 'commandTimeoutMs'> = shared.options,
  ) {}

  describe(): string {
    return this.shared.describe();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.shared.release();
  }

  /** Opens the connection now (connectSsh calls it so that key/auth errors surface early). */
  async ready(): Promise<void> {
    await this.shared.get();
  }

  async run(command: string, options: RunOptions = {}): Promise<RunResult> {
    if (this.closed) throw new RunnerError('CONNECTION_LOST', msg('the connection to {0} is closed', this.describe()));
    const wantSudo = !!options.sudo && this.shared.target.user !== 'root';
    if (!wantSudo) return this.exec(command, 'none', options);
    const prompts = this.own.prompts;
    if (!this.sudoNeedsPassword) {
      try {
        return await this.exec(command, 'nopass', options);
      } catch (e) {
        if (!(e instanceof RunnerError) || e.code !== 'SUDO_PASSWORD_REQUIRED' || !prompts?.sudoPassword) throw e;
        this.sudoNeedsPassword = true;
      }
    }
    if (this.sudoPassword === undefined) {
      if (!this.sudoDeclined) {
        const asking = (this.sudoPrompt ??= Promise.resolve(prompts?.sudoPassword?.(this.describe())).finally(() => (this.sudoPrompt = undefined)));
        const pw = await asking;
        if (pw === undefined) this.sudoDeclined = true;
        else this.sudoPassword ??= pw;
      }
      if (this.sudoPassword === undefined) throw new RunnerError('SUDO_PASSWORD_REQUIRED', msg('sudo on {0} needs a password and none was given', this.describe()), msg(SUDO_ADVICE));
    }
    try {
      return await this.exec(command, 'stdin', options, this.sudoPassword);
    } catch (e) {
      if (e instanceof RunnerError && e.code === 'SUDO_PASSWORD_WRONG') this.sudoPassword = undefined;
      throw e;
    }
  }

  /**
   * A direct-tcpip channel to 127.0.0.1:port on the host (what `ssh -L` opens): reads a loopback-only
   * service such as systemd-journal-gatewayd without exposing it. Holds a channel slot until closed.
   */
  async openLoopback(port: number): Promise<Duplex> {
    if (this.closed) throw new RunnerError('CONNECTION_LOST', msg('the connection to {0} is closed', this.describe()));
    const live = await this.shared.get();
    await this.acquireSlot();
    const gate = this.shared.gate;
    return new Promise((resolve, reject) => {
      live.conn.client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (err, ch) => {
        if (err) {
          gate.release();
          return reject(new RunnerError('UNREACHABLE', msg('cannot reach 127.0.0.1:{0} on {1}: {2}', port, this.describe(), err.message), msg('Check that the service listens on the host’s loopback and that sshd allows TCP forwarding (AllowTcpForwarding).')));
        }
        gate.opened();
        ch.once('close', () => gate.release());
        resolve(ch);
      });
    });
  }

  /** Acquires a channel slot and runs; requeues when the server refuses a channel. */
  private async exec(command: string, sudo: SudoMode, options: RunOptions, password?: string): Promise<RunResult> {
    const timeoutMs = options.timeoutMs ?? this.own.commandTimeoutMs;
    // the host's own ceiling comes a little after ours, so our timeout normally fires first
    const wrapped = wrapCommand(command, sudo, timeoutMs ? timeoutMs / 1000 + 5 : undefined);
    this.shared.options.log?.(`ssh ${this.describe()}: ${sudo === 'none' ? '' : sudo === 'nopass' ? 'sudo -n ' : 'sudo -S '}${command}`);
    let refusedWithNothingOpen = 0;
    for (;;) {
      if (options.signal?.aborted) throw new RunnerError('CANCELLED', msg('command cancelled'));
      const live = await this.shared.get();
      await this.acquireSlot(options.signal);
      if (live.lost) {
        this.shared.gate.release();
        continue; // reconnect
      }
      let ch: ClientChannel;
      try {
        ch = await this.shared.exec(live.conn.client, wrapped.line);
      } catch (e) {
        const why = (e as Error).message;
        if (OPEN_REFUSED.test(why) && !live.lost) {
          const gate = this.shared.gate;
          const attempted = gate.inUse;
          if (gate.refused()) {
            this.shared.options.log?.(`server refused channel ${attempted}; limiting to ${gate.limit} parallel commands`);
          } else {
            // transient: sshd has not freed a just-closed session yet
            await new Promise((r) => setTimeout(r, 20));
          }
          if (attempted === 1 && ++refusedWithNothingOpen > 5) throw new RunnerError('UNREACHABLE', msg('the server refuses to open a session channel: {0}', why));
          continue;
        }
        this.shared.gate.release();
        if (live.lost) continue;
        throw new RunnerError('CONNECTION_LOST', msg('cannot open a channel on {0}: {1}', this.describe(), why));
      }
      this.shared.gate.opened();
      return this.drive(live, ch, wrapped.nonce, sudo, options, password);
    }
  }

  /** Waits for a channel slot; a cancel while queued gives the slot back and rejects CANCELLED. */
  private async acquireSlot(signal?: AbortSignal): Promise<void> {
    const gate = this.shared.gate;
    const slot = gate.acquire();
    if (!signal) return slot;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const won = await Promise.race([slot, aborted]);
    signal.removeEventListener('abort', onAbort!);
    if (won === 'aborted') {
      void slot.then(() => gate.release());
      throw new RunnerError('CANCELLED', msg('command cancelled while waiting for a channel'));
    }
  }

  /** Runs one opened channel to completion; always releases the slot. */
  private drive(live: Live, ch: ClientChannel, nonce: string, sudo: SudoMode, options: RunOptions, password?: string): Promise<RunResult> {
    const started = Date.now();
    const gate = this.shared.gate;
    const out = new OutputCollector(options.maxBytes, options.onStdout, options.discardStdout);
    const frame = new StdoutFrame(nonce);
    const err = new StderrDemux(nonce);
    const decoder = new TextDecoder('utf-8');
    const timeoutMs = options.timeoutMs ?? this.own.commandTimeoutMs;
    let exitCode: number | null = null;
    let exitSignal: string | undefined;

    return new Promise<RunResult>((resolve, reject) => {
      let finished = false;
      let stopping = false;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        live.inflight.delete(onLost);
      };
      const finish = (f: () => void) => {
        if (finished) return;
        finished = true;
        cleanup();
        f();
      };
      /** Closes the channel (its watchdog then ends the remote processes), then settles. */
      const stop = (settle: () => void) => {
        if (stopping || finished) return;
        stopping = true;
        cleanup();
        void closeChannel(ch).then(() => {
          gate.release();
          finish(settle);
        });
      };
      const onLost = (e: RunnerError) => {
        if (stopping) return;
        // the host side sees its stdin close with the connection: the watchdog ends the command there
        gate.release();
        finish(() => reject(new RunnerError('CONNECTION_LOST', msg('{0} while running a command', e.text), e.adviceText)));
      };
      const onAbort = () => stop(() => reject(new RunnerError('CANCELLED', msg('command cancelled'))));
      const timer = timeoutMs
        ? setTimeout(() => stop(() => reject(new RunnerError('COMMAND_TIMEOUT', msg('command timed out after {0} ms', timeoutMs), msg('Narrow the time window or raise the command timeout.')))), timeoutMs)
        : undefined;
      live.inflight.set(onLost, () => undefined);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();

      ch.on('data', (b: Buffer) => {
        if (stopping) return;
        const mine = frame.push(b);
        if (mine.length && out.push(mine)) stop(() => resolve(result(null)));
      });
      watchStderr(ch, err, decoder, sudo, options.onStderr);
      ch.on('exit', (code: number | null, signal?: string) => {
        exitCode = code ?? null;
        exitSignal = signal ?? undefined;
      });
      // ssh2 repeats the exit status on 'close': an 'exit' that came before our listener is not lost
      ch.on('close', (code?: number | null, signal?: string) => {
        if (exitCode === null && typeof code === 'number') exitCode = code;
        if (exitSignal === undefined && signal) exitSignal = signal;
        if (stopping) return;
        gate.release();
        err.push(decoder.decode());
        err.end();
        const rest = frame.end();
        if (rest.length) out.push(rest);
        finish(() => this.settle({ frame, err, sudo, exitCode, resolve, reject, result }));
      });
      const result = (code: number | null): RunResult => ({
        stdout: out.text(),
        stderr: err.text,
        code: out.truncated ? null : code,
        signal: exitSignal,
        truncated: out.truncated,
        durationMs: Date.now() - started,
      });

      // stdin stays open: its end is what tells the host-side watchdog to stop the command
      if (sudo === 'stdin') ch.write(`${password ?? ''}\n`);
    });
  }

  /** Turns a closed channel into a result or a typed error. */
  private settle(s: {
    frame: StdoutFrame;
    err: StderrDemux;
    sudo: SudoMode;
    exitCode: number | null;
    resolve: (r: RunResult) => void;
    reject: (e: RunnerError) => void;
    result: (code: number | null) => RunResult;
  }): void {
    const { frame, err, sudo, exitCode } = s;
    const stderr = err.text;
    if (frame.preambleBytes || err.preamble) {
      this.shared.options.log?.(`${this.describe()}: the login shell printed ${frame.preambleBytes + err.preamble.length} bytes before the command (rc files); ignored`);
    }
    if (sudo === 'nopass' && exitCode === 1 && SUDO_NEEDS_PW.test(stderr)) {
      s.reject(new RunnerError('SUDO_PASSWORD_REQUIRED', msg('sudo on {0} needs a password', this.describe()), msg(SUDO_ADVICE)));
    } else if (sudo === 'stdin' && exitCode === 1 && SUDO_WRONG_PW.test(stderr)) {
      s.reject(new RunnerError('SUDO_PASSWORD_WRONG', msg('sudo on {0} rejected the password', this.describe()), msg('Check the sudo password (it is the remote user’s own password), or use a NOPASSWD rule for the read-only commands.')));
    } else if (!frame.started || (frame.exitStatus === undefined && exitCode === 0)) {
      s.reject(new RunnerError('OUTPUT_UNTRUSTED', msg('the output from {0} cannot be trusted: {1}', this.describe(), frame.started ? msg('it ended before the command did') : msg('the command never started (the login shell did something else)')), msg('Check the SSH user’s login shell and its startup files (~/.bashrc, ~/.zshenv, ~/.profile): they must not exit, exec another program or read stdin.')));
    } else {
      s.resolve(s.result(frame.exitStatus ?? exitCode));
    }
  }
}

/** Sends EOF and closes the channel; waits (at most 2 s) for the server to confirm. */
function closeChannel(ch: ClientChannel): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 2000);
    ch.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    try {
      ch.end();
      ch.close();
    } catch {
      clearTimeout(t);
      resolve();
    }
  });
}

/** The channel's stderr into the demux (the caller's share forwarded as it comes); a refused sudo password ends stdin. */
function watchStderr(ch: ClientChannel, err: StderrDemux, decoder: InstanceType<typeof TextDecoder>, sudo: SudoMode, onStderr: RunOptions['onStderr']): void {
  ch.stderr.on('data', (b: Buffer) => {
    const seen = err.text.length;
    err.push(decoder.decode(b, { stream: true }));
    if (onStderr && err.text.length > seen) onStderr(err.text.slice(seen));
    // sudo -S refused the password and waits for another on stdin: end stdin so it gives up now
    // (sudo's own wording, see SUDO_WRONG_PW); settle() then names SUDO_PASSWORD_WRONG
    if (sudo === 'stdin' && SUDO_WRONG_PW.test(err.text)) ch.end();
  });
}
