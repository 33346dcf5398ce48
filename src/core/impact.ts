/**
 * How far the send got. Each failed POST of the send screen is an attempt: its end is when nginx logged it
 * (or the worker was killed), its start comes from $request_time, nginx's "request body is buffered" line,
 * the app's own start line, WORKER TIMEOUT minus --timeout, or (upper bound) the form's GET. Progress lines
 * ("batch k/n sent to m recipients") make it exact; otherwise batches are estimated from the elapsed time.
 */
import { beforeLoop, type BeforeLoop } from './before-loop';
import type { Impact, LogEvent, RecipientsPicture } from './model';
import { attemptText, closingText, pictureText, type AttemptWords } from './impact-text';
import { joined, msg, verbatim, type Localized } from './l10n';
import { recipientsPicture } from './recipients';
import { appTies } from './rules/witness';
import { effectiveGunicornTimeout, isSendPath, pathOf, RuleContext, t, tracebackIsSend } from './rules/context';
import { isoInZone } from './time';

export interface Attempt {
  start?: number;
  startHow?: Localized;
  end: number;
  endLine: string;
  batchesSent?: number;
  recipientsSent?: number;
  batches?: number;
  recipients?: number;
  exact: boolean;
  upperBound?: number;
  /** The start is only bounded (no line shows it): no point estimate, only the most that could have been sent. */
  startBounded?: boolean;
  recipientsSentMax?: number;
  /** Stopped by an exception before its first batch (proved by the logs): nothing sent. */
  beforeLoop?: BeforeLoop;
  /** Lines at or before this instant belong to an earlier send (the previous attempt, or a send that completed). */
  after?: number;
}

function fmt(x: number, tz: string): string {
  return isoInZone(x, tz);
}

/** The last send POST that completed (302) before `end`: it closed its own send, whose start line, form and progress are not the next one's. */
function completedBefore(posts: LogEvent[], end: number): number {
  return Math.max(-Infinity, ...posts.filter((x) => Number(x.fields?.status) < 400 && t(x) < end).map(t));
}

