/**
 * Blind is not quiet. Each source's span (what the host still holds) against the window: a source whose logs start
 * after the incident, or stop before it, says nothing by its silence. When the sources that could show a cause are
 * blind and nothing else shows one, the verdict is `unknown`, never `none`.
 */
import { FIRST_MARK, MEASURED_MARK, MTIME_MARK, SPAN_MARK } from './catalogue/spans';
import type { Diagnosis, SourceResult, Verdict } from './model';
import { parseLine } from './parse/prefix';
import type { IncidentWindow } from './window';

export type Spans = Map<string, { from?: string; to?: string }>;

/** The sources that hold the journal span (journal -u and journal -k read the same journal files). */
const JOURNAL_SOURCES = ['journal', 'kernel_oom'];

/** Reads the log_spans probe: the earliest timestamp of each log's rotations, its last write, the journal head/tail. */
export function parseSpans(out: string, tz: string, ref: Date): Spans {
  const cut = out.indexOf(MEASURED_MARK);
  const host = cut >= 0 ? out.slice(0, cut) : out;
  const text = cut >= 0 && !host.includes(SPAN_MARK) ? out.slice(cut + MEASURED_MARK.length) : host;
  const spans: Spans = new Map();
  let id: string | undefined;
  let first: number | undefined;
  let last: number | undefined;
  const flush = () => {
    if (id && (first !== undefined || last !== undefined)) {
      spans.set(id, { ...(first !== undefined ? { from: new Date(first).toISOString() } : {}), ...(last !== undefined ? { to: new Date(last).toISOString() } : {}) });
    }
  };
  for (const line of text.split('\n')) {
    if (line.startsWith(SPAN_MARK)) {
      flush();
      id = line.slice(SPAN_MARK.length).trim();
      first = last = undefined;
      continue;
    }
    if (!id) continue;
    const mt = line.startsWith(MTIME_MARK) ? /^(\d+(?:\.\d+)?) /.exec(line.slice(MTIME_MARK.length)) : null;
    if (mt) {
      last = Math.max(last ?? 0, Math.round(Number(mt[1]) * 1000));
      continue;
    }
    const fst = line.startsWith(FIRST_MARK) ? /^(\d+(?:\.\d+)?) /.exec(line.slice(FIRST_MARK.length)) : null;
    if (fst) {
      first = Math.min(first ?? Infinity, Math.round(Number(fst[1]) * 1000));
      continue;
    }
    const head = /^\s*Head realtime timestamp:.*\(([0-9a-f]+)\)/.exec(line);
    const tail = /^\s*Tail realtime timestamp:.*\(([0-9a-f]+)\)/.exec(line);
    if (head || tail) {
      const ms = Math.floor(parseInt((head ?? tail)![1], 16) / 1000);
      if (ms > 0 && head) first = Math.min(first ?? Infinity, ms);
      if (ms > 0 && tail) last = Math.max(last ?? 0, ms);
      continue;
    }
    // zgrep -H: PATH:line
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const rec = parseLine(line.slice(colon + 1), { source: id, tz, ref });
    if (rec?.time && !Number.isNaN(rec.time.getTime())) first = Math.min(first ?? Infinity, rec.time.getTime());
  }
  flush();
  const j = spans.get('journal');
  if (j) for (const s of JOURNAL_SOURCES) spans.set(s, j);
  return spans;
}

/**
 * Logs a host writes to all the time (the whole journal, the syslog: cron alone writes hourly): when they stop before
 * the window, the host was not logging. A sparse log (mail.log, nginx's error log, a quiet site's access log) that
 * stops before the window only had nothing to say since: quiet, not blind.
 */
const HEARTBEAT = new Set(['journal', 'kernel_oom', 'syslog']);

/**
 * Does a span reach the window? `no` when it starts after the incident (or the window), or, for a log the host writes
 * to all the time (`heartbeat`), when it stops before the window.
 */
export function coverage(span: { from?: string; to?: string }, w: IncidentWindow, heartbeat = true): 'yes' | 'no' | 'partly' {
  const since = w.since.getTime();
  const until = w.until.getTime();
  const from = span.from ? Date.parse(span.from) : undefined;
  const to = span.to ? Date.parse(span.to) : undefined;
  if (heartbeat && to !== undefined && to < since) return 'no';
  if (from === undefined || from <= since) return 'yes';
  if (from > (w.at?.getTime() ?? until) || from > until) return 'no';
  return 'partly';
}

/** Sets holds/covers on each source from the spans. */
export function applySpans(sources: SourceResult[], spans: Spans, w: IncidentWindow): void {
  for (const s of sources) {
    // the log_spans probe (first lines of every rotation), with the last line the window reader found in the files it
    // opened: a log's span ends at its last timestamp, not at its last write (a copied or touched file is newer)
    const probe = spans.get(s.id);
    const span = probe && s.holds?.to ? { ...probe, to: s.holds.to } : (probe ?? s.holds);
    // 'missing' in a bundle: the window had no line to copy, but the host's log exists and has a span
    if (!span || (s.status !== 'ok' && s.status !== 'empty' && s.status !== 'missing')) continue;
    s.holds = span;
    s.covers = coverage(span, w, HEARTBEAT.has(s.id));
  }
}

/**
 * The witnesses a verdict of "nothing happened" needs: the send's HTTP log and the app's own log. The app's log is
 * blind only when every place it lands is: its journal, its own log file, and the syslog (rsyslog receives the
 * journal's messages on Debian; a journal kept short or holding only the unit says nothing while the syslog goes on).
 */
const KEY_SOURCES: string[][] = [['nginx_access'], ['journal', 'gunicorn_log', 'syslog']];

/** `unknown` when no cause was found and a key witness cannot see the window. */
export function blindVerdict(verdict: Verdict, sources: SourceResult[]): { verdict: Verdict; blind?: Diagnosis['blind'] } {
  if (verdict !== 'none') return { verdict };
  const blindOnes: SourceResult[] = [];
  for (const group of KEY_SOURCES) {
    const present = sources.filter((s) => group.includes(s.id) && (s.status === 'ok' || s.status === 'empty' || (s.status === 'missing' && s.holds)));
    const seen = present.filter((s) => s.covers !== undefined);
    if (seen.length && seen.every((s) => s.covers === 'no' && !s.events.length)) blindOnes.push(...seen);
  }
  if (!blindOnes.length) return { verdict };
  const starts = blindOnes.map((s) => s.holds?.from).filter((x): x is string => !!x).sort();
  return { verdict: 'unknown', blind: { ...(starts.length ? { logsStart: starts[0] } : {}), sources: blindOnes.map((s) => s.id) } };
}

/** Which edge keeps a source that does not cover the window from seeing it: its logs start after it or end before it. */
export function uncoveredEdge(s: Pick<SourceResult, 'covers' | 'holds'>, since: string): { edge: 'start' | 'end'; at: string } | undefined {
  if (s.covers !== 'no' || !s.holds) return undefined;
  if (s.holds.to && Date.parse(s.holds.to) < Date.parse(since)) return { edge: 'end', at: s.holds.to };
  return s.holds.from ? { edge: 'start', at: s.holds.from } : undefined;
}
