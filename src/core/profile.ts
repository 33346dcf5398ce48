/** The playbook's parameters. Defaults are the runbook's values (runbook.fr.md). */
import { InputError } from './errors';
import { assertSafe, GLOB_RE, HOST_RE, PATH_RE, UNIT_RE, URLPATH_RE } from './shell';
import { msg } from './l10n';

export interface Profile {
  /** systemd unit running gunicorn (without or with `.service`). */
  unit: string;
  /** The Django project folder on the host. */
  appDir: string;
  /** URL path of the send screen, as it appears in access logs. */
  urlPath: string;
  /** Name of the view function that sends (matched in traceback frames). */
  viewFunction: string;
  nginxAccessLog: string;
  nginxErrorLog: string;
  gunicornLog: string;
  /** Folder of the app's own log files (Django LOGGING). */
  appLogDir: string;
  mailLog: string;
  mailErr: string;
  syslog: string;
  postgresLogGlob: string;
  /** Folder of the unit file (also looked up in /lib/systemd/system). */
  unitDir: string;
  /** nginx site configuration folders. */
  nginxSiteDirs: string[];
  smtpHost: string;
  smtpPort: number;
  batchSize: number;
  pauseSeconds: number;
  /** Estimated time to send one batch (SMTP_SSL connect + DATA), for the impact estimate. */
  batchSendSeconds: number;
  /** gunicorn --timeout when the unit file does not say (gunicorn's default). */
  gunicornTimeoutSeconds: number;
  /** nginx proxy_read_timeout when the site does not say (nginx's default). */
  proxyReadTimeoutSeconds: number;
  /** Per-command timeout on the host. */
  commandTimeoutMs: number;
  /** Cap on the bytes read from one source. */
  maxBytesPerSource: number;
}

export const DEFAULT_PROFILE: Profile = Object.freeze({
  unit: 'aquademie',
  appDir: '/var/www/aquademie',
  urlPath: '/adherents/communiquer/',
  viewFunction: 'adherents_communiquer',
  nginxAccessLog: '/var/log/nginx/access.log',
  nginxErrorLog: '/var/log/nginx/error.log',
  gunicornLog: '/var/log/aquademie/gunicorn.log',
  appLogDir: '/var/www/aquademie/logs',
  mailLog: '/var/log/mail.log',
  mailErr: '/var/log/mail.err',
  syslog: '/var/log/syslog',
  postgresLogGlob: '/var/log/postgresql/postgresql-*.log',
  unitDir: '/etc/systemd/system',
  nginxSiteDirs: ['/etc/nginx/sites-enabled', '/etc/nginx/conf.d'],
  smtpHost: 'ssl0.ovh.net',
  smtpPort: 465,
  batchSize: 10,
  pauseSeconds: 3,
  batchSendSeconds: 1.2,
  gunicornTimeoutSeconds: 30,
  proxyReadTimeoutSeconds: 60,
  commandTimeoutMs: 60_000,
  maxBytesPerSource: 8 * 1024 * 1024,
}) as Profile;

const PATH_KEYS = ['appDir', 'nginxAccessLog', 'nginxErrorLog', 'gunicornLog', 'appLogDir', 'mailLog', 'mailErr', 'syslog', 'unitDir'] as const;
const NUM_KEYS = ['smtpPort', 'batchSize', 'pauseSeconds', 'batchSendSeconds', 'gunicornTimeoutSeconds', 'proxyReadTimeoutSeconds', 'commandTimeoutMs', 'maxBytesPerSource'] as const;

/** Fills defaults and refuses anything that could break out of a shell word. Throws InputError. */
export function validateProfile(p: Partial<Profile> = {}): Profile {
  const out: Profile = { ...DEFAULT_PROFILE, nginxSiteDirs: [...DEFAULT_PROFILE.nginxSiteDirs] };
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    if (!(k in DEFAULT_PROFILE)) throw new InputError(msg('unknown profile setting {0}', JSON.stringify(k)));
    (out as unknown as Record<string, unknown>)[k] = v;
  }
  // appLogDir follows appDir unless given
  if (p.appDir !== undefined && p.appLogDir === undefined) out.appLogDir = `${out.appDir.replace(/\/+$/, '')}/logs`;
  out.unit = assertSafe(msg('unit name'), out.unit, UNIT_RE);
  for (const k of PATH_KEYS) out[k] = assertSafe(k, out[k], PATH_RE);
  out.postgresLogGlob = assertSafe('postgresLogGlob', out.postgresLogGlob, GLOB_RE);
  out.urlPath = assertSafe(msg('URL path'), out.urlPath, URLPATH_RE);
  out.viewFunction = assertSafe(msg('view function'), out.viewFunction, /^[A-Za-z_][A-Za-z0-9_]*$/);
  out.smtpHost = assertSafe(msg('SMTP host'), out.smtpHost, HOST_RE);
  if (!Array.isArray(out.nginxSiteDirs)) throw new InputError(msg('{0} must be a list of folders', 'nginxSiteDirs'));
  out.nginxSiteDirs = out.nginxSiteDirs.map((d) => assertSafe(msg('nginx site folder'), d, PATH_RE));
  for (const k of NUM_KEYS) {
    const n = Number(out[k]);
    if (!Number.isFinite(n) || n < 0) throw new InputError(msg('{0} must be a non-negative number', k));
    out[k] = n;
  }
  if (!Number.isInteger(out.smtpPort) || out.smtpPort < 1 || out.smtpPort > 65535) throw new InputError(msg('{0} must be 1..65535', 'smtpPort'));
  if (out.batchSize < 1) throw new InputError(msg('{0} must be at least 1', 'batchSize'));
  return out;
}

/** `aquademie` → `aquademie.service`. */
export function unitName(p: Profile): string {
  return /\.[a-z]+$/.test(p.unit) ? p.unit : `${p.unit}.service`;
}

export { InputError };
