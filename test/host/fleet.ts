/**
 * The fixture fleet (test/fixtures/fleet: nginx front + app1..app3) as real test hosts, one sshd each on its own port.
 * Extra env (e.g. a log host to forward to) goes to every host; a failure while starting stops those already up.
 */
import { resolve } from 'node:path';
import { HOST_DIR } from './paths';
import { startTestHost, type TestHost, type TestHostOptions } from './testHost';

export const FLEET_ROOT = resolve(HOST_DIR, '..', 'fixtures', 'fleet');
export const FLEET_HOSTS = ['front', 'app1', 'app2', 'app3'] as const;
export type FleetHostName = (typeof FLEET_HOSTS)[number];
/** The fixture's window (Paris time, the front's zone). */
export const FLEET_WINDOW = { at: '2025-06-12 21:40', before: '5m', after: '10m' };

export function startFleet(names: readonly FleetHostName[] = FLEET_HOSTS, opts: Omit<TestHostOptions, 'fixtures' | 'port' | 'dir' | 'hostname'> = {}): Record<FleetHostName, TestHost> {
  const out: Partial<Record<FleetHostName, TestHost>> = {};
  try {
    for (const n of names) out[n] = startTestHost({ ...opts, fixtures: resolve(FLEET_ROOT, n) });
  } catch (e) {
    for (const h of Object.values(out)) h?.stop();
    throw e;
  }
  return out as Record<FleetHostName, TestHost>;
}

export function stopFleet(hosts: Partial<Record<FleetHostName, TestHost>> | undefined): void {
  for (const h of Object.values(hosts ?? {})) h?.stop();
}
