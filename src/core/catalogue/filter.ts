/**
 * Host-side window filtering for text logs. Lines are kept when they carry a timestamp in one of the
 * window's hours (host local zone AND UTC, in every common log format), plus the untimestamped lines
 * that follow them (traceback bodies). The engine then filters to the exact window on its side.
 * mawk-compatible (no {n} intervals), no output redirection, no system()/getline.
 */
import { MONTHS, wallTime, zoneOffsetMinutes } from '../time';
import type { IncidentWindow } from '../window';
import { shq } from '../shell';
import { WINDOW_READER, windowReaderArgs } from './window-reader';

const pad = (n: number) => String(n).padStart(2, '0');

/** A line that starts with a timestamp in any format we know (ends the previous line's continuation). */
export const TS_START =
  '^((DEBUG|INFO|WARNING|ERROR|CRITICAL) )?(\\[?[0-9][0-9][0-9][0-9][-/][0-9][0-9][-/][0-9][0-9][ T][0-9][0-9]:|[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:|[0-9a-fA-F.:]+ [^ ]+ [^ ]+ \\[[0-9][0-9]/)';

/** Margin after the window on the host side: nginx writes a request's line when it ENDS. */
export const HOST_AFTER_MARGIN_MS = 30 * 60_000;
/** Margin before the window: the form's GET and nginx's "request body is buffered" tell when a send began. */
export const HOST_BEFORE_MARGIN_MS = 30 * 60_000;

/** Alternation of the window's hour (or day, for long windows) prefixes, local and UTC. */
export function windowPattern(w: IncidentWindow): string {
  const from = w.since.getTime() - HOST_BEFORE_MARGIN_MS;
  const to = w.until.getTime() + HOST_AFTER_MARGIN_MS;
  const hours = (to - from) / 3600_000;
  const byDay = hours > 72;
  const set = new Set<string>();
  const inc = byDay ? 3600_000 : 15 * 60_000;
  for (const zone of new Set([w.tz, 'UTC'])) {
    for (let t = from; ; t = Math.min(t + inc, to)) {
      const x = wallTime(t, zone);
      const Y = String(x.year);
      const M = pad(x.month);
      const D = pad(x.day);
      const mon = MONTHS[x.month - 1];
      const sd = x.day < 10 ? ` ${x.day}` : String(x.day);
      if (byDay) {
        set.add(`${Y}-${M}-${D}[ T]`).add(`${Y}/${M}/${D} `).add(`${D}/${mon}/${Y}:`).add(`${mon} ${sd} `);
      } else {
        const H = pad(x.hour);
        set.add(`${Y}-${M}-${D}[ T]${H}:`).add(`${Y}/${M}/${D} ${H}:`).add(`${D}/${mon}/${Y}:${H}:`).add(`${mon} ${sd} ${H}:`);
      }
      if (t >= to) break;
    }
  }
  return [...set].join('|');
}

/** Regex-quotes a literal for awk/grep ERE (only what our validated values can contain). */
export function ereLiteral(s: string): string {
  return s.replace(/[.+*?()|{}$]/g, (c) => `[${c}]`);
}

const AWK_PROGRAM =
  '{ i = index($0, ":"); f = substr($0, 1, i - 1); l = substr($0, i + 1); ' +
  'if (l ~ re) k = 1; else if (l ~ ts) k = 0; ' +
  'if (k && want != "" && l ~ re && l !~ want) k = 0; ' +
  'if (k || all) { if (f != last) { print "@@ incident-lens file: " substr(f, length(strip) + 1); last = f } print l } }';

export interface DumpOptions {
  /** `find` arguments selecting the files (already quoted). */
  find: string;
  window?: IncidentWindow;
  /** Only keep timestamped lines matching this ERE (and their continuations). */
  want?: string;
  /** Root prefix to strip from file names (bundle mode). */
  strip?: string;
  /**
   * The names `find` selects cannot be compressed ones (e.g. `X.service`, `*.conf`): grep reads them as zgrep
   * would, where zgrep, a script, starts ~8 processes for one file.
   */
  plain?: boolean;
  /**
   * zgrep only for the names ending `.gz`, grep for the others (find routes each name; zgrep, a script, starts ~14
   * processes for one file where grep is one). For files that are plain text whatever their name says (nginx's site
   * files: nginx itself cannot read a compressed one), the lines are the same; a `.gz` one comes after the others.
   */
  gzByName?: boolean;
}

/** find FILES | zgrep -H '' (reads .gz too; grep when `plain`) | awk (window + continuation + file marks). */
export function dumpFiles(o: DumpOptions): string {
  const vars = [
    `-v re=${shq(o.window ? windowPattern(o.window) : '^$')}`,
    `-v ts=${shq(TS_START)}`,
    `-v want=${shq(o.want ?? '')}`,
    `-v strip=${shq(o.strip ?? '')}`,
    `-v all=${o.window ? 0 : 1}`,
  ].join(' ');
  const read = o.gzByName
    ? ` '(' -name '*.gz' -exec zgrep -H -a -e '' -- '{}' + -o -exec grep -H -a -e '' -- '{}' + ')'`
    : ` -print0 | xargs -0 -r ${o.plain ? 'grep' : 'zgrep'} -H -a -e '' --`;
  return `find ${o.find}${read} | awk ${vars} ${shq(AWK_PROGRAM)}`;
}

/** How the window reader (window-reader.ts) reads a source's files. */
export interface WindowReadOptions extends DumpOptions {
  window: IncidentWindow;
  /** Zone of the host's zone-less timestamps (default: the window's). */
  logTz?: string;
  /** Read this long after the window: nginx logs a request when it ENDS (the longest plausible request). */
  afterMarginMs?: number;
  /** Lines that always travel, never sampled (the send screen's requests). */
  keep?: string;
  /** Read every file whole (the full scan), for comparison and as the fallback. */
  full?: boolean;
}

/** How far out of order lines may be and still be found by the bisection (writers racing, clock steps). */
export const DISORDER_TOLERANCE_MS = 10 * 60_000;
/** Wanted lines per minute past which the ordinary ones (not `keep`) are sampled with counts. */
export const SAMPLE_PER_MINUTE = 2000;

/**
 * The window of the files `find` selects: by bisection with the window reader when the host has perl
 * (Essential on Debian), else by the full scan of dumpFiles. Same output shape either way.
 */
export function readWindow(o: WindowReadOptions): string {
  const w = o.window;
  const tz = o.logTz ?? w.tz;
  const from = w.since.getTime() - HOST_BEFORE_MARGIN_MS;
  const to = w.until.getTime() + Math.max(o.afterMarginMs ?? HOST_AFTER_MARGIN_MS, 60_000);
  // a zone change (DST) inside the window: widen by the difference, the engine filters exactly
  const offA = zoneOffsetMinutes(tz, from);
  const offB = zoneOffsetMinutes(tz, to);
  const drift = Math.abs(offA - offB) * 60_000;
  const ref = wallTime(w.since, tz);
  const args = windowReaderArgs({
    from: from - drift, to: to + drift, offsetMinutes: offA, refYear: ref.year, refMonth: ref.month, toleranceMs: DISORDER_TOLERANCE_MS,
    want: o.want ?? '', keep: o.keep ?? '', samplePerMinute: o.keep !== undefined ? SAMPLE_PER_MINUTE : 0, strip: o.strip ?? '', full: !!o.full,
  });
  const perl = `find ${o.find} -print0 | perl -e ${shq(WINDOW_READER)} -- ${args.map(shq).join(' ')}`;
  return `if command -v perl >/dev/null 2>&1; then ${perl}; else ${dumpFiles(o)}; fi`;
}
