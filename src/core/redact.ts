/** Masks member e-mail addresses and client IP addresses in text shown or shared. */

/** An e-mail address's domain, read right after its `@`. */
const EMAIL_DOMAIN = /[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/y;
const IPV4 = /(?<![\d.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?![\d.]*\d)/g;
const IPV6 = /(?<![\w:])((?:[0-9a-fA-F]{1,4}:){2,7}(?::|[0-9a-fA-F]{1,4})|(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4})?)(?![\w:])/g;
const KEEP_IP = /^(127\.|0\.0\.0\.0$)/;

export function redactText(s: string): string {
  return redactEmails(s)
    .replace(IPV4, (ip: string) => (KEEP_IP.test(ip) ? ip : 'x.x.x.x'))
    .replace(IPV6, (ip: string) => (/[a-fA-F]|::/.test(ip) && ip.split(':').length >= 3 && !/^\d+:\d+(:\d+)?$/.test(ip) ? 'x:x::x' : ip));
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isLocalChar = (c: number) => isWordChar(c) || c === 46 || c === 37 || c === 43 || c === 45; // . % + -

/**
 * `user@example.org` → `***@example.org`: found from each `@` (the user part starts at the first word boundary of
 * the run of address characters before it), each character read a bounded number of times — a pattern tried from
 * every word start took ~1 s on one 32 KiB line of `a.a.a.…`.
 */
function redactEmails(s: string): string {
  let out = '';
  let last = 0;
  for (let at = s.indexOf('@'); at >= 0; at = s.indexOf('@', at + 1)) {
    let run = at;
    while (run > last && isLocalChar(s.charCodeAt(run - 1))) run--;
    let p = run;
    while (p < at && isWordChar(s.charCodeAt(p - 1)) === isWordChar(s.charCodeAt(p))) p++; // the first \b
    if (p === at) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const d = EMAIL_DOMAIN.exec(s);
    if (!d) continue;
    out += `${s.slice(last, p)}***@${d[0]}`;
    last = at + 1 + d[0].length;
    at = last - 1;
  }
  return last ? out + s.slice(last) : s;
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

/**
 * What makes a setting's name a secret's (DJANGO_SECRET_KEY, EMAIL_HOST_PASSWORD, DATABASE_URL's password, API
 * tokens…): a name is a whole word followed by `=` or `:`, and holds one of these.
 */
const SECRET_PART = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|_DSN|_PASS(?![A-Za-z0-9])/gi;
/** The separator and the value after a secret's name, read where the name ends. */
const SEPARATOR_VALUE = /(\s*[=:]\s*)("[^"\n]*"|'[^'\n]*'|[^\s"',;]+)/y;
/**
 * user:password@ in URLs (postgres://app:pw@db/…, smtp://…). The scheme is at most 64 characters long: unbounded,
 * a line of `a.a.a.…` (a word start at every dot) cost quadratic time.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,63}:\/\/[^\s:/@]+:)[^\s@/]+@/gi;
/** What every URL_CREDENTIALS match contains after its scheme. */
const URL_HINT = /:\/\/[^\s:/@]+:[^\s@/]+@/;
export const MASK = '«masked»';

/**
 * Masks secret values that host files may show (a unit file's Environment=, a settings dump, a DSN). Always
 * applied to what the host returns, whatever the redaction setting: secrets never reach a tree, a report or a log.
 */
export function maskSecrets(s: string): string {
  let out = maskAssignments(s);
  if (URL_HINT.test(out)) out = out.replace(URL_CREDENTIALS, `$1${MASK}@`);
  return out;
}

/**
 * `NAME=value` / `NAME: value` where NAME is a secret's: the value masked (quoted values whole). Searched from the
 * secret's part of the name (rare in logs) out to the whole word, each word once: linear time, whatever a hostile
 * line repeats (a pattern from every word start took ~190 ms on one 32 KiB line of `TOKENTOKEN…`).
 */
function maskAssignments(s: string): string {
  let out = '';
  let last = 0;
  SECRET_PART.lastIndex = 0;
  for (let m = SECRET_PART.exec(s); m; m = SECRET_PART.exec(s)) {
    let start = m.index;
    while (start > last && isWordChar(s.charCodeAt(start - 1))) start--;
    let end = m.index + m[0].length;
    while (end < s.length && isWordChar(s.charCodeAt(end))) end++;
    SECRET_PART.lastIndex = end;
    if (start > 0 && isWordChar(s.charCodeAt(start - 1))) continue; // inside a value already masked
    SEPARATOR_VALUE.lastIndex = end;
    const v = SEPARATOR_VALUE.exec(s);
    if (!v) continue;
    out += `${s.slice(last, end)}${v[1]}${MASK}`;
    last = end + v[0].length;
    SECRET_PART.lastIndex = last;
  }
  return last ? out + s.slice(last) : s;
}
