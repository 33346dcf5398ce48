/** The runbook's five causes: confidence and cited evidence from the window's events. */
import type { CauseAssessment, CauseId, EvidenceRef, LogEvent, Verdict } from '../model';
import { CAUSE_IDS } from '../model';
import { eventFrames } from '../parse/interpret';
import { effectiveGunicornTimeout, effectiveProxyTimeout, isSendPath, messageKey, pathOf, RuleContext, t, tracebackIsSend } from './context';
import { joined } from '../l10n';
import { explain } from './explain';
import { mailMessages, messageWeight } from './mail';
import { assessOom } from './oom';
import { AppTies, appTies, Witnesses } from './witness';

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

function httpTimeout(c: RuleContext, ties: AppTies): { w: Witnesses; ev: Evidence; data: Record<string, string | number> } {
  const p = c.profile;
  const ev = new Evidence();
  const w = new Witnesses();
  const data: Record<string, string | number> = {};
  const es = bySource(c.events);
  const wts = es.filter((e) => e.kind === 'worker_timeout');
  const aborts = es.filter((e) => e.kind === 'traceback' && e.fields?.category === 'worker_abort');
  const sendAbort = aborts.filter((e) => tracebackIsSend(e, p));
  const upstreamTimeouts = es.filter((e) => e.kind === 'upstream_timeout');
  const sendHttp = es.filter((e) => (e.kind === 'http_error' || e.kind === 'request') && isSendPath(pathOf(e), p));
  const send5xx = sendHttp.filter((e) => (typeof e.fields?.status === 'number' ? (e.fields.status as number) >= 500 : e.kind === 'http_error'));
  const premature = send5xx.filter((e) => /prematurely closed|upstream timed out/.test(e.line));
  const limit = Math.min(effectiveGunicornTimeout(c), effectiveProxyTimeout(c));
  // a slow request that still answered (302) is slow, not killed: only failed requests count
  const long = send5xx.filter((e) => typeof e.fields?.requestTime === 'number' && (e.fields.requestTime as number) >= limit - 1);
  // the app server's witness: the timeout and the worker's abort are ONE event of the same worker
  if (wts.length) {
    const related = sendAbort.length > 0 || send5xx.some((h) => wts.some((x) => Math.abs(t(x) - t(h)) < 10_000));
    w.add('app', related ? (sendAbort.length ? 0.65 : 0.6) : 0.35);
    for (const e of wts) ev.add(e);
    data.workerTimeouts = wts.length;
  }
  for (const e of sendAbort.length ? sendAbort : aborts) {
    ev.addTraceback(e, (l) => /handle_abort|SystemExit/.test(l) || l.includes(`in ${p.viewFunction}`));
  }
  w.add('app', sendAbort.length ? 0.5 : aborts.length ? 0.25 : 0);
  // nginx's witness: it gave up waiting, or answered 5xx to the send
  const sendUpstream = upstreamTimeouts.filter((e) => isSendPath(pathOf(e), p));
  w.add('nginx', sendUpstream.length ? 0.6 : upstreamTimeouts.length ? 0.2 : 0);
  for (const e of sendUpstream.length ? sendUpstream : upstreamTimeouts) ev.add(e);
  if (send5xx.length && (wts.length || aborts.length || upstreamTimeouts.length)) w.add('nginx', 0.3);
  else if (send5xx.some((e) => e.fields?.status === 504)) w.add('nginx', 0.45);
  for (const e of send5xx) if (e.kind === 'http_error' && (e.fields?.status === undefined || premature.includes(e) || e.fields?.status === 502 || e.fields?.status === 504 || e.fields?.status === 500)) ev.add(e);
  if (long.length) {
    w.add('nginx', 0.4);
    for (const e of long) ev.add(e);
  }
  data.upstreamTimeouts = upstreamTimeouts.length;
  data.gunicornTimeout = effectiveGunicornTimeout(c);
  data.proxyReadTimeout = effectiveProxyTimeout(c);
  void ties;
  return { w, ev, data };
}

