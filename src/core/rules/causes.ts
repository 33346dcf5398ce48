/** The runbook's five causes: confidence and cited evidence from the window's events. */
import type { CauseAssessment, CauseId, EvidenceRef, LogEvent, Verdict } from '../model';
import { CAUSE_IDS } from '../model';
import { eventFrames } from '../parse/interpret';
import { combine, effectiveGunicornTimeout, effectiveProxyTimeout, isSendPath, messageKey, pathOf, RuleContext, t, tracebackIsSend } from './context';
import { explain } from './explain';

export const VERDICT_THRESHOLD = 0.5;

const SOURCE_ORDER = ['journal', 'gunicorn_log', 'nginx_error', 'nginx_access', 'django_logs', 'kernel_oom', 'syslog', 'dmesg', 'mail_log', 'mail_err', 'postgresql', 'host_systemctl'];

function ref(e: LogEvent, line = e.line): EvidenceRef {
  return { source: e.source, line, time: e.time, ...(e.lineNo !== undefined ? { lineNo: e.lineNo } : {}) };
}

/** The message part of a line that syslog or journalctl-short prefixed. */
const PREFIX = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\S+) \S+ [^\s:]+: ?/;
function stripPrefix(line: string): string {
  return line.replace(PREFIX, '').replace(/^\[\s*\d+\.\d+\]\s*/, '').trim();
}

/** Evidence lines, de-duplicated across sources (syslog repeats the journal), best sources first. */
class Evidence {
  private readonly seen = new Set<string>();
  readonly refs: EvidenceRef[] = [];
  private readonly prio: number[] = [];
  add(e: LogEvent, line?: string, prio = 0): void {
    const k = line ? `${e.time.slice(0, 19)}|${stripPrefix(line)}` : messageKey(e);
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.refs.push(ref(e, line));
    this.prio.push(prio);
  }
  /** Direct lines and exception lines first, then the failed requests, then frames. */
  sorted(): EvidenceRef[] {
    return this.refs.map((r, i) => ({ r, p: this.prio[i], i })).sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.r);
  }
  /** A traceback: its exception line(s) first, then up to 3 frames that matter; the first line when nothing else. */
  addTraceback(e: LogEvent, interestingFrame: (line: string) => boolean): void {
    const body = (e.detail ?? []).map((l) => ({ raw: l, msg: l.replace(PREFIX, '') }));
    const exc = body.filter((l) => /^[A-Za-z_][\w.]*(?::|$)/.test(l.msg) && !/^(During handling|The above exception|Traceback)/.test(l.msg));
    const frames = body.filter((l) => /^\s*File "/.test(l.msg) && interestingFrame(l.msg)).slice(-3);
    for (const l of exc) this.add(e, l.raw);
    for (const l of frames) this.add(e, l.raw, 2);
    if (!exc.length && !frames.length) this.add(e);
  }
}

/** A frame in the app's own code (not the venv). */
function appFrame(line: string, c: RuleContext): boolean {
  const m = /File "([^"]+)"/.exec(line);
  return !!m && m[1].startsWith(c.profile.appDir.replace(/\/+$/, '') + '/') && !/\/(site-packages|dist-packages|venv|\.venv)\//.test(m[1]);
}

function bySource(events: LogEvent[]): LogEvent[] {
  const rank = (s: string) => (SOURCE_ORDER.indexOf(s) + 1 || 99);
  return [...events].sort((a, b) => rank(a.source) - rank(b.source) || t(a) - t(b));
}

