/**
 * A bounded buffer of followed lines, kept in time order (a line that arrives late from a slower source
 * is inserted at its place). When full, the oldest line leaves and `dropped` counts it: memory stays flat.
 */

export const DEFAULT_RING_CAPACITY = 5000;

export class TimeRing<T> {
  private items: T[] = [];
  /** Index of the oldest item in `items` (items before it have left). */
  private head = 0;
  dropped = 0;

  constructor(
    readonly capacity: number,
    private readonly timeOf: (x: T) => number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('ring capacity must be a positive integer');
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Inserts in time order (stable: equal times keep arrival order); returns the items that left. */
  push(x: T): T[] {
    const t = this.timeOf(x);
    let i = this.items.length;
    while (i > this.head && this.timeOf(this.items[i - 1]) > t) i--;
    if (i === this.items.length) this.items.push(x);
    else this.items.splice(i, 0, x);
    const left: T[] = [];
    while (this.size > this.capacity) {
      left.push(this.items[this.head]);
      this.head++;
      this.dropped++;
    }
    // compact now and then, so the array never grows past twice the capacity
    if (this.head > this.capacity) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return left;
  }

  toArray(): T[] {
    return this.items.slice(this.head);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
