/**
 * JSON.stringify(value, null, 2), written in pieces: a report of thousands of events is never one
 * string in memory (nor its escaped copy). The pieces joined are byte for byte JSON.stringify's text
 * (JSON.stringify(value, replacer, 2) with a replacer: the model's one, l10n.ts jsonTexts, renders its texts).
 */

/** JSON.stringify's replacer, as the pieces call it: with the member's key (array index as text) and its value. */
export type Replacer = (key: string, value: unknown) => unknown;

/** Below this depth objects and arrays are walked; deeper values (an event, a note) are one piece each. */
const WALK_DEPTH = 4;

type Json = Record<string, unknown> | unknown[];

function walked(v: unknown): v is Json {
  return !!v && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** JSON.stringify leaves out undefined, functions and symbols in objects (and writes null in arrays). */
const skipped = (x: unknown) => x === undefined || typeof x === 'function' || typeof x === 'symbol';

/** One value at `indent` (2 spaces a level), as JSON.stringify(v, null, 2) writes it at that depth. */
export function* jsonPieces(value: unknown, indent = '', depth = 0, replacer?: Replacer, key = ''): Generator<string> {
  yield* pieces(replacer ? replacer(key, value) : value, indent, depth, replacer);
}

/** jsonPieces of a value the replacer has already been given (each member is given to it once, here). */
function* pieces(v: unknown, indent: string, depth: number, replacer?: Replacer): Generator<string> {
  if (!walked(v) || depth >= WALK_DEPTH) {
    // JSON strings never hold a raw line break: re-indenting the nested text is safe
    const s = (replacer ? JSON.stringify(v, (k, x: unknown) => (k === '' ? x : replacer(k, x)), 2) : JSON.stringify(v, null, 2)) ?? 'null';
    yield indent ? s.replace(/\n/g, `\n${indent}`) : s;
    return;
  }
  const arr = Array.isArray(v);
  const shown: [string, unknown][] = [];
  for (const [k, x] of arr ? v.map((x, i): [string, unknown] => [String(i), x]) : Object.entries(v)) {
    const y = replacer ? replacer(k, x) : x;
    if (!skipped(y)) shown.push([k, y]);
    else if (arr) shown.push([k, null]);
  }
  if (!shown.length) {
    yield arr ? '[]' : '{}';
    return;
  }
  const inner = `${indent}  `;
  yield arr ? '[\n' : '{\n';
  for (let i = 0; i < shown.length; i++) {
    const [k, x] = shown[i];
    yield arr ? inner : `${inner}${JSON.stringify(k)}: `;
    yield* pieces(x, inner, depth + 1, replacer);
    yield i < shown.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}${arr ? ']' : '}'}`;
}

/** The pieces gathered into chunks of about `size` characters (fewer, larger writes). */
export function* jsonChunks(v: unknown, size = 64 * 1024, replacer?: Replacer): Generator<string> {
  let buf: string[] = [];
  let len = 0;
  for (const p of jsonPieces(v, '', 0, replacer)) {
    buf.push(p);
    len += p.length;
    if (len >= size) {
      yield buf.join('');
      buf = [];
      len = 0;
    }
  }
  if (len) yield buf.join('');
}
