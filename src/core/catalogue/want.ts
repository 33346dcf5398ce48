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

/** syslog: the app's lines under ANY identifier: its unit, the programs its ExecStart runs, and what they say. */
export function syslogWant(p: Profile, appPrograms: string[] = []): string {
  const programs = appPrograms.filter((x) => /^[\w.@+-]{1,40}$/.test(x)).map(ereLiteral);
  return [
    ereLiteral(p.unit.replace(/\.service$/, '')), ...programs, 'gunicorn|uwsgi|uvicorn|python|kernel|oom|[Oo]ut of memory|Killed process|systemd\\[1\\]',
    'WORKER TIMEOUT|HARAKIRI|Traceback|File "|smtplib|SMTP[A-Za-z]*(Error|Exception)|\\] \\[[0-9]+\\] \\[(CRITICAL|ERROR|WARNING)\\]',
  ].join('|');
}
