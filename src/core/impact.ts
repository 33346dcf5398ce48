/** How far the send got: request start/end, batches against elapsed time, or exact progress lines. */
import type { Impact, LogEvent } from './model';
import { isSendPath, pathOf, RuleContext, t, tracebackIsSend, effectiveGunicornTimeout } from './rules/context';
import { isoInZone } from './time';

export function estimateImpact(c: RuleContext): Impact {
  const p = c.profile;
  const tz = c.window.tz;
  const es = [...c.events].sort((a, b) => t(a) - t(b));
  const posts = es.filter((e) => e.source === 'nginx_access' && e.fields?.method === 'POST' && isSendPath(pathOf(e), p));
  const progress = es.filter((e) => e.kind === 'progress');
  const wts = es.filter((e) => e.kind === 'worker_timeout');
  const sendTb = es.filter((e) => e.kind === 'traceback' && tracebackIsSend(e, p));
  const base: Impact = { estimate: true, batchSize: p.batchSize, pauseSeconds: p.pauseSeconds, summary: '', summaryFr: '' };

  // the request that failed: a 5xx POST on the send path, else the last one
  const post = posts.find((e) => Number(e.fields?.status) >= 500) ?? posts[posts.length - 1];
  const stop: LogEvent | undefined = sendTb[0] ?? (post ? wts.find((w) => Math.abs(t(w) - t(post)) < 15_000) : wts[0]);
  let end = stop ? t(stop) : post ? t(post) : undefined;
  if (stop && post && t(post) < t(stop)) end = t(post);
  let start: number | undefined;
  let startHow = '';
  if (post && typeof post.fields?.start === 'string') {
    start = Date.parse(post.fields.start);
    startHow = 'nginx $request_time';
  } else if (wts.length && end !== undefined) {
    const w = wts.find((x) => Math.abs(t(x) - end!) < 15_000) ?? wts[0];
    start = t(w) - effectiveGunicornTimeout(c) * 1000;
    end = t(w);
    startHow = `WORKER TIMEOUT minus gunicorn --timeout ${effectiveGunicornTimeout(c)} s`;
  } else if (post) {
    const get = [...es].reverse().find((e) => e.source === 'nginx_access' && e.fields?.method === 'GET' && isSendPath(pathOf(e), p) && t(e) < t(post) && e.fields?.client === post.fields?.client);
    if (get) {
      start = t(get);
      startHow = 'the form was displayed (GET) before the POST: upper bound';
    }
  }

  if (progress.length) {
    const last = progress[progress.length - 1];
    const k = Number(last.fields?.batch);
    const n = Number(last.fields?.batches);
    const sent = progress.reduce((s, e) => s + Number(e.fields?.recipients ?? 0), 0);
    const unsentBatches = Math.max(0, n - k);
    const first = progress[0];
    const out: Impact = {
      ...base,
      estimate: false,
      requestStart: start !== undefined ? isoInZone(start, tz) : undefined,
      requestEnd: end !== undefined ? isoInZone(end, tz) : isoInZone(t(last), tz),
      batchesSent: k,
      recipientsSent: sent,
      recipientsUnsent: unsentBatches * p.batchSize,
      recipients: sent + unsentBatches * p.batchSize,
    };
    if (start !== undefined && end !== undefined) out.elapsedSeconds = Math.round((end - start) / 100) / 10;
    out.summary = `Progress lines: batch ${k} of ${n} was the last one sent (${sent} recipients logged from ${isoInZone(t(first), tz)} to ${isoInZone(t(last), tz)}). ${unsentBatches} batch(es) were not sent, about ${unsentBatches * p.batchSize} recipients (the last batch may be smaller).`;
    out.summaryFr = `Lignes de progression : le lot ${k} sur ${n} est le dernier envoyé (${sent} destinataires journalisés). ${unsentBatches} lot(s) non envoyé(s), environ ${unsentBatches * p.batchSize} destinataires (le dernier lot peut être plus petit).`;
    return out;
  }
  if (start === undefined || end === undefined || end <= start) {
    return {
      ...base,
      ...(end !== undefined ? { requestEnd: isoInZone(end, tz) } : {}),
      summary: post || stop ? 'The send request was found, but not when it started: the number of batches sent cannot be estimated. Progress logs (recommendation 4) would give it exactly.' : 'No send request found in the window: nothing to estimate.',
      summaryFr: post || stop ? "La requête d'envoi a été trouvée, mais pas son début : impossible d'estimer le nombre de lots envoyés. Des logs de progression (recommandation 4) le donneraient exactement." : "Aucune requête d'envoi dans la fenêtre : rien à estimer.",
    };
  }
  const elapsed = (end - start) / 1000;
  const cycle = p.pauseSeconds + p.batchSendSeconds;
  const batches = Math.max(0, Math.floor((elapsed - p.batchSendSeconds) / cycle) + 1);
  const upper = Math.floor(elapsed / Math.max(p.pauseSeconds, 0.001)) + 1;
  const sent = batches * p.batchSize;
  return {
    ...base,
    requestStart: isoInZone(start, tz),
    requestEnd: isoInZone(end, tz),
    elapsedSeconds: Math.round(elapsed * 10) / 10,
    batchesSent: batches,
    recipientsSent: sent,
    summary: `Estimate: the send request ran ${Math.round(elapsed)} s (start from ${startHow}). With batches of ${p.batchSize} every ${p.pauseSeconds} s plus about ${p.batchSendSeconds} s per SMTP send, about ${batches} batches (${sent} recipients) went out before it stopped; at most ${upper} batches could have started. The recipients after that were not sent; the logs do not give the total.`,
    summaryFr: `Estimation : la requête d'envoi a duré ${Math.round(elapsed)} s (début : ${startHow}). Avec des lots de ${p.batchSize} toutes les ${p.pauseSeconds} s plus environ ${p.batchSendSeconds} s par envoi SMTP, environ ${batches} lots (${sent} destinataires) sont partis avant l'arrêt ; au plus ${upper} lots ont pu démarrer. Les destinataires suivants n'ont pas reçu le message ; les logs ne donnent pas le total.`,
  };
}
