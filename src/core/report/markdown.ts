/** The Markdown report: window, target, verdict with evidence, causes, impact, sources, recommendations. */
import { uncoveredEdge } from '../coverage';
import { unreadSources } from '../source-run';
import type { Diagnosis } from '../model';
import { recommendation } from '../recommendations';
import { redactText } from '../redact';
import { visible } from '../visible';
import { render, t, type Lang } from '../l10n';
import { isoInZone, localText } from '../time';

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

/** A recommendation of the diagnosis by its key, in `lang` (its English text is its message id); the runbook's number is a reference, not the list's numbering. */
export function recommendationText(key: string, lang: Lang): string {
  const r = recommendation(key);
  return r ? `${t(lang, r.en)} (${t(lang, 'runbook step {0}', r.id)})` : key;
}

export function renderMarkdown(d: Diagnosis, opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'en';
  const maxLines = opts.excerptLines ?? 40;
  const L: string[] = [];
  const best = d.causes.find((c) => c.id === d.verdict);
  L.push(`# ${t(lang, 'Incident Lens — interrupted e-mail send')}`, '');
  L.push(`- **${t(lang, 'Window')}**: ${d.window.since} → ${d.window.until} (${d.window.tz})`);
  L.push(`- **${t(lang, 'Target')}**: ${d.target}`);
  const blindText = `${t(lang, 'unknown — the logs do not reach back to the window')}${d.blind?.logsStart ? ` (${t(lang, 'logs start')} ${localText(new Date(d.blind.logsStart), d.window.tz)}: ${d.blind.sources.map((x) => `\`${x}\``).join(', ')})` : ''}`;
  L.push(`- **${t(lang, 'Verdict')}**: ${d.verdict === 'none' ? t(lang, 'none — nothing in the window explains an interrupted send') : d.verdict === 'unknown' ? blindText : `\`${d.verdict}\` (${t(lang, 'confidence')} ${best?.confidence.toFixed(2)})`}`);
  if (d.relay) L.push(`- **${t(lang, 'SMTP relay assumed')}**: \`${d.relay.host}${d.relay.port ? `:${d.relay.port}` : ''}\` — ${render(d.relay.why, lang)}`);
  const unread = unreadSources(d.sources);
  if (unread.length) L.push(`- **${t(lang, 'Not read')}**: ${unread.map((s) => `\`${s.id}\` (${s.status})`).join(', ')} — ${t(lang, 'the verdict only weighs what could be read: fix their access (see each source) and run again')}`);
  if (d.durationMs !== undefined) L.push(`- **${t(lang, 'Diagnosis took')}**: ${(d.durationMs / 1000).toFixed(1)} s`);
  L.push('');
  if (best) {
    L.push(`## ${t(lang, 'Verdict')}: \`${best.id}\``, '', render(best.explanation, lang), '');
    L.push(`### ${t(lang, 'Evidence')}`, '');
    for (const e of best.evidence) L.push(`- \`${e.source}\`${e.time ? ` ${isoInZone(Date.parse(e.time), d.window.tz)}` : ''}: \`${e.line.trim().replace(/`/g, "'")}\``);
    L.push('');
  }
  L.push(`## ${t(lang, 'Causes')}`, '');
  for (const c of d.causes) {
    L.push(`### \`${c.id}\` — ${t(lang, 'confidence')} ${c.confidence.toFixed(2)}`, '', render(c.explanation, lang), '');
    for (const e of c.evidence.slice(0, 6)) L.push(`- \`${e.source}\`: \`${e.line.trim().replace(/`/g, "'")}\``);
    if (c.evidence.length) L.push('');
  }
  const im = d.impact;
  L.push(`## ${t(lang, 'Impact')} (${im.estimate ? t(lang, 'estimate') : t(lang, 'from progress logs')})`, '');
  L.push(render(im.summary, lang), '');
  // [label, value, counted from timings when the impact is an estimate]
  const rows: [string, string | number | undefined, boolean][] = [
    [t(lang, 'Request start'), im.requestStart, false],
    [t(lang, 'Request end'), im.requestEnd, false],
    [t(lang, 'Elapsed'), im.elapsedSeconds !== undefined ? `${im.elapsedSeconds} s` : undefined, false],
    [t(lang, 'Batches sent'), im.batchesSent, true],
    [t(lang, 'Recipients sent'), im.recipientsSent, true],
    [t(lang, 'Recipients not sent'), im.recipientsUnsent, true],
    [t(lang, 'Recipients sent (the start is not in the logs: a range)'), im.recipientsSentMax !== undefined ? `0–${im.recipientsSentMax}` : undefined, false],
    [t(lang, 'Postfix: sent / deferred / bounced / never handed over'), im.recipients ? `${im.recipients.sent} / ${im.recipients.deferred} / ${im.recipients.bounced} / ${im.recipients.neverHandedOver ?? '?'}` : undefined, false],
    [t(lang, 'Not reached'), im.recipients ? `${im.recipients.notReachedExact ? '' : '≥ '}${im.recipients.notReached}` : undefined, false],
  ];
  for (const [k, v, counted] of rows) if (v !== undefined) L.push(`- ${k}: ${v}${im.estimate && counted ? ` (${t(lang, 'estimate')})` : ''}`);
  L.push('');
  if (d.codeLinks.length) {
    L.push(`## ${t(lang, 'Code')}`, '');
    for (const c of d.codeLinks) L.push(`- \`${c.file}:${c.line}\`${c.function ? ` in \`${c.function}\`` : ''} (${c.source})`);
    L.push('');
  }
  if (d.recommendations?.length) {
    L.push(`## ${t(lang, 'Recommendations')}`, '');
    d.recommendations.forEach((r, i) => L.push(`${i + 1}. ${recommendationText(r, lang)}`));
    L.push('');
  }
  L.push(`## ${t(lang, 'Sources')}`, '');
  for (const s of d.sources) {
    L.push(`### ${render(s.label, lang)} (\`${s.id}\`) — ${s.status}`, '');
    const advice = s.adviceText && render(s.adviceText, lang);
    if (advice) L.push(`> ${advice}`, '');
    const edge = uncoveredEdge(s, d.window.since);
    if (s.covers === 'no') L.push(`> ${t(lang, 'does not cover the window')}${edge ? ` (${t(lang, edge.edge === 'end' ? 'logs end' : 'logs start')} ${localText(new Date(edge.at), d.window.tz)})` : ''}`, '');
    if (s.unparsed?.count) L.push(`> ${s.unparsed.count === 1 ? t(lang, '1 line not understood') : t(lang, '{0} lines not understood', s.unparsed.count)}`, '');
    L.push(`${t(lang, 'Command run')}:`, '', fence(s.command), '');
    if (s.runbookCommand) L.push(`${t(lang, 'Runbook command')}:`, '', fence(s.runbookCommand), '');
    const lines = s.excerpt ? s.excerpt.split('\n') : [];
    if (lines.length) {
      const shown = lines.slice(0, maxLines);
      if (lines.length > maxLines) shown.push(`… (${lines.length - maxLines} more)`);
      L.push(`${t(lang, 'Excerpt')}:`, '', fence(shown.join('\n')), '');
    } else if (s.status === 'ok' || s.status === 'empty') L.push(t(lang, '(no line in the window)'), '');
  }
  // log text is inert: control characters are shown visibly, never passed to a terminal or viewer
  const md = visible(L.join('\n'));
  return opts.redact === false ? md : redactText(md);
}
