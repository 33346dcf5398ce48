/** The fleet report: the verdict with the host(s) where the send failed, the traced POST, then one section per host. */
import type { FleetDiagnosis, FleetHost } from '../fleet/types';
import { redactText } from '../redact';
import { isoInZone } from '../time';
import { ftr } from './fleetI18n';
import { Lang, tr } from './i18n';
import { renderMarkdown, ReportOptions } from './markdown';
import { renderText } from './text';

const code = (s: string) => `\`${s.trim().replace(/`/g, "'")}\``;

function hostLine(h: FleetHost, lang: Lang): string {
  const what = h.status === 'ok' ? `${h.role}${h.hostname ? `, ${h.hostname}` : ''}, ${tr('verdict', lang).toLowerCase()} \`${h.diagnosis?.verdict}\`` : `**${h.status}**${h.error ? `: ${h.error}` : ''}${h.advice ? ` — ${h.advice}` : ''}`;
  return `- \`${h.name}\` — ${what}`;
}

function summary(f: FleetDiagnosis, lang: Lang, md: boolean): string[] {
  const L: string[] = [];
  const b = md ? '**' : '';
  L.push(`${md ? '- ' : ''}${b}${tr('window', lang)}${b}: ${f.window.since} → ${f.window.until} (${f.window.tz})`);
  L.push(`${md ? '- ' : ''}${b}${tr('verdict', lang)}${b}: ${f.verdict === 'none' ? tr('none', lang) : md ? `\`${f.verdict}\`` : f.verdict}`);
  if (f.failedHosts.length) L.push(`${md ? '- ' : ''}${b}${ftr('failedOn', lang)}${b}: ${f.failedHosts.map((x) => `${x.host} (${x.cause}${x.confidence ? ` ${x.confidence.toFixed(2)}` : ''})`).join(', ')}`);
  if (f.durationMs !== undefined) L.push(`${md ? '- ' : ''}${b}${tr('duration', lang)}${b}: ${(f.durationMs / 1000).toFixed(1)} s`);
  return L;
}

function traceLines(f: FleetDiagnosis, lang: Lang): string[] {
  const L: string[] = [];
  for (const t of f.traces) {
    const who = t.host ? `${ftr('servedBy', lang)} \`${t.host}\` (${t.how === 'time' ? ftr('byTime', lang) : ftr('byAddress', lang)})` : ftr('notListed', lang);
    L.push(`- ${isoInZone(Date.parse(t.time), f.window.tz)} \`${t.front}\` → ${t.upstream ? `\`${t.upstream}\`${t.upstreamServer ? ` = \`${t.upstreamServer}\`` : ''} ` : ''}${who}`);
    L.push(`  - \`${t.front}\` nginx_access: ${code(t.accessLine)}`);
    if (t.errorLine) L.push(`  - \`${t.front}\` nginx_error: ${code(t.errorLine)}`);
  }
  return L;
}

function verdictSection(f: FleetDiagnosis, lang: Lang): string[] {
  const best = f.causes.find((c) => c.id === f.verdict);
  if (!best) return [];
  const L = [`## ${tr('verdict', lang)}: \`${best.id}\` — ${best.host}`, '', (lang === 'fr' ? best.explanationFr : undefined) ?? best.explanation, '', `### ${tr('evidence', lang)}`, ''];
  for (const e of best.evidence) L.push(`- \`${e.host}\` \`${e.source}\`${e.time ? ` ${isoInZone(Date.parse(e.time), f.window.tz)}` : ''}: ${code(e.line)}`);
  return [...L, ''];
}

export function renderFleetMarkdown(f: FleetDiagnosis, opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'en';
  const L: string[] = [`# ${ftr('title', lang)}`, '', ...summary(f, lang, true), ''];
  L.push(...verdictSection(f, lang));
  if (f.traces.length) L.push(`## ${ftr('trace', lang)}`, '', ...traceLines(f, lang), '');
  if (f.impact) L.push(`## ${tr('impact', lang)} (${f.impact.estimate ? tr('estimate', lang) : tr('exact', lang)})`, '', (lang === 'fr' ? f.impact.summaryFr : undefined) ?? f.impact.summary, '');
  if (f.suggestedHosts.length) L.push(`> ${ftr('suggested', lang)}: ${f.suggestedHosts.map((s) => `\`${s}\``).join(', ')}`, '');
  L.push(`## ${ftr('hosts', lang)}`, '', ...f.hosts.map((h) => hostLine(h, lang)), '');
  for (const h of f.hosts) {
    L.push(`## ${ftr('host', lang)} \`${h.name}\`${h.hostname ? ` (${h.hostname})` : ''} — ${h.role}`, '');
    if (!h.diagnosis) {
      L.push(`${ftr('notReached', lang)}: **${h.status}**${h.error ? ` — ${h.error}` : ''}${h.advice ? `. ${h.advice}` : ''}`, '');
      continue;
    }
    if (h.skippedSources?.length) L.push(`${h.skippedSources.map((s) => `\`${s}\``).join(', ')}: ${ftr('skipped', lang)}`, '');
    // the host's own report, one heading level down, without its title
    const own = renderMarkdown(h.diagnosis, { ...opts, redact: false }).split('\n').slice(2).map((l) => (/^#{1,5} /.test(l) ? `##${l}` : l));
    L.push(...own, '');
  }
  const md = L.join('\n');
  return opts.redact === false ? md : redactText(md);
}

export function renderFleetText(f: FleetDiagnosis, opts: { redact?: boolean; lang?: Lang } = {}): string {
  const lang = opts.lang ?? 'en';
  const L: string[] = [...summary(f, lang, false)];
  const best = f.causes.find((c) => c.id === f.verdict);
  if (best) {
    L.push(`  ${(lang === 'fr' ? best.explanationFr : undefined) ?? best.explanation}`);
    for (const e of best.evidence) L.push(`  [${e.host} ${e.source}] ${e.line.trim()}`);
  }
  for (const t of f.traces) L.push(`${ftr('trace', lang)}: ${t.front} → ${t.upstream ?? '?'}${t.upstreamServer ? ` (${t.upstreamServer})` : ''} → ${t.host ?? ftr('notListed', lang)}${t.how === 'time' ? ` (${ftr('byTime', lang)})` : ''}`);
  if (f.impact) L.push(`${tr('impact', lang)}: ${(lang === 'fr' ? f.impact.summaryFr : undefined) ?? f.impact.summary}`);
  if (f.suggestedHosts.length) L.push(`${ftr('suggested', lang)}: ${f.suggestedHosts.join(', ')}`);
  for (const h of f.hosts) {
    L.push('', `=== ${ftr('host', lang)} ${h.name}${h.hostname ? ` (${h.hostname})` : ''} — ${h.role}: ${h.status}${h.error ? ` — ${h.error}` : ''}${h.advice ? ` — ${h.advice}` : ''}`);
    if (h.diagnosis) L.push(renderText(h.diagnosis, { redact: false, lang }).trimEnd());
  }
  const text = L.join('\n') + '\n';
  return opts.redact === false ? text : redactText(text);
}
