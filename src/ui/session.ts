// The connection of the last diagnosis, kept for "Re-run Source": closed after a while idle, at the next
// diagnosis, on Clear, or when the extension stops; reopened (same prompts, same checks) when needed again.
import type { CommandRunner, DiagnoseRequest } from '../core/index';

const IDLE_MS = 10 * 60_000;

export interface SshTarget {
  target: string;
  identityFile?: string;
  knownHostsFile?: string;
  sshConfigFile?: string;
}

export class Session {
  private runner: Promise<CommandRunner> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly open: () => Promise<CommandRunner>,
    /** The request that produced the diagnosis, replayed by Re-run Source. */
    readonly request: DiagnoseRequest,
    /** How to open a terminal on the same host (undefined for a local bundle). */
    readonly ssh?: SshTarget,
  ) {}

  async get(): Promise<CommandRunner> {
    this.runner ??= this.open();
    try {
      const r = await this.runner;
      this.touch();
      return r;
    } catch (e) {
      this.runner = undefined;
      throw e;
    }
  }

  /** Drops a connection that failed (the next get() reconnects). */
  async reset(): Promise<void> {
    const r = this.runner;
    this.runner = undefined;
    await r?.then((x) => x.close()).catch(() => undefined);
  }

  private touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reset(), IDLE_MS);
    this.timer.unref?.();
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.reset();
  }
}
