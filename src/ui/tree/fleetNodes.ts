// The Log Sources tree for several hosts: the fleet's verdict (naming the host where the send failed) with per-host
// evidence, each failing POST traced front → upstream, the impact, then one level per host holding its own sources.
import type { FleetCause, FleetDiagnosis, FleetEvidence, FleetHost, PostTrace } from '../../core/fleet/types';
import type { Diagnosis } from '../../core/model';
import { fleetSourceId } from '../fleetIds';
import type { Node } from './nodes';

export type FleetNode =
  | { kind: 'fleetVerdict'; id: string; fleet: FleetDiagnosis }
  | { kind: 'fleetCause'; id: string; fleet: FleetDiagnosis; cause: FleetCause; rank: number; parent: Node }
  | { kind: 'fleetEvidence'; id: string; fleet: FleetDiagnosis; ev: FleetEvidence; parent: Node }
  | { kind: 'trace'; id: string; fleet: FleetDiagnosis; trace: PostTrace }
  | { kind: 'host'; id: string; fleet: FleetDiagnosis; host: FleetHost; index: number };

const FLEET_KINDS = new Set(['fleetVerdict', 'fleetCause', 'fleetEvidence', 'trace', 'host']);
export const isFleetNode = (n: { kind: string }): n is FleetNode => FLEET_KINDS.has(n.kind);

export function fleetRootNodes(fleet: FleetDiagnosis, primary: Diagnosis | undefined): Node[] {
  const out: Node[] = [{ kind: 'fleetVerdict', id: 'fleet:verdict', fleet }];
  fleet.traces.forEach((trace, i) => out.push({ kind: 'trace', id: `fleet:trace:${i}`, fleet, trace }));
  if (fleet.impact && primary) out.push({ kind: 'impact', id: 'impact', diagnosis: { ...primary, impact: fleet.impact } });
  fleet.hosts.forEach((host, index) => out.push({ kind: 'host', id: `fleet:host:${index}`, fleet, host, index }));
  return out;
}

export function fleetChildNodes(n: FleetNode): Node[] {
  switch (n.kind) {
    case 'fleetVerdict':
      return n.fleet.causes.filter((c) => c.confidence > 0).map((cause, rank) => ({ kind: 'fleetCause', id: `fleet:cause:${rank}`, fleet: n.fleet, cause, rank, parent: n }));
    case 'fleetCause':
      return n.cause.evidence.map((ev, i) => ({ kind: 'fleetEvidence', id: `${n.id}:ev:${i}`, fleet: n.fleet, ev, parent: n }));
    case 'trace': {
      const t = n.trace;
      const lines: FleetEvidence[] = [{ host: t.front, source: 'nginx_access', line: t.accessLine, time: t.time }, ...(t.errorLine ? [{ host: t.front, source: 'nginx_error', line: t.errorLine }] : [])];
      return lines.map((ev, i) => ({ kind: 'fleetEvidence', id: `${n.id}:ev:${i}`, fleet: n.fleet, ev, parent: n }));
    }
    case 'host':
      return (n.host.diagnosis?.sources ?? []).map((s) => ({ kind: 'source', id: `${n.id}:source:${s.id}`, source: { ...s, id: fleetSourceId(n.index, s.id) }, parent: n }));
    default:
      return [];
  }
}