function httpTimeout(c: RuleContext): { w: number[]; ev: Evidence; data: Record<string, string | number> } {
  const p = c.profile;
  const ev = new Evidence();
  const w: number[] = [];
  const data: Record<string, string | number> = {};
  const es = bySource(c.events);
  const wts = es.filter((e) => e.kind === 'worker_timeout');
  const aborts = es.filter((e) => e.kind === 'traceback' && e.fields?.category === 'worker_abort');
  const sendAbort = aborts.filter((e) => tracebackIsSend(e, p));
  const upstreamTimeouts = es.filter((e) => e.kind === 'upstream_timeout');
  const sendHttp = es.filter((e) => (e.kind === 'http_error' || e.kind === 'request') && isSendPath(pathOf(e), p));
  const send5xx = sendHttp.filter((e) => typeof e.fields?.status === 'number' ? (e.fields.status as number) >= 500 : e.kind === 'http_error');
  const premature = send5xx.filter((e) => /prematurely closed|upstream timed out/.test(e.line));
  const limit = Math.min(effectiveGunicornTimeout(c), effectiveProxyTimeout(c));
  const long = sendHttp.filter((e) => typeof e.fields?.requestTime === 'number' && (e.fields.requestTime as number) >= limit - 1);
  if (wts.length) {
    const related = sendAbort.length > 0 || send5xx.some((h) => wts.some((x) => Math.abs(t(x) - t(h)) < 10_000));
    w.push(related ? 0.6 : 0.35);
    for (const e of wts) ev.add(e);
    data.workerTimeouts = wts.length;
  }
  for (const e of sendAbort.length ? sendAbort : aborts) {
    ev.addTraceback(e, (l) => /handle_abort|SystemExit/.test(l) || l.includes(`in ${p.viewFunction}`));
  }
  if (sendAbort.length) w.push(0.5);
  else if (aborts.length) w.push(0.25);
  const sendUpstream = upstreamTimeouts.filter((e) => isSendPath(pathOf(e), p));
  if (sendUpstream.length) w.push(0.6);
  else if (upstreamTimeouts.length) w.push(0.2);
  for (const e of sendUpstream.length ? sendUpstream : upstreamTimeouts) ev.add(e);
  if (send5xx.length && (wts.length || aborts.length || upstreamTimeouts.length)) w.push(0.3);
  else if (send5xx.some((e) => e.fields?.status === 504)) w.push(0.45);
  for (const e of send5xx) if (e.kind === 'http_error' && (e.fields?.status === undefined || premature.includes(e) || e.fields?.status === 502 || e.fields?.status === 504 || e.fields?.status === 500)) ev.add(e);
  if (long.length) {
    w.push(0.4);
    for (const e of long) ev.add(e);
  }
  data.upstreamTimeouts = upstreamTimeouts.length;
  data.gunicornTimeout = effectiveGunicornTimeout(c);
  data.proxyReadTimeout = effectiveProxyTimeout(c);
  return { w, ev, data };
}

function smtpRate(c: RuleContext): { w: number[]; ev: Evidence } {
  const ev = new Evidence();
  const w: number[] = [];
  for (const e of bySource(c.events)) {
    if (e.kind === 'traceback' && e.fields?.category === 'smtp_rate_limit') {
      w.push(tracebackIsSend(e, c.profile) ? 0.85 : 0.6);
      ev.addTraceback(e, (l) => appFrame(l, c) || /smtplib\.py/.test(l));
    } else if (e.kind === 'smtp_rate_limit') {
      const postfix = e.source === 'mail_log' || e.source === 'mail_err' || /postfix\//.test(e.line);
      w.push(postfix ? (String(e.fields?.relay ?? '').includes(c.profile.smtpHost) ? 0.35 : 0.2) : 0.7);
      ev.add(e);
    }
  }
  return { w, ev };
}

function smtpConnection(c: RuleContext): { w: number[]; ev: Evidence } {
  const ev = new Evidence();
  const w: number[] = [];
  for (const e of bySource(c.events)) {
    if (e.kind === 'traceback' && e.fields?.category === 'smtp_connection') {
      w.push(tracebackIsSend(e, c.profile) ? 0.85 : 0.6);
      ev.addTraceback(e, (l) => appFrame(l, c) || /socket\.py|ssl\.py|smtplib\.py/.test(l));
    } else if (e.kind === 'smtp_connection') {
      const postfix = e.source === 'mail_log' || e.source === 'mail_err' || /postfix\//.test(e.line);
      w.push(postfix ? (e.line.includes(c.profile.smtpHost) ? 0.35 : 0.15) : 0.7);
      ev.add(e);
    }
  }
  return { w, ev };
}

