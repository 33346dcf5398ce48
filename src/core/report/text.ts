/** A short plain-text summary for the terminal. */
import type { Diagnosis } from '../model';
import { redactText } from '../redact';
import { visible, visibleLine } from '../visible';
import { Lang, tr } from './i18n';
import { recommendationText } from './markdown';

export function renderText(d: Diagnosis, opts: { redact?: boolean; lang?: Lang } = {}): string {
  const lang = opts.lang ?? 'en';
  const L: string[] = [];
  L.push(`${tr('window', lang)}: ${d.window.since} → ${d.window.until} (${d.window.tz})   ${tr('target', lang)}: ${d.target}`);
  L.push(`${tr('verdict', lang)}: ${d.verdict}`);
  const best = d.causes.find((c) => c.id === d.verdict);
  if (best) {
    L.push(`  ${(lang === 'fr' ? best.explanationFr : undefined) ?? best.explanation}`);
    for (const e of best.evidence) L.push(`  [${e.source}] ${visibleLine(e.line.trim())}`);
  }
  L.push(`${tr('causes', lang)}: ${d.causes.map((c) => `${c.id}=${c.confidence.toFixed(2)}`).join('  ')}`);
  L.push(`${tr('impact', lang)}: ${(lang === 'fr' ? d.impact.summaryFr : undefined) ?? d.impact.summary}`);
  for (const c of d.codeLinks) L.push(`${tr('code', lang)}: ${c.file}:${c.line}${c.function ? ` (${c.function})` : ''}`);
  L.push(`${tr('sources', lang)}:`);
  for (const s of d.sources) L.push(`  ${s.status.padEnd(7)} ${s.id.padEnd(15)} ${s.events.length} events${s.advice ? ` — ${visibleLine(s.advice)}` : ''}`);
  if (d.recommendations?.length) {
    L.push(`${tr('recommendations', lang)}:`);
    d.recommendations.forEach((r, i) => L.push(`  ${i + 1}. ${recommendationText(r, lang)}`));
  }
  const text = visible(L.join('\n')) + '\n';
  return opts.redact === false ? text : redactText(text);
}
