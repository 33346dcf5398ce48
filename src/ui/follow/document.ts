// The live incident-log document (incident-lens-follow:/<host>.incident-log): rendered from the follow's ring,
// refreshed at most every REFRESH_MS while lines arrive.
import * as vscode from 'vscode';
import type { LiveFollow } from './controller';
import { renderFollow } from './render';

export const FOLLOW_SCHEME = 'incident-lens-follow';
const REFRESH_MS = 50;

export function followUri(label: string): vscode.Uri {
  return vscode.Uri.from({ scheme: FOLLOW_SCHEME, path: `/${label.replace(/[^A-Za-z0-9._@-]/g, '_')}.incident-log` });
}

export class FollowDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private pending = new Map<string, vscode.Uri>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly current: () => LiveFollow | undefined,
    private readonly redact: () => boolean,
  ) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const live = this.current();
    if (!live || live.uri.toString() !== uri.toString()) return `# ${vscode.l10n.t('This follow has ended; run Incident Lens: Follow Live again.')}\n`;
    return renderFollow({ session: live.session, label: live.label, notices: live.notices, redact: this.redact() });
  }

  /** Coalesces bursts: one re-render per REFRESH_MS at most. */
  refresh(uri: vscode.Uri): void {
    this.pending.set(uri.toString(), uri);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const uris = [...this.pending.values()];
      this.pending.clear();
      for (const u of uris) this.changed.fire(u);
    }, REFRESH_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}