/** Rate limits and connection failures share their witnesses: the app's traceback, its log line, Postfix per message. */
function smtpCause(c: RuleContext, ties: AppTies, category: 'smtp_rate_limit' | 'smtp_connection'): { w: Witnesses; ev: Evidence } {
  const ev = new Evidence();
  const w = new Witnesses();
  const frames = category === 'smtp_rate_limit' ? /smtplib\.py/ : /socket\.py|ssl\.py|smtplib\.py/;
  for (const e of bySource(c.events)) {
    if (e.kind === 'traceback' && e.fields?.category === category) {
      w.add('app', tracebackIsSend(e, c.profile) ? 0.85 : 0.6);
      ev.addTraceback(e, (l) => appFrame(l, c) || frames.test(l));
    } else if (e.kind === category && e.source !== 'mail_log' && e.source !== 'mail_err' && !/\bpostfix\//.test(e.line)) {
      w.add('app', 0.7);
      ev.add(e);
    }
  }
  for (const m of mailMessages(c.events)) {
    const hits = m.events.filter((e) => e.kind === category);
    if (!hits.length) continue;
    const weight = messageWeight(m, ties, category === 'smtp_rate_limit' ? 0.6 : 0.55);
    w.add('postfix', weight);
    // the message's retries are one event: cite its first and last reply, not every retry
    if (weight >= 0.15) for (const e of hits.length > 2 ? [hits[0], hits[hits.length - 1]] : hits) ev.add(e);
  }
  return { w, ev };
}

function oomKill(c: RuleContext, ties: AppTies): { w: Witnesses; ev: Evidence; hints: number } {
  const ev = new Evidence();
  const f = assessOom(c, ties);
  for (const e of bySource(f.cited)) ev.add(e);
  return { w: f.witnesses, ev, hints: f.hints };
}

function pythonException(c: RuleContext, explained: boolean): { w: Witnesses; ev: Evidence } {
  const ev = new Evidence();
  const w = new Witnesses();
  for (const e of bySource(c.events)) {
    if (e.kind !== 'traceback') continue;
    const cat = e.fields?.category;
    if (cat !== 'exception' && cat !== 'smtp_error') continue;
    const send = tracebackIsSend(e, c.profile);
    w.add('app', send ? 0.8 : 0.3);
    ev.addTraceback(e, (l) => appFrame(l, c));
  }
  const errs = c.events.filter((e) => e.kind === 'error' && isSendPath(pathOf(e), c.profile) && /Internal Server Error/.test(e.line));
  for (const e of errs) ev.add(e);
  if (errs.length && !w.some() && !explained) w.add('app', 0.5);
  // a 500 on the send with nothing else logged: the usual trace of an unhandled exception when LOGGING is not configured
  const send500 = c.events.filter((e) => e.source === 'nginx_access' && e.fields?.status === 500 && isSendPath(pathOf(e), c.profile));
  if (send500.length && !w.some() && !explained) {
    w.add('nginx', 0.5);
    for (const e of send500) ev.add(e);
  }
  return { w, ev };
}

export interface CauseResult {
  causes: CauseAssessment[];
  verdict: Verdict;
}

export function assessCauses(c: RuleContext): CauseResult {
  const ties = appTies(c);
  const http = httpTimeout(c, ties);
  const rate = smtpCause(c, ties, 'smtp_rate_limit');
  const conn = smtpCause(c, ties, 'smtp_connection');
  const oom = oomKill(c, ties);
  const strong = (x: { w: Witnesses }) => x.w.confidence() >= VERDICT_THRESHOLD;
  const py = pythonException(c, [http, rate, conn, oom].some(strong));
  const parts: Record<CauseId, { w: Witnesses; ev: Evidence }> = {
    http_timeout: http,
    smtp_rate_limit: rate,
    smtp_connection_error: conn,
    oom_kill: oom,
    python_exception: py,
  };
  // the failed send request itself supports whichever cause has evidence of its own
  const failedSends = bySource(ties.failedSends);
  const causes: CauseAssessment[] = CAUSE_IDS.map((id) => {
    const confidence = parts[id].w.confidence();
    if (confidence >= 0.3) for (const e of failedSends) parts[id].ev.add(e, undefined, 1);
    const evidence = parts[id].ev.sorted().slice(0, 16);
    const x = explain(id, confidence, c, { ...http.data, oomHints: oom.hints, evidence: evidence.length });
    return { id, confidence, evidence, explanation: Array.isArray(x) ? joined(' ', x) : x };
  });
  causes.sort((a, b) => b.confidence - a.confidence);
  const best = causes[0];
  const verdict: Verdict = best && best.confidence >= VERDICT_THRESHOLD ? best.id : 'none';
  return { causes, verdict };
}

export { eventFrames };
