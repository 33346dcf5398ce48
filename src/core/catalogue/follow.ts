/**
 * The runbook's "Suivre les logs en temps réel" commands, read-only: `journalctl -u UNIT -f -n 0 -o json`
 * and `tail -F -n 0` (follows a log across rotation). Only lines written after the start are shown.
 */
import { unitName, type Profile } from '../profile';
import { shq } from '../shell';
import { ereLiteral } from './filter';
import { OOM_WANT, syslogProgram } from './want';
import { msg, verbatim, type Localized } from '../l10n';

export interface FollowSourceDef {
  /** Same ids as the diagnosis catalogue, so evidence sources map to follow sources. */
  id: string;
  label: Localized;
  /** Long-running, read-only; ended by closing its channel and ending its process group. */
  command: string;
  /** The runbook's own follow command, to copy by hand. */
  runbookCommand: string;
  sudo: boolean;
  format: 'journal' | 'text';
  /** Followed when the user does not pick (the default set). */
  byDefault: boolean;
}

/**
 * Poll interval of `tail -F` when the kernel cannot notify (overlayfs, NFS): 0.1 s keeps the delay small;
 * where inotify works tail does not poll at all.
 */
export const TAIL_POLL_SECONDS = '0.1';

function tail(path: string): string {
  return `tail -F -s ${TAIL_POLL_SECONDS} -n 0 -- ${shq(path)}`;
}

/** `grep --line-buffered`: a matching line leaves the pipe at once, not when a 4 KiB buffer fills. */
function filtered(cmd: string, ere: string): string {
  return `${cmd} | grep --line-buffered -a -E -e ${shq(ere)}`;
}

export function followSources(p: Profile): FollowSourceDef[] {
  const unit = unitName(p);
  const urlWant = `"[A-Z]+ ${ereLiteral(p.urlPath)}|" 5[0-9][0-9] `;
  const app = ereLiteral(p.unit.replace(/\.service$/, ''));
  // by the line's program (`host ident[pid]: `), not anywhere: a host named like the app must not let every line through
  const syslogWant = `${syslogProgram([app, 'gunicorn[^ :]*', 'python[0-9.]*', 'kernel'])}|${app}[.]service|gunicorn|${OOM_WANT}`;
  const pgDir = p.postgresLogGlob.replace(/\/[^/]*$/, '') || '/';
  const pgName = p.postgresLogGlob.replace(/^.*\//, '');
  const text = (id: string, label: Localized, path: string, byDefault: boolean, want?: string): FollowSourceDef => ({
    id, label, command: want ? filtered(tail(path), want) : tail(path),
    runbookCommand: `sudo tail -f ${path}`, sudo: true, format: 'text', byDefault,
  });
  return [
    {
      id: 'journal', label: msg('journald: unit {0}', unit),
      command: `journalctl -u ${shq(unit)} -f -n 0 -o json --no-pager`, runbookCommand: `sudo journalctl -u ${p.unit} -f`,
      sudo: true, format: 'journal', byDefault: true,
    },
    text('nginx_error', msg('nginx error log {0}', p.nginxErrorLog), p.nginxErrorLog, true),
    text('nginx_access', msg('nginx access log {0} (send screen, 5xx)', p.nginxAccessLog), p.nginxAccessLog, true, urlWant),
    text('mail_log', verbatim(`Postfix ${p.mailLog}`), p.mailLog, true),
    text('syslog', msg('syslog {0} (the app, the kernel)', p.syslog), p.syslog, true, syslogWant),
    text('gunicorn_log', msg('gunicorn log {0}', p.gunicornLog), p.gunicornLog, false),
    text('mail_err', msg('Postfix errors {0}', p.mailErr), p.mailErr, false),
    {
      id: 'kernel_oom', label: msg('kernel messages (journald)'),
      command: 'journalctl _TRANSPORT=kernel -f -n 0 -o json --no-pager', runbookCommand: 'sudo journalctl -k -f',
      sudo: true, format: 'journal', byDefault: false,
    },
    {
      id: 'postgresql', label: verbatim(`PostgreSQL ${p.postgresLogGlob}`),
      command: `find ${shq(pgDir)} -maxdepth 1 -type f -name ${shq(pgName)} -print0 | xargs -0 -r tail -q -F -s ${TAIL_POLL_SECONDS} -n 0 --`,
      runbookCommand: `sudo tail -f ${p.postgresLogGlob}`, sudo: true, format: 'text', byDefault: false,
    },
  ];
}

/** The host's own name, for "Following aquademie-prod" (read-only, no sudo). */
export const HOSTNAME_COMMAND = 'cat /etc/hostname';

/** The sources to follow: the given ids (unknown ids refused by the caller), or the default set. */
export function pickFollowSources(all: FollowSourceDef[], ids?: string[]): FollowSourceDef[] {
  if (!ids?.length) return all.filter((s) => s.byDefault);
  return all.filter((s) => ids.includes(s.id));
}
