// TreeItems of the fleet's nodes: the verdict naming the failing host, per-host evidence, traces, host levels.
import * as vscode from 'vscode';
import { redactText } from '../../core/redact';
import type { FleetHost } from '../../core/fleet/types';
import { Commands } from '../../shared/commands';
import { fleetSourceId, hostIndex } from '../fleetIds';
import { render } from '../../core/l10n';
import { uiLang } from '../settings';
import type { FleetNode } from './fleetNodes';
import { causeName, shortCause } from './labels';
import { shortLine } from './lineText';

const C = vscode.TreeItemCollapsibleState;
const hostName = (h: FleetHost) => (h.hostname && h.hostname !== h.name ? `${h.name} (${h.hostname})` : h.name);

function roleText(h: FleetHost): string {
  return h.role === 'front' ? vscode.l10n.t('nginx front') : h.role === 'app' ? vscode.l10n.t('app host') : h.role === 'front+app' ? vscode.l10n.t('nginx and app') : vscode.l10n.t('host');
}

function hostItem(n: Extract<FleetNode, { kind: 'host' }>): vscode.TreeItem {
  const h = n.host;
  const failed = n.fleet.failedHosts.find((f) => f.host === h.name && f.cause !== 'none' && f.cause !== 'unknown');
  const it = new vscode.TreeItem(hostName(h), h.diagnosis ? (failed ? C.Expanded : C.Collapsed) : C.None);
  if (!h.diagnosis) {
    it.description = `${roleText(h)} · ${vscode.l10n.t('not reached: {0}', h.status)}`;
    it.tooltip = [h.errorText, h.adviceText].flatMap((x) => (x ? [render(x, uiLang())] : [])).join('\n\n');
    it.iconPath = new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('list.errorForeground'));
    return it;
  }
  it.description = failed ? `${roleText(h)} · ${vscode.l10n.t('the send failed here: {0}', causeName(failed.cause))}` : `${roleText(h)} · ${causeName(h.diagnosis.verdict)}`;
  const skipped = h.skippedSources?.length ? `\n\n${vscode.l10n.t('Not run here (the host does not have what they read): {0}', h.skippedSources.join(', '))}` : '';
  it.tooltip = `${h.target ?? h.name} · ${h.diagnosis.window.tz}${skipped}`;
  it.iconPath = new vscode.ThemeIcon(failed ? 'flame' : 'server', failed ? new vscode.ThemeColor('list.errorForeground') : undefined);
  it.contextValue = 'fleetHost';
  return it;
}

export function fleetItem(n: FleetNode, o: { redact: boolean; tz: string }, hhmmss: (iso: string, tz: string) => string): vscode.TreeItem {
  const red = (s: string) => (o.redact ? redactText(s) : s);
  let it: vscode.TreeItem;
  switch (n.kind) {
    case 'fleetVerdict': {
      const f = n.fleet;
      const where = f.failedHosts.filter((x) => x.cause === f.verdict).map((x) => x.host);
      it = new vscode.TreeItem(where.length ? vscode.l10n.t('Verdict: {0} on {1}', causeName(f.verdict), where.join(', ')) : vscode.l10n.t('Verdict: {0}', causeName(f.verdict)), C.Expanded);
      const down = f.hosts.filter((h) => h.status !== 'ok').length;
      it.description = vscode.l10n.t('{0} hosts', String(f.hosts.length)) + (down ? ` · ${vscode.l10n.t('{0} not reached', String(down))}` : '');
      it.iconPath = new vscode.ThemeIcon(f.verdict === 'none' ? 'pass' : f.verdict === 'unknown' ? 'warning' : 'flame');
      const best = f.causes.find((c) => c.id === f.verdict);
      if (best) it.tooltip = red(render(best.explanation, uiLang()));
      it.contextValue = 'verdict report';
      break;
    }
    case 'fleetCause': {
      const c = n.cause;
      it = new vscode.TreeItem(`${shortCause(c.id)} — ${c.host}`, c.evidence.length ? (n.rank === 0 ? C.Expanded : C.Collapsed) : C.None);
      it.description = vscode.l10n.t('{0}% · {1} lines', String(Math.round(c.confidence * 100)), String(c.evidence.length));
      it.tooltip = red(render(c.explanation, uiLang()));
      it.iconPath = new vscode.ThemeIcon(n.rank === 0 && c.confidence >= 0.5 ? 'circle-large-filled' : 'circle-large-outline');
      break;
    }
    case 'fleetEvidence': {
      const e = n.ev;
      it = new vscode.TreeItem(red(shortLine(e.line)), C.None);
      it.description = `${e.host} · ${e.source}${e.time ? ' · ' + hhmmss(e.time, o.tz) : ''}`;
      it.tooltip = red(e.line);
      it.iconPath = new vscode.ThemeIcon('quote');
      const source = fleetSourceId(hostIndex(n.fleet, e.host), e.source);
      it.command = { command: Commands.openExcerpt, title: vscode.l10n.t('Open Excerpt'), arguments: [{ source, lineNo: e.lineNo, line: e.line }] };
      it.contextValue = 'evidence excerpt';
      break;
    }
    case 'trace': {
      const t = n.trace;
      const to = t.host ?? (t.upstreamServer ?? t.upstream ?? '?');
      it = new vscode.TreeItem(vscode.l10n.t('POST {0} → {1}', String(t.status), to), C.Collapsed);
      it.description = [hhmmss(t.time, o.tz), t.upstream ? red(t.upstream) : undefined, t.host ? (t.how === 'time' ? vscode.l10n.t('found by time only') : vscode.l10n.t('by upstream address')) : vscode.l10n.t('not in the host list')].filter(Boolean).join(' · ');
      it.tooltip = red([t.accessLine, t.errorLine].filter(Boolean).join('\n'));
      it.iconPath = new vscode.ThemeIcon('arrow-swap');
      break;
    }
    case 'host':
      it = hostItem(n);
      break;
  }
  it.id = n.id;
  return it;
}
