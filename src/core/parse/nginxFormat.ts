/**
 * nginx access logs in the format the host declares: `log_format NAME [escape=…] '…';` and `access_log PATH NAME;`
 * read from nginx.conf and the sites. A JSON format (escape=json, or a template that is a JSON object) is read as
 * JSON, each key mapped to the variable its template holds; any other format becomes an anchored pattern.
 */
import { monthIndex, toInstant } from '../time';
import type { LogRecord, ParseContext } from './record';

export interface LogFormat {
  name: string;
  template: string;
  json: boolean;
}

export interface AccessLogDecl {
  path: string;
  format: string;
}

/** Every `log_format` in the configuration text (comments removed, quoted pieces joined). */
export function logFormats(conf: string): LogFormat[] {
  const text = conf.replace(/(^|\s)#[^\n]*/g, '$1');
  const out: LogFormat[] = [];
  for (const m of text.matchAll(/\blog_format\s+(\S+)\s+((?:escape=\w+\s+)?)((?:'[^']*'\s*|"[^"]*"\s*)+);/g)) {
    const template = [...m[3].matchAll(/'([^']*)'|"([^"]*)"/g)].map((p) => p[1] ?? p[2]).join('');
    out.push({ name: m[1], template, json: /escape=json/.test(m[2]) || /^\s*\{/.test(template) });
  }
  return out;
}

/** Every `access_log PATH [FORMAT]` (off excluded; the default format is `combined`). */
export function accessLogs(conf: string): AccessLogDecl[] {
  const text = conf.replace(/(^|\s)#[^\n]*/g, '$1');
  const out: AccessLogDecl[] = [];
  for (const m of text.matchAll(/\baccess_log\s+([^\s;]+)(?:\s+([^\s;=]+))?[^;]*;/g)) {
    if (m[1] === 'off') continue;
    out.push({ path: m[1], format: m[2] ?? 'combined' });
  }
  return out;
}

const NGINX_TIME_LOCAL = /^(\d\d)\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.(\d+))? ([+-]\d{4})$/;
const ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/;

function timeOf(vars: Record<string, string>, ctx: ParseContext): Date | undefined {
  const local = vars.time_local && NGINX_TIME_LOCAL.exec(vars.time_local);
  if (local) {
    const mo = monthIndex(local[2]);
    if (mo > 0) return toInstant({ year: +local[3], month: mo, day: +local[1], hour: +local[4], minute: +local[5], second: +local[6] }, local[8], ctx.tz);
  }
  const iso = vars.time_iso8601 && ISO.exec(vars.time_iso8601);
  if (iso) return toInstant({ year: +iso[1], month: +iso[2], day: +iso[3], hour: +iso[4], minute: +iso[5], second: +iso[6] }, iso[8], ctx.tz);
  if (vars.msec && /^\d+(\.\d+)?$/.test(vars.msec)) return new Date(Math.round(Number(vars.msec) * 1000));
  return undefined;
}

/** The record of one access line from its variables ($status, $request, $time_local…). */
export function accessRecord(line: string, vars: Record<string, string>, ctx: ParseContext): LogRecord | undefined {
  const end = timeOf(vars, ctx);
  if (!end || Number.isNaN(end.getTime())) return undefined;
  const status = Number(vars.status);
  if (!Number.isInteger(status) || status < 100) return undefined;
  const fields: Record<string, string | number> = { status, end: end.toISOString() };
  const client = vars.remote_addr ?? vars.http_x_forwarded_for ?? vars.realip_remote_addr;
  if (client) fields.client = client;
  if (vars.body_bytes_sent && /^\d+$/.test(vars.body_bytes_sent)) fields.bytes = Number(vars.body_bytes_sent);
  const req = vars.request ?? (vars.request_method ? `${vars.request_method} ${vars.request_uri ?? vars.uri ?? ''}` : '');
  const rm = /^([A-Z]+) (\S+)(?: (HTTP\/[\d.]+))?$/.exec(req);
  if (rm) {
    fields.method = rm[1];
    fields.path = rm[2];
  } else if (req) fields.request = req;
  if (vars.http_referer) fields.referer = vars.http_referer;
  if (vars.http_user_agent) fields.userAgent = vars.http_user_agent;
  if (vars.request_time && /^\d+(\.\d+)?$/.test(vars.request_time)) {
    fields.requestTime = Number(vars.request_time);
    fields.start = new Date(end.getTime() - fields.requestTime * 1000).toISOString();
  }
  return { time: end, raw: line, message: req, ident: 'nginx', kind: status >= 500 ? 'http_error' : 'request', fields };
}

/** JSON format: key → the single variable its template value holds. */
function jsonParser(f: LogFormat): ((line: string, ctx: ParseContext) => LogRecord | undefined) | undefined {
  const keyVar = new Map<string, string>();
  for (const m of f.template.matchAll(/"([^"]+)"\s*:\s*"?\$\{?(\w+)\}?"?/g)) keyVar.set(m[1], m[2]);
  if (!keyVar.size) return undefined;
  return (line, ctx) => {
    const t = line.trim();
    if (!t.startsWith('{')) return undefined;
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch {
      return undefined;
    }
    const vars: Record<string, string> = {};
    const visit = (o: unknown) => {
      if (!o || typeof o !== 'object') return;
      for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
        if (v && typeof v === 'object') visit(v);
        else if (keyVar.has(k) && v !== null && v !== undefined && v !== '-' && v !== '') vars[keyVar.get(k)!] = String(v);
      }
    };
    visit(obj);
    return accessRecord(line, vars, ctx);
  };
}

const VAR_PATTERN: Record<string, string> = {
  status: '(\\d{3})',
  time_local: '(\\d\\d/[A-Za-z]{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)? [+-]\\d{4})',
  time_iso8601: '(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+(?:Z|[+-]\\d\\d:?\\d\\d)?)',
  body_bytes_sent: '(\\d+|-)',
  bytes_sent: '(\\d+|-)',
  request_time: '(\\d+(?:\\.\\d+)?|-)',
  remote_addr: '(\\S+)',
};

/** Plain format: literal text kept, each $variable a group (tight for the known ones). */
function textParser(f: LogFormat): ((line: string, ctx: ParseContext) => LogRecord | undefined) | undefined {
  const names: string[] = [];
  let re = '^';
  let last = 0;
  for (const m of f.template.matchAll(/\$\{?(\w+)\}?/g)) {
    re += f.template.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ +/g, ' +');
    names.push(m[1]);
    re += VAR_PATTERN[m[1]] ?? '(.*?)';
    last = m.index! + m[0].length;
  }
  re += f.template.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ +/g, ' +') + '\\s*$';
  if (!names.includes('status') || !names.some((n) => n.startsWith('time_') || n === 'msec')) return undefined;
  const rx = new RegExp(re);
  return (line, ctx) => {
    const m = rx.exec(line);
    if (!m) return undefined;
    const vars: Record<string, string> = {};
    names.forEach((n, i) => {
      if (m[i + 1] !== undefined && m[i + 1] !== '-' && vars[n] === undefined) vars[n] = m[i + 1];
    });
    return accessRecord(line, vars, ctx);
  };
}

/** A parser for one declared format; undefined for the combined format (the built-in parser reads it). */
export function formatParser(f: LogFormat): ((line: string, ctx: ParseContext) => LogRecord | undefined) | undefined {
  if (f.name === 'combined' || f.name === 'main_default') return undefined;
  return f.json ? jsonParser(f) : textParser(f);
}

/** Parsers for the formats declared for `path` (or, when no access_log names it, every declared format). */
export function accessParsers(conf: string, path: string): ((line: string, ctx: ParseContext) => LogRecord | undefined)[] {
  const formats = logFormats(conf);
  const decls = accessLogs(conf);
  const named = decls.filter((d) => d.path === path).map((d) => d.format);
  const use = named.length ? formats.filter((f) => named.includes(f.name)) : formats;
  return use.map(formatParser).filter((p): p is NonNullable<typeof p> => !!p);
}
