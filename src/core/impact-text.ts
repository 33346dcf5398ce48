/**
 * The words of the impact summary, as catalogue messages (l10n/bundle.l10n.<lang>.json): one sentence per attempt,
 * the retry note, what was not sent, and the Postfix picture. estimateImpact joins them into Impact.summary (one message).
 */
import { joined, msg, type Localized } from './l10n';
import type { Profile } from './profile';
import type { RecipientsPicture } from './model';
import { maskAddress } from './recipients';

/** One attempt as estimateImpact measured it (times already formatted in the window's zone). */
export interface AttemptWords {
  start?: string;
  end: string;
  seconds?: number;
  startHow?: Localized;
  exact: boolean;
  batchesSent?: number;
  recipientsSent?: number;
  batches?: number;
  recipientsSentMax?: number;
  upperBound?: number;
  beforeLoop?: Localized;
}

function spanText(a: AttemptWords): Localized {
  return a.start !== undefined ? msg('{0} → {1} ({2} s; start from {3})', a.start, a.end, a.seconds, a.startHow) : msg('ended {0}, start unknown', a.end);
}

function attemptBody(a: AttemptWords, p: Profile): Localized {
  const span = spanText(a);
  if (a.beforeLoop) return joined('. ', [span, a.beforeLoop]);
  if (a.exact) {
    return a.batches
      ? msg('{0}. Progress lines: {1} of {2} batches sent, {3} recipients.', span, a.batchesSent, a.batches, a.recipientsSent)
      : msg('{0}. Progress lines: {1} batches sent, {2} recipients.', span, a.batchesSent, a.recipientsSent);
  }
  if (a.recipientsSentMax !== undefined) {
    return msg('{0}. The logs do not show when the request started: between 0 (an error before the first batch) and {1} recipients could have been sent — no point estimate.', span, a.recipientsSentMax);
  }
  if (a.batchesSent !== undefined) {
    return msg(
      '{0}. Estimate: batches of {1} every {2} s plus about {3} s per SMTP send → about {4} batches ({5} recipients) sent; at most {6} could have started.',
      span, p.batchSize, p.pauseSeconds, p.batchSendSeconds, a.batchesSent, a.recipientsSent, a.upperBound,
    );
  }
  return msg('{0}. The number of batches sent cannot be estimated.', span);
}

/** The sentence of attempt `i` of `n`. */
export function attemptText(a: AttemptWords, i: number, n: number, p: Profile): Localized {
  const body = attemptBody(a, p);
  return n > 1 ? msg('Attempt {0}: {1}', i + 1, body) : body;
}

/** After the attempts: the retry note and how many were not sent. */
export function closingText(attempts: number, unsent: number | undefined, estimate: boolean): Localized[] {
  const out: Localized[] = [];
  if (attempts > 1) out.push(msg('A retry starts again from the first recipient: what was really sent is the furthest attempt.'));
  if (unsent === undefined) out.push(msg('The logs do not give the total number of recipients: everyone after the last batch sent got nothing.'));
  else out.push(estimate ? msg('Not sent: {0} recipients (estimate).', unsent) : msg('Not sent: {0} recipients.', unsent));
  return out;
}

/** The app's mail as the local Postfix saw it, per recipient. */
export function pictureText(r: RecipientsPicture): Localized {
  const nh = r.neverHandedOver !== undefined ? msg(', never handed over {0}', r.neverHandedOver) : '';
  const notReached = r.notReachedExact ? String(r.notReached) : msg('at least {0}', r.notReached);
  const main = msg(
    'Postfix (queue ids of {0}): {1} recipients handed over — sent {2}, deferred {3}, bounced {4}{5}; not reached: {6}.',
    r.sender ?? msg("the app's sender"), r.handedOver, r.sent, r.deferred, r.bounced, nh, notReached,
  );
  if (!r.resend.length) return main;
  const ex = r.resend.slice(0, 3).map(maskAddress).join(', ');
  return joined(' ', [main, msg('Resend list: {0} address(es) ({1}).', r.resend.length, `${ex}${r.resend.length > 3 ? ', …' : ''}`)]);
}
