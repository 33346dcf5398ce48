/**
 * Who got the mail, where the app hands it to the local Postfix: the app's messages (its sender; never root's cron
 * mail, bounces or another sender) joined by queue id, and each recipient's last word from Postfix — sent, deferred
 * or bounced. Recipients the app logged as its total but Postfix never received were never handed over. Nothing is
 * guessed: without the app's sender or a local Postfix, there is no picture.
 */
import type { LogEvent, RecipientOutcome, RecipientsPicture } from './model';
import { t } from './rules/context';
import { mailMessages, systemSender, type MailMessage } from './rules/mail';
import type { AppTies } from './rules/witness';

/** The app's own Postfix messages, or undefined when the logs cannot tell which they are. */
export function appMessages(events: LogEvent[], ties: Pick<AppTies, 'sender' | 'localPostfix'>): MailMessage[] | undefined {
  if (ties.localPostfix === false) return undefined;
  if (!ties.sender && ties.localPostfix !== true) return undefined;
  return mailMessages(events).filter((m) => m.sender !== undefined && (ties.sender ? m.sender === ties.sender : !systemSender(m.sender)));
}

function statusOf(e: LogEvent): RecipientOutcome['status'] | undefined {
  const s = e.fields?.status;
  if (s === 'sent') return 'sent';
  if (s === 'deferred') return 'deferred';
  if (s === 'bounced' || s === 'expired') return 'bounced';
  return undefined;
}

/** Each recipient's outcome: sent if any copy was delivered, otherwise Postfix's last word about it. */
function outcomes(msgs: MailMessage[]): RecipientOutcome[] {
  const by = new Map<string, RecipientOutcome>();
  const lines = msgs.flatMap((m) => m.events.map((e) => ({ e, m }))).sort((a, b) => t(a.e) - t(b.e));
  for (const { e, m } of lines) {
    const to = e.fields?.to;
    const status = statusOf(e);
    if (typeof to !== 'string' || !status) continue;
    const address = to.toLowerCase();
    if (by.get(address)?.status === 'sent') continue;
    by.set(address, { address, status, ...(m.queueId ? { queueId: m.queueId } : {}), time: e.time, ...(e.fields?.dsn !== undefined ? { dsn: String(e.fields.dsn) } : {}) });
  }
  return [...by.values()];
}

/** The per-recipient picture; `total` is the number of recipients the app logged for the send, when it did. */
export function recipientsPicture(events: LogEvent[], ties: Pick<AppTies, 'sender' | 'localPostfix'>, total?: number): RecipientsPicture | undefined {
  const msgs = appMessages(events, ties);
  if (!msgs?.length) return undefined;
  const list = outcomes(msgs);
  const count = (s: RecipientOutcome['status']) => list.filter((o) => o.status === s).length;
  const [sent, deferred, bounced] = [count('sent'), count('deferred'), count('bounced')];
  const neverHandedOver = total !== undefined ? Math.max(0, total - list.length) : undefined;
  return {
    ...(ties.sender ? { sender: ties.sender } : {}),
    queueIds: msgs.filter((m) => m.queueId).length,
    handedOver: list.length,
    sent,
    deferred,
    bounced,
    ...(neverHandedOver !== undefined ? { neverHandedOver } : {}),
    notReached: deferred + bounced + (neverHandedOver ?? 0),
    notReachedExact: neverHandedOver !== undefined,
    resend: list.filter((o) => o.status !== 'sent').map((o) => o.address),
    outcomes: list,
  };
}

export { resendListText, maskAddress, type ResendListOptions } from './resend-list';
