// TreeItems for the Log Sources nodes: codicon status, counts and spans, the exact command in the tooltip,
// context values that drive the inline actions (excerpt, command, rerun, terminal).
import { uncoveredEdge } from '../../core/coverage';
import * as vscode from 'vscode';
import { redactText } from '../../core/redact';
import { unreadSources } from '../../core/source-run';
import { localText, isoInZone } from '../../core/time';
import { visible, visibleLine } from '../../core/visible';
import type { LogEvent, SourceResult } from '../../core/model';
import type { Node } from './nodes';
import { adviceText, causeName, impactLabel, kindText, shortCause, statusText } from './labels';
import { render } from '../../core/l10n';
import { uiLang } from '../settings';
import { codeFrame, shortLine } from './lineText';
import { CHECK_IDS } from './ids';
import { recommendationText } from '../../core/report/markdown';
import { Commands } from '../../shared/commands';
import { isFleetNode, type FleetNode } from './fleetNodes';
import { fleetItem } from './fleetItems';

const C = vscode.TreeItemCollapsibleState;

export interface ItemOptions {
  redact: boolean;
  tz: string;
  /** The window's start (ISO), when a diagnosis is shown. */
  since?: string;
}

/** The single-host vocabulary; a fleet's own nodes (verdict on a host, trace, host level) render in fleetItems.ts. */
type PlainKind = Exclude<Node['kind'], FleetNode['kind']>;
type NodeOf<K extends Node['kind']> = Extract<Node, { kind: K }>;
/** Renders one kind of node; `red` redacts when the setting asks for it. */
type Render<K extends Node['kind']> = (n: NodeOf<K>, o: ItemOptions, red: (s: string) => string) => vscode.TreeItem;

