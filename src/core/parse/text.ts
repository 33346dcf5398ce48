/** Text logs fetched by the catalogue (one or several files, `@@ incident-lens file: PATH` before each). */
import { parseLine } from './prefix';
import { emptyList, type LogRecord, type ParseContext } from './record';

export const FILE_MARK = '@@ incident-lens file: ';
/** The window reader's own notes (spans, reading notes, per-minute counts): never log lines. */
export const NOTE_MARK = '@@ incident-lens ';

/** Where the next file marker line starts at or after `from` (-1: none). */
export function markerAt(text: string, from: number): number {
  for (let i = text.indexOf(FILE_MARK, from); i >= 0; i = text.indexOf(FILE_MARK, i + 1)) if (i === 0 || text.charCodeAt(i - 1) === 10) return i;
  return -1;
}

/**
 * The records of a text; `marker` is a file marker line in force before its first line (a later slice's).
 * (an array, not a generator; the file markers found first, so that the loop over lines never meets one: a path
 * taken once per text and absent from the loop's type feedback sent its optimised code back to the interpreter)
 */
export function parseText(text: string, ctx: ParseContext, marker = ''): LogRecord[] {
  const out = emptyList<LogRecord>();
  let file = marker.startsWith(FILE_MARK) ? marker.slice(FILE_MARK.length).trim() : undefined;
  let at = 0;
  for (let m = markerAt(text, 0); m >= 0; m = markerAt(text, at)) {
    parseLines(text, at, m, ctx, file, out);
    let end = text.indexOf('\n', m);
    if (end < 0) end = text.length;
    file = text.slice(m + FILE_MARK.length, end).trim();
    at = end + 1;
  }
  parseLines(text, at, text.length, ctx, file, out);
  return out;
}

/** The records of the lines in text[from, to) (no file marker among them) into `out`. */
function parseLines(text: string, from: number, to: number, ctx: ParseContext, file: string | undefined, out: LogRecord[]): void {
  // (line by line without splitting the text into an array first)
  for (let at = from; at <= to; ) {
    let end = text.indexOf('\n', at);
    if (end < 0 || end > to) end = to;
    const line = text.slice(at, end);
    at = end + 1;
    if (line === '' || line.startsWith(NOTE_MARK)) continue;
    const r = parseLine(line, ctx);
    if (r) {
      r.file = file;
      out.push(r);
    } else out.push({ raw: line, message: line, file, unparsed: true });
  }
}

/** Files named in a fetched text (for the report and for `collect`). */
export function splitByFile(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith(FILE_MARK)) {
      const f = line.slice(FILE_MARK.length).trim();
      cur = out.get(f) ?? [];
      out.set(f, cur);
      continue;
    }
    if (cur && !line.startsWith(NOTE_MARK)) cur.push(line);
  }
  return out;
}
