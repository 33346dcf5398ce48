/**
 * Classification as lines arrive, by the diagnosis's own rules: a line is evidence when a cause's rule
 * cites it (assessCauses on that line), attributed to the most confident cause that cites it. SMTP 4xx/5xx
 * replies that no cause claims (a bounce, a plain deferral) are marked too. Counts and "first line of
 * a cause" are kept here, so the UI notifies once per cause, never per line.
 */
import type { HostFacts } from '../facts';
import type { EvidenceRef, LogEvent } from '../model';
import type { Profile } from '../profile';
import { assessCauses } from '../rules/causes';
import type { FollowCause, ProgressInfo } from './types';

/** Kinds no rule ever cites: not worth asking the rules about (a busy log is mostly these). */
const NEVER_EVIDENCE = new Set(['info', 'progress', 'mail_sent', 'service', 'worker_boot']);
const SMTP_REPLY = new Set(['smtp_error', 'mail_deferred']);
const HOUR = 3600_000;

function cites(ref: EvidenceRef, e: LogEvent): boolean {
  return ref.source === e.source && ref.time === e.time && (ref.line === e.line || !!e.detail?.includes(ref.line));
}

export class LiveClassifier {
  /** Evidence lines per cause in this follow. */
  readonly counts = new Map<FollowCause, number>();
  total = 0;

  constructor(
    private readonly profile: Profile,
    private readonly facts: HostFacts,
    private readonly tz: string,
  ) {}

  /** The cause this event is evidence of, if any (and counts it). */
  classify(e: LogEvent): FollowCause | undefined {
    const cause = this.causeOf(e);
    if (cause) {
      this.counts.set(cause, (this.counts.get(cause) ?? 0) + 1);
      this.total++;
    }
    return cause;
  }

  /** True the first time a cause is seen: the caller notifies. */
  isFirst(cause: FollowCause): boolean {
    return this.counts.get(cause) === 1;
  }

  private causeOf(e: LogEvent): FollowCause | undefined {
    if (NEVER_EVIDENCE.has(e.kind)) return undefined;
    const t = Date.parse(e.time);
    const window = { since: new Date(t - HOUR), until: new Date(t + HOUR), tz: this.tz };
    const { causes } = assessCauses({ events: [e], profile: this.profile, facts: this.facts, window });
    const citing = causes.filter((c) => c.evidence.some((r) => cites(r, e))).sort((a, b) => b.confidence - a.confidence);
    if (citing.length) return citing[0].id;
    return SMTP_REPLY.has(e.kind) ? 'smtp_reply' : undefined;
  }
}

/** Progress from a "batch k/n sent to m recipients" line or a send's start line. */
export function progressOf(e: LogEvent): ProgressInfo | undefined {
  if (e.kind !== 'progress') return undefined;
  const f = e.fields ?? {};
  const n = (k: string) => (typeof f[k] === 'number' ? (f[k] as number) : undefined);
  const p: ProgressInfo = { batch: n('batch'), batches: n('batches'), recipients: n('recipients'), total: n('total') };
  return p.batch !== undefined || p.total !== undefined ? p : undefined;
}