export function findAttempts(c: RuleContext): Attempt[] {
  const p = c.profile;
  const es = [...c.events].sort((a, b) => t(a) - t(b));
  const send = (e: LogEvent) => isSendPath(pathOf(e), p);
  const posts = es.filter((e) => e.source === 'nginx_access' && e.fields?.method === 'POST' && send(e));
  const wts = es.filter((e) => e.kind === 'worker_timeout');
  const stops = es.filter((e) => (e.kind === 'traceback' && tracebackIsSend(e, p)) || e.kind === 'oom_kill');
  const failed = posts.filter((e) => Number(e.fields?.status) >= 499);
  const ends: LogEvent[] = failed.length ? failed : stops.slice(0, 1).concat(wts.slice(0, 1)).slice(0, 1);
  const progress = es.filter((e) => e.kind === 'progress');
  const starts = es.filter((e) => e.source === 'nginx_error' && e.fields?.method === 'POST' && send(e) && /client request body is buffered/.test(e.line));
  const gets = es.filter((e) => e.source === 'nginx_access' && e.fields?.method === 'GET' && send(e));
  const out: Attempt[] = [];
  let prevEnd = -Infinity;
  for (const e of ends) {
    let end = t(e);
    prevEnd = Math.max(prevEnd, completedBefore(posts, end));
    const a: Attempt = { end, endLine: e.line, exact: false, ...(Number.isFinite(prevEnd) ? { after: prevEnd } : {}) };
    const wt = wts.find((w) => Math.abs(t(w) - end) < 15_000);
    const client = e.fields?.client;
    const after = (x: LogEvent) => t(x) > prevEnd && t(x) <= end;
    if (typeof e.fields?.start === 'string') {
      a.start = Date.parse(e.fields.start);
      a.startHow = verbatim('nginx $request_time');
    } else if (starts.some((s) => after(s) && s.fields?.client === client)) {
      a.start = t(starts.filter((s) => after(s) && s.fields?.client === client).pop()!);
      a.startHow = msg('nginx buffered the request body');
    } else if (progress.some((x) => after(x) && x.fields?.total !== undefined)) {
      a.start = t(progress.filter((x) => after(x) && x.fields?.total !== undefined).pop()!);
      a.startHow = msg("the app's start line");
    } else if (wt) {
      end = Math.min(end, t(wt));
      a.end = end;
      a.start = t(wt) - effectiveGunicornTimeout(c) * 1000;
      a.startHow = msg('WORKER TIMEOUT minus gunicorn --timeout {0} s', effectiveGunicornTimeout(c));
    } else {
      // no WORKER TIMEOUT: the request lasted less than gunicorn's --timeout; and it began after the form was shown
      const g = gets.filter((x) => after(x) && t(x) < end && (client === undefined || x.fields?.client === client)).pop();
      const bound = end - effectiveGunicornTimeout(c) * 1000;
      // a timeout not read from the host (a central log host, no unit file) is only gunicorn's default: the GET, a
      // fact of the logs, is the safer bound then
      if (g && (c.facts.gunicornTimeout === undefined || t(g) >= bound)) {
        a.start = t(g);
        a.startHow = msg('the form was displayed (GET) before the POST, so the duration is an upper bound');
      } else {
        [a.start, a.startBounded] = [bound, true];
        a.startHow = msg('no WORKER TIMEOUT, so it lasted less than gunicorn --timeout {0} s (upper bound)', effectiveGunicornTimeout(c));
      }
    }
    // progress lines of this attempt: distinct batch numbers (the same line may come from the journal and syslog)
    const mine = progress.filter((x) => t(x) > prevEnd && t(x) <= end + 2000);
    const total = mine.filter((x) => x.fields?.total !== undefined).pop()?.fields?.total;
    const batches = new Map<number, number>();
    let n: number | undefined;
    for (const x of mine) {
      if (x.fields?.batch === undefined) continue;
      batches.set(Number(x.fields.batch), Number(x.fields.recipients));
      n = Number(x.fields.batches);
    }
    if (total !== undefined) a.recipients = Number(total);
    if (batches.size) {
      a.exact = true;
      a.batchesSent = Math.max(...batches.keys());
      a.recipientsSent = [...batches.values()].reduce((s, v) => s + v, 0);
      a.batches = n;
    } else if (a.start !== undefined && end > a.start) {
      const elapsed = (end - a.start) / 1000;
      const cycle = p.pauseSeconds + p.batchSendSeconds;
      const estimate = Math.max(0, Math.floor((elapsed - p.batchSendSeconds) / cycle) + 1);
      a.upperBound = Math.floor(elapsed / Math.max(p.pauseSeconds, 0.001)) + 1;
      if (a.startBounded) {
        // never a point estimate from a bound: anything from 0 (an exception before the loop) to what the time allows
        a.recipientsSentMax = estimate * p.batchSize;
      } else {
        a.batchesSent = estimate;
        a.recipientsSent = a.batchesSent * p.batchSize;
      }
    }
    if (a.recipients !== undefined && a.recipientsSentMax !== undefined) a.recipientsSentMax = Math.min(a.recipientsSentMax, a.recipients);
    if (a.recipients !== undefined && a.recipientsSent !== undefined) a.recipientsSent = Math.min(a.recipientsSent, a.recipients);
    out.push(a);
    prevEnd = end;
  }
  return out;
}

/** Marks the attempts an exception stopped before their first batch (0 sent, read from the logs). */
function markBeforeLoop(c: RuleContext, attempts: Attempt[], mailLogReadable: boolean): void {
  let prevEnd = -Infinity;
  for (const a of attempts) {
    const bl = a.exact ? undefined : beforeLoop(c, a, Math.max(prevEnd, a.after ?? -Infinity), mailLogReadable);
    prevEnd = a.end;
    if (!bl) continue;
    Object.assign(a, { beforeLoop: bl, exact: true, batchesSent: 0, recipientsSent: 0, recipientsSentMax: undefined, upperBound: undefined });
  }
}

export interface ImpactOptions {
  /** The local Postfix log was read and covers the window (its silence is evidence). */
  mailLogReadable?: boolean;
}

/** The app's mail in the window's Postfix log, per recipient (undefined when the log cannot tell which is the app's). */
function windowPicture(c: RuleContext, total: number | undefined, o: ImpactOptions): RecipientsPicture | undefined {
  if (!o.mailLogReadable) return undefined;
  const inWindow = c.events.filter((e) => t(e) >= c.window.since.getTime());
  return recipientsPicture(inWindow, appTies(c), total);
}

