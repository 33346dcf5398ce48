/**
 * How a followed line is written, in the live document and on the CLI: the source, a mark, the raw line.
 *   `journal      │ <line>`     an ordinary line
 *   `journal      ‼ <line>`     evidence of a cause (counted, notified once per cause)
 *   `──── …`                    a notice: rotation, lines that left the buffer, a dropped connection
 */
import { redactText } from '../redact';
import type { FollowCause, FollowLine, FollowNotice } from './types';
import { render, type Lang } from '../l10n';

export const EVIDENCE_MARK = '‼';
export const LINE_MARK = '│';
export const NOTICE_RULE = '────';
const SOURCE_WIDTH = 12;

export interface FormatOptions {
  /** Mask member e-mail addresses and client IPs. */
  redact?: boolean;
  /** Name of a cause in the user's language; absent = the cause id. */
  causeName?: (c: FollowCause) => string;
}

export function formatLine(l: FollowLine, o: FormatOptions = {}): string[] {
  const mask = (s: string) => (o.redact ? redactText(s) : s);
  const src = l.source.padEnd(SOURCE_WIDTH);
  const tag = l.cause ? `  ${NOTICE_RULE} ${o.causeName ? o.causeName(l.cause) : l.cause}` : '';
  const out = [`${src} ${l.cause ? EVIDENCE_MARK : LINE_MARK} ${mask(l.text)}${tag}`];
  for (const d of l.detail ?? []) out.push(`${src} ${LINE_MARK} ${mask(d)}`);
  return out;
}

/** A notice (rendered in `lang`) or a text already rendered, between rules. */
export function formatNotice(n: FollowNotice | string, lang: Lang = 'en'): string {
  return `${NOTICE_RULE} ${typeof n === 'string' ? n : render(n.messageText, lang)} ${NOTICE_RULE}`;
}
