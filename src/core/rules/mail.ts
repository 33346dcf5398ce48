/**
 * Postfix, one event per message (queue id): its retries and the connection lines of the same delivery agent are
 * one event. A message is the app's when its sender is the app's; root's cron mail, bounces and other senders are
 * not, whatever the server answered. When the app talks to a remote relay itself, local Postfix is someone else's.
 */
import type { LogEvent } from '../model';
import { t } from './context';
import type { AppTies } from './witness';

export interface MailMessage {
  queueId?: string;
  sender?: string;
  events: LogEvent[];
}

const isPostfix = (e: LogEvent) => e.source === 'mail_log' || e.source === 'mail_err' || /\bpostfix\//.test(e.line);

/** Postfix lines grouped by queue id; a line without one joins the message its delivery agent (pid) handles next. */
export function mailMessages(events: LogEvent[]): MailMessage[] {
  const pf = events.filter(isPostfix).sort((a, b) => t(a) - t(b));
  const byId = new Map<string, MailMessage>();
  const loose: LogEvent[] = [];
  for (const e of pf) {
    const id = typeof e.fields?.queueId === 'string' ? e.fields.queueId : undefined;
    if (!id) {
      loose.push(e);
      continue;
    }
    const m = byId.get(id) ?? { queueId: id, events: [] };
    m.events.push(e);
    const from = e.fields?.from;
    if (typeof from === 'string' && m.sender === undefined) m.sender = from.toLowerCase();
    byId.set(id, m);
  }
  const out = [...byId.values()];
  const alone = new Map<string, MailMessage>();
  for (const e of loose) {
    const pid = e.fields?.pid;
    const owner = out.find((m) => m.events.some((x) => x.fields?.pid === pid && Math.abs(t(x) - t(e)) <= 5000));
    if (owner) owner.events.push(e);
    else {
      const k = `${pid}|${e.time.slice(0, 16)}`;
      const m = alone.get(k) ?? { events: [] };
      m.events.push(e);
      alone.set(k, m);
    }
  }
  return [...out, ...alone.values()];
}

/** root, cron, MAILER-DAEMON (empty sender), a local account: not a member mailing. */
export function systemSender(s: string): boolean {
  return s === '' || /^(root|cron|daemon|www-data|nobody|postmaster|mailer-daemon|logcheck|apticron)(@|$)/.test(s);
}

/** How much one Postfix message's trouble can say about the app's send. */
export function messageWeight(m: MailMessage, ties: AppTies, strong: number): number {
  if (m.sender !== undefined) {
    if (ties.sender) return m.sender === ties.sender ? strong : 0.02;
    return systemSender(m.sender) ? 0.02 : ties.localPostfix === false ? 0.05 : strong * 0.5;
  }
  if (ties.localPostfix === false) return 0.05;
  const relay = m.events.map((e) => String(e.fields?.relay ?? '')).join(' ').toLowerCase() + m.events.map((e) => e.line.toLowerCase()).join(' ');
  return ties.relays.some((r) => r && relay.includes(r)) ? 0.35 : 0.15;
}