/** An attempt's figures as the summary words them, times in the window's zone. */
function wordsOf(a: Attempt, tz: string): AttemptWords {
  return {
    ...(a.start !== undefined ? { start: fmt(a.start, tz), seconds: Math.round((a.end - a.start) / 1000), startHow: a.startHow } : {}),
    end: fmt(a.end, tz),
    exact: a.exact,
    batchesSent: a.batchesSent,
    recipientsSent: a.recipientsSent,
    batches: a.batches,
    recipientsSentMax: a.recipientsSentMax,
    upperBound: a.upperBound,
    ...(a.beforeLoop ? { beforeLoop: a.beforeLoop.why } : {}),
  };
}

export function estimateImpact(c: RuleContext, o: ImpactOptions = {}): Impact {
  const p = c.profile;
  const tz = c.window.tz;
  const base: Impact = { estimate: true, batchSize: p.batchSize, pauseSeconds: p.pauseSeconds, summary: verbatim('') };
  const attempts = findAttempts(c);
  markBeforeLoop(c, attempts, !!o.mailLogReadable);
  const logged = attempts.map((a) => a.recipients).find((x) => x !== undefined) ?? c.events.find((e) => e.kind === 'progress' && e.fields?.total !== undefined)?.fields?.total;
  const picture = windowPicture(c, logged !== undefined ? Number(logged) : undefined, o);
  if (!attempts.length) {
    if (!picture) return { ...base, summary: msg('No failed send request in the window: nothing to estimate.') };
    return { ...base, recipients: picture, summary: joined(' ', [msg('No failed send request in the window.'), pictureText(picture)]) };
  }
  const first = attempts[0];
  const last = attempts[attempts.length - 1];
  // retries start again from the first recipient: the furthest attempt is what was really sent
  const best = attempts.reduce((b, a) => ((a.recipientsSent ?? -1) > (b.recipientsSent ?? -1) ? a : b), attempts[0]);
  const recipients = attempts.map((a) => a.recipients).find((x) => x !== undefined);
  const out: Impact = {
    ...base,
    estimate: !best.exact,
    ...(first.start !== undefined ? { requestStart: fmt(first.start, tz) } : {}),
    requestEnd: fmt(last.end, tz),
    ...(best.start !== undefined ? { elapsedSeconds: Math.round((best.end - best.start) / 100) / 10 } : {}),
    ...(best.batchesSent !== undefined ? { batchesSent: best.batchesSent, recipientsSent: best.recipientsSent } : {}),
    ...(best.recipientsSentMax !== undefined && best.recipientsSent === undefined ? { recipientsSentMax: best.recipientsSentMax } : {}),
    ...(recipients !== undefined ? { recipientsTotal: recipients } : {}),
    ...(best.beforeLoop ? { beforeLoop: { why: best.beforeLoop.why } } : {}),
  };
  // never more than the local Postfix shows it received from the app
  if (picture && out.estimate && out.recipientsSent !== undefined && out.recipientsSent > picture.handedOver) out.recipientsSent = picture.handedOver;
  if (picture && out.recipientsSentMax !== undefined) out.recipientsSentMax = Math.min(out.recipientsSentMax, picture.handedOver);
  if (recipients !== undefined && out.recipientsSent !== undefined) out.recipientsUnsent = Math.max(0, recipients - out.recipientsSent);
  else if (best.exact && best.batches !== undefined && best.batchesSent !== undefined) out.recipientsUnsent = (best.batches - best.batchesSent) * p.batchSize;
  const sentences = attempts.map((a, i) => attemptText(wordsOf(a, tz), i, attempts.length, p));
  sentences.push(...closingText(attempts.length, out.recipientsUnsent, out.estimate));
  if (picture) {
    sentences.push(pictureText(picture));
    out.recipients = picture;
  }
  out.summary = joined(' ', sentences);
  return { ...out, attempts: attempts.map((a) => ({ start: a.start !== undefined ? fmt(a.start, tz) : undefined, startHow: a.startHow, end: fmt(a.end, tz), batchesSent: a.batchesSent, recipientsSent: a.recipientsSent, ...(a.recipientsSentMax !== undefined ? { recipientsSentMax: a.recipientsSentMax } : {}), exact: a.exact, ...(a.beforeLoop ? { beforeLoop: true } : {}) })) };
}
