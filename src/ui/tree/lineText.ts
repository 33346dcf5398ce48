// Short labels for log lines in the tree: the time is shown beside the label, so the leading timestamp,
// host and syslog tag (and the access log's client/ident/user/time) are dropped; the tooltip keeps the line.
import { FRAME_IN_LINE, LIBRARY_PATH } from '../../core/parse/traceback';

const PREFIXES: RegExp[] = [
  // journal short-iso / RFC 3339 syslog: 2025-01-15T22:20:20.612+01:00 host tag[pid]:
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})? \S+ [^\s:[]+(?:\[\d+\])?: ?/,
  // classic syslog: Jan 15 22:20:20 host tag[pid]:
  /^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \S+ [^\s:[]+(?:\[\d+\])?: ?/,
];
const INNER: RegExp[] = [
  // gunicorn: [2025-01-15 22:20:20 +0100]
  /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d+)? [+-]\d{4}\] /,
  // nginx error log: 2025/01/15 22:20:20
  /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /,
  // nginx/apache access log: client ident user [time]
  /^\S+ \S+ \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] /,
  // Django's default verbose format and Python logging: 2025-01-15 22:20:20,123
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d+)? /,
];

export function shortLine(line: string, max = 160): string {
  let s = line.trim();
  for (const re of PREFIXES) s = s.replace(re, '');
  for (const re of INNER) s = s.replace(re, '');
  s = s.trim() || line.trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export interface CodeFrame {
  file: string;
  line: number;
  function?: string;
}


/** The app's own frame an event points at (the innermost one outside libraries), from its line and body. */
export function codeFrame(e: { line: string; detail?: string[] }): CodeFrame | undefined {
  let found: CodeFrame | undefined;
  for (const text of [e.line, ...(e.detail ?? [])]) {
    for (const m of text.matchAll(FRAME_IN_LINE)) {
      if (LIBRARY_PATH.test(m[1])) continue;
      found = { file: m[1], line: Number(m[2]), ...(m[3] ? { function: m[3] } : {}) };
    }
  }
  return found;
}