/** One renderer per node kind (the tree's whole vocabulary, in the order it shows). */
const RENDER: { [K in PlainKind]: Render<K> } = {
  message: (n) => {
    const it = new vscode.TreeItem(n.icon === 'loading' ? vscode.l10n.t('Running… {0}', n.text) : n.text, C.None);
    it.iconPath = new vscode.ThemeIcon(n.icon === 'loading' ? 'loading~spin' : n.icon === 'error' ? 'error' : 'info', n.icon === 'error' ? new vscode.ThemeColor('errorForeground') : undefined);
    it.tooltip = n.detail ? `${n.text}\n\n${n.detail}` : n.text;
    it.description = n.detail;
    return it;
  },
  verdict: (n) => {
    const d = n.diagnosis;
    const top = d.causes[0];
    // "no cause" only means something when the logs could be read
    const unread = unreadSources(d.sources).filter((x) => !CHECK_IDS.has(x.id));
    const inconclusive = d.verdict === 'none' && unread.length > 0;
    const blind = d.verdict === 'unknown';
    const title = inconclusive
      ? vscode.l10n.t('Verdict: inconclusive — {0} sources could not be read', String(unread.length))
      : blind && d.blind?.logsStart
        ? vscode.l10n.t('Verdict: unknown — the logs do not reach back to the window (they start {0})', d.blind.logsStart)
        : vscode.l10n.t('Verdict: {0}', causeName(d.verdict));
    const it = new vscode.TreeItem(title, d.causes.length ? C.Expanded : C.None);
    it.description = top && d.verdict !== 'none' && !blind ? vscode.l10n.t('{0}% confidence', String(Math.round(top.confidence * 100))) : undefined;
    it.iconPath = inconclusive || blind
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon(d.verdict === 'none' ? 'pass' : 'flame', new vscode.ThemeColor(d.verdict === 'none' ? 'testing.iconPassed' : 'list.errorForeground'));
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMd(title)}**\n\n`);
    if (inconclusive) md.appendMarkdown(`${escapeMd(vscode.l10n.t('Not read: {0}. Fix their access (see each source\'s advice) and re-run them.', unread.map((x) => sourceLabel(x)).join(', ')))}\n\n`);
    if (top) md.appendText(render(top.explanation, uiLang()));
    md.appendMarkdown(`\n\n${d.target} · ${d.window.since} → ${d.window.until} (${d.window.tz})`);
    it.tooltip = md;
    it.contextValue = 'verdict report';
    return it;
  },
  cause: (n, _o, red) => {
    const c = n.cause;
    const it = new vscode.TreeItem(shortCause(c.id), c.evidence.length ? (n.rank === 0 ? C.Expanded : C.Collapsed) : C.None);
    it.description = vscode.l10n.t('{0}% · {1} lines', String(Math.round(c.confidence * 100)), String(c.evidence.length));
    it.tooltip = red(render(c.explanation, uiLang()));
    it.iconPath = new vscode.ThemeIcon(n.rank === 0 && c.confidence >= 0.5 ? 'circle-large-filled' : 'circle-large-outline');
    return it;
  },
  evidence: (n, o, red) => {
    const it = new vscode.TreeItem(red(shortLine(visibleLine(n.ref.line))), C.None);
    it.description = `${n.ref.source}${n.ref.time ? ' · ' + hhmmss(n.ref.time, o.tz) : ''}`;
    it.tooltip = red(visible(n.ref.line));
    it.iconPath = new vscode.ThemeIcon('quote');
    it.command = { command: Commands.openExcerpt, title: vscode.l10n.t('Open Excerpt'), arguments: [{ source: n.ref.source, lineNo: n.ref.lineNo, line: n.ref.line }] };
    it.contextValue = codeFrame(n.ref) ? 'evidence excerpt codelink' : 'evidence excerpt';
    return it;
  },
  impact: (n, o, red) => {
    const i = n.diagnosis.impact;
    const it = new vscode.TreeItem(vscode.l10n.t('Impact'), C.Collapsed);
    const parts: string[] = [];
    if (i.recipientsSent !== undefined) parts.push(vscode.l10n.t('{0}{1} recipients sent', i.estimate ? '≈ ' : '', String(i.recipientsSent)));
    else if (i.recipientsSentMax !== undefined) parts.push(vscode.l10n.t('0–{0} recipients sent (start not in the logs)', String(i.recipientsSentMax)));
    if (i.recipientsUnsent !== undefined) parts.push(vscode.l10n.t('{0} not sent', String(i.recipientsUnsent)));
    if (i.requestEnd) parts.push(vscode.l10n.t('stopped {0}', hhmmss(i.requestEnd, o.tz)));
    it.description = parts.join(' · ') || undefined;
    it.tooltip = red(render(i.summary, uiLang())) + (i.estimate ? `\n\n${vscode.l10n.t('Estimate from timings: no progress lines in the logs.')}` : '');
    it.iconPath = new vscode.ThemeIcon('mail');
    // offers Follow the Resend; with the local Postfix's per-recipient picture, Export Resend List too
    it.contextValue = i.recipients ? 'impact resend' : 'impact';
    return it;
  },
  impactLine: (n, o) => {
    const it = new vscode.TreeItem(impactLabel(n.label), C.None);
    // instants in the diagnosis' zone, like the rest of the tree
    const value = n.value.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g, (iso) => localText(new Date(iso), o.tz));
    const why = n.why ? render(n.why, uiLang()) : undefined;
    it.description = why ? `${value} — ${why}` : value;
    if (why) it.tooltip = `${impactLabel(n.label)}: ${value}\n\n${why}`;
    return it;
  },
  code: (n) => {
    const it = new vscode.TreeItem(vscode.l10n.t('Code'), C.Expanded);
    it.description = n.links.length === 1 ? vscode.l10n.t('1 frame in the traceback') : vscode.l10n.t('{0} frames in the traceback', String(n.links.length));
    it.iconPath = new vscode.ThemeIcon('symbol-method');
    return it;
  },
  codeLink: (n) => {
    const l = n.link;
    const it = new vscode.TreeItem(`${l.file}:${l.line}`, C.None);
    it.description = l.function ? vscode.l10n.t('in {0}', l.function) : undefined;
    it.iconPath = new vscode.ThemeIcon('go-to-file');
    it.command = { command: Commands.openCodeLink, title: vscode.l10n.t('Open in Workspace'), arguments: [l] };
    return it;
  },
  checks: (n) => {
    const bad = n.sources.filter((s) => !['ok', 'empty'].includes(s.status)).length;
    const it = new vscode.TreeItem(vscode.l10n.t('Host checks'), C.Collapsed);
    it.description = bad ? vscode.l10n.t('{0} of {1} need attention', String(bad), String(n.sources.length)) : String(n.sources.length);
    it.iconPath = new vscode.ThemeIcon('server');
    return it;
  },
  source: (n, o) => sourceItem(n.source, o),
  group: (n, o) => {
    const it = new vscode.TreeItem(n.minute ? (n.minute === '?' ? '?' : hhmmss(n.minute, o.tz).slice(0, 5)) : kindText(n.eventKind), C.Collapsed);
    it.description = String(n.events.length);
    it.iconPath = eventIcon(n.events[0]);
    return it;
  },
  event: (n, o, red) => {
    const e = n.event;
    const it = new vscode.TreeItem(red(shortLine(visibleLine(e.line))), C.None);
    it.description = `${hhmmss(e.time, o.tz)} · ${kindText(e.kind)}`;
    it.tooltip = red(visible([e.line, ...(e.detail ?? [])].join('\n')));
    it.iconPath = eventIcon(e);
    it.command = { command: Commands.openExcerpt, title: vscode.l10n.t('Open Excerpt'), arguments: [{ source: n.source.id, lineNo: e.lineNo, line: e.line }] };
    it.contextValue = codeFrame(e) ? 'event excerpt codelink' : 'event excerpt';
    return it;
  },
  recommendations: (n) => {
    const it = new vscode.TreeItem(vscode.l10n.t('Recommendations'), C.Collapsed);
    it.description = String(n.items.length);
    it.iconPath = new vscode.ThemeIcon('lightbulb');
    return it;
  },
  recommendation: (n) => {
    const text = recommendationText(n.text, uiLang());
    const it = new vscode.TreeItem(text, C.None);
    it.tooltip = text;
    return it;
  },
};

export function treeItem(n: Node, o: ItemOptions): vscode.TreeItem {
  const red = (s: string) => (o.redact ? redactText(s) : s);
  if (isFleetNode(n)) return fleetItem(n, o, hhmmss);
  const render = RENDER[n.kind] as Render<Node['kind']>;
  return withId(render(n as never, o, red), n);
}

function withId(it: vscode.TreeItem, n: Node): vscode.TreeItem {
  it.id = n.id;
  return it;
}

/** The catalogue's label in the display language. */
export function sourceLabel(s: SourceResult): string {
  return render(s.label, uiLang());
}

/** A source's name without its paths ("nginx access log (send screen, 5xx)"), and the paths it names. */
export function splitSourceLabel(label: string): { name: string; paths: string[] } {
  const paths = label.match(/\/[^\s)]*/g) ?? [];
  const name = label.replace(/\s+(?:(?:under|in|sous|dans)\s+)?\/[^\s)]*/g, '').replace(/\s{2,}/g, ' ').trim();
  return { name: name || label, paths };
}

/** What a source found, first: the count or the status, so a narrow sidebar still shows it. */
function sourceSummary(s: SourceResult, o: ItemOptions): string {
  const count = s.events.length;
  if (s.status !== 'ok' && s.status !== 'empty') return statusText(s.status);
  if (!count && s.covers === 'no') {
    // the logs start after the window, or (a log written all the time) stop before it
    const edge = uncoveredEdge(s, o.since ?? '');
    if (!edge) return vscode.l10n.t('does not cover the window');
    return edge.edge === 'end' ? vscode.l10n.t('does not cover the window (logs end {0})', isoLocal(edge.at, o.tz)) : vscode.l10n.t('does not cover the window (logs start {0})', isoLocal(edge.at, o.tz));
  }
  if (!count) return vscode.l10n.t('no line in the window');
  return count === 1 ? vscode.l10n.t('1 line') : vscode.l10n.t('{0} lines', String(count));
}

export function sourceItem(s: SourceResult, o: ItemOptions): vscode.TreeItem {
  const { name, paths } = splitSourceLabel(sourceLabel(s));
  const it = new vscode.TreeItem(`${sourceSummary(s, o)} · ${name}`, s.events.length ? C.Collapsed : C.None);
  const parts: string[] = [];
  if (s.status === 'ok' || s.status === 'empty') {
    if (s.span) parts.push(`${hhmm(s.span.from, o.tz)}–${hhmm(s.span.to, o.tz)}`);
    if (s.unparsed?.count) parts.push(s.unparsed.count === 1 ? vscode.l10n.t('1 line not understood') : vscode.l10n.t('{0} lines not understood', String(s.unparsed.count)));
    if (s.truncated) parts.push(vscode.l10n.t('truncated'));
  }
  parts.push(...paths);
  it.description = parts.join(' · ');
  it.iconPath = statusIcon(s);
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(sourceLabel(s))}** — ${statusText(s.status)}${s.durationMs !== undefined ? ` (${s.durationMs} ms)` : ''}\n\n`);
  if (s.adviceText) md.appendMarkdown(`$(lightbulb) ${escapeMd(adviceText(s))}\n\n`);
  md.appendMarkdown(`${s.sudo ? vscode.l10n.t('Command run as root (sudo)') : vscode.l10n.t('Command run')}:\n`);
  md.appendCodeblock(s.command, 'shellscript');
  if (s.runbookCommand) {
    md.appendMarkdown(`${vscode.l10n.t('Runbook command')}:\n`);
    md.appendCodeblock(s.runbookCommand, 'shellscript');
  }
  it.tooltip = md;
  it.contextValue = ['source', 'excerpt', 'command', 'rerun', 'terminal', `status-${s.status}`].join(' ');
  it.command = { command: Commands.openExcerpt, title: vscode.l10n.t('Open Excerpt'), arguments: [{ source: s.id }] };
  return it;
}

