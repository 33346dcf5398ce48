/**
 * A source's output parsed as it streams: text output is cut into slices at line ends as the chunks
 * arrive, each slice is masked, its host notes taken out and its lines parsed at once, and only the
 * events the source keeps stay in memory (the raw output is kept only for probes and `collect`).
 * A busy window's memory is then the events kept, never its whole text.
 */
import { maskSecrets } from './redact';
import { takeNotes, type HostNotes } from './host-notes';
import type { LogEvent, SummaryMinute } from './model';
import type { PlaybookSource } from './catalogue';
import { interpret } from './parse/interpret';
import { usualAccessEvents } from './parse/accessSlice';
import { parseJournal } from './parse/journal';
import { markerAt, parseText } from './parse/text';
import { emptyInstants, emptyList, type LogRecord, type ParseContext } from './parse/record';
import type { ParseWindow, UnparsedStats } from './source-run';

/** Events kept per source (the JSON and memory stay bounded on a busy host). */
export const MAX_EVENTS = 5000;
/** How far before the window the start of a send request is looked for. */
export const START_CONTEXT_MS = 30 * 60_000;
const UNPARSED_EXAMPLES = 5;
/** Text output is parsed this many characters at a time: a busy log never holds all its events at once. */
export const PARSE_SLICE = 1 << 18;

/** The file marker in force after `text` (the window reader names each file it reads): `current` when none. */
export function fileMarkerAfter(text: string, current: string): string {
  // (the last marker LINE found forwards: V8's lastIndexOf walks back through a whole slice without one; the text
  // inside a log line is no marker, and does not hide the marker line before it)
  let m = -1;
  for (let i = markerAt(text, 0); i >= 0; i = markerAt(text, i + 1)) m = i;
  if (m < 0) return current;
  return text.slice(m, text.indexOf('\n', m) + 1 || undefined);
}

/**
 * Keeps every meaningful event and the ordinary ones (info, request) up to `max` each while they
 * arrive; counts what it left out.
 */
export class BoundedEvents {
  readonly events: LogEvent[] = emptyList();
  private ordinary = 0;
  private meaningful = 0;
  dropped = 0;
  constructor(private readonly max: number) {}
  /** Nothing more would survive the source's cap (meaningful events come first): the rest need not be parsed. */
  get full(): boolean {
    return this.meaningful >= this.max;
  }
  /** No ordinary event more would be kept. */
  get ordinaryFull(): boolean {
    return this.ordinary >= this.max;
  }
  add(e: LogEvent): void {
    const plain = e.kind === 'info' || e.kind === 'request';
    const over = plain ? this.ordinaryFull : this.full;
    // (counted on every call: a count only reached after the cap had no type feedback and sent the optimised code back)
    this.dropped += over ? 1 : 0;
    if (over) return;
    if (plain) this.ordinary++;
    else this.meaningful++;
    this.events.push(e);
  }
}

function linesIn(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Parses slices of one source's output (in order) into the events of the window it keeps. */
export class SliceParser {
  readonly kept = new BoundedEvents(MAX_EVENTS);
  private readonly ctx: ParseContext;
  /** Record numbers (lineNo) continue from one slice to the next. */
  private offset = 0;
  constructor(
    private readonly src: PlaybookSource,
    private readonly pw: ParseWindow,
    private readonly stats?: UnparsedStats,
    /** The access-log lane (parse/accessSlice.ts) for slices of access lines; off: the general path only (tests). */
    private readonly lane = true,
  ) {
    this.ctx = { source: src.id, tz: pw.logTz ?? pw.window.tz, ref: pw.window.since, accessFormats: pw.formats?.[src.id] };
  }

  /** `x`: the event's instant. */
  private inWindow(e: LogEvent, x: number): boolean {
    const since = this.pw.window.since.getTime();
    const until = this.pw.window.until.getTime();
    if (x >= since && x <= until) return true;
    if (typeof e.fields?.start === 'string') {
      const s = Date.parse(e.fields.start);
      return s <= until && x >= since;
    }
    if (x > until) return x <= until + this.pw.requestSlackMs && this.pw.isSendPost(e);
    return x >= since - START_CONTEXT_MS && !!this.pw.isStartContext?.(e);
  }

  /** The events of a slice by the general path: its records, interpreted. */
  private general(lines: string, file: string, onUnparsed: (r: LogRecord) => void, read: { records: number }, times: number[]): LogEvent[] {
    const records = this.src.format === 'journal' ? parseJournal(file + lines, this.ctx) : parseText(lines, this.ctx, file);
    return interpret(records, { source: this.src.id, onUnparsed, read, times });
  }

  /** Parses one slice of whole lines; `file` is the file marker line in force (slices after the first). */
  slice(lines: string, file = ''): void {
    if (this.kept.full) {
      // every event more would be left out: count the lines instead of parsing them
      this.kept.dropped += linesIn(lines);
      return;
    }
    const stats = this.stats;
    const onUnparsed = (r: LogRecord) => {
      if (!stats) return;
      stats.count++;
      if (stats.examples.length < UNPARSED_EXAMPLES) stats.examples.push(r.raw.slice(0, 300));
    };
    const read = { records: 0 };
    const times = emptyInstants();
    // ordinary lines of the window that the cap would leave out are counted, not built, once it is reached
    const drop = this.kept.ordinaryFull ? { since: this.pw.window.since.getTime(), until: this.pw.window.until.getTime(), dropped: 0 } : undefined;
    const lane = this.lane && this.src.format === 'text' ? usualAccessEvents(lines, this.ctx, this.src.id, times, read, drop) : undefined;
    if (lane && drop) this.kept.dropped += drop.dropped;
    const events = lane ?? this.general(lines, file, onUnparsed, read, times);
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (!this.inWindow(e, times[i])) continue;
      if (this.offset && e.lineNo !== undefined) e.lineNo += this.offset;
      this.kept.add(e);
    }
    this.offset += read.records;
  }
}

