/**
 * The fleet's verdict from per-host diagnoses, whatever produced them (SSH to each host, or one central log host
 * read per host): the front's failing POSTs are traced to the app host that served them, the causes are
 * assessed on the front's and that host's events together (the 502 and the OOM kill are then one story), and
 * every other host keeps its own verdict. Pure: no I/O.
 */
import { HostFacts, parseNginxSite, parseUnitFile } from '../facts';
import { estimateImpact } from '../impact';
import type { CauseAssessment, Diagnosis, EvidenceRef, LogEvent, Verdict } from '../model';
import type { Profile } from '../profile';
import { assessCauses, VERDICT_THRESHOLD } from '../rules/causes';
import type { IncidentWindow } from '../window';
import { missingUpstreams, traceAll } from './trace';
import type { FleetCause, FleetDiagnosis, FleetEvidence, FleetHost } from './types';

export interface MergeOptions {
  profile: Profile;
  durationMs?: number;
}

const isFront = (h: FleetHost) => h.role === 'front' || h.role === 'front+app';
/** A verdict that names a cause (not 'none', not 'unknown'). */
const isCause = (v: Verdict) => v !== 'none' && v !== 'unknown';

function windowOf(d: Diagnosis): IncidentWindow {
  return { since: new Date(d.window.since), until: new Date(d.window.until), tz: d.window.tz, ...(d.window.at ? { at: new Date(d.window.at) } : {}) };
}

/** Facts read back from a diagnosis' probes (unit file, nginx site), as the single-host engine read them. */
function factsOf(hosts: FleetHost[], profile: Profile): HostFacts {
  const facts: HostFacts = { notes: [] };
  for (const h of hosts) {
    for (const s of h.diagnosis?.sources ?? []) {
      if (s.id === 'unit_file' && s.excerpt) parseUnitFile(s.excerpt, facts);
      if (s.id === 'nginx_site' && s.excerpt) parseNginxSite(s.excerpt, profile.urlPath, facts);
    }
  }
  return facts;
}

/** Which host a cited line came from (the evidence of a combined assessment spans hosts). */
function locate(ref: EvidenceRef, hosts: FleetHost[]): string {
  for (const h of hosts) {
    if (h.diagnosis?.sources.some((s) => s.id === ref.source && s.events.some((e) => e.line === ref.line || e.detail?.includes(ref.line)))) return h.name;
  }
  return hosts[hosts.length - 1].name;
}

function tag(c: CauseAssessment, hosts: FleetHost[], host: string): FleetCause {
  return { ...c, host, evidence: c.evidence.map((r): FleetEvidence => ({ host: locate(r, hosts), ...r })) };
}

function combined(front: FleetHost, app: FleetHost, profile: Profile) {
  const events: LogEvent[] = [front, app].flatMap((h) => h.diagnosis!.sources.flatMap((s) => s.events));
  const ctx = { events, profile, facts: factsOf([front, app], profile), window: windowOf(front.diagnosis!) };
  return { ...assessCauses(ctx), impact: estimateImpact(ctx) };
}

export function mergeFleet(hosts: FleetHost[], opts: MergeOptions): FleetDiagnosis {
  const ok = hosts.filter((h) => h.status === 'ok' && h.diagnosis);
  const traces = traceAll(hosts, opts.profile);
  const failedHosts: FleetDiagnosis['failedHosts'] = [];
  const causes: FleetCause[] = [];
  const done = new Set<string>();
  let impact: FleetDiagnosis['impact'];
  for (const tr of traces) {
    const app = ok.find((h) => h.name === tr.host);
    const front = ok.find((h) => h.name === tr.front)!;
    if (!app || done.has(app.name)) continue;
    done.add(app.name);
    const c = combined(front, app, opts.profile);
    const own = app.diagnosis!;
    const verdict = isCause(c.verdict) ? c.verdict : own.verdict;
    const list = isCause(c.verdict) ? c.causes : own.causes;
    causes.push(...list.filter((x) => x.confidence > 0).map((x) => tag(x, [front, app], app.name)));
    failedHosts.push({ host: app.name, cause: verdict, confidence: list.find((x) => x.id === verdict)?.confidence ?? 0 });
    impact ??= c.impact;
  }
  for (const h of ok) {
    if (done.has(h.name)) continue;
    const d = h.diagnosis!;
    causes.push(...d.causes.filter((x) => x.confidence > 0).map((x) => tag(x, [h], h.name)));
    // a front's own verdict only counts when no app host explains its failures
    if (isCause(d.verdict) && !isFront(h)) failedHosts.push({ host: h.name, cause: d.verdict, confidence: d.causes.find((x) => x.id === d.verdict)?.confidence ?? 0 });
  }
  if (!failedHosts.some((f) => isCause(f.cause))) {
    for (const h of ok.filter(isFront)) {
      const d = h.diagnosis!;
      if (!isCause(d.verdict)) continue;
      const served = traces.find((tr) => tr.front === h.name && tr.host)?.host;
      failedHosts.push({ host: served ?? h.name, cause: d.verdict, confidence: d.causes.find((x) => x.id === d.verdict)?.confidence ?? 0 });
    }
  }
  failedHosts.sort((a, b) => Number(isCause(b.cause)) - Number(isCause(a.cause)) || b.confidence - a.confidence);
  // no cause anywhere: 'unknown' when a host could not be read (or says its logs could not show one), else 'none'
  const unread = hosts.some((h) => h.status !== 'ok') || ok.some((h) => h.diagnosis!.verdict === 'unknown');
  const verdict: Verdict = failedHosts.find((f) => isCause(f.cause) && f.confidence >= VERDICT_THRESHOLD)?.cause ?? (unread ? 'unknown' : 'none');
  const top = failedHosts.find((f) => f.cause === verdict);
  causes.sort((a, b) => Number(b.id === verdict && b.host === top?.host) - Number(a.id === verdict && a.host === top?.host) || b.confidence - a.confidence);
  impact ??= ok.find(isFront)?.diagnosis?.impact ?? (top ? ok.find((h) => h.name === top.host)?.diagnosis?.impact : undefined);
  const first = ok[0]?.diagnosis;
  return {
    fleet: true,
    window: first?.window ?? { since: '', until: '', tz: 'UTC' },
    hosts,
    verdict,
    failedHosts: failedHosts.filter((f) => isCause(f.cause) || traces.some((tr) => tr.host === f.host)),
    causes,
    traces,
    ...(impact ? { impact } : {}),
    suggestedHosts: missingUpstreams(hosts),
    ...(opts.durationMs !== undefined ? { durationMs: opts.durationMs } : {}),
  };
}
