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

/** The module's top-level statements as pieces covering the whole text (leading blank lines join the first). */
export function topLevelPieces(text: string): TopLevelPiece[] {
  const out: TopLevelPiece[] = [];
  const state: ScanState = { depth: 0, quote: '', cont: false };
  let decorated = false;
  let row = 0;
  for (let at = 0; at < text.length; row++) {
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
        out.push({ start: out.length ? at : 0, end: text.length, row: out.length ? row : 0 });
      }
      decorated = ch === '@';
    }
    at = scanLine(text, at, state) + 1;
  }
  if (!out.length) out.push({ start: 0, end: text.length, row: 0 });
  return out;
}
