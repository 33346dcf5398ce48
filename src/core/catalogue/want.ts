/**
 * WHAT lines of a log travel from the host (the rest of the window is counted per minute). One small
 * place, so the rules that decide what matters can change without touching how files are read.
 * Perl/ERE regexes (both the window reader and the awk fallback use them).
 */
import type { Profile } from '../profile';
import { ereLiteral } from './filter';

/** nginx access: the send screen's requests, combined format or a JSON log_format; always kept, never sampled. */
export function accessKeep(p: Profile): string {
  return `[A-Z]+ ${ereLiteral(p.urlPath)}|"${ereLiteral(p.urlPath)}`;
}

/** nginx access: the send screen's requests and every 5xx / 499, in the combined format or JSON ("status":"502"). */
export function accessWant(p: Profile): string {
  return `${accessKeep(p)}|" (5[0-9][0-9]|499) |[Ss]tatus": ?"?(5[0-9][0-9]|499)`;
}

/**
 * A syslog line's PROGRAM (`host ident[pid]: `, traditional or RFC 3339 stamp), never its host: a host named like
 * the app (aquademie-prod) or like a word of the filter must not let every line of the host through.
 */
export function syslogProgram(names: string[]): string {
  // one alternative per name: each has a word the window reader can skip to (a group of them has none)
  return names.map((n) => `(^| )${n}(\\[[0-9]+\\])?: `).join('|');
}

/** What the kernel and the OOM daemons say when memory runs out (not "zoom", "room", "bloom"). */
export const OOM_WANT = '[Oo]ut of memory|Killed process|oom[-_]kill|oom_reaper|oomd|earlyoom';

/**
 * syslog: the app's lines under ANY identifier: its unit, the programs its ExecStart runs (as the line's program),
 * the unit named by others (`X.service`), the app servers and the kernel, and what they say.
 */
export function syslogWant(p: Profile, appPrograms: string[] = []): string {
  const app = ereLiteral(p.unit.replace(/\.service$/, ''));
  const programs = appPrograms.filter((x) => /^[\w.@+-]{1,40}$/.test(x)).map(ereLiteral);
  // (gunicorn, uwsgi and uvicorn are wanted anywhere in a line, so as a program too)
  return [
    syslogProgram([...new Set([app, ...programs, 'python[0-9.]*', 'kernel'])]), `${app}[.]service`,
    'gunicorn|uwsgi|uvicorn', OOM_WANT, 'systemd\\[1\\]',
    'WORKER TIMEOUT|HARAKIRI|Traceback|File "|smtplib|SMTP[A-Za-z]*(Error|Exception)|\\] \\[[0-9]+\\] \\[(CRITICAL|ERROR|WARNING)\\]',
    // a worker's end and its replacement, under whatever identifier the app server logs with (uWSGI's log-syslog=app,
    // gunicorn started by a script): gunicorn's INFO lines and uWSGI's own words
    'Booting worker with pid|Worker exiting|DAMN ! worker|Respawned uWSGI worker',
  ].join('|');
}
