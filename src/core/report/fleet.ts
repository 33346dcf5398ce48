/** The fleet report: the verdict with the host(s) where the send failed, the traced POST, then one section per host. */
import type { FleetDiagnosis, FleetHost } from '../fleet/types';
import { redactText } from '../redact';
import { isoInZone } from '../time';
import { render, t, type Lang } from '../l10n';
import { renderMarkdown, ReportOptions } from './markdown';
import { renderText } from './text';

const code = (s: string) => `\`${s.trim().replace(/`/g, "'")}\``;

function hostLine(h: FleetHost, lang: Lang): string {
  const what = h.status === 'ok' ? `${h.role}${h.hostname ? `, ${h.hostname}` : ''}, ${t(lang, 'Verdict').toLowerCase()} \`${h.diagnosis?.verdict}\`` : `**${h.status}**${h.errorText ? `: ${render(h.errorText, lang)}` : ''}${h.adviceText ? ` — ${render(h.adviceText, lang)}` : ''}`;
  return `- \`${h.name}\` — ${what}`;
}

function summary(f: FleetDiagnosis, lang: Lang, md: boolean): string[] {
  const L: string[] = [];
  const b = md ? '**' : '';
  L.push(`${md ? '- ' : ''}${b}${t(lang, 'Window')}${b}: ${f.window.since} → ${f.window.until} (${f.window.tz})`);
  L.push(`${md ? '- ' : ''}${b}${t(lang, 'Verdict')}${b}: ${f.verdict === 'none' ? t(lang, 'none — nothing in the window explains an interrupted send') : md ? `\`${f.verdict}\`` : f.verdict}`);
  if (f.failedHosts.length) L.push(`${md ? '- ' : ''}${b}${t(lang, 'Failed on')}${b}: ${f.failedHosts.map((x) => `${x.host} (${x.cause}${x.confidence ? ` ${x.confidence.toFixed(2)}` : ''})`).join(', ')}`);
  if (f.durationMs !== undefined) L.push(`${md ? '- ' : ''}${b}${t(lang, 'Diagnosis took')}${b}: ${(f.durationMs / 1000).toFixed(1)} s`);
  return L;
}

function traceLines(f: FleetDiagnosis, lang: Lang): string[] {
  const L: string[] = [];
  for (const trace of f.traces) {
    const who = trace.host ? `${t(lang, 'served by')} \`${trace.host}\` (${trace.how === 'time' ? t(lang, 'same moment only') : t(lang, 'upstream address')})` : t(lang, 'not in the host list');
    L.push(`- ${isoInZone(Date.parse(trace.time), f.window.tz)} \`${trace.front}\` → ${trace.upstream ? `\`${trace.upstream}\`${trace.upstreamServer ? ` = \`${trace.upstreamServer}\`` : ''} ` : ''}${who}`);
    L.push(`  - \`${trace.front}\` nginx_access: ${code(trace.accessLine)}`);
    if (trace.errorLine) L.push(`  - \`${trace.front}\` nginx_error: ${code(trace.errorLine)}`);
  }
  return L;
}

function verdictSection(f: FleetDiagnosis, lang: Lang): string[] {
  const best = f.causes.find((c) => c.id === f.verdict);
  if (!best) return [];
  const L = [`## ${t(lang, 'Verdict')}: \`${best.id}\` — ${best.host}`, '', render(best.explanation, lang), '', `### ${t(lang, 'Evidence')}`, ''];
  for (const e of best.evidence) L.push(`- \`${e.host}\` \`${e.source}\`${e.time ? ` ${isoInZone(Date.parse(e.time), f.window.tz)}` : ''}: ${code(e.line)}`);
  return [...L, ''];
}

export function renderFleetMarkdown(f: FleetDiagnosis, opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'en';
  const L: string[] = [`# ${t(lang, 'Incident Lens — interrupted e-mail send, several hosts')}`, '', ...summary(f, lang, true), ''];
  L.push(...verdictSection(f, lang));
  if (f.traces.length) L.push(`## ${t(lang, 'The failing POST, front → upstream')}`, '', ...traceLines(f, lang), '');
  if (f.impact) L.push(`## ${t(lang, 'Impact')} (${f.impact.estimate ? t(lang, 'estimate') : t(lang, 'from progress logs')})`, '', render(f.impact.summary, lang), '');
  if (f.suggestedHosts.length) L.push(`> ${t(lang, 'The front\'s upstream block names hosts not in the list: add them')}: ${f.suggestedHosts.map((s) => `\`${s}\``).join(', ')}`, '');
  L.push(`## ${t(lang, 'Hosts')}`, '', ...f.hosts.map((h) => hostLine(h, lang)), '');
  for (const h of f.hosts) {
    L.push(`## ${t(lang, 'Host')} \`${h.name}\`${h.hostname ? ` (${h.hostname})` : ''} — ${h.role}`, '');
    if (!h.diagnosis) {
      L.push(`${t(lang, 'not diagnosed')}: **${h.status}**${h.errorText ? ` — ${render(h.errorText, lang)}` : ''}${h.adviceText ? `. ${render(h.adviceText, lang)}` : ''}`, '');
      continue;
    }
    if (h.skippedSources?.length) L.push(`${h.skippedSources.map((s) => `\`${s}\``).join(', ')}: ${t(lang, 'not run here (the host does not have what they read)')}`, '');
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
    L.push(`  ${render(best.explanation, lang)}`);
    for (const e of best.evidence) L.push(`  [${e.host} ${e.source}] ${e.line.trim()}`);
  }
  for (const trace of f.traces) L.push(`${t(lang, 'The failing POST, front → upstream')}: ${trace.front} → ${trace.upstream ?? '?'}${trace.upstreamServer ? ` (${trace.upstreamServer})` : ''} → ${trace.host ?? t(lang, 'not in the host list')}${trace.how === 'time' ? ` (${t(lang, 'same moment only')})` : ''}`);
  if (f.impact) L.push(`${t(lang, 'Impact')}: ${render(f.impact.summary, lang)}`);
  if (f.suggestedHosts.length) L.push(`${t(lang, 'The front\'s upstream block names hosts not in the list: add them')}: ${f.suggestedHosts.join(', ')}`);
  for (const h of f.hosts) {
    L.push('', `=== ${t(lang, 'Host')} ${h.name}${h.hostname ? ` (${h.hostname})` : ''} — ${h.role}: ${h.status}${h.errorText ? ` — ${render(h.errorText, lang)}` : ''}${h.adviceText ? ` — ${render(h.adviceText, lang)}` : ''}`);
    if (h.diagnosis) L.push(renderText(h.diagnosis, { redact: false, lang }).trimEnd());
  }
  const text = L.join('\n') + '\n';
  return opts.redact === false ? text : redactText(text);
}
