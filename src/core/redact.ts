/** Masks member e-mail addresses and client IP addresses in text shown or shared. */

const EMAIL = /\b([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b/g;
const IPV4 = /(?<![\d.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?![\d.]*\d)/g;
const IPV6 = /(?<![\w:])((?:[0-9a-fA-F]{1,4}:){2,7}(?::|[0-9a-fA-F]{1,4})|(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4})?)(?![\w:])/g;
const KEEP_IP = /^(127\.|0\.0\.0\.0$)/;

export function redactText(s: string): string {
  return s
    .replace(EMAIL, (_m, _user: string, domain: string) => `***@${domain}`)
    .replace(IPV4, (ip: string) => (KEEP_IP.test(ip) ? ip : 'x.x.x.x'))
    .replace(IPV6, (ip: string) => (/[a-fA-F]|::/.test(ip) && ip.split(':').length >= 3 && !/^\d+:\d+(:\d+)?$/.test(ip) ? 'x:x::x' : ip));
}

/** A deep copy of any JSON value with every string redacted. */
export function redactDeep<T>(v: T): T {
  if (typeof v === 'string') return redactText(v) as unknown as T;
  if (Array.isArray(v)) return v.map((x) => redactDeep(x)) as unknown as T;
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = redactDeep(x);
    return o as T;
  }
  return v;
}

/** Names of settings that hold secrets: DJANGO_SECRET_KEY, EMAIL_HOST_PASSWORD, DATABASE_URL's password, API tokens… */
const SECRET_ASSIGN = /\b([A-Za-z0-9_]*?(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|_DSN|_PASS(?![A-Za-z0-9]))[A-Za-z0-9_]*)(\s*[=:]\s*)("[^"\n]*"|'[^'\n]*'|[^\s"',;]+)/gi;
/** user:password@ in URLs (postgres://app:pw@db/…, smtp://…). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;
/** What every SECRET_ASSIGN match contains (its name's secret part, the rest of the name, the separator). */
const SECRET_HINT = /(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|_DSN|_PASS)[A-Za-z0-9_]*\s*[=:]/i;
/** What every URL_CREDENTIALS match contains after its scheme. */
const URL_HINT = /:\/\/[^\s:/@]+:[^\s@/]+@/;
export const MASK = '«masked»';

/**
 * Masks secret values that host files may show (a unit file's Environment=, a settings dump, a DSN). Always
 * applied to what the host returns, whatever the redaction setting: secrets never reach a tree, a report or a log.
 */
export function maskSecrets(s: string): string {
  // the full patterns start at every word (~6 ms of client CPU per host's logs): first a cheap search for what
  // any match must contain (a secret's name followed by = or :, a `://user:password@`), which log text rarely has
  let out = s;
  if (SECRET_HINT.test(out)) out = out.replace(SECRET_ASSIGN, (_m, name: string, sep: string) => `${name}${sep}${MASK}`);
  if (URL_HINT.test(out)) out = out.replace(URL_CREDENTIALS, `$1${MASK}@`);
  return out;
}
