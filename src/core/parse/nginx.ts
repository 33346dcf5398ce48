/** nginx combined access lines ($time_local = when the request ENDED) and error-log lines. */
import { isoString, monthIndex, toInstant } from '../time';
import type { LogRecord, ParseContext } from './record';

// (quoted fields as unrolled loops: one pass, no backtracking per character)
// $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" [extra]
const ACCESS = /^(\S+) \S+ (\S+) \[(\d\d)\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.(\d+))? ([+-]\d{4})\] "([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}) (\d+|-)(?: "([^"\\]*(?:\\.[^"\\]*)*)" "([^"\\]*(?:\\.[^"\\]*)*)")?(.*)$/;
// 2025/01/15 22:20:20 [error] 1234#1234: *567 message, client: 1.2.3.4, server: x, request: "POST /p HTTP/1.1", upstream: "…", host: "…"
const ERROR = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) \[(\w+)\] (\d+)#(\d+): (?:\*(\d+) )?(.*)$/;

/** $request_time when the log_format appends it: `rt=1.234`, `request_time=1.234`, or a bare first extra field. */
function requestTime(tail: string): number | undefined {
  if (!tail) return undefined;
  const kv = /\b(?:rt|request_time)[=:]"?(\d+(?:\.\d+)?)/.exec(tail);
  if (kv) return Number(kv[1]);
  const first = /^\s+"?(\d+\.\d{1,6})"?(?:\s|$)/.exec(tail);
  return first ? Number(first[1]) : undefined;
}

const lastEnd: { key: string; end?: Date } = { key: '' };

export function parseNginxAccess(line: string, ctx: ParseContext): LogRecord | undefined {
  const m = ACCESS.exec(line);
  if (!m) return undefined;
  // consecutive lines share their second: dated once (Dates are never mutated, so they can be shared)
  const key = `${m[3]}${m[4]}${m[5]}${m[6]}${m[7]}${m[8]}.${m[9] ?? ''}${m[10]} ${ctx.tz}`;
  let end = lastEnd.key === key ? lastEnd.end : undefined;
  if (!end) {
    const mo = monthIndex(m[4]);
    if (mo < 1) return undefined;
    end = toInstant({ year: +m[5], month: mo, day: +m[3], hour: +m[6], minute: +m[7], second: +m[8], ms: m[9] ? Math.floor(Number(`0.${m[9]}`) * 1000) : 0 }, m[10], ctx.tz);
    lastEnd.key = key;
    lastEnd.end = end;
  }
  const req = m[11];
  const rm = /^([A-Z]+) (\S+)(?: (HTTP\/[\d.]+))?$/.exec(req);
  const status = Number(m[12]);
  const fields: Record<string, string | number> = { client: m[1], status, bytes: m[13] === '-' ? 0 : Number(m[13]), end: isoString(end) };
  if (rm) {
    fields.method = rm[1];
    fields.path = rm[2];
  } else fields.request = req;
  if (m[14] !== undefined) fields.referer = m[14];
  if (m[15] !== undefined) fields.userAgent = m[15];
  const secs = requestTime(m[16] ?? '');
  if (secs !== undefined) {
    fields.requestTime = secs;
    fields.start = new Date(end.getTime() - secs * 1000).toISOString();
  }
  return { time: end, raw: line, message: req, ident: 'nginx', kind: status >= 500 ? 'http_error' : 'request', fields };
}

export function parseNginxError(line: string, ctx: ParseContext): LogRecord | undefined {
  const m = ERROR.exec(line);
  if (!m) return undefined;
  const time = toInstant({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6] }, undefined, ctx.tz);
  const msg = m[11];
  const fields: Record<string, string | number> = { level: m[7], pid: Number(m[8]) };
  if (m[10]) fields.connection = Number(m[10]);
  const client = /, client: ([^,\s]+)/.exec(msg);
  if (client) fields.client = client[1];
  const request = /, request: "([A-Z]+) (\S+)[^"]*"/.exec(msg);
  if (request) {
    fields.method = request[1];
    fields.path = request[2];
  }
  const upstream = /, upstream: "([^"]*)"/.exec(msg);
  if (upstream) fields.upstream = upstream[1];
  return { time, raw: line, message: msg, ident: 'nginx', level: m[7], pid: Number(m[8]), fields };
}
