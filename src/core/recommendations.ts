/** The runbook's four recommendations (the English text is the message id: translations in l10n/), and which apply. */
import type { LogEvent, SourceResult, Verdict } from './model';

export const RECOMMENDATIONS = [
  { id: 1, en: 'Add error handling in the send loop (try/except around email.send(), log the failed batch and carry on or stop cleanly).' },
  { id: 2, en: 'Configure Django LOGGING so that send errors reach a log file or the journal.' },
  { id: 3, en: 'Send in bulk from an asynchronous task (Celery or similar), not inside the web request.' },
  { id: 4, en: 'Log the progress of the send (e.g. "batch 17/42 sent to 10 recipients") so the next incident says exactly how far it got.' },
] as const;

export function applicableRecommendations(verdict: Verdict, events: LogEvent[], sources: SourceResult[]): number[] {
  const ids = new Set<number>();
  if (verdict === 'smtp_rate_limit' || verdict === 'smtp_connection_error' || verdict === 'python_exception') ids.add(1);
  const django = sources.find((s) => s.id === 'django_logs');
  const appErrors = events.some((e) => e.source === 'django_logs' && (e.kind === 'traceback' || e.kind === 'error'));
  if (!appErrors && (!django || django.status !== 'ok' || verdict !== 'none')) ids.add(2);
  if (verdict === 'http_timeout' || verdict === 'smtp_rate_limit' || verdict === 'oom_kill' || verdict === 'none') ids.add(3);
  if (!events.some((e) => e.kind === 'progress')) ids.add(4);
  return [...ids].sort();
}
