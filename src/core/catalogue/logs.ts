/** The runbook's log sources (§1–§6 and the OOM check), as read-only, window-filtered commands. */
import { unitName } from '../profile';
import { shq } from '../shell';
import { localText } from '../time';
import { readWindow } from './filter';
import { accessKeep, accessWant, syslogWant } from './want';
import type { CatalogueInput, SourceDef } from './types';
import { msg, verbatim, type Localized } from '../l10n';

const sec = (d: Date) => `@${Math.floor(d.getTime() / 1000)}`;
const dirname = (p: string) => p.replace(/\/[^/]*$/, '') || '/';
const basename = (p: string) => p.replace(/^.*\//, '');

/** find arguments for a log file and its rotations (name, name.1, name.2.gz, name-20250115…). */
function rotations(root: string, path: string, since: Date): string {
  const dir = shq(root + dirname(path));
  const base = basename(path);
  return `${dir} -maxdepth 1 -type f '(' -name ${shq(base)} -o -name ${shq(base + '.*')} -o -name ${shq(base + '-*')} ')' -newermt ${shq(sec(since))}`;
}

/**
 * Reads the log when it or a rotation of it exists; else says "No such file" on stderr, so the status is 'missing' —
 * and starts neither find nor the window reader for nothing (2 processes, perl's start and compile: ~15 ms of the host's
 * CPU for each missing log). Same output either way as reading an absent log: nothing on stdout, the same first line on stderr.
 */
function ifExists(root: string, path: string, read: string): string {
  const p = shq(root + path);
  return `if test -e ${p} || ls -d -- ${p}.* ${p}-* 2>/dev/null | grep -q .; then ${read}; else echo ${shq(`${path}: No such file or directory`)} 1>&2; fi`;
}

function localRange(i: CatalogueInput): { since: string; until: string } {
  return { since: localText(i.window.since, i.window.tz), until: localText(i.window.until, i.window.tz) };
}

/** The window of the files `find` selects (bisection on the host, or the full scan), with this diagnosis's options. */
function windowOf(i: CatalogueInput, find: string, want?: string, keep?: string): string {
  const o = i.options;
  return readWindow({ find, window: i.window, want, keep, strip: o.root ?? '', logTz: o.logTz, afterMarginMs: o.afterMarginMs, full: o.fullScan });
}

function textLog(i: CatalogueInput, id: string, label: Localized, path: string, runbookCommand: string, extra: Partial<SourceDef> = {}, want?: string, keep?: string): SourceDef {
  const root = i.options.root ?? '';
  const cmd = ifExists(root, path, windowOf(i, rotations(root, path, i.window.since), want, keep));
  return { id, label, command: cmd, runbookCommand, sudo: true, format: 'text', phase: 'main', bundle: 'files', timeoutMs: i.profile.commandTimeoutMs, maxBytes: i.profile.maxBytesPerSource, ...extra };
}

/**
 * journalctl silently shows only the user's own entries without the right groups: say so on stderr. Root (sudo)
 * reads every file: `test -O /etc/shadow` (Debian's shadow file is root's, mode 0640 root:shadow; a member of the
 * shadow group does not own it) skips the walk through the journal folders there (2 processes per journal source).
 * Not `/`: a user may own the root folder of a container or chroot without being root. Anywhere else, and where the
 * file is missing, the check runs.
 */
const JOURNAL_ACCESS_CHECK =
  "test ! -O /etc/shadow && find /var/log/journal /run/log/journal -name '*.journal' '!' -readable -print -quit 2>/dev/null | grep -q . && " +
  "echo 'journalctl: Permission denied: journal files not readable (groups systemd-journal or adm, or sudo)' 1>&2";

function journalSource(i: CatalogueInput, id: string, label: Localized, match: string, bundleFile: string, runbookCommand: string): SourceDef {
  const w = i.window;
  const range = `--since ${shq(sec(w.since))} --until ${shq(sec(w.until))}`;
  const root = i.options.root;
  const command = root
    ? `test -d ${shq(root + '/var/log/journal')} && journalctl --directory ${shq(root + '/var/log/journal')} ${match} ${range} -o json --no-pager || cat -- ${shq(root + '/' + bundleFile)}`
    : `journalctl ${match} ${range} -o json --no-pager; ${JOURNAL_ACCESS_CHECK}`;
  return {
    id, label, command, runbookCommand, sudo: !root, format: 'journal', phase: 'main', bundle: 'journal', bundleFile,
    collectCommand: `journalctl ${match} ${range} -o export --no-pager`,
    timeoutMs: i.profile.commandTimeoutMs, maxBytes: i.profile.maxBytesPerSource,
  };
}

export function logSources(i: CatalogueInput): SourceDef[] {
  const p = i.profile;
  const unit = unitName(p);
  const { since, until } = localRange(i);
  const day = since.slice(0, 10);
  const hhm = since.slice(11, 15); // "22:1"
  const root = i.options.root ?? '';
  const appDirs = [p.appDir, ...(p.appLogDir.startsWith(p.appDir + '/') || p.appLogDir === p.appDir ? [] : [p.appLogDir])];
  // the app's virtualenv, node_modules and .git are not walked at all (-prune: a venv holds thousands of files, where
  // `-not -path '*/venv/*'` read every one of them and dropped it); a folder of that name is left out whole as before
  const djangoFind =
    `${appDirs.map((d) => shq(root + d)).join(' ')} '(' -name venv -o -name .venv -o -name node_modules -o -name .git ')' -prune -o ` +
    `-type f '(' -name '*.log' -o -name '*.log.[0-9]*' -o -name '*.log-*' ')' -not -path ${shq(root + p.gunicornLog + '*')} -newermt ${shq(sec(i.window.since))}`;
  const mon = new Date(i.window.since).toLocaleString('en-US', { month: 'short', timeZone: i.window.tz });
  const dd = String(Number(day.slice(8, 10))).padStart(2, ' ');
  return [
    journalSource(i, 'journal', msg('journald: unit {0}', unit), `-u ${shq(unit)}`, 'journal.export',
      `sudo journalctl -u ${p.unit} --since "${since}" --until "${until}" --no-pager`),
    textLog(i, 'gunicorn_log', msg('gunicorn log {0}', p.gunicornLog), p.gunicornLog,
      `sudo grep "${day} ${hhm}" ${p.gunicornLog}`, { optional: true }),
    textLog(i, 'nginx_error', msg('nginx error log {0}', p.nginxErrorLog), p.nginxErrorLog,
      `sudo grep -E "502|504|timeout|upstream" ${p.nginxErrorLog} | tail -50`),
    textLog(i, 'nginx_access', msg('nginx access log {0} (send screen, 5xx)', p.nginxAccessLog), p.nginxAccessLog,
      `sudo grep "${day.slice(8, 10)}/${mon}/${day.slice(0, 4)}:${hhm}" ${p.nginxAccessLog} | grep "${p.urlPath}"`, {}, accessWant(p), accessKeep(p)),
    {
      id: 'django_logs', label: msg('Django log files under {0}', appDirs.join(', ')),
      command: windowOf(i, djangoFind),
      runbookCommand: `find ${p.appDir} -name "*.log" -type f`,
      sudo: true, format: 'text', phase: 'main', bundle: 'files', optional: true, timeoutMs: p.commandTimeoutMs, maxBytes: p.maxBytesPerSource,
    },
    textLog(i, 'mail_log', verbatim(`Postfix ${p.mailLog}`), p.mailLog, `sudo grep "${mon} ${dd} ${hhm}" ${p.mailLog}`, { optional: true }),
    textLog(i, 'mail_err', msg('Postfix errors {0}', p.mailErr), p.mailErr, `sudo tail -50 ${p.mailErr}`, { optional: true }),
    textLog(i, 'syslog', verbatim(`syslog ${p.syslog}`), p.syslog,
      `sudo grep "${mon} ${dd} ${hhm}" ${p.syslog} | grep -i "${p.unit}\\|python\\|gunicorn"`, { optional: true }, syslogWant(p, i.options.appPrograms)),
    (() => {
      const dir = dirname(p.postgresLogGlob);
      const name = basename(p.postgresLogGlob);
      const find = `${shq(root + dir)} -maxdepth 1 -type f -name ${shq(name + '*')} -newermt ${shq(sec(i.window.since))}`;
      return {
        id: 'postgresql', label: verbatim(`PostgreSQL ${p.postgresLogGlob}`),
        command: windowOf(i, find),
        runbookCommand: `sudo grep -i "error\\|timeout\\|connection" ${p.postgresLogGlob} | tail -50`,
        sudo: true, format: 'text', phase: 'main', bundle: 'files', optional: true, timeoutMs: p.commandTimeoutMs, maxBytes: p.maxBytesPerSource,
      } as SourceDef;
    })(),
    journalSource(i, 'kernel_oom', msg('kernel messages (journalctl -k): OOM killer'), '_TRANSPORT=kernel', 'kernel.export',
      'sudo journalctl -k --no-pager | grep -i "killed\\|oom"'),
  ];
}
