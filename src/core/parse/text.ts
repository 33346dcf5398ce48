/** Text logs fetched by the catalogue (one or several files, `@@ incident-lens file: PATH` before each). */
import { parseLine } from './prefix';
import type { LogRecord, ParseContext } from './record';

export const FILE_MARK = '@@ incident-lens file: ';
/** The window reader's own notes (spans, reading notes, per-minute counts): never log lines. */
const NOTE_MARK = '@@ incident-lens ';

/** The records of a text; `marker` is a file marker line in force before its first line (a later slice's). */
export function* parseText(text: string, ctx: ParseContext, marker = ''): Generator<LogRecord> {
  let file = marker.startsWith(FILE_MARK) ? marker.slice(FILE_MARK.length).trim() : undefined;
  // (line by line without splitting the text into an array first)
  for (let at = 0; at <= text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 1;
    if (line.startsWith(FILE_MARK)) {
      file = line.slice(FILE_MARK.length).trim();
      continue;
    }
    if (line === '' || line.startsWith(NOTE_MARK)) continue;
    const r = parseLine(line, ctx);
    if (r) {
      r.file = file;
      yield r;
    } else yield { raw: line, message: line, file, unparsed: true };
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
