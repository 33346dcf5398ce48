// A fleet's sources share ids across hosts (every app host has `journal`): the UI names them `h<index>~<id>`.
import type { FleetDiagnosis } from '../core/fleet/types';
import type { SourceResult } from '../core/model';
import { verbatim } from '../core/l10n';

export function fleetSourceId(hostIndex: number, sourceId: string): string {
  return `h${hostIndex}~${sourceId}`;
}

/** The source a fleet id names, carrying that id (excerpts, Open Excerpt); undefined for a plain id. */
export function fleetSource(fleet: FleetDiagnosis | undefined, id: string): SourceResult | undefined {
  const m = /^h(\d+)~(.+)$/.exec(id);
  if (!fleet || !m) return undefined;
  const s = fleet.hosts[Number(m[1])]?.diagnosis?.sources.find((x) => x.id === m[2]);
  return s ? { ...s, id } : undefined;
}

/** The host index of a host name in the fleet (evidence lines name their host). */
export function hostIndex(fleet: FleetDiagnosis, name: string): number {
  return fleet.hosts.findIndex((h) => h.name === name);
}

/** The diagnosis the single-host views use: the host where the send failed, else the first diagnosed host. */
export function primaryDiagnosis(fleet: FleetDiagnosis) {
  const failed = fleet.failedHosts[0]?.host;
  return (fleet.hosts.find((h) => h.name === failed) ?? fleet.hosts.find((h) => h.diagnosis))?.diagnosis;
}

/** One timeline lane per host: every event of the host, merged by time in the lanes' shared columns. */
export function fleetTimelineDiagnosis(fleet: FleetDiagnosis, base: import('../core/model').Diagnosis) {
  const sources: SourceResult[] = fleet.hosts
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => h.diagnosis)
    .map(({ h, i }) => {
      const events = h.diagnosis!.sources.flatMap((s) => s.events.map((e) => ({ ...e, source: fleetSourceId(i, 'host') })));
      return { id: fleetSourceId(i, 'host'), label: verbatim(h.hostname ? `${h.name} (${h.hostname})` : h.name), command: '', status: events.length ? 'ok' : 'empty', events, excerpt: '' } as SourceResult;
    });
  return { ...base, verdict: fleet.verdict, sources, causes: fleet.causes.map((c) => ({ ...c, evidence: c.evidence.map((e) => ({ ...e, source: fleetSourceId(hostIndex(fleet, e.host), 'host') })) })) };
}
