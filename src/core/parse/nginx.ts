/** nginx combined access lines ($time_local = when the request ENDED) and error-log lines. */
import { fractionMs, isoString, knownIso, monthIndex, toInstant } from '../time';
import type { LogRecord, ParseContext } from './record';

// (quoted fields as unrolled loops: one pass, no backtracking per character; $time_local as one group, read only
// when it is not the line before's)
// $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" [extra]
const ACCESS = /^(\S+) \S+ \S+ \[(\d\d\/[A-Za-z]{3}\/\d{4}:\d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4})\] "([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}) (\d+|-)(?: "([^"\\]*(?:\\.[^"\\]*)*)" "([^"\\]*(?:\\.[^"\\]*)*)")?(.*)$/;
const REQUEST = /^([A-Z]+) (\S+)(?: HTTP\/[\d.]+)?$/;
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

/**
 * The last $time_local read, its instant and ISO text (consecutive lines share their second; Dates are never
 * mutated, so they can be shared), and the minute it falls in (consecutive seconds share their minute).
 */
const lastEnd = { stamp: '', tz: '', end: new Date(0), iso: '' };
const lastMinute = { head: '', zone: '', tz: '', base: 0, iso: '' };

/** `dd/Mon/yyyy:HH:MM:SS +zzzz` in the minute read last (no fraction): the two digits of its second, else -1. */
function secondInLastMinute(stamp: string, tz: string): number {
  if (stamp.length !== 26 || tz !== lastMinute.tz || !stamp.startsWith(lastMinute.head) || !stamp.endsWith(lastMinute.zone)) return -1;
  const s = (stamp.charCodeAt(18) - 48) * 10 + stamp.charCodeAt(19) - 48;
  // (a second of 60 or more rolls over into the next minute: read in full)
  return s >= 0 && s < 60 && stamp.charCodeAt(20) === 32 ? s : -1;
}

/**
 * The instant of $time_local (`15/Jan/2025:22:20:20 +0100`, a fraction allowed) and its ISO text; false for an unknown month.
 * (the usual case, a new second of the minute read last, small enough to be inlined into the line's parser: the
 * rest, a new minute, apart)
 */
function endOf(stamp: string, tz: string): boolean {
  if (lastEnd.stamp === stamp && lastEnd.tz === tz) return true;
  const sec = secondInLastMinute(stamp, tz);
  if (sec < 0) return endOfMinute(stamp, tz);
  // the minute's instant and ISO text known: add the second (zone offsets are whole minutes)
  lastEnd.end = new Date(lastMinute.base + sec * 1000);
  lastEnd.iso = `${lastMinute.iso}${stamp.slice(18, 20)}.000Z`;
  knownIso(lastEnd.end.getTime(), lastEnd.iso);
  lastEnd.stamp = stamp;
  lastEnd.tz = tz;
  return true;
}

/** endOf outside the minute read last: read in full (and remembered as the minute read last when it is whole). */
function endOfMinute(stamp: string, tz: string): boolean {
  const m = STAMP.exec(stamp);
  if (!m) return false;
  const mo = monthIndex(m[2]);
  if (mo < 1) return false;
  lastEnd.end = toInstant({ year: +m[3], month: mo, day: +m[1], hour: +m[4], minute: +m[5], second: +m[6], ms: fractionMs(m[7]) }, m[8], tz);
  lastEnd.iso = isoString(lastEnd.end);
  const base = lastEnd.end.getTime() - +m[6] * 1000;
  if (!m[7] && +m[6] < 60 && base % 60_000 === 0 && lastEnd.iso.length === 24) Object.assign(lastMinute, { head: stamp.slice(0, 18), zone: stamp.slice(20), tz, base, iso: lastEnd.iso.slice(0, 17) });
  lastEnd.stamp = stamp;
  lastEnd.tz = tz;
  return true;
}
const STAMP = /^(\d\d)\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.(\d+))? ([+-]\d{4})$/;

/** The fields of an access line (its $time_local just read). */
function accessFields(client: string, status: number, bytes: number, req: string, method?: string, path?: string, referer?: string, userAgent?: string): Record<string, string | number> {
  const end = lastEnd.iso;
  // the usual line in one literal: its fields inside the object, none added afterwards
  if (method !== undefined && path !== undefined && referer !== undefined && userAgent !== undefined) return { client, status, bytes, end, method, path, referer, userAgent };
  const fields: Record<string, string | number> = { client, status, bytes, end };
  if (method !== undefined && path !== undefined) {
    fields.method = method;
    fields.path = path;
  } else fields.request = req;
  if (referer !== undefined) fields.referer = referer;
  if (userAgent !== undefined) fields.userAgent = userAgent;
  return fields;
}

/** $request_time, when what follows the line's fields has it, added to them (with the request's start). */
function addRequestTime(fields: Record<string, string | number>, tail: string): void {
  const secs = requestTime(tail);
  if (secs !== undefined) {
    fields.requestTime = secs;
    fields.start = new Date(lastEnd.end.getTime() - secs * 1000).toISOString();
  }
}

function accessRecord(line: string, req: string, status: number, fields: Record<string, string | number>): LogRecord {
  return { time: lastEnd.end, raw: line, message: req, ident: 'nginx', kind: status >= 500 ? 'http_error' : 'request', fields, file: undefined };
}

// REQUEST's usual match, without groups: the method and path are then found at its spaces (no match array)
const USUAL_REQUEST = /^[A-Z]+ [!-~]+(?: HTTP\/[\d.]+)?$/;
const request = { method: undefined as string | undefined, path: undefined as string | undefined };

/** The method and path of a request's text, as REQUEST's groups give them (undefined when it does not match). */
function methodAndPath(req: string): void {
  if (USUAL_REQUEST.test(req)) {
    const sp = req.indexOf(' ');
    let end = req.indexOf(' ', sp + 1);
    if (end < 0) end = req.length;
    // (the usual methods as constants: the events kept do not each hold a copy)
    request.method = sp === 3 && req.startsWith('GET') ? 'GET' : sp === 4 && req.startsWith('POST') ? 'POST' : req.slice(0, sp);
    request.path = req.slice(sp + 1, end);
    return;
  }
  const rm = REQUEST.exec(req);
  request.method = rm ? (rm[1] === 'GET' ? 'GET' : rm[1] === 'POST' ? 'POST' : rm[1]) : undefined;
  request.path = rm?.[2];
}

/** The request and status of the access line read last by accessLineFields (read right after it). */
export const lastAccess = { req: '', status: 0 };

/** The instant of the access line read last, and its ISO text (read right after accessLineFields). */
export function lastAccessEnd(): { readonly end: Date; readonly iso: string } {
  return lastEnd;
}

/** An access line's fields (its instant, request and status then in lastAccess); undefined when it is not one. */
export function accessLineFields(line: string, tz: string): Record<string, string | number> | undefined {
  const m = ACCESS.exec(line);
  if (!m) return undefined;
  if (!endOf(m[2], tz)) return undefined;
  const req = m[3];
  methodAndPath(req);
  const status = Number(m[4]);
  const fields = accessFields(m[1], status, m[5] === '-' ? 0 : Number(m[5]), req, request.method, request.path, m[6], m[7]);
  addRequestTime(fields, m[8]);
  lastAccess.req = req;
  lastAccess.status = status;
  return fields;
}

export function parseNginxAccess(line: string, ctx: ParseContext): LogRecord | undefined {
  const fields = accessLineFields(line, ctx.tz);
  return fields ? accessRecord(line, lastAccess.req, lastAccess.status, fields) : undefined;
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
