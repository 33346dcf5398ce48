// The timeline's data: a diagnosis's events counted per minute per source across the window. Pure (no vscode).
import type { Diagnosis, EventKind } from '../../core/model';
import { render } from '../../core/l10n';
import { localText } from '../../core/time';
import { parseDuration, parseLocalTime } from '../../core/window';

const MINUTE = 60_000;

/** Kinds drawn in the error colour: failures, kills, timeouts, exceptions, mail refused or deferred. */
const ERROR_KINDS: ReadonlySet<EventKind> = new Set<EventKind>([
  'http_error',
  'upstream_timeout',
  'worker_timeout',
  'worker_killed',
  'traceback',
  'exception',
  'smtp_rate_limit',
  'smtp_error',
  'smtp_connection',
  'mail_deferred',
  'oom_kill',
  'db_error',
  'error',
]);

export function isErrorKind(kind: EventKind): boolean {
  return ERROR_KINDS.has(kind);
}

export interface TimelineRow {
  source: string;
  label: string;
  /** Events per column (minute). */
  counts: number[];
  /** Of which error-ish, per column. */
  errors: number[];
  /** Events drawn (inside the columns). */
  total: number;
  /** Events of the source outside the columns (slack the engine kept around the window). */
  outside: number;
}

export interface Timeline {
  /** First column's start (ms since epoch), the window's start floored to the column size. */
  start: number;
  /** Minutes per column: 1, unless the window is too long for one column a minute (then 2, 5, 10, 15…). */
  step: number;
  /** Start of each column in the window's zone: `HH:MM`, or `MM-DD HH:MM` when the window spans days. */
  columns: string[];
  tz: string;
  since: string;
  until: string;
  target: string;
  verdict: Diagnosis['verdict'];
  /** The verdict in words (the UI's cause name in the display language); the id when absent. */
  verdictLabel?: string;
  confidence?: number;
  rows: TimelineRow[];
  /** Sources with no event in the window. */
  quiet: string[];
  /** Largest count in one cell (≥ 1 when there are rows). */
  max: number;
  /** The incident moment: its position in columns from `start` (fractional) and its local time. */
  moment?: { offset: number; local: string };
}

/** What the user asked for the run (DiagnoseArgs' subset the moment can come from). */
export interface MomentArgs {
  date?: string;
  time?: string;
  before?: string;
}

/**
 * The instant the user gave (ms), or undefined. From the model when it carries one (`window.at`), else from the
 * run's date and time in the window's zone, else since + before. A moment outside the window is not this
 * diagnosis's (e.g. args of a later, failed run) and is dropped.
 */
export function incidentMoment(d: Diagnosis, args?: MomentArgs): number | undefined {
  const since = Date.parse(d.window.since);
  const until = Date.parse(d.window.until);
  const inside = (t: number | undefined) => (t !== undefined && Number.isFinite(t) && t >= since && t <= until ? t : undefined);
  const at = (d.window as { at?: unknown }).at;
  if (typeof at === 'string') return inside(Date.parse(at));
  try {
    if (args?.date && args.time) return inside(parseLocalTime(`${args.date} ${args.time}`, d.window.tz).getTime());
    if (args?.before) return inside(since + parseDuration(args.before));
  } catch {
    /* not a moment we can read: none drawn */
  }
  return undefined;
}

/** Column sizes in minutes, smallest first; the first that keeps the window within MAX_COLUMNS is used. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
export const MAX_COLUMNS = 240;

export function columnStep(spanMs: number): number {
  return STEPS.find((s) => Math.ceil(spanMs / (s * MINUTE)) <= MAX_COLUMNS) ?? STEPS[STEPS.length - 1];
}

/**
 * Bins every source's events into columns of `step` minutes (one a minute for any window up to 4 h) from the
 * window's start (floored) to its end (ceiled). Columns are aligned on UTC minutes, which are the zone's minutes.
 */
export function buildTimeline(d: Diagnosis, moment?: number): Timeline {
  const since = Date.parse(d.window.since);
  const until = Date.parse(d.window.until);
  const step = columnStep(until - Math.floor(since / MINUTE) * MINUTE);
  const size = step * MINUTE;
  const start = Math.floor(since / size) * size;
  const count = Math.max(1, Math.ceil((until - start) / size));
  const days = localText(start, d.window.tz).slice(0, 10) !== localText(until - 1, d.window.tz).slice(0, 10);
  const columns = Array.from({ length: count }, (_, i) => localText(start + i * size, d.window.tz).slice(days ? 5 : 11, 16));
  const rows: TimelineRow[] = [];
  const quiet: string[] = [];
  let max = 0;
  for (const s of d.sources) {
    const row: TimelineRow = { source: s.id, label: render(s.label, 'en'), counts: new Array(count).fill(0), errors: new Array(count).fill(0), total: 0, outside: 0 };
    for (const e of s.events) {
      const t = Date.parse(e.time);
      const i = Math.floor((t - start) / size);
      if (!Number.isFinite(t) || i < 0 || i >= count) {
        row.outside++;
        continue;
      }
      row.counts[i]++;
      if (isErrorKind(e.kind)) row.errors[i]++;
      row.total++;
      max = Math.max(max, row.counts[i]);
    }
    if (row.total) rows.push(row);
    else quiet.push(s.id);
  }
  const best = d.causes.find((c) => c.id === d.verdict);
  const tl: Timeline = { start, step, columns, tz: d.window.tz, since: d.window.since, until: d.window.until, target: d.target, verdict: d.verdict, confidence: best?.confidence, rows, quiet, max };
  if (moment !== undefined && Number.isFinite(moment)) tl.moment = { offset: (moment - start) / size, local: localText(moment, d.window.tz) };
  return tl;
}

/** Shade level 1..5 of a cell (0 = empty), on a log scale so one event still shows next to a burst. */
export function shade(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.max(1, Math.min(5, Math.ceil((5 * Math.log1p(count)) / Math.log1p(max))));
}
