// Matches a diagnosis' evidence to one send call: traceback frames (file + line, or function), then the HTTP
// request that ran the view (path) and what happened during it (time window). Pure: no LSP, no VS Code.
// Reads the EvidencePayload the client maps from its diagnosis (src/shared/evidence.ts), never core's Diagnosis.
import type { EventKind } from '../core/model';
import type { EvidenceEvent as LogEvent, EvidencePayload, RevealEvidenceArgs } from '../shared/protocol';
import { routeMatches } from '../python/routes';

export interface SendTarget {
  /** The document's path (absolute or workspace-relative, any separator). */
  path: string;
  /** 1-based lines: the send statement and its batch loop. */
  line: number;
  endLine: number;
  loopLine: number;
  loopEndLine: number;
  function?: string;
  /** URL paths routed to the function, when known (urls.py); otherwise the function name is compared with paths. */
  routes?: string[];
}

export interface EvidenceSummary {
  smtpErrors: number;
  tracebacks: number;
  workerTimeout?: string;
  workerKilled?: string;
  oomKill?: string;
  httpErrors: { status: string; time: string }[];
  progress?: string;
  /** How the call was tied to the diagnosis. */
  matchedBy: ('frame' | 'function' | 'request')[];
  events: LogEvent[];
  primary?: RevealEvidenceArgs;
}

const SMTP_KINDS: EventKind[] = ['smtp_error', 'smtp_rate_limit', 'smtp_connection'];

function segments(p: string): string[] {
  return p.split('\\').join('/').split('/').filter((s) => s && s !== '.');
}

/** Same file when the trailing path segments agree (at least the last two when both have two). */
export function sameFile(a: string, b: string): boolean {
  const x = segments(a);
  const y = segments(b);
  const need = Math.min(2, x.length, y.length);
  if (need === 0) return false;
  for (let i = 1; i <= need; i++) if (x[x.length - i] !== y[y.length - i]) return false;
  return true;
}

/** HH:MM:SS of an instant in the diagnosis' time zone (the host's clock, as its logs show it). */
const clockFormats = new Map<string, Intl.DateTimeFormat>();

export function clock(iso: string, tz?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    const zone = tz || 'UTC';
    // one formatter per time zone: building one costs far more than formatting (lenses are computed per keystroke)
    let f = clockFormats.get(zone);
    if (!f) clockFormats.set(zone, (f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })));
    return f.format(d);
  } catch {
    return d.toISOString().slice(11, 19);
  }
}

type Frame = [string, number, string];

/** Traceback frames of an event: fields.frames (JSON [[file, line, function, text], ...]) or file/lineNumber/function. */
export function framesOf(e: LogEvent): Frame[] {
  const raw = e.fields?.frames;
  if (typeof raw === 'string') {
    try {
      const list = JSON.parse(raw) as unknown;
      if (Array.isArray(list)) return list.filter((f): f is unknown[] => Array.isArray(f)).map((f) => [String(f[0]), Number(f[1]), String(f[2])]);
    } catch {
      // not JSON: fall through
    }
  }
  const file = e.fields?.file;
  if (file !== undefined) return [[String(file), Number(e.fields?.lineNumber ?? e.fields?.line ?? NaN), String(e.fields?.function ?? '')]];
  return [];
}

/** One failure seen by several sources (journal + django.log) counts once. */
function failureKey(e: LogEvent): string {
  const second = Math.floor(Date.parse(e.time) / 1000);
  return `${e.fields?.exception ?? e.kind}|${e.fields?.message ?? e.line}|${second}`;
}

function fieldStr(e: LogEvent, name: string): string | undefined {
  const v = e.fields?.[name];
  return v === undefined ? undefined : String(v);
}

/** Does the request path go to the view? Explicit routes first, else every word of the function name is a path word. */
export function pathMatches(path: string, target: SendTarget): boolean {
  const clean = path.split('?')[0];
  if (target.routes?.length) return target.routes.some((r) => routeMatches(r, clean));
  if (!target.function) return false;
  const words = target.function.toLowerCase().split('_').filter((w) => w.length >= 3);
  const pathWords = new Set(segments(clean.toLowerCase()).flatMap((s) => s.split('-').flatMap((x) => x.split('_'))));
  return words.length > 0 && words.every((w) => pathWords.has(w));
}

function frameMatch(file: string | undefined, line: number | undefined, fn: string | undefined, t: SendTarget): 'frame' | 'function' | undefined {
  if (file && !sameFile(file, t.path)) return undefined;
  if (file && line !== undefined && line >= t.loopLine && line <= t.loopEndLine) return 'frame';
  if (fn && t.function && fn === t.function) return 'function';
  return undefined;
}

/** How long after the send's POST Postfix's replies about its mail still belong to it (the queue retries). */
const MAIL_AFTER_MS = 30 * 60_000;

/**
 * The mail of a send that succeeded (302) is deferred or bounced by Postfix AFTER the POST: it is this send's
 * evidence — the app's own messages only (by queue id), never root's cron mail or another sender's.
 */
function mailAfterPost(d: EvidencePayload, from: number, to: number): (e: LogEvent) => boolean {
  const appMail = new Set(d.appMail ?? []);
  return (e) => {
    const v = Date.parse(e.time);
    const queueId = e.fields?.queueId;
    const mine = typeof queueId === 'string' && appMail.has(queueId);
    return mine && (SMTP_KINDS.includes(e.kind) || e.kind === 'mail_deferred') && v >= from && v <= to + MAIL_AFTER_MS;
  };
}

