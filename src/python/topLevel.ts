// Splits a Python module's text into its top-level statements without parsing it: a statement starts on a line
// that begins at column 0 with code, outside any bracket, string or backslash continuation, and is not the
// `else:`/`elif`/`except`/`finally` of the statement before, nor the definition under a decorator. Each piece
// starts at a line start, so tree-sitter parses it alone into the same subtree as within the whole file (for text
// without syntax errors), rows shifted by the piece's first row. The editor reparses only the pieces an edit changed.

export interface TopLevelPiece {
  /** Offset of the piece's first character (a line start) and of the character after its end. */
  start: number;
  end: number;
  /** 0-based row of the piece's first line. */
  row: number;
}

const CONTINUATION = /^(else|elif|except|finally)\b/;
const DEFINITION = /^(def|class|async)\b/;

// The characters that matter, outside strings and inside a string of each quote.
const CODE = /["'()[\]{}\\#\n]/g;
const IN_STRING: Record<string, RegExp> = { '"': /["\\\n]/g, "'": /['\\\n]/g };

interface ScanState {
  depth: number;
  /** The open string's quote (one or three of ' or ") or ''. */
  quote: string;
  /** The line ended with a backslash continuation (outside strings). */
  cont: boolean;
}

/** Length of a line break at i ('\n' or '\r\n'), 0 when none. */
function breakAt(text: string, i: number): number {
  return text[i] === '\n' ? 1 : text[i] === '\r' && text[i + 1] === '\n' ? 2 : 0;
}

/** Scans the line starting at `at` from `state`, updating it; returns the offset of the line's last character (its '\n'). */
function scanLine(text: string, at: number, state: ScanState): number {
  state.cont = false;
  for (let i = at; ;) {
    const re = state.quote ? IN_STRING[state.quote[0]] : CODE;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return text.length;
    const j = m.index;
    const c = text[j];
    if (c === '\n') {
      // A one-quote string cannot span lines (without a backslash): tree-sitter ends it there too.
      if (state.quote.length === 1) state.quote = '';
      return j;
    }
    if (c === '\\') {
      const br = breakAt(text, j + 1);
      if (br) {
        if (!state.quote) state.cont = true;
        return j + br;
      }
      i = j + (state.quote ? 2 : 1);
    } else if (state.quote) {
      const closes = text.startsWith(state.quote, j);
      i = closes ? j + state.quote.length : j + 1;
      if (closes) state.quote = '';
    } else if (c === '#') {
      const k = text.indexOf('\n', j);
      return k < 0 ? text.length : k;
    } else if (c === '"' || c === "'") {
      state.quote = text.startsWith(c + c + c, j) ? c + c + c : c;
      i = j + state.quote.length;
    } else {
      state.depth = c === '(' || c === '[' || c === '{' ? state.depth + 1 : Math.max(0, state.depth - 1);
      i = j + 1;
    }
  }
}

/**
 * Scans from `from` (a line start at row `row` where the scan state is clean and no decorator is pending: the text's
 * start, or the start of a piece of an earlier scan of the same text up to there), appending to `out`. `resync`,
 * called at each new piece start, may end the scan: it then takes over the rest.
 */
function scanPieces(text: string, out: TopLevelPiece[], from: number, row: number, resync?: (at: number, row: number) => boolean): void {
  const state: ScanState = { depth: 0, quote: '', cont: false };
  let decorated = false;
  for (let at = from; at < text.length; row++) {
    const ch = text[at];
    // An unclosed bracket does not swallow the definitions below it (while `def f(` is being typed, say): the piece
    // stops at the next line that starts a definition. (tree-sitter's error recovery is not reproduced there.)
    if (state.depth > 0 && !state.quote && (ch === '@' || DEFINITION.test(text.slice(at, at + 6)))) state.depth = 0;
    const clean = state.depth === 0 && !state.quote && !state.cont;
    if (clean && ch !== '\\' && ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r' && ch !== '#' && ch !== '\f') {
      const head = text.slice(at, at + 9);
      const joins = CONTINUATION.test(head) || (decorated && (DEFINITION.test(head) || ch === '@'));
      if (!joins || !out.length) {
        if (out.length) out[out.length - 1].end = at;
        if (out.length && resync?.(at, row)) return;
        out.push({ start: out.length ? at : 0, end: text.length, row: out.length ? row : 0 });
      }
      decorated = ch === '@';
    }
    at = scanLine(text, at, state) + 1;
  }
}

/** The module's top-level statements as pieces covering the whole text (leading blank lines join the first). */
export function topLevelPieces(text: string): TopLevelPiece[] {
  const out: TopLevelPiece[] = [];
  scanPieces(text, out, 0, 0);
  if (!out.length) out.push({ start: 0, end: text.length, row: 0 });
  return out;
}

/** How far two texts agree from the start, and then from the end (not overlapping the first). */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const n = Math.min(a.length, b.length);
  // Blocks first (a native comparison; a character loop over an editor's concatenated text is far slower), then characters.
  let prefix = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (prefix + step <= n && a.slice(prefix, prefix + step) === b.slice(prefix, prefix + step)) prefix += step;
  }
  let suffix = 0;
  const room = n - prefix;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (suffix + step <= room && a.slice(a.length - suffix - step, a.length - suffix) === b.slice(b.length - suffix - step, b.length - suffix)) suffix += step;
  }
  return { prefix, suffix };
}

/** A piece of `update`'s answer; `from`: the index of the same piece (same text) in the previous pieces. */
export interface UpdatedPiece extends TopLevelPiece {
  from?: number;
}

/**
 * topLevelPieces(text), computed from the pieces of a previous text: the pieces before the edited region are kept,
 * the scan restarts at the last piece that starts well before the first changed character, and stops as soon as it
 * starts a piece where the old text started one inside the unchanged tail (the rest is the old pieces, shifted).
 */
export function updatePieces(prevText: string, prev: TopLevelPiece[], text: string): UpdatedPiece[] {
  if (prevText === text) return prev.map((p, i) => ({ ...p, from: i }));
  const { prefix, suffix } = commonEnds(prevText, text);
  // From `tail` on, the new text is the old one from `tail - delta` on.
  // A piece's start depends on its first line's first characters (`else`, `finally`, `def`, `@`): restart before them.
  let k = 0;
  while (k + 1 < prev.length && prev[k + 1].start + 16 <= prefix) k++;
  const out: UpdatedPiece[] = prev.slice(0, k).map((p, i) => ({ ...p, from: i }));
  if (!k) {
    out.push(...topLevelPieces(text));
    return out;
  }
  const delta = text.length - prevText.length;
  const tail = text.length - suffix;
  let j = k;
  scanPieces(text, out, prev[k].start, prev[k].row, (at, row) => {
    if (at < tail) return false;
    while (j < prev.length && prev[j].start < at - delta) j++;
    if (j >= prev.length || prev[j].start !== at - delta) return false;
    const rows = row - prev[j].row;
    for (let i = j; i < prev.length; i++) out.push({ start: prev[i].start + delta, end: prev[i].end + delta, row: prev[i].row + rows, from: i });
    return true;
  });
  return out;
}
