/** The incident window: --at with --before/--after, or --since/--until, in the host's local time. */
import { InputError } from './errors';
import { checkZone, isValidWall, toInstant, WallTime } from './time';
import { msg, type Arg } from './l10n';

export interface IncidentWindow {
  since: Date;
  until: Date;
  tz: string;
  at?: Date;
}

export interface WindowSpec {
  at?: string;
  before?: string;
  after?: string;
  since?: string;
  until?: string;
  tz: string;
}

export const DEFAULT_BEFORE = '5m';
export const DEFAULT_AFTER = '10m';
const MAX_SPAN_MS = 31 * 24 * 3600_000;

/** `5m`, `10 min`, `90s`, `1h30m`, `2` (minutes) → milliseconds. */
export function parseDuration(s: string): number {
  const t = String(s).trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 60_000;
  const re = /(\d+(?:\.\d+)?)\s*(h|hours?|m|mins?|minutes?|s|secs?|seconds?)/g;
  let total = 0;
  let used = '';
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const n = Number(m[1]);
    total += m[2].startsWith('h') ? n * 3600_000 : m[2].startsWith('s') ? n * 1000 : n * 60_000;
    used += m[0];
  }
  if (!used || used.replace(/\s/g, '') !== t.replace(/\s/g, '')) throw new InputError(msg('bad duration {0} (use e.g. 5m, 90s, 1h)', JSON.stringify(s)));
  if (total > MAX_SPAN_MS) throw new InputError(msg('duration {0} is too long', JSON.stringify(s)));
  return total;
}

/** `YYYY-MM-DD HH:MM[:SS]` (or with T, or with an explicit offset / Z) in `zone` → instant. */
export function parseLocalTime(s: string, zone: string, what: Arg = msg('time')): Date {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/.exec(String(s));
  if (!m) throw new InputError(msg('bad {0} {1}: expected "YYYY-MM-DD HH:MM"', what, JSON.stringify(s)));
  const w: WallTime = { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
  if (!isValidWall(w)) throw new InputError(msg('impossible {0} {1}', what, JSON.stringify(s)));
  return toInstant(w, m[8], zone);
}

export function buildWindow(spec: WindowSpec): IncidentWindow {
  const tz = checkZone(spec.tz);
  if (spec.at !== undefined && (spec.since !== undefined || spec.until !== undefined)) throw new InputError(msg('give either --at or --since/--until, not both'));
  if (spec.at !== undefined) {
    const at = parseLocalTime(spec.at, tz, '--at');
    const before = parseDuration(spec.before ?? DEFAULT_BEFORE);
    const after = parseDuration(spec.after ?? DEFAULT_AFTER);
    return { since: new Date(at.getTime() - before), until: new Date(at.getTime() + after), tz, at };
  }
  if (spec.since === undefined || spec.until === undefined) throw new InputError(msg('give --at "YYYY-MM-DD HH:MM", or both --since and --until'));
  if (spec.before !== undefined || spec.after !== undefined) throw new InputError(msg('--before/--after go with --at'));
  const since = parseLocalTime(spec.since, tz, '--since');
  const until = parseLocalTime(spec.until, tz, '--until');
  if (until.getTime() <= since.getTime()) throw new InputError(msg('--until must be after --since'));
  if (until.getTime() - since.getTime() > MAX_SPAN_MS) throw new InputError(msg('the window is longer than 31 days'));
  return { since, until, tz };
}

export function inWindow(t: Date | number, w: IncidentWindow, slackMs = 0): boolean {
  const x = typeof t === 'number' ? t : t.getTime();
  return x >= w.since.getTime() - slackMs && x <= w.until.getTime() + slackMs;
}
