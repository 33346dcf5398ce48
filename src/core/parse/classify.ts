/** What one log message means, whatever format carried it. Keyed on the meaning of real messages. */
import type { EventKind } from '../model';

export interface Classified {
  kind: EventKind;
  fields?: Record<string, string | number>;
}

const RATE_WORDS = /too many|rate.?limit|rate exceeded|unusual rate|limit (?:on|of|exceeded)|exceeded|quota|throttl|try again later|per (?:hour|minute|second|time unit)|frequency|sending limit|blocked for spam|\bspam\b|unsolicited|received more than|temporarily (?:deferred|rejected|blocked)/i;
const RATE_CODES = /\b(421|450|451|452|454|550|554)\b|\b[45]\.7\.\d{1,3}\b/;
/**
 * One RECIPIENT receives too much (Gmail 450-4.2.1 "receiving mail at a rate that prevents additional messages",
 * mailbox full 4.2.2): a plain deferral of that message, not a limit on the sender.
 */
const RECIPIENT_SIDE = /\b4\.2\.[12]\b|receiving mail at a rate|mailbox (?:is )?full|over quota for the recipient/i;

/** An SMTP reply that says "you are sending too much": by reply code AND wording, not one sentence. */
export function isSmtpRateText(text: string): boolean {
  return RATE_CODES.test(text) && RATE_WORDS.test(text) && !RECIPIENT_SIDE.test(text);
}

/** Postfix (or an SMTP client) could not hold a session with the server: refused, timed out, unreachable, TLS. */
const SMTP_CONNECTION =
  /connect to \S+: |refused to talk to me|lost connection with|Connection (?:timed out|refused|reset)|Operation timed out|No route to host|Network is unreachable|Cannot assign requested address|Address not available|TLS handshake failed|SSL_connect error|Cannot start TLS|conversation with \S+ timed out|Host or domain name not found|delivery temporarily suspended: (?:connect|lost connection|conversation)/i;

/** The progress line the fixed app writes: `batch 17/42 sent to 10 recipients`. */
export const PROGRESS = /\bbatch\s+(\d+)\s*\/\s*(\d+)\s+sent\s+to\s+(\d+)\s+recipients?\b/i;

/** The start line of a send, e.g. `sending to 412 recipients in batches of 10` / `envoi à 412 destinataires par lots de 10`. */
export const SEND_START = /\b(?:send(?:ing)?|envoi)\b\D{0,20}?(\d+)\s+(?:recipients?|destinataires?)\b(?:\D{0,30}?(?:batches|lots) (?:of|de) (\d+))?/i;

const OOM_KERNEL = [
  /\bOut of memory: Killed process (\d+) \(([^)]+)\)/i,
  // kernels before 4.19: the decision, then "Killed process N (name) total-vm:…"
  /\bOut of memory: Kill process (\d+) \(([^)]+)\) score \d+ or sacrifice child/i,
  /\bMemory cgroup out of memory: Killed process (\d+) \(([^)]+)\)/i,
  /\boom-kill:.*?\btask=([^,\s]+),pid=(\d+)/,
  /\boom_reaper: reaped process (\d+) \(([^)]+)\)/,
  /\bKilled process (\d+) \(([^)]+)\).*\b(?:total-vm|anon-rss)/,
];

