// The live document's text: a header, a marker for the lines that left the buffer, then every kept line in time
// order with the notices (rotation, dropped connection…) at their moment. Same line format as the CLI.
import * as vscode from 'vscode';
import type { FollowCause, FollowLine, FollowNotice, FollowSession } from '../../core/follow/index';
import { formatLine, formatNotice } from '../../core/follow/format';
import { redactText } from '../../core/redact';
import { shortCause } from '../tree/labels';
import { render } from '../../core/l10n';
import { uiLang } from '../settings';

export function followCauseName(c: FollowCause): string {
  return c === 'smtp_reply' ? vscode.l10n.t('SMTP error reply') : shortCause(c);
}

export interface RenderInput {
  session: FollowSession;
  label: string;
  notices: FollowNotice[];
  redact: boolean;
}

export function renderFollow(i: RenderInput): string {
  const s = i.session;
  const out: string[] = [];
  const state = s.isStopped ? vscode.l10n.t('stopped') : vscode.l10n.t('following');
  out.push(`# ${vscode.l10n.t('Incident Lens — Follow Live on {0} ({1}): {2}', i.label, s.o.tz, state)}`);
  out.push(`# ${s.o.sources.map((x) => `${x.id}: ${x.command}`).join('\n# ')}`);
  out.push(`# ${vscode.l10n.t('‼ marks evidence of a cause; the last {0} lines are kept.', String(s.ring.capacity))}`);
  if (s.ring.dropped) out.push(formatNotice(vscode.l10n.t('{0} older lines left the buffer', String(s.ring.dropped))));
  const lines = s.lines();
  const notices = i.notices.filter((n) => !lines.length || n.at >= lines[0].arrivedAt);
  let k = 0;
  const fmt = { redact: i.redact, causeName: followCauseName };
  const lang = uiLang();
  const notice = (n: FollowNotice) => {
    const text = render(n.messageText, lang);
    return formatNotice(i.redact ? redactText(text) : text);
  };
  for (const l of lines) {
    while (k < notices.length && notices[k].at < l.arrivedAt) out.push(notice(notices[k++]));
    out.push(...formatLine(l, fmt));
  }
  while (k < notices.length) out.push(notice(notices[k++]));
  return out.join('\n') + '\n';
}

/** The document line where a followed line is (for "Show" on a notification). */
export function lineIndexOf(text: string, l: FollowLine, redact: boolean): number {
  const probe = formatLine(l, { redact, causeName: followCauseName })[0];
  return text.split('\n').indexOf(probe);
}
