/**
 * Notes the window reader (catalogue/window-reader.ts) writes among a source's lines: each file's first
 * and last timestamp, how a file was read (compressed rotation read whole, not in time order, sampled),
 * and the per-minute counts of the window's lines that did not travel. They are taken out of the text
 * before it is parsed.
 */
import { joined, msg, type Localized } from './l10n';
import type { ReadNote, SourceResult, SummaryMinute } from './model';

const PREFIX = '@@ incident-lens ';
const SPAN = /^@@ incident-lens span: (\d+) (\d+) (.+)$/;
const NOTE = /^@@ incident-lens note: (unordered|compressed|sampled|scanned) (\d+) (.+)$/;
const SUMMARY = /^@@ incident-lens summary: (\d+) (.+) (\d+)$/;

export interface HostNotes {
  /** The output without the note lines (file marks stay). */
  text: string;
  files: { file: string; from: string; to: string }[];
  notes: ReadNote[];
  summary: SummaryMinute[];
}

const iso = (s: string) => new Date(Number(s) * 1000).toISOString();

export function takeNotes(output: string): HostNotes {
  const res: HostNotes = { text: output, files: [], notes: [], summary: [] };
  if (!output.includes('\n' + PREFIX) && !output.startsWith(PREFIX)) return res;
  const keep: string[] = [];
  const minutes = new Map<string, Record<string, number>>();
  for (const line of output.split('\n')) {
    if (!line.startsWith(PREFIX) || line.startsWith(`${PREFIX}file: `)) {
      keep.push(line);
      continue;
    }
    let m = SPAN.exec(line);
    if (m) res.files.push({ file: m[3], from: iso(m[1]), to: iso(m[2]) });
    else if ((m = NOTE.exec(line))) res.notes.push({ kind: m[1] as ReadNote['kind'], file: m[3], ...(m[1] === 'sampled' ? { count: Number(m[2]) } : {}) });
    else if ((m = SUMMARY.exec(line))) {
      const key = iso(m[1]);
      const c = minutes.get(key) ?? {};
      c[m[2]] = (c[m[2]] ?? 0) + Number(m[3]);
      minutes.set(key, c);
    } else keep.push(line);
  }
  res.text = keep.join('\n');
  res.summary = [...minutes].sort((a, b) => a[0].localeCompare(b[0])).map(([minute, counts]) => ({ minute, counts }));
  return res;
}

/** How a source was read, as a catalogue message (undefined when nothing unusual happened). */
export function readingAdvice(notes: ReadNote[]): Localized | undefined {
  const by = (k: ReadNote['kind']) => notes.filter((n) => n.kind === k);
  const parts: Localized[] = [];
  const files = (k: ReadNote['kind']) => by(k).map((n) => n.file).join(', ');
  if (by('compressed').length) parts.push(msg('compressed rotation read whole: {0}', files('compressed')));
  if (by('unordered').length) parts.push(msg('not in time order, read whole (full scan): {0}', files('unordered')));
  if (by('scanned').length) parts.push(msg('no timestamp at the start, read whole: {0}', files('scanned')));
  const sa = by('sampled');
  if (sa.length) parts.push(msg('window very busy: {0} ordinary lines counted per minute, not shown (every send request kept)', sa.reduce((s, n) => s + (n.count ?? 0), 0)));
  return parts.length ? joined('; ', parts, '.') : undefined;
}

/** What the notes add to a source's result: the span its files hold, the reading notes, the summary. */
export function notesResult(h: HostNotes): Partial<SourceResult> {
  const out: Partial<SourceResult> = {};
  if (h.files.length) {
    const from = h.files.map((f) => f.from).sort()[0];
    const to = h.files.map((f) => f.to).sort()[h.files.length - 1];
    out.holds = { from, to };
  }
  if (h.notes.length) out.reading = h.notes;
  if (h.summary.length) out.summary = h.summary;
  return out;
}
