/** Turns records into LogEvents: joins tracebacks (per stream), classifies every other message. */
import type { LogEvent } from '../model';
import { classifyMessage } from './classify';
import { emptyList, type LogRecord } from './record';
import { isoString } from '../time';
import { analyseTraceback, categorise, continueTraceback, Frame, isMailFrame, TB_START, TbState } from './traceback';

/** Frames stored on a traceback event (fields.frames, JSON of [file, line, function, code]). */
export function eventFrames(e: LogEvent): Frame[] {
  const raw = e.fields?.frames;
  if (typeof raw !== 'string') return [];
  try {
    return (JSON.parse(raw) as [string, number, string, string][]).map(([file, line, fn, code]) => ({ file, line, function: fn || undefined, code: code || undefined }));
  } catch {
    return [];
  }
}

interface OpenTb {
  first: LogRecord;
  time: Date;
  lines: string[];
  raws: string[];
  state: TbState;
  path?: string;
  lineNo: number;
}

export interface InterpretOptions {
  source: string;
  /** Stream key of a record (journal _PID, file name): tracebacks are joined per stream. */
  stream?: (r: LogRecord) => string;
  /** Called for each line no parser understood (no timestamp, not a continuation of the line before). */
  onUnparsed?: (r: LogRecord) => void;
  /** Receives how many records were read (record numbers of the next slice continue from it). */
  read?: { records: number };
  /** Receives the instant of each event returned, in the same order (its time, not read back from its text). */
  times?: number[];
}

/** A line that continues the entry above it: indented, or a tab rsyslog escaped as #011 (PostgreSQL statements, wrapped messages). */
const CONTINUATION = /^(?:\s|#011)/;
/** Continuation lines kept on one entry (a huge statement stays one event, bounded). */
const MAX_DETAIL = 200;

/** The default stream key: the file and the writer; a record without a writer gets its file's key, built once. */
function fileKeys(): (r: LogRecord) => string {
  const byFile = { file: undefined as string | undefined, key: '|' };
  return (r) => {
    const s = r.fields?.stream;
    if (s !== undefined) return `${r.file ?? ''}|${s}`;
    if (r.file !== byFile.file) {
      byFile.file = r.file;
      byFile.key = `${r.file ?? ''}|`;
    }
    return byFile.key;
  };
}

function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/** Events in time order, stable (`sorted`: already ordered, returned as is); `times` (their instants) follow them. */
export function inTimeOrder(out: LogEvent[], times: number[], sorted: boolean): LogEvent[] {
  if (sorted) return out;
  const order = out.map((e, i) => ({ e, i, t: times[i] })).sort((a, b) => a.t - b.t || a.i - b.i);
  order.forEach((x, i) => (times[i] = x.t));
  return order.map((x) => x.e);
}

/** The event of a whole traceback. */
function tracebackEvent(tb: OpenTb, source: string): LogEvent {
  const info = analyseTraceback(tb.lines);
  const last = info.exceptions[info.exceptions.length - 1];
  const fields: Record<string, string | number> = { category: categorise(info) };
  if (last) {
    fields.exception = last.type;
    fields.message = last.message.slice(0, 500);
  }
  if (info.frames.length) fields.frames = JSON.stringify(info.frames.map((f) => [f.file, f.line, f.function ?? '', f.code ?? '']));
  if (info.frames.some(isMailFrame)) fields.mail = 1;
  if (info.exceptions.length > 1) fields.chain = info.exceptions.map((e) => e.type).join(' > ');
  if (tb.path) fields.path = tb.path;
  if (tb.first.pid !== undefined) fields.pid = tb.first.pid;
  return { time: tb.time.toISOString(), source, line: tb.raws[0], kind: 'traceback', lineNo: tb.lineNo, detail: tb.raws.slice(1), fields };
}

export function interpret(records: Iterable<LogRecord>, opts: InterpretOptions): LogEvent[] {
  const out = emptyList<LogEvent>();
  const open = new Map<string, OpenTb>();
  const lastTime = new Map<string, Date>();
  const lastPath = new Map<string, { path: string; time: number }>();
  const lastEvent = new Map<string, LogEvent>();
  const key = opts.stream ?? fileKeys();
  let n = 0;
  // whether the events come in time order, from the instants they are made of (their ISO text need not be read back)
  let sorted = true;
  let lastT = -Infinity;
  const times = opts.times ?? [];
  const push = (ev: LogEvent, t: number) => {
    if (t < lastT) sorted = false;
    lastT = t;
    out.push(ev);
    times.push(t);
  };

  const close = (k: string) => {
    const tb = open.get(k);
    if (!tb) return;
    open.delete(k);
    push(tracebackEvent(tb, opts.source), tb.time.getTime());
  };

  for (const r of records) {
    n++;
    const k = key(r);
    const time = r.time ?? lastTime.get(k);
    if (r.time) lastTime.set(k, r.time);
    const tb = open.size ? open.get(k) : undefined;
    const msg = r.message;
    if (tb) {
      const next = continueTraceback(msg, tb.state);
      if (next) {
        tb.state = next;
        tb.lines.push(msg);
        tb.raws.push(r.raw);
        continue;
      }
      close(k);
    }
    if (!r.time && r.unparsed) {
      // one entry = one event: a statement's continuation lines belong to the line above
      const prev = lastEvent.get(k);
      if (prev && CONTINUATION.test(r.raw) && r.raw.trim()) {
        if ((prev.detail ??= []).length < MAX_DETAIL) prev.detail.push(r.raw);
        continue;
      }
      if (r.raw.trim() && !msg.startsWith(TB_START)) {
        opts.onUnparsed?.(r);
        continue;
      }
    }
    if (!time) continue; // a continuation line before any timestamp: outside what we can place
    if (msg.startsWith(TB_START)) {
      const lp = lastPath.get(k);
      open.set(k, { first: r, time, lines: [msg], raws: [r.raw], state: 'frames', lineNo: n, path: lp && time.getTime() - lp.time < 5000 ? lp.path : undefined });
      continue;
    }
    // (a format parser's kind stands: the message is not classified)
    const c = r.kind ? undefined : classifyMessage(msg, r.ident, r.level);
    const kind = c ? c.kind : r.kind!;
    // (a record is read once: its own fields object becomes the event's, not a copy of it)
    const fields: Record<string, string | number> = c?.fields ? { ...r.fields, ...c.fields } : (r.fields ?? {});
    if (fields.stream !== undefined) delete fields.stream;
    if (r.pid !== undefined && fields.pid === undefined) fields.pid = r.pid;
    if (r.level && fields.level === undefined) fields.level = r.level;
    if (kind === 'error' && typeof fields.path === 'string') lastPath.set(k, { path: fields.path, time: time.getTime() });
    if (!r.time && msg.trim() === '') continue;
    // (fields in the literal, not added afterwards: one object, the same order of keys)
    const ev: LogEvent = hasKeys(fields) ? { time: isoString(time), source: opts.source, line: r.raw, kind, lineNo: n, fields } : { time: isoString(time), source: opts.source, line: r.raw, kind, lineNo: n };
    push(ev, time.getTime());
    lastEvent.set(k, ev);
  }
  for (const k of [...open.keys()]) close(k);
  if (opts.read) opts.read.records = n;
  // a traceback is emitted when it ends: put events back in time order (stable)
  return inTimeOrder(out, times, sorted);
}
