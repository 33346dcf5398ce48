/** journalctl -o json (one object per line) and -o export (FIELD=value, blank line between entries). */
import { isoInZone } from '../time';
import { inner, parseLine } from './prefix';
import type { LogRecord, ParseContext } from './record';

type Fields = Record<string, string | undefined>;

/** syslog severities 0..7 as the level names the classifier knows (notice/info/debug carry no level). */
const PRIORITY_LEVELS = ['EMERG', 'ALERT', 'CRIT', 'ERR', 'WARNING', undefined, undefined, undefined] as const;

function fieldValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number')) return Buffer.from(v as number[]).toString('utf8');
    return v.map(fieldValue).filter((x) => x !== undefined).join('\n'); // repeated field
  }
  if (v === null) return '[value too large, not shown by journalctl]';
  return v === undefined ? undefined : String(v);
}

/** One journal entry → records (a multi-line MESSAGE becomes one record per line), shown like `journalctl -o short-iso-precise`. */
export function entryRecords(f: Fields, tz?: string): LogRecord[] {
  const us = f.__REALTIME_TIMESTAMP;
  if (!us || !/^\d+$/.test(us)) return [];
  const time = new Date(Math.floor(Number(us) / 1000));
  const msg = f.MESSAGE ?? '';
  const ident = f.SYSLOG_IDENTIFIER ?? f._COMM;
  const pid = f._PID ? Number(f._PID) : f.SYSLOG_PID ? Number(f.SYSLOG_PID) : undefined;
  const stream = `${f._SYSTEMD_UNIT ?? f.UNIT ?? ''}/${f._STREAM_ID ?? f._PID ?? ''}`;
  const lines = msg.split('\n');
  const head = `${tz ? isoInZone(time, tz) : time.toISOString()} ${f._HOSTNAME ?? '-'} ${ident ?? '-'}${pid !== undefined ? `[${pid}]` : ''}: `;
  return lines.map((line) => {
    const r: LogRecord = { time, raw: head + line, message: line, ident, pid, fields: { stream } };
    if (f._TRANSPORT === 'kernel') r.message = r.message.replace(/^\[\s*\d+\.\d+\]\s*/, '');
    else inner(r);
    if (r.pid === undefined) delete r.pid;
    // journald's own severity when the message carries none (sd_journal_print, syslog(3), a <3> stderr prefix)
    if (r.level === undefined && f.PRIORITY && /^[0-7]$/.test(f.PRIORITY)) {
      const lv = PRIORITY_LEVELS[Number(f.PRIORITY)];
      if (lv) r.level = lv;
    }
    return r;
  });
}

export function* parseJournalJson(text: string, tz?: string): Generator<LogRecord> {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(t);
    } catch {
      continue;
    }
    const f: Fields = {};
    for (const [k, v] of Object.entries(obj)) f[k] = fieldValue(v);
    yield* entryRecords(f, tz);
  }
}

/** Export format. Binary/multi-line fields are `NAME\n<u64le size><data>\n`; text arrived UTF-8-decoded, so sizes are read best-effort. */
export function* parseJournalExport(text: string, tz?: string): Generator<LogRecord> {
  let f: Fields = {};
  let i = 0;
  const n = text.length;
  const flush = function* () {
    if (Object.keys(f).length) yield* entryRecords(f, tz);
    f = {};
  };
  while (i < n) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = n;
    const line = text.slice(i, j);
    if (line === '') {
      yield* flush();
      i = j + 1;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && /^[A-Z0-9_]+$/.test(line.slice(0, eq))) {
      f[line.slice(0, eq)] = line.slice(eq + 1);
      i = j + 1;
      continue;
    }
    if (/^[A-Z0-9_]+$/.test(line)) {
      // binary field: 8-byte little-endian size, then the data
      const start = j + 1;
      const sizeChars = text.slice(start, start + 8);
      let size = -1;
      if (sizeChars.length === 8 && [...sizeChars].every((c) => c.charCodeAt(0) < 0x80)) {
        size = 0;
        for (let k = 7; k >= 0; k--) size = size * 256 + sizeChars.charCodeAt(k);
      }
      const dataStart = start + 8;
      let end: number;
      if (size >= 0 && size < 1 << 26) {
        // advance by bytes, not characters
        let bytes = 0;
        end = dataStart;
        while (end < n && bytes < size) {
          const cp = text.codePointAt(end)!;
          bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
          end += cp >= 0x10000 ? 2 : 1;
        }
      } else {
        const m = /\n(?:[A-Z0-9_]+=|\n)/.exec(text.slice(dataStart));
        end = m ? dataStart + m.index : n;
      }
      f[line] = text.slice(dataStart, end);
      i = end + 1;
      continue;
    }
    i = j + 1; // not export: ignore
  }
  yield* flush();
}

/** Journal text in whatever form it came: JSON lines, export, or short/short-iso(-precise) text. */
export function* parseJournal(text: string, ctx: ParseContext): Generator<LogRecord> {
  const head = text.trimStart().slice(0, 200);
  if (head.startsWith('{')) yield* parseJournalJson(text, ctx.tz);
  else if (/^(__CURSOR|__REALTIME_TIMESTAMP)=/m.test(head)) yield* parseJournalExport(text, ctx.tz);
  else {
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('-- ')) continue;
      const r = parseLine(line, ctx);
      yield r ?? { raw: line, message: line.replace(/^\s+/, ''), unparsed: true };
    }
  }
}