export function matchEvidence(d: EvidencePayload, t: SendTarget): EvidenceSummary {
  const matchedBy = new Set<'frame' | 'function' | 'request'>();
  const direct: LogEvent[] = [];
  for (const link of d.codeLinks ?? []) {
    const m = frameMatch(link.file, link.line, link.function, t);
    if (m) matchedBy.add(m);
  }
  const all = d.events;
  let from = Infinity;
  let to = -Infinity;
  const widen = (iso: string | undefined, pad = 0) => {
    const v = iso ? Date.parse(iso) : NaN;
    if (Number.isNaN(v)) return;
    from = Math.min(from, v - pad);
    to = Math.max(to, v + pad);
  };
  for (const e of all) {
    if (e.kind === 'traceback' || e.kind === 'exception') {
      let m: 'frame' | 'function' | undefined;
      for (const [file, line, fn] of framesOf(e)) m = m === 'frame' ? m : (frameMatch(file, Number.isFinite(line) ? line : undefined, fn, t) ?? m);
      if (m) {
        matchedBy.add(m);
        direct.push(e);
        widen(e.time, 2000);
      }
    }
    if (e.kind === 'request' || e.kind === 'http_error' || e.kind === 'upstream_timeout') {
      const p = fieldStr(e, 'path');
      // The send runs on the form's POST; a GET of the same page only shows the form.
      const method = fieldStr(e, 'method')?.toUpperCase();
      const reads = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
      if (p && !reads && pathMatches(p, t)) {
        matchedBy.add('request');
        direct.push(e);
        const elapsed = Number(e.fields?.elapsed ?? e.fields?.requestTime ?? NaN);
        widen(e.time, 2000);
        if (Number.isFinite(elapsed)) widen(new Date(Date.parse(e.time) - elapsed * 1000).toISOString());
      }
    }
  }
  if (matchedBy.size) {
    widen(d.impact?.requestStart, 2000);
    widen(d.impact?.requestEnd, 5000);
  }
  const inWindow = (e: LogEvent) => {
    const v = Date.parse(e.time);
    return !Number.isNaN(v) && v >= from && v <= to;
  };
  const mailAfter = matchedBy.has('request') ? mailAfterPost(d, from, to) : () => false;
  const events = matchedBy.size ? all.filter((e) => direct.includes(e) || inWindow(e) || mailAfter(e)) : [];
  const s: EvidenceSummary = { smtpErrors: 0, tracebacks: 0, httpErrors: [], matchedBy: [...matchedBy], events };
  const tz = d.window?.tz;
  const seen = new Set<string>();
  let lastBatch = 0;
  for (const e of events) {
    const category = String(e.fields?.category ?? '');
    const smtp = SMTP_KINDS.includes(e.kind) || e.kind === 'mail_deferred' || (e.kind === 'traceback' && category.startsWith('smtp'));
    if (smtp || e.kind === 'traceback') {
      const key = failureKey(e);
      if (seen.has(key)) continue;
      seen.add(key);
      if (smtp) s.smtpErrors++;
      else s.tracebacks++;
    } else if (e.kind === 'worker_timeout') s.workerTimeout ??= clock(e.time, tz);
    else if (e.kind === 'worker_killed') s.workerKilled ??= clock(e.time, tz);
    else if (e.kind === 'oom_kill') s.oomKill ??= clock(e.time, tz);
    else if (e.kind === 'http_error' || (e.kind === 'request' && Number(e.fields?.status) >= 500)) {
      const status = fieldStr(e, 'status');
      if (status && !s.httpErrors.some((h) => h.status === status)) s.httpErrors.push({ status, time: clock(e.time, tz) });
    } else if (e.kind === 'progress' && Number(e.fields?.batch) > lastBatch) {
      lastBatch = Number(e.fields?.batch);
      s.progress = e.fields?.batches !== undefined ? `${lastBatch}/${e.fields.batches}` : String(lastBatch);
    }
  }
  s.primary = primaryEvidence(d, events);
  return s;
}

const PRIORITY: EventKind[] = ['traceback', 'smtp_rate_limit', 'smtp_error', 'smtp_connection', 'worker_timeout', 'oom_kill', 'worker_killed', 'http_error', 'upstream_timeout', 'request'];

/** The evidence to reveal: the strongest cause's evidence among the matched events, else the most telling event. */
function primaryEvidence(d: EvidencePayload, events: LogEvent[]): RevealEvidenceArgs | undefined {
  if (!events.length) return undefined;
  const causes = [...(d.causes ?? [])].sort((a, b) => b.confidence - a.confidence);
  for (const c of causes) {
    for (const ref of c.evidence) {
      const hit = events.find((e) => e.source === ref.source && (ref.lineNo !== undefined ? e.lineNo === ref.lineNo : e.line === ref.line));
      if (hit) return reveal(hit);
    }
  }
  const ranked = [...events].sort((a, b) => rank(a.kind) - rank(b.kind));
  return reveal(ranked[0]);
}

function rank(k: EventKind): number {
  const i = PRIORITY.indexOf(k);
  return i < 0 ? PRIORITY.length : i;
}

function reveal(e: LogEvent): RevealEvidenceArgs {
  const r: RevealEvidenceArgs = { source: e.source, line: e.line };
  if (e.lineNo !== undefined) r.lineNo = e.lineNo;
  return r;
}
