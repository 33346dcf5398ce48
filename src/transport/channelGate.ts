/**
 * Counts open channels on one connection. The limit starts at maxChannels (OpenSSH's MaxSessions
 * default is 10) and shrinks to the number currently open when the server refuses one more.
 */
export class ChannelGate {
  private open = 0;
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
    return new Promise((resolve) => this.waiting.push(() => { this.open++; resolve(); }));
  }

  release(): void {
    this.open--;
    this.pump();
  }

  /** The server refused a channel while `open` (including the refused one) were counted. */
  refused(): void {
    this.open--;
    this.limit = Math.max(1, this.open);
  }

  private pump(): void {
    while (this.open < this.limit && this.waiting.length) this.waiting.shift()!();
  }
}
