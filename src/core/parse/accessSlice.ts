/**
 * The events of a slice made only of nginx access lines, built straight from its lines (nginx.ts accessLineFields): the
 * same events, in the same order, as interpret(parseText(slice)) gives, without a record per line and the general
 * interpretation (tracebacks, continuation lines, classification), which such a slice never needs. A busy access
 * log is nearly all such slices. Any other line (or a request text that would open a traceback) gives up the
 * slice (undefined) after no more than the work of the lines before it; the general path then reads the whole slice.
 */
import type { LogEvent } from '../model';
import { inTimeOrder } from './interpret';
import { accessLineFields, lastAccess, lastAccessEnd } from './nginx';
import { emptyList, type ParseContext } from './record';
import { NOTE_MARK } from './text';
import { TB_START } from './traceback';

/** Ordinary lines (requests under 500) from `since` to `until` that are only to be counted (a full cap), not built. */
export interface PlainDrop {
  since: number;
  until: number;
  dropped: number;
}

/**
 * `times` receives each event's instant (as interpret's option); `read.records` the lines read (its records); `drop`:
 * ordinary lines inside the window, once the cap on ordinary events is reached, are counted there and not built.
 */
export function usualAccessEvents(text: string, ctx: ParseContext, source: string, times: number[], read: { records: number }, drop?: PlainDrop): LogEvent[] | undefined {
  if (ctx.accessFormats) return undefined;
  const out = emptyList<LogEvent>();
  let n = 0;
  let sorted = true;
  let lastT = -Infinity;
  for (let at = 0; at <= text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 1;
    if (line === '' || line.startsWith(NOTE_MARK)) continue;
    // (a line starting with `[` is first offered to dmesg's and gunicorn's readers: parseLine; one ending in \r, which
    // the general path strips, is refused by ACCESS's `.`)
    const fields = line.charCodeAt(0) === 91 ? undefined : accessLineFields(line, ctx.tz);
    if (!fields || lastAccess.req.startsWith(TB_START)) {
      times.length = 0;
      if (drop) drop.dropped = 0;
      return undefined;
    }
    n++;
    const { end: instant, iso } = lastAccessEnd();
    const t = instant.getTime();
    if (drop && lastAccess.status < 500 && t >= drop.since && t <= drop.until) {
      drop.dropped++;
      continue;
    }
    if (t < lastT) sorted = false;
    lastT = t;
    out.push({ time: iso, source, line, kind: lastAccess.status >= 500 ? 'http_error' : 'request', lineNo: n, fields });
    times.push(t);
  }
  read.records = n;
  return inTimeOrder(out, times, sorted);
}
