// Splits a Python module's text into its top-level statements without parsing it: a statement starts on a line
// that begins at column 0 with code, outside any bracket, string or backslash continuation, and is not the
// `else:`/`elif`/`except`/`finally` of the statement before, nor the definition under a decorator, nor the rest of
// a statement that cannot end where the line before ended (see `open` below). Each piece starts at a line start, so
// tree-sitter parses it alone into the same subtree as within the whole file (for text without syntax errors), rows
// shifted by the piece's first row. The editor reparses only the pieces an edit changed.

export interface TopLevelPiece {
  /** Offset of the piece's first character (a line start) and of the character after its end. */
  start: number;
  end: number;
  /** 0-based row of the piece's first line. */
  row: number;
}

const CONTINUATION = /^(else|elif|except|finally)\b/;
const DEFINITION = /^(def|class|async)\b/;
/** Statements that are not complete before their header's `:` (compound statements) or their `import` (`from`). */
const NEEDS_COLON = /^(?:def|class|if|elif|else|while|for|with|try|except|finally)\b|^async[ \t]+(?:def|for|with)\b/;
const NEEDS_IMPORT = /^from\b/;
/** Words after which a statement cannot end (an operand or a name must follow). */
const OPEN_WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'elif', 'else', 'for', 'from', 'import', 'as', 'def', 'class', 'lambda', 'while', 'with', 'assert', 'del', 'global', 'nonlocal', 'except']);
/** Characters after which a statement cannot end (an operator or a `.` waits for its right side). */
const OPEN_CHARS = '=+-*/%@&|^~<>.:!';

/** An escape sequence in a string (tree-sitter's token: a line break right after one is skipped). */
const ESCAPE = /\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}\n]*\}|[0-7]{1,3}|[^\n])/y;

// The characters that matter, outside strings and inside a string of each quote.
const CODE = /["'()[\]{}\\#\n:]/g;
const IN_STRING: Record<string, RegExp> = { '"': /["\\\n]/g, "'": /['\\\n]/g };

interface ScanState {
  depth: number;
  /** The open string's quote (one or three of ' or ") or ''. */
  quote: string;
  /** The line ended with a backslash continuation (outside strings). */
  cont: boolean;
  /**
   * The statement cannot end at the last line break: tree-sitter (the whole-file parse this splitting must agree
   * with) reads on across a line break where its grammar has no end of statement (after `def`, `=`, `and`, a `.`, or
   * before a compound statement's `:`), even at column 0 where Python would stop with a syntax error.
   */
  open: boolean;
  /** What the current statement still needs before it can end: its header's `:`, a `from`'s `import`, or nothing. */
  needs: '' | ':' | 'import';
  /** The current statement is a compound statement (its header ends with `:`). */
  compound: boolean;
  /** Offset after the open string's quote or its last escape sequence (where tree-sitter skips a line break). */
  stringFrom: number;
  /** Offset where the last scanned line's code ends (its comment or its line break). */
  codeEnd: number;
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
    if (!m) return (state.codeEnd = text.length);
    const j = m.index;
    const c = text[j];
    if (c === '\n') {
      state.codeEnd = j;
      // A one-quote string cannot span lines (without a backslash): tree-sitter ends it there too, except for one
      // line break right after the quote or an escape sequence (it skips it as blank before the next string token).
      if (state.quote.length === 1) {
        if (j === state.stringFrom) state.stringFrom = -1;
        else state.quote = '';
      }
      return j;
    }
    if (c === '\\') {
      const br = breakAt(text, j + 1);
      if (br) {
        if (!state.quote) state.cont = true;
        state.codeEnd = j;
        return j + br;
      }
      if (state.quote) {
        ESCAPE.lastIndex = j;
        i = j + (ESCAPE.exec(text)?.[0].length ?? 2);
        state.stringFrom = i;
      } else i = j + 1;
    } else if (state.quote) {
      const closes = text.startsWith(state.quote, j);
      i = closes ? j + state.quote.length : j + 1;
      if (closes) state.quote = '';
    } else if (c === '#') {
      state.codeEnd = j;
      const k = text.indexOf('\n', j);
      return k < 0 ? text.length : k;
    } else if (c === ':') {
      if (state.depth === 0 && state.needs === ':' && text[j + 1] !== '=') state.needs = '';
      i = j + 1;
    } else if (c === '"' || c === "'") {
      state.quote = text.startsWith(c + c + c, j) ? c + c + c : c;
      i = j + state.quote.length;
      state.stringFrom = i;
    } else {
      state.depth = c === '(' || c === '[' || c === '{' ? state.depth + 1 : Math.max(0, state.depth - 1);
      i = j + 1;
    }
  }
}