/** `2025-02-03 06:25` in the zone the tree shows. */
function isoLocal(iso: string, tz: string): string {
  return isoInZone(Date.parse(iso), tz).slice(0, 16).replace('T', ' ');
}

function statusIcon(s: SourceResult): vscode.ThemeIcon {
  const color = (id: string) => new vscode.ThemeColor(id);
  switch (s.status) {
    case 'ok':
      return s.events.some((e) => isBad(e))
        ? new vscode.ThemeIcon('warning', color('list.warningForeground'))
        : new vscode.ThemeIcon('pass', color('testing.iconPassed'));
    case 'empty':
      return s.covers === 'no' ? new vscode.ThemeIcon('eye-closed', color('list.warningForeground')) : new vscode.ThemeIcon('circle-outline');
    case 'missing':
      return new vscode.ThemeIcon('circle-slash', color('disabledForeground'));
    case 'denied':
      return new vscode.ThemeIcon('lock', color('list.warningForeground'));
    case 'timeout':
      return new vscode.ThemeIcon('watch', color('list.warningForeground'));
    case 'error':
      return new vscode.ThemeIcon('error', color('list.errorForeground'));
  }
}

function isBad(e: LogEvent): boolean {
  return !['request', 'info', 'mail_sent', 'progress', 'service', 'worker_boot'].includes(e.kind);
}

function eventIcon(e: LogEvent): vscode.ThemeIcon {
  if (['worker_timeout', 'worker_killed', 'oom_kill', 'traceback', 'exception', 'smtp_error', 'smtp_connection', 'smtp_rate_limit', 'upstream_timeout', 'http_error', 'error', 'db_error'].includes(e.kind)) {
    return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  }
  if (['warning', 'mail_deferred', 'oom_hint'].includes(e.kind)) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (e.kind === 'progress' || e.kind === 'mail_sent') return new vscode.ThemeIcon('mail');
  return new vscode.ThemeIcon('debug-stackframe-dot');
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** 22:20:02 in the diagnosis' zone. */
export function hhmmss(iso: string, tz: string): string {
  try {
    return localText(new Date(iso), tz).slice(11, 19);
  } catch {
    return iso;
  }
}

function hhmm(iso: string, tz: string): string {
  return hhmmss(iso, tz).slice(0, 5);
}
