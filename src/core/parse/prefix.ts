/**
 * Recognises the timestamp prefix of one text-log line, whatever the log: gunicorn's own log,
 * nginx access/error, RFC 3164 and RFC 3339 syslog, journalctl short/short-iso(-precise), PostgreSQL
 * (Debian `%m [%p] %q%u@%d `), Django's asctime, dmesg --time-format iso. Returns undefined for a
 * line with no timestamp (a continuation line).
 */
import { fractionMs, monthIndex, toInstant, WallTime } from '../time';
import type { LogRecord, ParseContext } from './record';
import { parseNginxAccess, parseNginxError } from './nginx';

const GUNICORN = /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:[.,](\d+))? ?([+-]\d\d:?\d\d|[A-Z]{2,5})?\] \[(\d+)\] \[([A-Z]+)\] ?(.*)$/;
const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d(?::?\d\d)?| (?:UTC|GMT|[A-Z]{1,3}[SD]T|[A-Z]{1,2}ET|BST|MSK|JST|KST)(?= ))?\s+(.*)$/;
const RFC3164 = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? (.*)$/;
const SYSLOG_REST = /^(\S+) ([^\s:[\]]+)(?:\[(\d+)\])?: ?(.*)$/;
const PG_REST = /^\[(\d+)\](?:\s+\S*@\S*)?\s+(LOG|ERROR|FATAL|PANIC|WARNING|DETAIL|HINT|STATEMENT|CONTEXT|NOTICE|INFO|DEBUG\d?):\s+(.*)$/;
const DJANGO_REST = /^\[?(DEBUG|INFO|WARNING|ERROR|CRITICAL)\]?\s+(.*)$/;
const KERNEL_UPTIME = /^\[\s*\d+\.\d+\]\s*/;
// dmesg -T / --ctime: `[Tue Oct  5 16:38:47 2021] message` (local time of the host)
const DMESG_CTIME = /^\[(?:[A-Z][a-z]{2}) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?(.*)$/;
// dmesg raw: `[ 7063.247407] message` (seconds since boot)
const DMESG_RAW = /^\[\s*(\d+)\.(\d+)\] ?(.*)$/;
// Django's documented "verbose" formatter: '{levelname} {asctime} {module} {process:d} {thread:d} {message}'
const LEVEL_FIRST = /^\[?(DEBUG|INFO|WARNING|ERROR|CRITICAL)\]? \[?(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?\]? (.*)$/;

/** Year for a month-day without a year: the one that puts the date closest to the reference. */
export function inferYear(month: number, day: number, ref: Date): number {
  const y = ref.getUTCFullYear();
  let best = y;
  let bestDiff = Infinity;
  for (const c of [y - 1, y, y + 1]) {
    const d = Math.abs(Date.UTC(c, month - 1, day) - ref.getTime());
    if (d < bestDiff) {
      bestDiff = d;
      best = c;
    }
  }
  return best;
}

function wall(y: string | number, mo: string | number, d: string | number, h: string, mi: string, s: string, f?: string): WallTime {
  return { year: +y, month: +mo, day: +d, hour: +h, minute: +mi, second: +s, ms: fractionMs(f) };
}

/** Splits "host ident[pid]: message" (syslog / journalctl short). */
function syslogRest(rec: LogRecord, rest: string): void {
  const s = SYSLOG_REST.exec(rest);
  if (!s) {
    rec.message = rest;
    return;
  }
  rec.ident = s[2];
  if (s[3]) rec.pid = Number(s[3]);
  // the writer (ident[pid]) is the stream a multi-line traceback belongs to, before any inner worker pid
  rec.fields = { ...(rec.fields ?? {}), stream: `${s[2]}[${s[3] ?? ''}]` };
  rec.message = s[4];
  if (rec.ident === 'kernel') rec.message = rec.message.replace(KERNEL_UPTIME, '');
  inner(rec);
}

/** A gunicorn prefix inside a journal/syslog message: keep its worker pid and level. */
export function inner(rec: LogRecord): void {
  const g = GUNICORN.exec(rec.message);
  if (g) {
    rec.pid = Number(g[9]);
    rec.level = g[10];
    rec.message = g[11];
  }
}

/** nginx logging through syslog (`access_log syslog:server=…`): the message is a whole nginx line, whose own time wins. */
function nestedNginx(rec: LogRecord, ctx: ParseContext): LogRecord {
  const nested = parseNginxAccess(rec.message, ctx) ?? parseNginxError(rec.message, ctx);
  return nested ? { ...nested, raw: rec.raw } : rec;
}

/** dmesg -T and raw `[seconds]` lines: the kernel speaks. */
function parseDmesg(line: string, ctx: ParseContext): LogRecord | undefined {
  let m = DMESG_CTIME.exec(line);
  if (m) {
    const mo = monthIndex(m[1]);
    if (mo < 1) return undefined;
    return { time: toInstant(wall(m[6], mo, m[2], m[3], m[4], m[5]), undefined, ctx.tz), raw: line, message: m[7], ident: 'kernel' };
  }
  m = DMESG_RAW.exec(line);
  if (m) {
    const rec: LogRecord = { raw: line, message: m[3], ident: 'kernel', fields: { uptime: Number(`${m[1]}.${m[2]}`) } };
    if (ctx.bootTime) rec.time = new Date(ctx.bootTime.getTime() + Math.round(Number(`${m[1]}.${m[2]}`) * 1000));
    return rec;
  }
  return undefined;
}

export function parseLine(raw: string, ctx: ParseContext): LogRecord | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  // (no empty array and iterator made for each line of a host without declared formats)
  const formats = ctx.accessFormats;
  if (formats) {
    for (const f of formats) {
      const r = f(line, ctx);
      if (r) return r;
    }
  }
  const bracket = line.startsWith('[');
  if (bracket) {
    const k = parseDmesg(line, ctx);
    if (k) return k;
  }
  let m = bracket ? GUNICORN.exec(line) : null;
  if (m) {
    return { time: toInstant(wall(m[1], m[2], m[3], m[4], m[5], m[6], m[7]), m[8], ctx.tz), raw: line, message: m[11], pid: Number(m[9]), level: m[10], ident: 'gunicorn' };
  }
  const access = parseNginxAccess(line, ctx);
  if (access) return access;
  const err = parseNginxError(line, ctx);
  if (err) return err;
  m = LEVEL_FIRST.exec(line);
  if (m) {
    return { time: toInstant(wall(m[2], m[3], m[4], m[5], m[6], m[7], m[8]), undefined, ctx.tz), raw: line, message: m[9], level: m[1] };
  }
  m = ISO.exec(line);
  if (m) {
    const rec: LogRecord = { time: toInstant(wall(m[1], m[2], m[3], m[4], m[5], m[6], m[7]), m[8]?.trim(), ctx.tz), raw: line, message: m[9] };
    const rest = m[9];
    const pg = PG_REST.exec(rest);
    if (pg) {
      rec.pid = Number(pg[1]);
      rec.level = pg[2];
      rec.message = pg[3];
      rec.ident = 'postgres';
      return rec;
    }
    const dj = DJANGO_REST.exec(rest);
    if (dj) {
      rec.level = dj[1];
      rec.message = dj[2];
      return rec;
    }
    if (m[8] !== undefined || /^\S+ \S+?(\[\d+\])?: /.test(rest)) {
      syslogRest(rec, rest);
      return nestedNginx(rec, ctx);
    }
    return rec;
  }
  m = RFC3164.exec(line);
  if (m) {
    const mo = monthIndex(m[1]);
    if (mo > 0) {
      const year = inferYear(mo, +m[2], ctx.ref);
      const rec: LogRecord = { time: toInstant(wall(year, mo, m[2], m[3], m[4], m[5], m[6]), undefined, ctx.tz), raw: line, message: m[7] };
      syslogRest(rec, m[7]);
      return nestedNginx(rec, ctx);
    }
  }
  return undefined;
}
