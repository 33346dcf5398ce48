/** A short plain-text summary for the terminal. */
import type { Diagnosis } from '../model';
import { redactText } from '../redact';
import { visible, visibleLine } from '../visible';
import { t, type Lang } from '../l10n';
import { recommendationText } from './markdown';

export function renderText(d: Diagnosis, opts: { redact?: boolean; lang?: Lang } = {}): string {
  const lang = opts.lang ?? 'en';
  const L: string[] = [];
  L.push(`${t(lang, 'Window')}: ${d.window.since} → ${d.window.until} (${d.window.tz})   ${t(lang, 'Target')}: ${d.target}`);
  L.push(`${t(lang, 'Verdict')}: ${d.verdict}`);
  const best = d.causes.find((c) => c.id === d.verdict);
  if (best) {
    L.push(`  ${(lang === 'fr' ? best.explanationFr : undefined) ?? best.explanation}`);
    for (const e of best.evidence) L.push(`  [${e.source}] ${visibleLine(e.line.trim())}`);
  }
  L.push(`${t(lang, 'Causes')}: ${d.causes.map((c) => `${c.id}=${c.confidence.toFixed(2)}`).join('  ')}`);
  L.push(`${t(lang, 'Impact')}: ${(lang === 'fr' ? d.impact.summaryFr : undefined) ?? d.impact.summary}`);
  for (const c of d.codeLinks) L.push(`${t(lang, 'Code')}: ${c.file}:${c.line}${c.function ? ` (${c.function})` : ''}`);
  L.push(`${t(lang, 'Sources')}:`);
  for (const s of d.sources) L.push(`  ${s.status.padEnd(7)} ${s.id.padEnd(15)} ${s.events.length} events${s.advice ? ` — ${visibleLine(s.advice)}` : ''}`);
  if (d.recommendations?.length) {
    L.push(`${t(lang, 'Recommendations')}:`);
    d.recommendations.forEach((r, i) => L.push(`  ${i + 1}. ${recommendationText(r, lang)}`));
  }
  const text = visible(L.join('\n')) + '\n';
  return opts.redact === false ? text : redactText(text);
}
