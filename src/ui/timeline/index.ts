// `incidentLens.showTimeline`: one "Incident Timeline" webview panel, re-rendered whenever the diagnosis changes.
// The page is static HTML + SVG (no script), styled only by media/timeline.css.
import { fleetTimelineDiagnosis } from '../fleetIds';
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import type { DiagnosisStore } from '../store';
import { buildTimeline, incidentMoment } from './model';
import { sourceLabel } from '../tree/items';
import { causeName } from '../tree/labels';
import { renderEmptyPage, renderTimelinePage, Translate } from './render';
import { Commands } from '../../shared/commands';
import { Views } from '../../shared/ids';

const VIEW_TYPE = Views.timeline;

const t: Translate = (message, ...args) => vscode.l10n.t(message, ...args);

class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly store: DiagnosisStore,
  ) {}

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      this.render();
      return;
    }
    const media = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, vscode.l10n.t('Incident Timeline'), vscode.ViewColumn.Active, {
      enableScripts: false,
      enableCommandUris: false,
      localResourceRoots: [media],
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    this.panel = panel;
    this.render();
  }

  /** Re-renders the open panel (no-op when closed). */
  render(): void {
    const panel = this.panel;
    if (!panel) return;
    const webview = panel.webview;
    const opts = {
      cspSource: webview.cspSource,
      cssUri: webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', 'timeline.css')).toString(),
      lang: vscode.env.language.toLowerCase().startsWith('fr') ? 'fr' : 'en',
      t,
    };
    const fleet = this.store.fleet;
    const d = fleet && this.store.diagnosis ? fleetTimelineDiagnosis(fleet, this.store.diagnosis) : this.store.diagnosis;
    if (!d) {
      webview.html = renderEmptyPage(opts);
      return;
    }
    const timeline = buildTimeline(d, incidentMoment(d, this.store.run?.args));
    timeline.verdictLabel = causeName(d.verdict);
    for (const row of timeline.rows) {
      const s = d.sources.find((x) => x.id === row.source);
      if (s) row.label = sourceLabel(s);
    }
    webview.html = renderTimelinePage(timeline, opts);
    this.ctx.log.debug(`timeline: ${timeline.rows.length} sources × ${timeline.columns.length} columns, moment ${timeline.moment?.local ?? 'none'}`);
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = undefined;
  }
}

/** Registers `incidentLens.showTimeline`; the panel follows `store.onDidChangeDiagnosis` while it is open. */
export function registerTimeline(ctx: Ctx, store: DiagnosisStore): void {
  const timeline = ctx.subscribe(new TimelinePanel(ctx, store));
  ctx.subscribe(store.onDidChangeDiagnosis(() => timeline.render()));
  ctx.command(Commands.showTimeline, () => {
    if (!store.diagnosis) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No diagnosis to show yet: run "Incident Lens: Diagnose Mail Incident" first.'));
      return;
    }
    timeline.show();
  });
}
