/**
 * From a followed command's output to engine events, as it arrives: chunks → lines → records (the
 * diagnosis's own parsers) → events (the diagnosis's own `interpret`). A traceback is held until its
 * last line (the next line of its stream, or a short silence) and becomes one event, as in the diagnosis.
 */
import type { LogEvent } from '../model';
import { interpret } from '../parse/interpret';
import { parseJournalJson } from '../parse/journal';
import { parseLine } from '../parse/prefix';
import type { LogRecord } from '../parse/record';
import { continueTraceback, TB_START, type TbState } from '../parse/traceback';
import { maskSecrets } from '../redact';

/** Longest line kept (a runaway line without newline cannot grow memory). */
export const MAX_LINE_CHARS = 64 * 1024;

/** Splits streamed text into complete lines; keeps the unfinished tail for the next chunk. */
export class LineSplitter {
  private rest = '';
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const parts = text.split('\n');
    this.rest = parts.pop() ?? '';
    if (this.rest.length > MAX_LINE_CHARS) {
      parts.push(this.rest.slice(0, MAX_LINE_CHARS));
      this.rest = '';
    }
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).map((l) => (l.length > MAX_LINE_CHARS ? l.slice(0, MAX_LINE_CHARS) : l));
  }
  end(): string[] {
    const r = this.rest;
    this.rest = '';
    return r ? [r] : [];
  }
}

interface OpenTraceback {
  records: LogRecord[];
  state: TbState;
  /** The "Error handling request /path" line just before, which gives the traceback its request path. */
  context?: LogRecord;
  timer?: ReturnType<typeof setTimeout>;
}

export interface LiveInterpreterOptions {
  source: string;
  format: 'journal' | 'text';
  /** Host zone, for log lines without an offset. */
  tz: string;
  emit(events: LogEvent[]): void;
  /** A traceback with no new line for this long is complete. */
  idleMs?: number;
  now?: () => number;
}

const TRACEBACK_IDLE_MS = 250;

export class LiveInterpreter {
  private readonly open = new Map<string, OpenTraceback>();
  private readonly lastTime = new Map<string, Date>();
  private readonly lastError = new Map<string, LogRecord>();

  constructor(private readonly o: LiveInterpreterOptions) {}

  /** One complete output line. */
  line(raw: string): void {
    const text = maskSecrets(raw);
    if (this.o.format === 'journal') {
      for (const r of parseJournalJson(text, this.o.tz)) this.record(r, `j:${r.fields?.stream ?? ''}`);
      return;
    }
    if (text === '') return;
    const r = parseLine(text, { source: this.o.source, tz: this.o.tz, ref: new Date(this.now()) }) ?? { raw: text, message: text };
    this.record(r, 't');
  }

  /** Closes every open traceback (end of the follow). */
  flush(): void {
    for (const k of [...this.open.keys()]) this.close(k);
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  private record(r: LogRecord, k: string): void {
    const tb = this.open.get(k);
    if (tb) {
      const next = continueTraceback(r.message, tb.state);
      if (next) {
        tb.state = next;
        tb.records.push(r);
        this.arm(k, tb);
        return;
      }
      this.close(k);
    }
    if (r.time) this.lastTime.set(k, r.time);
    else r.time = this.lastTime.get(k) ?? new Date(this.now());
    if (r.message.startsWith(TB_START)) {
      const ctx = this.lastError.get(k);
      const fresh = ctx?.time && r.time && r.time.getTime() - ctx.time.getTime() < 5000;
      const open: OpenTraceback = { records: [r], state: 'frames', context: fresh ? ctx : undefined };
      this.open.set(k, open);
      this.arm(k, open);
      return;
    }
    const events = interpret([r], { source: this.o.source });
    if (events.some((e) => e.kind === 'error' && typeof e.fields?.path === 'string')) this.lastError.set(k, r);
    if (events.length) this.o.emit(events);
  }

  private arm(k: string, tb: OpenTraceback): void {
    if (tb.timer) clearTimeout(tb.timer);
    tb.timer = setTimeout(() => this.close(k), this.o.idleMs ?? TRACEBACK_IDLE_MS);
  }

  private close(k: string): void {
    const tb = this.open.get(k);
    if (!tb) return;
    this.open.delete(k);
    if (tb.timer) clearTimeout(tb.timer);
    const records = tb.context ? [tb.context, ...tb.records] : tb.records;
    const events = interpret(records, { source: this.o.source, stream: () => k }).filter((e) => !tb.context || e.kind === 'traceback' || e.line !== tb.context.raw);
    if (events.length) this.o.emit(events);
  }
}
