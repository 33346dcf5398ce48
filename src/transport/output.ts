/**
 * Collects a command's stdout with a byte cap; decodes UTF-8 with replacement characters. A line longer
 * than MAX_LINE_BYTES keeps its first MAX_LINE_BYTES bytes followed by "… [N bytes cut]": the rest is
 * never stored, so one 100 MB line costs 32 KiB and the lines after it are still read.
 */
import { StringDecoder } from 'node:string_decoder';

/** Bytes kept of one output line (documented in docs/cli.md). */
export const MAX_LINE_BYTES = 32 * 1024;

const NL = Buffer.from('\n');

export class OutputCollector {
  private readonly decoder = new StringDecoder('utf8');
  private readonly parts: string[] = [];
  private bytes = 0;
  /** Bytes kept of the current line, and bytes dropped from it. */
  private lineLen = 0;
  private cut = 0;
  /** Lines that were cut. */
  cutLines = 0;
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
    let b = this.cutLongLines(chunk);
    if (this.bytes + b.length > this.maxBytes) {
      b = b.subarray(0, this.maxBytes - this.bytes);
      this.truncated = true;
    }
    this.bytes += b.length;
    this.emit(this.decoder.write(b));
    return this.truncated;
  }

  text(): string {
    let tail = this.decoder.end();
    if (this.cut && !this.truncated) tail += this.cutMark();
    this.emit(tail);
    return this.parts.join('');
  }

  private emit(s: string): void {
    if (!s) return;
    if (!this.discard) this.parts.push(s);
    this.onChunk?.(s);
  }

  private cutMark(): string {
    const m = ` … [${this.cut} bytes cut]`;
    this.cutLines++;
    this.cut = 0;
    return m;
  }

  /** The chunk with every line's bytes past MAX_LINE_BYTES dropped (and counted). */
  private cutLongLines(chunk: Buffer): Buffer {
    if (this.lineLen + chunk.length <= MAX_LINE_BYTES && !this.cut) {
      const nl = chunk.lastIndexOf(0x0a);
      this.lineLen = nl < 0 ? this.lineLen + chunk.length : chunk.length - nl - 1;
      return chunk;
    }
    const kept: Buffer[] = [];
    for (let i = 0; i < chunk.length; ) {
      const nl = chunk.indexOf(0x0a, i);
      const end = nl < 0 ? chunk.length : nl;
      let room = Math.min(end - i, Math.max(0, MAX_LINE_BYTES - this.lineLen));
      // never split a UTF-8 sequence: back off to the start of the character
      if (room < end - i) while (room > 0 && (chunk[i + room] & 0xc0) === 0x80) room--;
      if (room) kept.push(chunk.subarray(i, i + room));
      this.lineLen += room;
      this.cut += end - i - room;
      if (room < end - i) this.lineLen = MAX_LINE_BYTES; // the line is full, even after a backed-off character
      if (nl < 0) break;
      if (this.cut) kept.push(Buffer.from(this.cutMark()));
      kept.push(NL);
      this.lineLen = 0;
      i = nl + 1;
    }
    return Buffer.concat(kept);
  }
}
