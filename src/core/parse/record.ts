/** One log record before interpretation: a line (or journal entry) with its instant, if it has one. */
import type { EventKind } from '../model';

export interface LogRecord {
  /** Absolute instant; undefined for continuation lines (traceback bodies in text logs). */
  time?: Date;
  /** The raw line as fetched. */
  raw: string;
  /** The message part (after timestamp/host/ident prefixes). */
  message: string;
  pid?: number;
  ident?: string;
  level?: string;
  /** File the line came from (text logs). */
  file?: string;
  /** Kind decided by the format parser (e.g. an access line), before message classification. */
  kind?: EventKind;
  fields?: Record<string, string | number>;
  /** No parser recognised the line (no timestamp, no known format). */
  unparsed?: boolean;
}

export interface ParseContext {
  /** Catalogue source id. */
  source: string;
  /** Host local zone, for formats without an offset. */
  tz: string;
  /** A reference instant (the window) to give RFC 3164 lines their year. */
  ref: Date;
  /** When the kernel booted: places dmesg's raw `[seconds]` lines. Absent = those lines have no instant. */
  bootTime?: Date;
  /** Parsers for the access-log formats the host declares (nginx `log_format`), tried before the combined format. */
  accessFormats?: ((line: string, ctx: ParseContext) => LogRecord | undefined)[];
}

/**
 * An empty array that will hold objects (`instants`: numbers that are not small integers, epoch milliseconds).
 * (V8 makes a fresh `[]` an array of small integers until its first push: optimised code that had only met arrays
 * of objects went back to the interpreter at the first push of each new array, until type feedback caught up)
 */
export function emptyList<T extends object>(): T[] {
  const a: T[] = [undefined as unknown as T];
  a.length = 0;
  return a;
}
export function emptyInstants(): number[] {
  const a = [0.5];
  a.length = 0;
  return a;
}
