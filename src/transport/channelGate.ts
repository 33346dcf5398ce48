/**
 * Counts open channels on one connection. The limit starts at maxChannels (OpenSSH's MaxSessions
 * default is 10) and shrinks when the server refuses one more ("open failed"), but never below the
 * most channels the server ever accepted at once: a refusal below that mark is transient (sshd
 * frees a closed session a moment after the close), so the caller just retries shortly.
 */
export class ChannelGate {
  private open = 0;
  /** Most channels that were open at the same time, all accepted by the server. */
  private highWater = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(public limit: number) {}

  get inUse(): number {
    return this.open;
  }

  acquire(): Promise<void> {
    if (this.open < this.limit) {
      this.open++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.open++;
        resolve();
      }),
    );
  }

  /** The server accepted the channel just acquired. */
  opened(): void {
    this.highWater = Math.max(this.highWater, this.open);
  }

  release(): void {
    this.open--;
    this.pump();
  }

  /**
   * The server refused the channel just acquired (its slot is given back here). Returns true when
   * the refusal taught a lower limit, false when it was transient (retry after a short pause).
   */
  refused(): boolean {
    const attempted = this.open;
    this.open--;
    const learnt = Math.max(1, this.highWater, attempted - 1);
    const shrank = learnt < this.limit && attempted > this.highWater;
    if (shrank) this.limit = learnt;
    this.pump();
    return shrank;
  }

  private pump(): void {
    while (this.open < this.limit && this.waiting.length) this.waiting.shift()!();
  }
}
