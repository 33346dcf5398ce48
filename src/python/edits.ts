// Text edits by UTF-16 offset, converted to LSP-like line/character ranges for the language server.
import type { Pos, Span } from './model';

export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export interface LineEdit {
  range: Span;
  newText: string;
}

/** Applies non-overlapping edits (any order). */
export function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Merges edits that touch the same offset (an insertion at the start of a replacement) into one. */
export function normaliseEdits(edits: OffsetEdit[]): OffsetEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: OffsetEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.start < last.end) throw new Error('overlapping edits');
    if (last && e.start === last.end && (last.start === last.end || e.start === e.end)) {
      out[out.length - 1] = { start: last.start, end: e.end, text: last.text + e.text };
    } else out.push({ ...e });
  }
  return out;
}

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function positionAt(starts: number[], offset: number): Pos {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

export function toLineEdits(text: string, edits: OffsetEdit[]): LineEdit[] {
  const starts = lineStarts(text);
  return normaliseEdits(edits).map((e) => ({ range: { start: positionAt(starts, e.start), end: positionAt(starts, e.end) }, newText: e.text }));
}

/** Applies LSP-like edits (given against the same original text). */
export function applyLineEdits(text: string, edits: LineEdit[]): string {
  const starts = lineStarts(text);
  const off = (p: Pos) => Math.min(text.length, (starts[p.line] ?? text.length) + p.character);
  return applyOffsetEdits(text, edits.map((e) => ({ start: off(e.range.start), end: off(e.range.end), text: e.newText })));
}
