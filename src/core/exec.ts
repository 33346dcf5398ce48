/**
 * The one contract between the diagnosis engine and whatever executes commands:
 * an SSH connection (src/transport/ssh*.ts) or this machine (src/transport/local.ts).
 * Pure types and error classes: no I/O here.
 */

import type { Duplex } from 'node:stream';
import { asLocalized, render, type Localized } from './l10n';

export interface RunOptions {
  /** Run through `sudo -n` (or `sudo -S` with a caller-supplied password). */
  sudo?: boolean;
  /** Per-command timeout; on expiry the channel is closed and the remote process ended. */
  timeoutMs?: number;
  /** Cap on captured stdout bytes; past it the command is stopped and `truncated` is set. */
  maxBytes?: number;
  /** Cancels the command: closes the channel and ends the remote process. */
  signal?: AbortSignal;
  /** Streamed stdout, decoded as UTF-8 with replacement characters. */
  onStdout?: (chunk: string) => void;
  /** Streamed stderr (without the transport's own marker lines), for long-running commands. */
  onStderr?: (chunk: string) => void;
  /** Long-running (follow) commands: stdout only goes to onStdout, RunResult.stdout stays empty (memory stays flat). */
  discardStdout?: boolean;
  /** How heavy the command is expected to be, relative (1 = a quick check): runners that group commands (lanes.ts) spread the heavy ones. */
  weight?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit status, or null when the process ended by a signal or was stopped. */
  code: number | null;
  /** Signal name when the remote process ended by one. */
  signal?: string;
  /** True when stdout hit maxBytes and the rest was not read. Never silent. */
  truncated: boolean;
  durationMs: number;
}

export interface CommandRunner {
  /** Runs one shell command line (already quoted by the catalogue). */
  run(command: string, options?: RunOptions): Promise<RunResult>;
  /** Reads a whole file; same statuses as run(). */
  close(): Promise<void>;
  /**
   * Optional: a byte stream to a TCP port on the host's own loopback (SSH: a direct-tcpip channel,
   * like `ssh -L`), e.g. systemd-journal-gatewayd on a central log host. Nothing is opened on the host.
   * Rejects with RunnerError UNREACHABLE when nothing listens there or the server forbids forwarding.
   */
  openLoopback?(port: number): Promise<Duplex>;
  /** e.g. "deploy@127.0.0.1:2222" or "local". Never contains a secret. */
  describe(): string;
}

/**
 * Base class of every typed failure a runner reports: `text` (what failed) and `adviceText` (a next step) are
 * catalogue messages, rendered where they are shown (the CLI, the UI, a fleet host's JSON). `message` is `text` in
 * English for Error semantics (stacks, logs): never shown to the user in place of `text`.
 * A plain string given instead of a message is a text no catalogue made (shown as it is).
 */
export class RunnerError extends Error {
  readonly text: Localized;
  readonly adviceText?: Localized;
  constructor(
    public readonly code: RunnerErrorCode,
    message: string | Localized,
    advice?: string | Localized,
  ) {
    super(typeof message === 'string' ? message : render(message, 'en'));
    this.name = 'RunnerError';
    this.text = asLocalized(message);
    if (advice !== undefined) this.adviceText = asLocalized(advice);
  }
}

export type RunnerErrorCode =
  | 'HOST_KEY_MISMATCH' // presented key differs from known_hosts: stop everything
  | 'HOST_KEY_REVOKED'
  | 'HOST_KEY_UNKNOWN' // not in known_hosts and the user did not accept it
  | 'AUTH_FAILED'
  | 'UNREACHABLE' // refused, no route, DNS failure
  | 'CONNECT_TIMEOUT'
  | 'CONNECTION_LOST' // dropped while commands were running
  | 'SUDO_PASSWORD_REQUIRED'
  | 'SUDO_PASSWORD_WRONG'
  | 'COMMAND_TIMEOUT'
  | 'CANCELLED'
  | 'OUTPUT_UNTRUSTED' // the login shell's startup files interfered: the output is not the command's
  | 'BAD_TARGET';
