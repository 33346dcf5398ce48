/** Collects a command's stdout with a byte cap; decodes UTF-8 with replacement characters. */
import { StringDecoder } from 'node:string_decoder';

export class OutputCollector {
  private readonly decoder = new StringDecoder('utf8');
  private readonly parts: string[] = [];
  private bytes = 0;
  truncated = false;

  constructor(
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly onChunk?: (chunk: string) => void,
    /** Streamed only: chunks go to onChunk and are not kept. */
    private readonly discard = false,
  ) {}

  /** Adds a chunk; returns true when the cap was reached (the caller stops the command). */
  push(chunk: Buffer): boolean {
    if (this.truncated) return true;
    let b = chunk;
    if (this.bytes + b.length > this.maxBytes) {
      b = b.subarray(0, this.maxBytes - this.bytes);
      this.truncated = true;
    }
    this.bytes += b.length;
    const s = this.decoder.write(b);
    if (s) {
      if (!this.discard) this.parts.push(s);
      this.onChunk?.(s);
    }
    return this.truncated;
  }

  text(): string {
    const tail = this.decoder.end();
    if (tail) {
      if (!this.discard) this.parts.push(tail);
      else this.onChunk?.(tail);
    }
    return this.parts.join('');
  }
}
