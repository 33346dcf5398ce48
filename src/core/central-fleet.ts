/**
 * The fleet's verdict from a central log host: each app host's diagnosis read there, then 14a's merge (the front's
 * failing POST traced to the host that served it, causes per host). The roles come from what the store holds for
 * each host (nginx logs → a front; the unit's journal entries or gunicorn/Django logs → an app host), since a log
 * host has no copy of their nginx site or unit file.
 */
import type { Diagnosis } from './model';
import type { Profile } from './profile';
import { mergeFleet } from './fleet/merge';
import type { FleetDiagnosis, FleetHost, HostRole } from './fleet/types';

const read = (d: Diagnosis, ids: string[]) => d.sources.some((s) => ids.includes(s.id) && s.events.length > 0);

export function centralRole(d: Diagnosis): HostRole {
  const front = read(d, ['nginx_access', 'nginx_error']);
  const app = read(d, ['journal', 'gunicorn_log', 'django_logs']);
  return front && app ? 'front+app' : front ? 'front' : app ? 'app' : 'other';
}

export function centralFleet(per: { host: string; diagnosis: Diagnosis }[], profile: Profile, durationMs?: number): FleetDiagnosis {
  const hosts: FleetHost[] = per.map(({ host, diagnosis }) => ({ name: host, hostname: host, target: diagnosis.target, role: centralRole(diagnosis), status: 'ok', diagnosis }));
  return mergeFleet(hosts, { profile, ...(durationMs !== undefined ? { durationMs } : {}) });
}
