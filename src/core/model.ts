/**
 * The diagnosis data model. This is also the stable `--format json` shape documented in docs/cli.md:
 * {window, sources, causes, verdict, impact, codeLinks}. Pure data, JSON-serialisable. Texts are catalogue messages
 * (Localized: id and arguments), rendered where they are shown; the JSON writer renders them (l10n.ts jsonTexts).
 */

import type { Localized } from './l10n';
import type { RecommendationKey } from './recommendations';

export const CAUSE_IDS = ['http_timeout', 'smtp_rate_limit', 'smtp_connection_error', 'oom_kill', 'python_exception'] as const;
export type CauseId = (typeof CAUSE_IDS)[number];
/**
 * `none`: the logs cover the window and show no cause. `unknown`: no cause shown AND the sources that could show one
 * do not reach back to the window (rotated away, volatile journal, wrong year): blind is not quiet.
 */
export type Verdict = CauseId | 'none' | 'unknown';

export type SourceStatus = 'ok' | 'empty' | 'missing' | 'denied' | 'timeout' | 'error';

/** What an event means, independent of the log format it came from. */
export type EventKind =
  | 'request' // an HTTP access line
  | 'http_error' // 5xx access line, nginx upstream error
  | 'upstream_timeout'
  | 'worker_timeout' // gunicorn WORKER TIMEOUT
  | 'worker_killed' // gunicorn "was sent SIGKILL" / "terminated due to signal"
  | 'worker_boot'
  | 'traceback' // a whole Python traceback, joined
  | 'exception' // one exception line
  | 'smtp_rate_limit'
  | 'smtp_error'
  | 'smtp_connection'
  | 'mail_sent'
  | 'mail_deferred'
  | 'oom_kill'
  | 'oom_hint' // "Perhaps out of memory?" and similar: NOT a proof
  | 'progress' // "batch k/n sent to m recipients"
  | 'db_error'
  | 'service' // systemd start/stop/restart
  | 'info'
  | 'warning'
  | 'error';

export interface LogEvent {
  /** Absolute instant, ISO 8601 with offset or Z. */
  time: string;
  /** Source id from the catalogue. */
  source: string;
  /** The raw line (first line for multi-line events). */
  line: string;
  kind: EventKind;
  /** 1-based line number in the source's excerpt. */
  lineNo?: number;
  /** Extra lines (a traceback's body). */
  detail?: string[];
  /** Parsed fields: status, path, pid, code, exception, file, lineNumber, function, batch... */
  fields?: Record<string, string | number>;
}

export interface SourceResult {
  id: string;
  /** What the source is, as a catalogue message (the JSON report writes it as `label` in English and `labelFr`…). */
  label: Localized;
  /** The command needs root: it ran through `sudo` (Run in Terminal types it with sudo too). */
  sudo?: boolean;
  /** The exact command that was run (filtered, machine-friendly). */
  command: string;
  /** The runbook's own command for this source, to copy by hand. */
  runbookCommand?: string;
  status: SourceStatus;
  /**
   * Advice when status is not ok/empty, as a catalogue message (id and arguments) rendered where it is shown; the
   * JSON report writes it as `advice` (English) and `adviceText` (the message), l10n.ts jsonTexts.
   */
  adviceText?: Localized;
  events: LogEvent[];
  /** The text fetched (possibly trimmed), shown as the excerpt. */
  excerpt: string;
  truncated?: boolean;
  durationMs?: number;
  /** Earliest and latest event time. */
  span?: { from: string; to: string };
  /**
   * The time span the source HOLDS on the host, whatever the window: first and last timestamp across its rotations
   * (the journal's first entry for a volatile or vacuumed journal). Absent when it could not be read.
   */
  holds?: { from?: string; to?: string };
  /**
   * Does the source reach the window? `yes`; `no` (it starts after the window or ends before it: its silence says
   * nothing); `partly` (it starts inside the window). Absent when its span is unknown.
   */
  covers?: 'yes' | 'no' | 'partly';
  /** Lines of the window the parsers did not understand (no known timestamp/format), with a few examples. */
  unparsed?: { count: number; examples: string[] };
  /** How the host read the files when it was not by bisection (compressed rotation, not in time order, sampled). */
  reading?: ReadNote[];
  /** Per-minute counts of the window's lines that did not travel (by status class or level). */
  summary?: SummaryMinute[];
}

