/**
 * Time order for an output that cannot go back (the CLI's plain lines): lines wait `holdMs` so that a
 * line from a slower source can still take its place; then they leave sorted by time (arrival order for
 * equal times). A line later than `holdMs` leaves at once, after those already printed.
 */
import type { FollowLine } from './types';

export const DEFAULT_HOLD_MS = 150;

export class Reorder {
  private pending: FollowLine[] = [];
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly out: (lines: FollowLine[]) => void,
    private readonly holdMs = DEFAULT_HOLD_MS,
  ) {}

  push(lines: FollowLine[]): void {
    this.pending.push(...lines);
    this.schedule();
  }

  /** Everything now, in order (the end of the follow). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.emit(Number.POSITIVE_INFINITY);
  }

  private schedule(): void {
    if (this.timer || !this.pending.length) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const l of this.pending) oldest = Math.min(oldest, l.arrivedAt);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emit(Date.now() - this.holdMs);
      this.schedule();
    }, Math.max(0, oldest + this.holdMs - Date.now()));
  }

  private emit(arrivedBy: number): void {
    if (!this.pending.length) return;
    const sorted = this.pending.sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.seq - b.seq);
    let lastDue = Number.NEGATIVE_INFINITY;
    for (const l of sorted) if (l.arrivedAt <= arrivedBy) lastDue = Math.max(lastDue, Date.parse(l.time));
    if (lastDue === Number.NEGATIVE_INFINITY) return;
    // what waited long enough leaves, with every line earlier in time than it
    const out: FollowLine[] = [];
    const keep: FollowLine[] = [];
    for (const l of sorted) (l.arrivedAt <= arrivedBy || Date.parse(l.time) <= lastDue ? out : keep).push(l);
    this.pending = keep;
    this.out(out);
  }
}
