/** What each host runs, from its probes, and so which sources read something there. */
import type { PlaybookSource } from '../catalogue';
import type { SourceResult } from '../model';
import type { HostRole } from './types';

/** Read nginx's logs: only where an nginx site is configured. */
const NGINX_SOURCES = new Set(['nginx_access', 'nginx_error']);
/** Read the app's unit, processes, files and SMTP connections: only where the unit is installed. */
const APP_SOURCES = new Set(['journal', 'gunicorn_log', 'django_logs', 'host_ps', 'host_systemctl', 'host_smtp_conn']);

const found = (probes: SourceResult[], id: string) => probes.some((p) => p.id === id && p.status === 'ok' && p.excerpt.trim() !== '');

export function roleFromProbes(probes: SourceResult[]): HostRole {
  const nginx = found(probes, 'nginx_site');
  const app = found(probes, 'unit_file');
  return nginx && app ? 'front+app' : nginx ? 'front' : app ? 'app' : 'other';
}

/** The sources worth running on a host of this role; a host that shows neither nginx nor the unit runs them all. */
export function sourcesForRole(role: HostRole, sources: PlaybookSource[]): { run: PlaybookSource[]; skipped: string[] } {
  const skip = (s: PlaybookSource) => (role === 'front' && APP_SOURCES.has(s.id)) || (role === 'app' && NGINX_SOURCES.has(s.id));
  return { run: sources.filter((s) => !skip(s)), skipped: sources.filter(skip).map((s) => s.id) };
}