export interface ReadNote {
  kind: 'compressed' | 'unordered' | 'sampled' | 'scanned';
  file: string;
  count?: number;
}

export interface SummaryMinute {
  /** Start of the minute, ISO 8601 UTC. */
  minute: string;
  /** e.g. {"2xx": 812, "3xx": 40, "info": 12}; "sampled 5xx": wanted lines counted, not shown. */
  counts: Record<string, number>;
}

export interface EvidenceRef {
  source: string;
  line: string;
  time?: string;
  lineNo?: number;
}

export interface CauseAssessment {
  id: CauseId;
  /** 0..1 */
  confidence: number;
  evidence: EvidenceRef[];
  /** Why this confidence, as a catalogue message (JSON: `explanation` in English, `explanationFr`…). */
  explanation: Localized;
}

export interface Impact {
  requestStart?: string;
  requestEnd?: string;
  elapsedSeconds?: number;
  /** The number of recipients the app logged for the send (its start line), when it did. */
  recipientsTotal?: number;
  /** Where the app hands its mail to the local Postfix: each recipient's outcome, joined by queue id. */
  recipients?: RecipientsPicture;
  /** The send stopped on an exception before its first batch: nothing was sent (and why the logs say so). */
  beforeLoop?: { why: Localized };
  batchSize?: number;
  pauseSeconds?: number;
  batchesSent?: number;
  recipientsSent?: number;
  recipientsUnsent?: number;
  /** When no line shows the start of the request: the most that could have been sent (0 is possible too); no point estimate then. */
  recipientsSentMax?: number;
  /** true when computed from timing rather than read from progress lines. */
  estimate: boolean;
  /** The impact in sentences, as catalogue messages (JSON: `summary` in English, `summaryFr`…). */
  summary: Localized;
  /** Each failed POST of the send screen in the window (a retry starts again from the first recipient). */
  attempts?: { start?: string; /** How the start was found (the JSON writes it in English). */ startHow?: Localized; end: string; batchesSent?: number; recipientsSent?: number; recipientsSentMax?: number; exact: boolean; beforeLoop?: boolean }[];
}

/** One recipient of the app's mail as Postfix last spoke of it. */
export interface RecipientOutcome {
  address: string;
  status: 'sent' | 'deferred' | 'bounced';
  queueId?: string;
  time: string;
  dsn?: string;
}

/** The per-recipient picture from the local Postfix log (addresses masked in reports and JSON unless --no-redact). */
export interface RecipientsPicture {
  /** The app's sender address the messages were picked by (absent: any non-system sender of a local Postfix). */
  sender?: string;
  queueIds: number;
  /** Distinct recipients Postfix received from the app. */
  handedOver: number;
  sent: number;
  deferred: number;
  bounced: number;
  /** The app's logged total minus those handed over (absent when the app did not log its total). */
  neverHandedOver?: number;
  /** deferred + bounced + never handed over; a lower bound when notReachedExact is false (no logged total). */
  notReached: number;
  notReachedExact: boolean;
  /** Deferred and bounced addresses: the resend list. */
  resend: string[];
  outcomes: RecipientOutcome[];
}

export interface CodeLink {
  file: string;
  line: number;
  function?: string;
  source: string;
}

export interface Diagnosis {
  /** `at`: the incident moment the user gave (absent for a since/until window). */
  window: { since: string; until: string; tz: string; at?: string };
  target: string;
  sources: SourceResult[];
  causes: CauseAssessment[];
  verdict: Verdict;
  impact: Impact;
  codeLinks: CodeLink[];
  /** The runbook's recommendations that apply, by stable key (recommendations.ts); the JSON writes their English text. */
  recommendations?: RecommendationKey[];
  /** With verdict `unknown`: how far back the logs that could show a cause reach, and which they are. */
  blind?: { logsStart?: string; sources: string[] };
  /** The SMTP relay the rules assumed for the app's mail, and why (settings.py, main.cf, --smtp-host, default). */
  relay?: { host: string; port?: number; why: Localized; sender?: string; localPostfix?: boolean };
  durationMs?: number;
}
