/**
 * The runbook's four recommendations, and which apply. The diagnosis holds their stable keys (`key`); the English
 * text is the catalogue's message id (translations in l10n/), rendered where shown; `id` is the runbook's step number.
 * The JSON report writes each as its English text (docs/cli.md), l10n.ts jsonTexts.
 */
import type { LogEvent, SourceResult, Verdict } from './model';

export const RECOMMENDATIONS = [
  { id: 1, key: 'error-handling', en: 'Add error handling in the send loop (try/except around email.send(), log the failed batch and carry on or stop cleanly).' },
  { id: 2, key: 'django-logging', en: 'Configure Django LOGGING so that send errors reach a log file or the journal.' },
  { id: 3, key: 'async-send', en: 'Send in bulk from an asynchronous task (Celery or similar), not inside the web request.' },
  { id: 4, key: 'log-progress', en: 'Log the progress of the send (e.g. "batch 17/42 sent to 10 recipients") so the next incident says exactly how far it got.' },
] as const;

/** A recommendation's stable key, as the diagnosis holds it. */
export type RecommendationKey = (typeof RECOMMENDATIONS)[number]['key'];

/** The recommendation of a key (undefined for a key this version does not know). */
export function recommendation(key: string): (typeof RECOMMENDATIONS)[number] | undefined {
  return RECOMMENDATIONS.find((r) => r.key === key);
}

/** The English text of a key, as the JSON writes it (an unknown key as it is). */
export function recommendationEnglish(key: string): string {
  return recommendation(key)?.en ?? key;
}

/** The key of a recommendation's English text, as a saved JSON reads back (an unknown text as it is). */
export function recommendationId(text: string): string {
  return RECOMMENDATIONS.find((r) => r.en === text)?.key ?? text;
}

/** The keys of the recommendations that apply, in the runbook's order. */
export function applicableRecommendations(verdict: Verdict, events: LogEvent[], sources: SourceResult[]): RecommendationKey[] {
  const ids = new Set<number>();
  if (verdict === 'smtp_rate_limit' || verdict === 'smtp_connection_error' || verdict === 'python_exception') ids.add(1);
  const django = sources.find((s) => s.id === 'django_logs');
  const appErrors = events.some((e) => e.source === 'django_logs' && (e.kind === 'traceback' || e.kind === 'error'));
  if (!appErrors && (!django || django.status !== 'ok' || verdict !== 'none')) ids.add(2);
  if (verdict === 'http_timeout' || verdict === 'smtp_rate_limit' || verdict === 'oom_kill' || verdict === 'none') ids.add(3);
  if (!events.some((e) => e.kind === 'progress')) ids.add(4);
  return [...ids].sort().map((n) => RECOMMENDATIONS[n - 1].key);
}
