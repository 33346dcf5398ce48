// The evidence the language server's lenses read, mapped from the client's Diagnosis (src/shared/protocol.ts
// carries it): the window, causes with their event references, code links, the send's request times, and the
// events without their bodies. No excerpt, no command, no sentence — a small, typed payload.
import type { CauseId, CodeLink, Diagnosis, EventKind, EvidenceRef, LogEvent, Verdict } from '../core/model';
import { appMessages } from '../core/recipients';

/** One log event as the lenses read it (no traceback body). */
export interface EvidenceEvent {
  time: string;
  source: string;
  line: string;
  kind: EventKind;
  lineNo?: number;
  fields?: Record<string, string | number>;
}

export interface EvidenceCause {
  id: CauseId;
  confidence: number;
  evidence: EvidenceRef[];
}

export interface EvidencePayload {
  /** The diagnosis' verdict: orders the fixes (the first one removes the cause). */
  verdict?: Verdict;
  window: { since: string; until: string; tz: string };
  causes: EvidenceCause[];
  codeLinks: CodeLink[];
  /** When the send's request started and stopped (widen the matched window). */
  impact: { requestStart?: string; requestEnd?: string };
  events: EvidenceEvent[];
  /**
   * Queue ids of the app's own Postfix messages (its sender, or any non-system sender when the app's is unknown;
   * none when the app talks to a remote relay itself): the only mail a send is tied to after its POST. Root's cron
   * mail, bounces and other senders never are.
   */
  appMail: string[];
}

/** The event fields src/server/evidence.ts reads: frames and their parts, request, SMTP category, progress. */
export const EVIDENCE_FIELDS = ['frames', 'file', 'lineNumber', 'line', 'function', 'exception', 'message', 'path', 'method', 'elapsed', 'requestTime', 'category', 'status', 'batch', 'batches', 'queueId'] as const;

function eventOf(e: LogEvent): EvidenceEvent {
  const out: EvidenceEvent = { time: e.time, source: e.source, line: e.line, kind: e.kind };
  if (e.lineNo !== undefined) out.lineNo = e.lineNo;
  const fields: Record<string, string | number> = {};
  for (const k of EVIDENCE_FIELDS) if (e.fields?.[k] !== undefined) fields[k] = e.fields[k];
  if (Object.keys(fields).length) out.fields = fields;
  return out;
}

/** Maps a diagnosis to the payload the language server needs (the client sends it on every diagnosis). */
export function evidencePayload(d: Diagnosis): EvidencePayload {
  const impact: EvidencePayload['impact'] = {};
  if (d.impact?.requestStart) impact.requestStart = d.impact.requestStart;
  if (d.impact?.requestEnd) impact.requestEnd = d.impact.requestEnd;
  return {
    verdict: d.verdict,
    window: { since: d.window.since, until: d.window.until, tz: d.window.tz },
    causes: (d.causes ?? []).map((c) => ({ id: c.id, confidence: c.confidence, evidence: c.evidence })),
    codeLinks: d.codeLinks ?? [],
    impact,
    events: (d.sources ?? []).flatMap((s) => (s.events ?? []).map(eventOf)),
    appMail: appMailIds(d),
  };
}

/** The queue ids of the app's messages in the diagnosis' Postfix lines (core's own rule: src/core/recipients.ts). */
function appMailIds(d: Diagnosis): string[] {
  const ties = { sender: d.relay?.sender?.toLowerCase(), localPostfix: d.relay?.localPostfix === false ? false : true };
  const msgs = appMessages((d.sources ?? []).flatMap((s) => s.events ?? []), ties) ?? [];
  return msgs.map((m) => m.queueId).filter((q): q is string => !!q);
}