function mergeSummary(a: SummaryMinute[], b: SummaryMinute[]): SummaryMinute[] {
  if (!a.length) return b;
  const by = new Map(a.map((m) => [m.minute, { ...m.counts }]));
  for (const m of b) {
    const c = by.get(m.minute) ?? {};
    for (const [k, v] of Object.entries(m.counts)) c[k] = (c[k] ?? 0) + v;
    by.set(m.minute, c);
  }
  return [...by].sort((x, y) => x[0].localeCompare(y[0])).map(([minute, counts]) => ({ minute, counts }));
}

/**
 * Receives a source's stdout chunk by chunk (RunOptions.onStdout). Text sources are parsed slice by
 * slice as they arrive; journal output (whole JSON or export records) and checks are parsed at the end.
 */
export class SourceStream {
  readonly unparsed: UnparsedStats = { count: 0, examples: [] };
  readonly parser: SliceParser;
  readonly notes: HostNotes = { text: '', files: [], notes: [], summary: [] };
  /** True once any chunk arrived; `text` is true once a non-blank line (not a host note) did. */
  fed = false;
  text = false;
  /** Set when a parser threw: the source reports it instead of events. */
  failed?: string;
  private tail = '';
  private pending: string[] = [];
  private pendingLen = 0;
  /** The file marker in force: each slice after the first starts with it. */
  private file = '';
  private readonly kept: string[] = [];
  private readonly streamed: boolean;

  constructor(
    private readonly src: PlaybookSource,
    pw: ParseWindow,
    /** Keep the (masked) output: probes and checks read it, `collect` writes it. */
    private readonly keepOutput: boolean,
  ) {
    this.parser = new SliceParser(src, pw, this.unparsed);
    this.streamed = src.format === 'text';
  }

  readonly push = (chunk: string): void => {
    if (!chunk) return;
    this.fed = true;
    const nl = chunk.lastIndexOf('\n');
    if (nl < 0 || !this.streamed) {
      this.tail += chunk;
      return;
    }
    this.add(this.tail + chunk.slice(0, nl + 1));
    this.tail = chunk.slice(nl + 1);
  };

  private add(lines: string): void {
    this.pending.push(lines);
    this.pendingLen += lines.length;
    if (this.pendingLen >= PARSE_SLICE) this.flush();
  }

  private flush(): void {
    if (!this.pending.length) return;
    const raw = this.pending.join('');
    this.pending = [];
    this.pendingLen = 0;
    const h = takeNotes(maskSecrets(raw));
    this.notes.files.push(...h.files);
    this.notes.notes.push(...h.notes);
    this.notes.summary = mergeSummary(this.notes.summary, h.summary);
    if (!this.text && h.text.trim()) this.text = true;
    if (this.keepOutput) this.kept.push(h.text);
    try {
      if (this.src.format !== 'check' && !this.failed) this.parser.slice(h.text, this.file);
    } catch (e) {
      this.failed = e instanceof Error ? e.message : String(e);
    }
    if (this.streamed) this.file = fileMarkerAfter(h.text, this.file);
  }

  /** Parses what is left; returns the (masked) output when it was kept. */
  end(): string {
    if (this.tail) this.add(this.tail);
    this.tail = '';
    this.flush();
    const out = this.kept.join('');
    this.kept.length = 0;
    return out;
  }
}
