/** The Markdown report: window, target, verdict with evidence, causes, impact, sources, recommendations. */
import { unreadSources } from '../source-run';
import type { Diagnosis } from '../model';
import { RECOMMENDATIONS } from '../recommendations';
import { redactText } from '../redact';
import { visible } from '../visible';
import { Lang, tr } from './i18n';
import { isoInZone } from '../time';

export interface ReportOptions {
  redact?: boolean;
  lang?: Lang;
  /** Lines of excerpt per source. */
  excerptLines?: number;
}

function fence(text: string): string {
  const ticks = /```/.test(text) ? '````' : '```';
  return `${ticks}\n${text}\n${ticks}`;
}

/** A recommendation in the reader's language; the runbook's own number is a reference, not the list's numbering. */
export function recommendationText(en: string, lang: Lang): string {
  const r = RECOMMENDATIONS.find((x) => x.en === en);
  return r ? `${lang === 'fr' ? r.fr : r.en} (${tr('runbookStep', lang)} ${r.id})` : en;
}

export function renderMarkdown(d: Diagnosis, opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'en';
  const maxLines = opts.excerptLines ?? 40;
  const L: string[] = [];
  const best = d.causes.find((c) => c.id === d.verdict);
  L.push(`# ${tr('title', lang)}`, '');
  L.push(`- **${tr('window', lang)}**: ${d.window.since} → ${d.window.until} (${d.window.tz})`);
  L.push(`- **${tr('target', lang)}**: ${d.target}`);
  L.push(`- **${tr('verdict', lang)}**: ${d.verdict === 'none' ? tr('none', lang) : `\`${d.verdict}\` (${tr('confidence', lang)} ${best?.confidence.toFixed(2)})`}`);
  const unread = unreadSources(d.sources);
  if (unread.length) L.push(`- **${tr('unread', lang)}**: ${unread.map((s) => `\`${s.id}\` (${s.status})`).join(', ')} — ${tr('unreadNote', lang)}`);
  if (d.durationMs !== undefined) L.push(`- **${tr('duration', lang)}**: ${(d.durationMs / 1000).toFixed(1)} s`);
  L.push('');
  if (best) {
    L.push(`## ${tr('verdict', lang)}: \`${best.id}\``, '', (lang === 'fr' ? best.explanationFr : undefined) ?? best.explanation, '');
    L.push(`### ${tr('evidence', lang)}`, '');
    for (const e of best.evidence) L.push(`- \`${e.source}\`${e.time ? ` ${isoInZone(Date.parse(e.time), d.window.tz)}` : ''}: \`${e.line.trim().replace(/`/g, "'")}\``);
    L.push('');
  }
  L.push(`## ${tr('causes', lang)}`, '');
  for (const c of d.causes) {
    L.push(`### \`${c.id}\` — ${tr('confidence', lang)} ${c.confidence.toFixed(2)}`, '', (lang === 'fr' ? c.explanationFr : undefined) ?? c.explanation, '');
    for (const e of c.evidence.slice(0, 6)) L.push(`- \`${e.source}\`: \`${e.line.trim().replace(/`/g, "'")}\``);
    if (c.evidence.length) L.push('');
  }
  const im = d.impact;
  L.push(`## ${tr('impact', lang)} (${im.estimate ? tr('estimate', lang) : tr('exact', lang)})`, '');
  L.push((lang === 'fr' ? im.summaryFr : undefined) ?? im.summary, '');
  const rows: [string, string | number | undefined][] = [
    [tr('requestStart', lang), im.requestStart],
    [tr('requestEnd', lang), im.requestEnd],
    [tr('elapsed', lang), im.elapsedSeconds !== undefined ? `${im.elapsedSeconds} s` : undefined],
    [tr('batchesSent', lang), im.batchesSent],
    [tr('recipientsSent', lang), im.recipientsSent],
    [tr('recipientsUnsent', lang), im.recipientsUnsent],
  ];
  for (const [k, v] of rows) if (v !== undefined) L.push(`- ${k}: ${v}${im.estimate && /Lots|Batches|Recipients|Destinataires/.test(k) ? ` (${tr('estimate', lang)})` : ''}`);
  L.push('');
  if (d.codeLinks.length) {
    L.push(`## ${tr('code', lang)}`, '');
    for (const c of d.codeLinks) L.push(`- \`${c.file}:${c.line}\`${c.function ? ` in \`${c.function}\`` : ''} (${c.source})`);
    L.push('');
  }
  if (d.recommendations?.length) {
    L.push(`## ${tr('recommendations', lang)}`, '');
    d.recommendations.forEach((r, i) => L.push(`${i + 1}. ${recommendationText(r, lang)}`));
    L.push('');
  }
  L.push(`## ${tr('sources', lang)}`, '');
  for (const s of d.sources) {
    L.push(`### ${s.label} (\`${s.id}\`) — ${s.status}`, '');
    if (s.advice) L.push(`> ${s.advice}`, '');
    L.push(`${tr('command', lang)}:`, '', fence(s.command), '');
    if (s.runbookCommand) L.push(`${tr('runbook', lang)}:`, '', fence(s.runbookCommand), '');
    const lines = s.excerpt ? s.excerpt.split('\n') : [];
    if (lines.length) {
      const shown = lines.slice(0, maxLines);
      if (lines.length > maxLines) shown.push(`… (${lines.length - maxLines} more)`);
      L.push(`${tr('excerpt', lang)}:`, '', fence(shown.join('\n')), '');
    } else if (s.status === 'ok' || s.status === 'empty') L.push(tr('noEvents', lang), '');
  }
  // log text is inert: control characters are shown visibly, never passed to a terminal or viewer
  const md = visible(L.join('\n'));
  return opts.redact === false ? md : redactText(md);
}