export function classifyMessage(message: string, ident?: string, level?: string): Classified {
  const msg = message;
  let m: RegExpExecArray | null;
  if ((m = /WORKER TIMEOUT \(pid:(\d+)\)/.exec(msg))) return { kind: 'worker_timeout', fields: { pid: Number(m[1]) } };
  if ((m = /Worker \(pid:(\d+)\) was sent (SIG\w+)!?(.*)$/.exec(msg))) {
    const hint = /out of memory/i.test(m[3]);
    return { kind: hint ? 'oom_hint' : 'worker_killed', fields: { pid: Number(m[1]), signal: m[2] } };
  }
  if ((m = /Worker with pid (\d+) was terminated due to signal (\d+)/.exec(msg))) return { kind: 'worker_killed', fields: { pid: Number(m[1]), signal: Number(m[2]) } };
  if ((m = /Booting worker with pid:? (\d+)/.exec(msg))) return { kind: 'worker_boot', fields: { pid: Number(m[1]) } };
  // uWSGI: harakiri is its request timeout; DAMN … died / Respawned are the kill and the new worker
  if ((m = /\bHARAKIRI ON WORKER \d+ \(pid: (\d+)/.exec(msg))) return { kind: 'worker_timeout', fields: { pid: Number(m[1]) } };
  if ((m = /\bDAMN ! worker \d+ \(pid: (\d+)\) died(?:, killed by signal (\d+))?/.exec(msg))) return { kind: 'worker_killed', fields: { pid: Number(m[1]), ...(m[2] ? { signal: Number(m[2]) } : {}) } };
  if ((m = /\bRespawned uWSGI worker \d+ \(new pid: (\d+)\)/.exec(msg))) return { kind: 'worker_boot', fields: { pid: Number(m[1]) } };
  // the process that asked for memory is not (always) the one killed: it opens the OOM block, the victim comes after
  if ((m = /^(?:\S+: )?(.+?) invoked oom-killer\b/.exec(msg))) return { kind: 'oom_kill', fields: { invoker: m[1] } };
  for (const re of OOM_KERNEL) {
    if ((m = re.exec(msg))) {
      const a = m[1];
      const b = m[2];
      const process = re.source.includes('task=') ? a : /^\d+$/.test(a) ? b : a;
      const pid = re.source.includes('task=') ? b : /^\d+$/.test(a) ? a : undefined;
      return { kind: 'oom_kill', fields: { ...(process ? { process } : {}), ...(pid ? { pid: Number(pid) } : {}) } };
    }
  }
  // systemd about a unit: the unit's own statement, not the kernel's block
  if (/killed by the OOM killer|Failed with result 'oom-kill'|oom-kill(?:ed)? /i.test(msg) && !/Perhaps out of memory/i.test(msg)) return { kind: 'oom_kill', fields: { systemd: 1 } };
  if (/Perhaps out of memory|out of memory/i.test(msg)) return { kind: 'oom_hint' };
  if ((m = PROGRESS.exec(msg))) return { kind: 'progress', fields: { batch: Number(m[1]), batches: Number(m[2]), recipients: Number(m[3]) } };
  if ((m = SEND_START.exec(msg))) return { kind: 'progress', fields: { total: Number(m[1]), ...(m[2] ? { batchSize: Number(m[2]) } : {}) } };
  // nginx error log
  if (/upstream timed out/.test(msg)) return { kind: 'upstream_timeout' };
  if (/upstream prematurely closed|while connecting to upstream|no live upstreams|upstream sent invalid/.test(msg)) return { kind: 'http_error' };
  // Postfix
  const postfix = classifyPostfix(msg, ident);
  if (postfix) return postfix;
  // SMTP replies or errors logged on one line (Django LOGGING, app logs)
  if (/\bSMTP\w*Error\b|\bsmtplib\b/.test(msg) && isSmtpRateText(msg)) return { kind: 'smtp_rate_limit' };
  if (/SMTPServerDisconnected|SMTPConnectError|Connection unexpectedly closed/.test(msg)) return { kind: 'smtp_connection' };
  if ((m = /Error handling request (\S+)/.exec(msg))) return { kind: 'error', fields: { path: m[1] } };
  if ((m = /Internal Server Error: (\S+)/.exec(msg))) return { kind: 'error', fields: { path: m[1] } };
  // systemd about the unit
  if (/^(Started|Stopped|Stopping|Starting|Deactivated successfully|Main process exited|Failed with result|Scheduled restart job|Consumed .* CPU time)/.test(msg)) return { kind: 'service' };
  // PostgreSQL
  if (ident === 'postgres' && level && /^(ERROR|FATAL|PANIC)$/.test(level)) return { kind: 'db_error' };
  const lv = (level ?? (/\[(CRITICAL|ERROR|WARNING)\]|\b(CRITICAL|ERROR|WARNING)\b/.exec(msg)?.slice(1).find(Boolean) ?? '')).toUpperCase();
  if (lv === 'ERROR' || lv === 'CRITICAL' || lv === 'FATAL' || lv === 'PANIC' || lv === 'ERR' || lv === 'CRIT' || lv === 'EMERG' || lv === 'ALERT') return { kind: 'error' };
  if (lv === 'WARNING' || lv === 'WARN') return { kind: 'warning' };
  return { kind: 'info' };
}

function classifyPostfix(msg: string, ident?: string): Classified | undefined {
  const isPostfix = (ident && /^postfix\//.test(ident)) || / status=(sent|deferred|bounced|expired)\b/.test(msg);
  if (!isPostfix) return undefined;
  const fields: Record<string, string | number> = {};
  const relay = /\brelay=([^,\s]+)/.exec(msg);
  if (relay) fields.relay = relay[1];
  const dsn = /\bdsn=([\d.]+)/.exec(msg);
  if (dsn) fields.dsn = dsn[1];
  const status = / status=(\w+)/.exec(msg)?.[1];
  if (status) fields.status = status;
  const qid = /^([0-9A-F]{6,12}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,16}): /.exec(msg);
  if (qid) fields.queueId = qid[1];
  const from = /\bfrom=<([^>]*)>/.exec(msg);
  if (from) fields.from = from[1];
  const to = /\bto=<([^>]*)>/.exec(msg);
  if (to) fields.to = to[1];
  if (isSmtpRateText(msg) || (dsn && /^4\.7\./.test(dsn[1]) && RATE_WORDS.test(msg) && !RECIPIENT_SIDE.test(msg))) return { kind: 'smtp_rate_limit', fields };
  if (SMTP_CONNECTION.test(msg)) return { kind: 'smtp_connection', fields };
  if (status === 'sent') return { kind: 'mail_sent', fields };
  if (status === 'deferred') return { kind: 'mail_deferred', fields };
  if (status === 'bounced' || status === 'expired') return { kind: 'smtp_error', fields };
  return { kind: /warning|error|fatal/i.test(msg) ? 'warning' : 'info', fields };
}