/** Does a line whose code is text[from, end) (no trailing blanks) end where a statement cannot end? */
function endsOpen(text: string, from: number, end: number, compound: boolean): boolean {
  const c = text[end - 1];
  if (OPEN_CHARS.includes(c)) {
    // A compound statement's header `:` ends the header (its body follows); elsewhere (`x:`, `lambda:`) it waits.
    if (c === ':') return !compound;
    // `1.` (a number) and `...` end an expression; `a.` waits for the attribute.
    if (c === '.') return !/(?:^|[^\w.])\d[\d_]*\.$|\.\.\.$/.test(text.slice(Math.max(from, end - 24), end));
    if (c === '*') return !/\bimport\s*\*$/.test(text.slice(from, end));
    return true;
  }
  const word = /(?:^|[^\w.])([A-Za-z_]\w*)$/.exec(text.slice(Math.max(from, end - 12), end))?.[1];
  return !!word && OPEN_WORDS.has(word);
}

const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\f' || c === '\r';

/** Scans one line as scanLine does, and tells (state.open) whether the statement can end at its line break. */
function scanCodeLine(text: string, at: number, state: ScanState): number {
  const starts = state.depth === 0 && !state.quote && !state.cont && !state.open;
  let first = at;
  if (!state.quote) while (isBlank(text[first])) first++;
  if (starts) {
    const head = text.slice(first, first + 12);
    state.needs = NEEDS_COLON.test(head) ? ':' : NEEDS_IMPORT.test(head) ? 'import' : '';
    state.compound = state.needs === ':';
  }
  const end = scanLine(text, at, state);
  let e = state.codeEnd;
  while (e > first && isBlank(text[e - 1])) e--;
  // A blank or comment-only line: the statement is where the line before left it. A lone backslash at column 0 is
  // blank to tree-sitter too: the next line may start a statement (an indented one continues on the next line).
  if (e <= first) {
    if (starts && first === at) state.cont = false;
    return end;
  }
  if (state.needs === 'import' && /\bimport\b/.test(text.slice(first, e))) state.needs = '';
  state.open = state.depth === 0 && !state.quote && !state.cont && (state.needs !== '' || endsOpen(text, first, e, state.compound));
  return end;
}

/**
 * Scans from `from` (a line start at row `row` where the scan state is clean and no decorator is pending: the text's
 * start, or the start of a piece of an earlier scan of the same text up to there), appending to `out`. `resync`,
 * called at each new piece start, may end the scan: it then takes over the rest.
 */
function scanPieces(text: string, out: TopLevelPiece[], from: number, row: number, resync?: (at: number, row: number) => boolean): void {
  const state: ScanState = { depth: 0, quote: '', cont: false, open: false, needs: '', compound: false, stringFrom: 0, codeEnd: 0 };
  let decorated = false;
  for (let at = from; at < text.length; row++) {
    const ch = text[at];
    // An unclosed bracket or an unfinished statement (`def f(`, `x =` being typed, say) does not swallow the
    // definitions below it: the piece stops at the next line that starts a definition. (tree-sitter's error recovery
    // is not reproduced there.)
    if ((state.depth > 0 || state.open) && !state.quote && (ch === '@' || DEFINITION.test(text.slice(at, at + 6)))) {
      state.depth = 0;
      state.open = false;
    }
    const clean = state.depth === 0 && !state.quote && !state.cont && !state.open;
    if (clean && ch !== '\\' && !isBlank(ch) && ch !== '\n' && ch !== '#') {
      const head = text.slice(at, at + 9);
      const joins = CONTINUATION.test(head) || (decorated && (DEFINITION.test(head) || ch === '@'));
      if (!joins || !out.length) {
        if (out.length) out[out.length - 1].end = at;
        if (out.length && resync?.(at, row)) return;
        out.push({ start: out.length ? at : 0, end: text.length, row: out.length ? row : 0 });
      }
      decorated = ch === '@';
    } else if (clean && isBlank(ch)) {
      // An indented line: tree-sitter takes an indented decorator at module level as the next definition's.
      let first = at + 1;
      while (isBlank(text[first])) first++;
      if (text[first] !== '#' && text[first] !== '\n' && text[first] !== '\\' && first < text.length) decorated = text[first] === '@';
    }
    at = scanCodeLine(text, at, state) + 1;
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
