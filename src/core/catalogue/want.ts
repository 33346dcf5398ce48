/**
 * WHAT lines of a log travel from the host (the rest of the window is counted per minute). One small
 * place, so the rules that decide what matters can change without touching how files are read.
 * Perl/ERE regexes (both the window reader and the awk fallback use them).
 */
import type { Profile } from '../profile';
import { ereLiteral } from './filter';

/** nginx access: the send screen's requests (always kept whole) and every 5xx / 499. */
export function accessKeep(p: Profile): string {
  return `"[A-Z]+ ${ereLiteral(p.urlPath)}`;
}
export function accessWant(p: Profile): string {
  return `${accessKeep(p)}|" (5[0-9][0-9]|499) `;
}

/** syslog: the app's unit and its processes, the kernel's OOM and signal lines, systemd's own. */
export function syslogWant(p: Profile): string {
  return `${ereLiteral(p.unit.replace(/\.service$/, ''))}|gunicorn|python|kernel|oom|[Oo]ut of memory|Killed process|systemd\\[1\\]`;
}
