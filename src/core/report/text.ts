/** A short plain-text summary for the terminal. */
import { uncoveredEdge } from '../coverage';
import type { Diagnosis } from '../model';
import { redactText } from '../redact';
import { localText } from '../time';
import { visible, visibleLine } from '../visible';
import { render, t, type Lang } from '../l10n';
import { recommendationText } from './markdown';

export function renderText(d: Diagnosis, opts: { redact?: boolean; lang?: Lang } = {}): string {
  const lang = opts.lang ?? 'en';
  const L: string[] = [];
  L.push(`${t(lang, 'Window')}: ${d.window.since} → ${d.window.until} (${d.window.tz})   ${t(lang, 'Target')}: ${d.target}`);
  L.push(`${t(lang, 'Verdict')}: ${d.verdict === 'unknown' ? `${t(lang, 'unknown — the logs do not reach back to the window')}${d.blind?.logsStart ? ` (${t(lang, 'logs start')} ${localText(new Date(d.blind.logsStart), d.window.tz)})` : ''}` : d.verdict}`);
  if (d.relay) L.push(`${t(lang, 'SMTP relay assumed')}: ${d.relay.host}${d.relay.port ? `:${d.relay.port}` : ''} — ${render(d.relay.why, lang)}`);
  const best = d.causes.find((c) => c.id === d.verdict);
  if (best) {
    L.push(`  ${render(best.explanation, lang)}`);
    for (const e of best.evidence) L.push(`  [${e.source}] ${visibleLine(e.line.trim())}`);
  }
  L.push(`${t(lang, 'Causes')}: ${d.causes.map((c) => `${c.id}=${c.confidence.toFixed(2)}`).join('  ')}`);
  L.push(`${t(lang, 'Impact')}: ${render(d.impact.summary, lang)}`);
  for (const c of d.codeLinks) L.push(`${t(lang, 'Code')}: ${c.file}:${c.line}${c.function ? ` (${c.function})` : ''}`);
  L.push(`${t(lang, 'Sources')}:`);
  for (const s of d.sources) {
    const edge = uncoveredEdge(s, d.window.since);
    const blind = s.covers === 'no' ? ` — ${t(lang, 'does not cover the window')}${edge ? ` (${t(lang, edge.edge === 'end' ? 'logs end' : 'logs start')} ${localText(new Date(edge.at), d.window.tz)})` : ''}` : '';
    const un = s.unparsed?.count ? `, ${s.unparsed.count === 1 ? t(lang, '1 line not understood') : t(lang, '{0} lines not understood', s.unparsed.count)}` : '';
    const advice = s.adviceText && render(s.adviceText, lang);
    const events = s.events.length === 1 ? t(lang, '1 event') : t(lang, '{0} events', s.events.length);
    L.push(`  ${s.status.padEnd(7)} ${s.id.padEnd(15)} ${events}${un}${blind}${advice ? ` — ${visibleLine(advice)}` : ''}`);
  }
  if (d.recommendations?.length) {
    L.push(`${t(lang, 'Recommendations')}:`);
    d.recommendations.forEach((r, i) => L.push(`  ${i + 1}. ${recommendationText(r, lang)}`));
  }
  const text = visible(L.join('\n')) + '\n';
  return opts.redact === false ? text : redactText(text);
}
