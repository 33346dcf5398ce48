// The Log Sources tree's nodes: plain data built from the store (the diagnosis, or the run in progress).
import type { CauseAssessment, Diagnosis, EventKind, EvidenceRef, LogEvent, SourceResult, CodeLink } from '../../core/model';
import type { Localized } from '../../core/l10n';
import type { DiagnosisStore } from '../store';
import { CHECK_IDS, GROUP_OVER } from './ids';
import { fleetChildNodes, fleetRootNodes, isFleetNode, type FleetNode } from './fleetNodes';

export type Node =
  | { kind: 'message'; id: string; text: string; detail?: string; icon: 'loading' | 'error' | 'info' }
  | { kind: 'verdict'; id: string; diagnosis: Diagnosis }
  | { kind: 'cause'; id: string; cause: CauseAssessment; rank: number; parent: Node }
  | { kind: 'evidence'; id: string; ref: EvidenceRef; parent: Node }
  | { kind: 'impact'; id: string; diagnosis: Diagnosis }
  /** `why`: the reason shown beside the value (the relay's), a catalogue message rendered in the display language. */
  | { kind: 'impactLine'; id: string; label: string; value: string; parent: Node; why?: Localized }
  | { kind: 'code'; id: string; links: CodeLink[] }
  | { kind: 'codeLink'; id: string; link: CodeLink; parent: Node }
  | { kind: 'source'; id: string; source: SourceResult; parent?: Node }
  /** Events of one kind (and, when a kind has very many, of one minute: `minute` is its ISO start). */
  | { kind: 'group'; id: string; source: SourceResult; eventKind: EventKind; events: LogEvent[]; parent: Node; minute?: string }
  | { kind: 'event'; id: string; source: SourceResult; event: LogEvent; parent: Node }
  | { kind: 'checks'; id: string; sources: SourceResult[] }
  | { kind: 'recommendations'; id: string; items: string[] }
  | { kind: 'recommendation'; id: string; text: string; parent: Node }
  | FleetNode;

export function rootNodes(store: DiagnosisStore): Node[] {
  const out: Node[] = [];
  const run = store.run;
  if (store.state === 'running' && run) {
    out.push({ kind: 'message', id: 'running', text: run.stage ?? '', icon: 'loading' });
    out.push(...sourceNodes(run.partial));
    return out;
  }
  if (run?.error) out.push({ kind: 'message', id: 'error', text: run.error.message, detail: run.error.advice, icon: run.error.cancelled ? 'info' : 'error' });
  const d = store.diagnosis;
  if (store.fleet) return [...out, ...fleetRootNodes(store.fleet, d)];
  if (!d) return out;
  out.push({ kind: 'verdict', id: 'verdict', diagnosis: d });
  out.push({ kind: 'impact', id: 'impact', diagnosis: d });
  if (d.codeLinks.length) out.push({ kind: 'code', id: 'code', links: d.codeLinks });
  out.push(...sourceNodes(d.sources));
  if (d.recommendations?.length) out.push({ kind: 'recommendations', id: 'recommendations', items: d.recommendations });
  return out;
}

function sourceNodes(sources: SourceResult[]): Node[] {
  const logs = sources.filter((s) => !CHECK_IDS.has(s.id));
  const checks = sources.filter((s) => CHECK_IDS.has(s.id));
  const out: Node[] = logs.map((s) => ({ kind: 'source', id: `source:${s.id}`, source: s }));
  if (checks.length) {
    const parent: Node = { kind: 'checks', id: 'checks', sources: checks };
    out.push(parent);
  }
  return out;
}

export function childNodes(node: Node): Node[] {
  if (isFleetNode(node)) return fleetChildNodes(node);
  switch (node.kind) {
    case 'verdict':
      return node.diagnosis.causes.map((cause, rank) => ({ kind: 'cause', id: `cause:${cause.id}`, cause, rank, parent: node }));
    case 'cause':
      return node.cause.evidence.map((ref, i) => ({ kind: 'evidence', id: `${node.id}:ev:${i}`, ref, parent: node }));
    case 'impact':
      return impactLines(node);
    case 'code':
      return node.links.map((link, i) => ({ kind: 'codeLink', id: `code:${i}`, link, parent: node }));
    case 'checks':
      return node.sources.map((s) => ({ kind: 'source', id: `source:${s.id}`, source: s, parent: node }));
    case 'source':
      return eventNodes(node, node.source, node.source.events);
    case 'group':
      if (!node.minute && node.events.length > SPLIT_OVER) return minuteGroups(node);
      return node.events.map((event, i) => ({ kind: 'event', id: `${node.id}:${i}`, source: node.source, event, parent: node }));
    case 'recommendations':
      return node.items.map((text, i) => ({ kind: 'recommendation', id: `rec:${i}`, text, parent: node }));
    default:
      return [];
  }
}

