/**
 * How far the send got. Each failed POST of the send screen is an attempt: its end is when nginx logged it
 * (or the worker was killed), its start comes from $request_time, nginx's "request body is buffered" line,
 * the app's own start line, WORKER TIMEOUT minus --timeout, or (upper bound) the form's GET. Progress lines
 * ("batch k/n sent to m recipients") make it exact; otherwise batches are estimated from the elapsed time.
 */
import type { Impact, LogEvent } from './model';
import { effectiveGunicornTimeout, isSendPath, pathOf, RuleContext, t, tracebackIsSend } from './rules/context';
import { isoInZone } from './time';
import { enFr, msg, type Localized } from './l10n';

export interface Attempt {
  start?: number;
  startHow?: string;
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
}

function fmt(x: number, tz: string): string {
  return isoInZone(x, tz);
}

export function findAttempts(c: RuleContext): Attempt[] {
  const p = c.profile;
  const es = [...c.events].sort((a, b) => t(a) - t(b));
  const send = (e: LogEvent) => isSendPath(pathOf(e), p);
  const posts = es.filter((e) => e.source === 'nginx_access' && e.fields?.method === 'POST' && send(e));
  const failed = posts.filter((e) => Number(e.fields?.status) >= 499);
  const wts = es.filter((e) => e.kind === 'worker_timeout');
  const stops = es.filter((e) => (e.kind === 'traceback' && tracebackIsSend(e, p)) || e.kind === 'oom_kill');
  let ends: LogEvent[] = failed;
  if (!ends.length) ends = stops.slice(0, 1).concat(wts.slice(0, 1)).slice(0, 1);
  const progress = es.filter((e) => e.kind === 'progress');
  const starts = es.filter((e) => e.source === 'nginx_error' && e.fields?.method === 'POST' && send(e) && /client request body is buffered/.test(e.line));
  const gets = es.filter((e) => e.source === 'nginx_access' && e.fields?.method === 'GET' && send(e));
  const out: Attempt[] = [];
  let prevEnd = -Infinity;
  for (const e of ends) {
    let end = t(e);
    const a: Attempt = { end, endLine: e.line, exact: false };
    const wt = wts.find((w) => Math.abs(t(w) - end) < 15_000);
    const client = e.fields?.client;
    const after = (x: LogEvent) => t(x) > prevEnd && t(x) <= end;
    if (typeof e.fields?.start === 'string') {
      a.start = Date.parse(e.fields.start);
      a.startHow = 'nginx $request_time';
    } else if (starts.some((s) => after(s) && s.fields?.client === client)) {
      a.start = t(starts.filter((s) => after(s) && s.fields?.client === client).pop()!);
      a.startHow = 'nginx buffered the request body';
    } else if (progress.some((x) => after(x) && x.fields?.total !== undefined)) {
      a.start = t(progress.filter((x) => after(x) && x.fields?.total !== undefined).pop()!);
      a.startHow = "the app's start line";
    } else if (wt) {
      end = Math.min(end, t(wt));
      a.end = end;
      a.start = t(wt) - effectiveGunicornTimeout(c) * 1000;
      a.startHow = `WORKER TIMEOUT minus gunicorn --timeout ${effectiveGunicornTimeout(c)} s`;
    } else {
      // no WORKER TIMEOUT: the request lasted less than gunicorn's --timeout; and it began after the form was shown
      const g = gets.filter((x) => after(x) && t(x) < end && (client === undefined || x.fields?.client === client)).pop();
      const bound = end - effectiveGunicornTimeout(c) * 1000;
      // a timeout not read from the host (a central log host, no unit file) is only gunicorn's default: the GET, a
      // fact of the logs, is the safer bound then
      if (g && (c.facts.gunicornTimeout === undefined || t(g) >= bound)) {
        a.start = t(g);
        a.startHow = 'the form was displayed (GET) before the POST, so the duration is an upper bound';
      } else {
        [a.start, a.startBounded] = [bound, true];
        a.startHow = `no WORKER TIMEOUT, so it lasted less than gunicorn --timeout ${effectiveGunicornTimeout(c)} s (upper bound)`;
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

/** The impact's summary, one message per sentence. */
function impactSentences(attempts: Attempt[], out: Impact, p: RuleContext['profile'], tz: string): Localized[] {
  const sentences = attempts.map((a, i) => {
    const label = attempts.length > 1 ? msg('Attempt {0}: ', i + 1) : '';
    const span = a.start !== undefined ? msg('{0} → {1} ({2} s; start from {3})', fmt(a.start, tz), fmt(a.end, tz), Math.round((a.end - a.start) / 1000), a.startHow) : msg('ended {0}, start unknown', fmt(a.end, tz));
    if (a.exact) {
      return a.batches
        ? msg('{0}{1}. Progress lines: {2} of {3} batches sent, {4} recipients.', label, span, a.batchesSent, a.batches, a.recipientsSent)
        : msg('{0}{1}. Progress lines: {2} batches sent, {3} recipients.', label, span, a.batchesSent, a.recipientsSent);
    }
    if (a.recipientsSentMax !== undefined) {
      return msg('{0}{1}. The logs do not show when the request started: between 0 (an error before the first batch) and {2} recipients could have been sent — no point estimate.', label, span, a.recipientsSentMax);
    }
    if (a.batchesSent !== undefined) {
      return msg('{0}{1}. Estimate: batches of {2} every {3} s plus about {4} s per SMTP send → about {5} batches ({6} recipients) sent; at most {7} could have started.', label, span, p.batchSize, p.pauseSeconds, p.batchSendSeconds, a.batchesSent, a.recipientsSent, a.upperBound);
    }
    return msg('{0}{1}. The number of batches sent cannot be estimated.', label, span);
  });
  if (attempts.length > 1) sentences.push(msg('A retry starts again from the first recipient: what was really sent is the furthest attempt.'));
  if (out.recipientsUnsent !== undefined) {
    sentences.push(out.estimate ? msg('Not sent: {0} recipients (estimate).', out.recipientsUnsent) : msg('Not sent: {0} recipients.', out.recipientsUnsent));
  } else {
    sentences.push(msg('The logs do not give the total number of recipients: everyone after the last batch sent got nothing.'));
  }
  return sentences;
}

export function estimateImpact(c: RuleContext): Impact {
  const p = c.profile;
  const tz = c.window.tz;
  const base: Impact = { estimate: true, batchSize: p.batchSize, pauseSeconds: p.pauseSeconds, summary: '', summaryFr: '' };
  const attempts = findAttempts(c);
  if (!attempts.length) {
    const { en, fr } = enFr(msg('No failed send request in the window: nothing to estimate.'));
    return { ...base, summary: en, summaryFr: fr };
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
    ...(recipients !== undefined ? { recipients } : {}),
  };
  if (recipients !== undefined && best.recipientsSent !== undefined) out.recipientsUnsent = Math.max(0, recipients - best.recipientsSent);
  else if (best.exact && best.batches !== undefined && best.batchesSent !== undefined) out.recipientsUnsent = (best.batches - best.batchesSent) * p.batchSize;
  const { en, fr } = enFr(impactSentences(attempts, out, p, tz));
  out.summary = en;
  out.summaryFr = fr;
  return { ...out, attempts: attempts.map((a) => ({ start: a.start !== undefined ? fmt(a.start, tz) : undefined, startHow: a.startHow, end: fmt(a.end, tz), batchesSent: a.batchesSent, recipientsSent: a.recipientsSent, ...(a.recipientsSentMax !== undefined ? { recipientsSentMax: a.recipientsSentMax } : {}), exact: a.exact })) };
}
