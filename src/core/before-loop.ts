/**
 * An exception before the send loop: the request stopped on a traceback of the send screen before its first batch,
 * so nothing was sent — said only when the logs prove it. The traceback is not a mail one (no SMTP category, no
 * smtplib / django.core.mail frame, not gunicorn's abort of a timed-out worker); no progress or start line of the app
 * precedes it in the attempt; and either the local Postfix, whose log covers the window, received no message from
 * the app during the request, or the request was shorter than one SMTP send. A traceback after the loop started
 * (a progress line, a mail frame, the app's mail in Postfix) is never "before the loop".
 */
import { msg, type Localized } from './l10n';
import type { LogEvent } from './model';
import { eventFrames } from './parse/interpret';
import { RuleContext, t, tracebackIsSend } from './rules/context';
import { appMessages } from './recipients';
import { appTies } from './rules/witness';

const MAIL_FRAME = /smtplib|django[/\\]core[/\\]mail|[/\\]email[/\\]|[/\\]ssl\.py$|[/\\]socket\.py$/;

export interface BeforeLoop {
  traceback: LogEvent;
  /** Why nothing was sent, as a catalogue message. */
  why: Localized;
}

interface Span {
  start?: number;
  startBounded?: boolean;
  end: number;
}

function mailTraceback(e: LogEvent): boolean {
  const category = String(e.fields?.category ?? '');
  if (category.startsWith('smtp') || category === 'worker_abort' || e.fields?.mail === 1) return true;
  return eventFrames(e).some((f) => MAIL_FRAME.test(f.file ?? ''));
}

/** Why the logs show that nothing of this attempt reached the mail server, or undefined when they do not. */
function nothingHandedOver(c: RuleContext, a: Span, from: number, tb: LogEvent, mailLogReadable: boolean): Localized | undefined {
  const ran = a.start !== undefined && !a.startBounded ? t(tb) - a.start : undefined;
  if (ran !== undefined && ran >= 0 && ran < c.profile.batchSendSeconds * 1000) {
    const s = (ran / 1000).toFixed(1);
    return msg('the request lasted {0} s, less than one SMTP send', s);
  }
  if (!mailLogReadable) return undefined;
  const ties = appTies(c);
  const during = c.events.filter((e) => t(e) > from && t(e) <= t(tb) + 2000);
  const msgs = appMessages(during, ties);
  if (!msgs || msgs.length) return undefined;
  return msg('the local Postfix received no message from {0} during the request', ties.sender ?? msg('the app'));
}

/** The traceback that stopped this attempt before its first batch, with the proof, or undefined. */
export function beforeLoop(c: RuleContext, a: Span, prevEnd: number, mailLogReadable: boolean): BeforeLoop | undefined {
  const from = Math.max(prevEnd, a.start !== undefined ? a.start - 2000 : -Infinity, c.window.since.getTime());
  const tbs = c.events.filter((e) => e.kind === 'traceback' && tracebackIsSend(e, c.profile) && t(e) > prevEnd && t(e) <= a.end + 2000);
  const tb = tbs.sort((x, y) => t(x) - t(y)).pop();
  if (!tb || mailTraceback(tb)) return undefined;
  if (c.events.some((e) => e.kind === 'progress' && t(e) > prevEnd && t(e) <= t(tb))) return undefined;
  const proof = nothingHandedOver(c, a, from, tb, mailLogReadable);
  if (!proof) return undefined;
  const exc = tb.fields?.exception != null ? String(tb.fields.exception) : msg('an exception');
  const text = msg('{0} stopped the send before its first batch: no mail frame in the traceback, no progress line before it, and {1}. Nobody was sent the mail.', exc, proof);
  return { traceback: tb, why: text };
}
