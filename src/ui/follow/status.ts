// The status-bar item of a follow: "Following aquademie-prod · 2 errors · batch 17/42", the connection's state,
// each source's state in the tooltip; a click shows the live document (or reconnects after a drop).
import * as vscode from 'vscode';
import { Commands } from '../../shared/commands';
import type { LiveFollow } from './controller';
import { StatusItems } from '../../shared/ids';
import { render } from '../../core/l10n';
import { uiLang } from '../settings';

export class FollowStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem(StatusItems.follow, vscode.StatusBarAlignment.Left, 50);
  /** The text shown, for the integration tests (the API exposes it). */
  text: string | undefined;

  constructor() {
    this.item.name = vscode.l10n.t('Incident Lens: Follow Live');
  }

  update(live: LiveFollow | undefined): void {
    if (!live) {
      this.item.hide();
      this.text = undefined;
      return;
    }
    const s = live.session;
    const states = [...s.states.values()];
    const lost = states.some((x) => x.status === 'lost');
    const errors = s.errors === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', String(s.errors));
    const p = s.progress;
    const progress = p?.batch !== undefined ? ` · ${vscode.l10n.t('batch {0}/{1}', String(p.batch), String(p.batches ?? '?'))}` : '';
    let text: string;
    if (s.isStopped) text = `$(debug-stop) ${vscode.l10n.t('Stopped following {0}', live.label)} · ${errors}`;
    else if (lost) text = `$(debug-disconnect) ${vscode.l10n.t('{0}: connection lost — Reconnect', live.label)}`;
    else text = `$(pulse) ${vscode.l10n.t('Following {0}', live.label)} · ${errors}${progress}`;
    this.text = text;
    this.item.text = text;
    this.item.backgroundColor = s.errors && !s.isStopped ? new vscode.ThemeColor('statusBarItem.warningBackground') : lost ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${vscode.l10n.t('Incident Lens: Follow Live')}** — ${live.label} (${s.o.tz})\n\n`);
    for (const st of states) md.appendMarkdown(`- \`${st.id}\`: ${st.status}${st.messageText ? ` — ${render(st.messageText, uiLang()).replace(/[\\`*_[\]<>]/g, '\\$&')}` : ''} (${st.lines})\n`);
    this.item.tooltip = md;
    this.item.command = lost && !s.isStopped ? Commands.followReconnect : Commands.followShow;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
