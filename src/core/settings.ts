/**
 * The app's own mail settings drive the rules: EMAIL_HOST / EMAIL_PORT / EMAIL_USE_SSL / DEFAULT_FROM_EMAIL from its
 * settings.py (read on the host, only those names), Postfix's relayhost from main.cf, or the relay the user gave.
 */
import type { HostFacts } from './facts';
import { msg } from './l10n';
import { DEFAULT_PROFILE, Profile } from './profile';

export interface AppMailSettings {
  host?: string;
  port?: number;
  ssl?: boolean;
  sender?: string;
  backend?: string;
  relayhost?: string;
}

/** The value a settings line gives: the last string literal (os.environ.get('X', 'default') → 'default'), or a number/bool. */
function valueOf(rhs: string): string | undefined {
  const strs = [...rhs.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]);
  const lit = strs.filter((x) => !/^[A-Z][A-Z0-9_]+$/.test(x)).pop();
  if (lit !== undefined) return lit;
  const n = /\b(\d{2,5})\b/.exec(rhs);
  if (n) return n[1];
  const b = /\b(True|False)\b/.exec(rhs);
  return b?.[1];
}

export function parseAppSettings(out: string): AppMailSettings {
  const s: AppMailSettings = {};
  for (const raw of out.split('\n')) {
    const line = raw.replace(/^[^:]*\.(py|cf):/, '');
    const m = /^\s*([A-Z_]+)\s*=\s*(.*)$/.exec(line.replace(/\s+#.*$/, ''));
    if (!m) {
      const rh = /^\s*relayhost\s*=\s*(\S*)/.exec(line);
      if (rh && rh[1]) s.relayhost = rh[1].replace(/^\[|\](:\d+)?$/g, '').replace(/:\d+$/, '');
      continue;
    }
    const v = valueOf(m[2]);
    if (v === undefined) continue;
    if (m[1] === 'EMAIL_HOST') s.host = v;
    else if (m[1] === 'EMAIL_PORT' && /^\d+$/.test(v)) s.port = Number(v);
    else if (m[1] === 'EMAIL_USE_SSL') s.ssl = v === 'True';
    else if (m[1] === 'EMAIL_BACKEND') s.backend = v;
    else if (m[1] === 'DEFAULT_FROM_EMAIL' || (m[1] === 'SERVER_EMAIL' && !s.sender)) s.sender = (/<([^>]+)>/.exec(v)?.[1] ?? v).trim();
  }
  return s;
}

const LOCAL = /^(localhost|127\.0\.0\.1|::1|localhost\.localdomain)$/i;

/** Which relay the app's mail goes through, and why: the user's override, settings.py (+ main.cf), or the default. */
export function decideRelay(s: AppMailSettings, profile: Profile, facts: HostFacts): void {
  if (s.sender && /^[^@\s]+@[^@\s]+$/.test(s.sender)) facts.appSender = s.sender;
  if (s.relayhost) facts.postfixRelayhost = s.relayhost;
  if (profile.smtpHost !== DEFAULT_PROFILE.smtpHost) {
    facts.relay = { host: profile.smtpHost, port: profile.smtpPort, why: msg('given by --smtp-host / incidentLens.profile.smtpHost'), localPostfix: LOCAL.test(profile.smtpHost) };
    return;
  }
  if (s.host !== undefined) {
    if (LOCAL.test(s.host)) {
      const via = s.relayhost ? msg(', which relays through {0} (main.cf relayhost)', s.relayhost) : msg(' (main.cf has no relayhost: it delivers directly)');
      facts.relay = { host: s.relayhost ?? s.host, port: s.port, why: msg('settings.py EMAIL_HOST={0}: the app hands its mail to the local Postfix{1}', s.host, via), localPostfix: true };
    } else {
      facts.relay = { host: s.host, port: s.port, ssl: s.ssl, why: msg('settings.py EMAIL_HOST={0}{1}: the app talks to that server itself (local Postfix is not its path)', s.host, s.port ? ` EMAIL_PORT=${s.port}` : ''), localPostfix: false };
    }
    return;
  }
  facts.relay = { host: profile.smtpHost, port: profile.smtpPort, why: msg("the runbook's default: no EMAIL_HOST found in the app's settings") };
  if (s.backend && !/smtp/i.test(s.backend)) facts.notes.push(msg('{0}: the app does not send through SMTP', `EMAIL_BACKEND=${s.backend}`));
}