function oomKill(c: RuleContext): { w: number[]; ev: Evidence; hints: number } {
  const ev = new Evidence();
  const w: number[] = [];
  const unit = c.profile.unit.replace(/\.service$/, '');
  const ours = new RegExp(`gunicorn|python|${unit.replace(/[.+]/g, '\\$&')}`, 'i');
  let hints = 0;
  for (const e of bySource(c.events)) {
    if (e.kind === 'oom_kill') {
      const proc = String(e.fields?.process ?? '');
      const mine = proc ? ours.test(proc) : ours.test(e.line);
      w.push(mine ? 0.9 : 0.25);
      ev.add(e);
    } else if (e.kind === 'oom_hint') hints++;
  }
  if (hints && !w.length) w.push(0.1);
  return { w, ev, hints };
}

function pythonException(c: RuleContext, explained: boolean): { w: number[]; ev: Evidence } {
  const ev = new Evidence();
  const w: number[] = [];
  for (const e of bySource(c.events)) {
    if (e.kind !== 'traceback') continue;
    const cat = e.fields?.category;
    if (cat !== 'exception' && cat !== 'smtp_error') continue;
    const send = tracebackIsSend(e, c.profile);
    w.push(send ? 0.8 : 0.3);
    ev.addTraceback(e, (l) => appFrame(l, c));
  }
  const errs = c.events.filter((e) => e.kind === 'error' && isSendPath(pathOf(e), c.profile) && /Internal Server Error/.test(e.line));
  for (const e of errs) ev.add(e);
  if (errs.length && !w.length && !explained) w.push(0.5);
  // a 500 on the send with nothing else logged: the usual trace of an unhandled exception when LOGGING is not configured
  const send500 = c.events.filter((e) => e.source === 'nginx_access' && e.fields?.status === 500 && isSendPath(pathOf(e), c.profile));
  if (send500.length && !w.length && !explained) {
    w.push(0.5);
    for (const e of send500) ev.add(e);
  }
  return { w, ev };
}

export interface CauseResult {
  causes: CauseAssessment[];
  verdict: Verdict;
}

export function assessCauses(c: RuleContext): CauseResult {
  const http = httpTimeout(c);
  const rate = smtpRate(c);
  const conn = smtpConnection(c);
  const oom = oomKill(c);
  const py = pythonException(c, [http, rate, conn].some((x) => x.w.some((v) => v >= 0.5)) || oom.w.some((v) => v >= 0.5));
  const parts: Record<CauseId, { w: number[]; ev: Evidence }> = {
    http_timeout: http,
    smtp_rate_limit: rate,
    smtp_connection_error: conn,
    oom_kill: oom,
    python_exception: py,
  };
  // the failed send request itself supports whichever cause has evidence of its own
  const failedSends = bySource(c.events).filter((e) => e.source === 'nginx_access' && isSendPath(pathOf(e), c.profile) && Number(e.fields?.status) >= 500);
  const causes: CauseAssessment[] = CAUSE_IDS.map((id) => {
    const confidence = combine(parts[id].w);
    if (confidence >= 0.3) for (const e of failedSends) parts[id].ev.add(e, undefined, 1);
    const evidence = parts[id].ev.sorted().slice(0, 16);
    const x = explain(id, confidence, c, { ...http.data, oomHints: oom.hints, evidence: evidence.length });
    return { id, confidence, evidence, explanation: x.en, explanationFr: x.fr };
  });
  causes.sort((a, b) => b.confidence - a.confidence);
  const best = causes[0];
  const verdict: Verdict = best && best.confidence >= VERDICT_THRESHOLD ? best.id : 'none';
  return { causes, verdict };
}

export { eventFrames };
