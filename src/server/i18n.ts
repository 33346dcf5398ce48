// Lens, diagnostic and code action titles of the language server, rendered from the one catalogue (src/core/l10n.ts,
// l10n/bundle.l10n.<lang>.json) in the client's locale (InitializeParams.locale). The English text is the id.
import { t, type Lang } from '../core/l10n';
import type { EvidenceSummary } from './evidence';

export { langOf, type Lang } from '../core/l10n';

/** The server's titles in `lang`. */
export function titles(lang: Lang) {
  return {
    diagnose: t(lang, 'Incident Lens: diagnose mail incident'),
    noEvidence: t(lang, 'Incident Lens: no evidence for this send in the last diagnosis · diagnose again'),
    fixLens: t(lang, 'Fix: survive a failed batch (try/except)'),
    fixTitles: {
      'background-task': t(lang, 'Fix: Move the send out of the request (background job)'),
      'rate-limit': t(lang, 'Fix: retry refused batches after a pause (SMTP rate limit)'),
      reconnect: t(lang, 'Fix: reconnect and retry the batch (SMTP connection)'),
      'try-except': t(lang, 'Fix: survive a failed batch (try/except)'),
      progress: t(lang, 'Fix: log one progress line per batch'),
      logging: t(lang, 'Fix: add LOGGING to settings.py'),
    } as Record<string, string>,
    fixBackground: t(lang, 'Move the send out of the request: the view queues a background job and answers at once (preview)'),
    fixRateLimit: t(lang, 'Retry a batch refused with a 4xx after a growing pause; batch size and pauses from settings'),
    fixReconnect: t(lang, 'Reconnect and retry the batch on an SMTP connection error (one connection reused)'),
    silent: t(lang, 'fail_silently=True hides every SMTP error: failed batches leave no trace in the logs.'),
    fixTry: t(lang, 'Wrap the send in try/except: log the failed batch and continue with the next one'),
    fixLogging: t(lang, 'Add a LOGGING configuration to settings.py (console + rotating file in logs/)'),
    fixProgress: t(lang, 'Log one progress line per batch ("batch k/n sent to m recipients")'),
  };
}

/** The warning on an unprotected send; the loop's batch size and pause when known. */
export function unprotectedMessage(lang: Lang, batchSize: string | undefined, pause: string | undefined): string {
  const details = batchSize === undefined ? '' : pause === undefined ? t(lang, ' (batches of {0})', batchSize) : t(lang, ' (batches of {0}, pause {1}s)', batchSize, pause);
  return t(lang, 'E-mail send inside a batch loop{0} with no exception handling: one SMTP error (e.g. 450 rate limit) stops every following batch.', details);
}

/** "2 SMTP errors · worker timeout 22:20:02" / "2 erreurs SMTP · timeout du worker 22:20:02". */
export function evidenceTitle(s: EvidenceSummary, lang: Lang): string | undefined {
  const parts: string[] = [];
  if (s.smtpErrors) parts.push(s.smtpErrors > 1 ? t(lang, '{0} SMTP errors', s.smtpErrors) : t(lang, '{0} SMTP error', s.smtpErrors));
  if (s.tracebacks) parts.push(s.tracebacks > 1 ? t(lang, '{0} tracebacks', s.tracebacks) : t(lang, '{0} traceback', s.tracebacks));
  if (s.workerTimeout) parts.push(t(lang, 'worker timeout {0}', s.workerTimeout));
  if (s.oomKill) parts.push(t(lang, 'OOM kill {0}', s.oomKill));
  else if (s.workerKilled && !s.workerTimeout) parts.push(t(lang, 'worker killed {0}', s.workerKilled));
  const http = s.httpErrors[0];
  if (http) parts.push(`HTTP ${http.status} ${http.time}`);
  if (s.progress) parts.push(t(lang, 'last batch {0}', s.progress));
  return parts.length ? parts.join(' · ') : undefined;
}
