/** Follow Live: what a followed line is, and how a follow reports what happens. Pure data. */
import type { Localized } from '../l10n';
import type { CauseId, EventKind, LogEvent } from '../model';

/** A cause a live line is evidence of: the diagnosis's five, or an SMTP 4xx/5xx reply no cause claims. */
export type FollowCause = CauseId | 'smtp_reply';

export interface FollowLine {
  /** Arrival order in this follow (1, 2, …). */
  seq: number;
  /** The event's instant (ISO, UTC); lines without a timestamp take the previous line's or the arrival time. */
  time: string;
  source: string;
  /** The raw line; a traceback's other lines are in `detail`. */
  text: string;
  detail?: string[];
  kind: EventKind;
  /** Set when the diagnosis rules cite this line as evidence (marked, counted, notified once per cause). */
  cause?: FollowCause;
  /** When the line reached us (ms since epoch), for the delay figures. */
  arrivedAt: number;
  /** The engine's event, for turning the follow into a diagnosis. */
  event: LogEvent;
}

export type FollowStatus = 'starting' | 'following' | 'waiting' | 'ended' | 'denied' | 'lost' | 'stopped' | 'error';

export interface SourceState {
  id: string;
  label: Localized;
  status: FollowStatus;
  /** Why (denied, lost…), a catalogue message rendered where it is shown (stderr on the CLI, the status bar tooltip in VS Code). */
  messageText?: Localized;
  lines: number;
}

export interface ProgressInfo {
  batch?: number;
  batches?: number;
  recipients?: number;
  /** From a start line: the send's total recipients. */
  total?: number;
}

/** A non-line happening shown in the flow: rotation, a dropped connection, lines leaving the buffer. */
export interface FollowNotice {
  kind: 'rotated' | 'lost' | 'reconnected' | 'waiting' | 'ended' | 'denied' | 'error';
  source?: string;
  /** What happened, a catalogue message rendered where it is shown (the CLI's stderr, the flow in VS Code). */
  messageText: Localized;
  at: number;
}

export interface FollowListener {
  onLines?(lines: FollowLine[]): void;
  onStatus?(state: SourceState): void;
  /** First evidence line of a cause in this follow: one notification per cause, never per line. */
  onCause?(cause: FollowCause, line: FollowLine): void;
  onProgress?(p: ProgressInfo, line: FollowLine): void;
  onNotice?(n: FollowNotice): void;
}