function eventNodes(parent: Node, source: SourceResult, events: LogEvent[]): Node[] {
  if (events.length <= GROUP_OVER) {
    return events.map((event, i) => ({ kind: 'event', id: `${parent.id}:e${i}`, source, event, parent }));
  }
  // many lines: one group per kind, the kinds that explain a failure first
  const byKind = new Map<EventKind, LogEvent[]>();
  for (const e of events) {
    const list = byKind.get(e.kind);
    if (list) list.push(e);
    else byKind.set(e.kind, [e]);
  }
  return [...byKind.entries()]
    .sort((a, b) => weight(b[0]) - weight(a[0]) || b[1].length - a[1].length)
    .map(([eventKind, evs]) => ({ kind: 'group', id: `${parent.id}:g:${eventKind}`, source, eventKind, events: evs, parent }));
}

/** A kind with more events than this is split by minute. */
export const SPLIT_OVER = 200;

function minuteGroups(node: Extract<Node, { kind: 'group' }>): Node[] {
  const byMinute = new Map<string, LogEvent[]>();
  for (const e of node.events) {
    const t = Date.parse(e.time);
    const key = Number.isFinite(t) ? new Date(t - (t % 60_000)).toISOString() : '?';
    const list = byMinute.get(key);
    if (list) list.push(e);
    else byMinute.set(key, [e]);
  }
  return [...byMinute.entries()].map(([minute, evs]) => ({ kind: 'group', id: `${node.id}:m:${minute}`, source: node.source, eventKind: node.eventKind, events: evs, parent: node, minute }));
}

const HEAVY: EventKind[] = ['worker_timeout', 'worker_killed', 'oom_kill', 'traceback', 'exception', 'smtp_rate_limit', 'smtp_connection', 'smtp_error', 'upstream_timeout', 'http_error', 'error'];

export function weight(k: EventKind): number {
  const i = HEAVY.indexOf(k);
  return i < 0 ? 0 : HEAVY.length - i;
}

function impactLines(node: Extract<Node, { kind: 'impact' }>): Node[] {
  const i = node.diagnosis.impact;
  const rows: [string, string | number | undefined][] = [
    ['requestStart', i.requestStart],
    ['requestEnd', i.requestEnd],
    ['elapsed', i.elapsedSeconds !== undefined ? `${Math.round(i.elapsedSeconds)} s` : undefined],
    ['batchesSent', i.batchesSent],
    ['recipientsSent', i.recipientsSent],
    ['recipientsUnsent', i.recipientsUnsent],
    ['batchSize', i.batchSize],
    ['pause', i.pauseSeconds !== undefined ? `${i.pauseSeconds} s` : undefined],
  ];
  const out: Node[] = rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([label, v]) => ({ kind: 'impactLine', id: `impact:${label}`, label, value: String(v), parent: node }));
  (i.attempts ?? []).forEach((a, k) =>
    out.push({
      kind: 'impactLine',
      id: `impact:attempt:${k}`,
      label: 'attempt',
      value: `${a.start ?? '?'} → ${a.end}${a.recipientsSent !== undefined ? ` · ${a.recipientsSent}` : ''}${a.exact ? '' : ' ~'}`,
      parent: node,
    }),
  );
  return [...out, ...recipientLines(node), ...relayLines(node)];
}

/** The per-recipient picture of the local Postfix (impact.recipients): sent, deferred, bounced, never handed over, not reached. */
function recipientLines(node: Extract<Node, { kind: 'impact' }>): Node[] {
  const r = node.diagnosis.impact.recipients;
  if (!r) return [];
  const rows: [string, number | string | undefined][] = [
    ['handedOver', r.handedOver],
    ['postfixSent', r.sent],
    ['postfixDeferred', r.deferred],
    ['postfixBounced', r.bounced],
    ['neverHandedOver', r.neverHandedOver],
    ['notReached', `${r.notReachedExact ? '' : '≥ '}${r.notReached}`],
  ];
  return rows.filter(([, v]) => v !== undefined).map(([label, v]) => ({ kind: 'impactLine', id: `impact:recipients:${label}`, label, value: String(v), parent: node }));
}

/** Which SMTP relay the rules assumed for the app's mail, and why (settings.py, main.cf, the override, the default). */
function relayLines(node: Extract<Node, { kind: 'impact' }>): Node[] {
  const r = node.diagnosis.relay;
  if (!r) return [];
  return [{ kind: 'impactLine', id: 'impact:relay', label: 'relay', value: `${r.host}${r.port ? `:${r.port}` : ''}`, why: r.why, parent: node }];
}

/** The node of a source in the current tree (for reveal). */
export function findSourceNode(roots: Node[], sourceId: string): Node | undefined {
  for (const r of roots) {
    if (r.kind === 'source' && r.source.id === sourceId) return r;
    if (r.kind === 'checks') {
      const c = childNodes(r).find((n) => n.kind === 'source' && n.source.id === sourceId);
      if (c) return c;
    }
  }
  return undefined;
}
