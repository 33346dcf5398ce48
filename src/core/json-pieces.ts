/**
 * JSON.stringify(value, null, 2), written in pieces: a report of thousands of events is never one
 * string in memory (nor its escaped copy). The pieces joined are byte for byte JSON.stringify's text.
 */

/** Below this depth objects and arrays are walked; deeper values (an event, a note) are one piece each. */
const WALK_DEPTH = 4;

type Json = Record<string, unknown> | unknown[];

function walked(v: unknown): v is Json {
  return !!v && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** JSON.stringify leaves out undefined, functions and symbols in objects (and writes null in arrays). */
const skipped = (x: unknown) => x === undefined || typeof x === 'function' || typeof x === 'symbol';

/** One value at `indent` (2 spaces a level), as JSON.stringify(v, null, 2) writes it at that depth. */
export function* jsonPieces(v: unknown, indent = '', depth = 0): Generator<string> {
  if (!walked(v) || depth >= WALK_DEPTH) {
    // JSON strings never hold a raw line break: re-indenting the nested text is safe
    const s = JSON.stringify(v, null, 2) ?? 'null';
    yield indent ? s.replace(/\n/g, `\n${indent}`) : s;
    return;
  }
  const arr = Array.isArray(v);
  const entries: [string, unknown][] = arr ? v.map((x, i) => [String(i), skipped(x) ? null : x]) : Object.entries(v).filter(([, x]) => !skipped(x));
  if (!entries.length) {
    yield arr ? '[]' : '{}';
    return;
  }
  const inner = `${indent}  `;
  yield arr ? '[\n' : '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [k, x] = entries[i];
    yield arr ? inner : `${inner}${JSON.stringify(k)}: `;
    yield* jsonPieces(x, inner, depth + 1);
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}${arr ? ']' : '}'}`;
}

/** The pieces gathered into chunks of about `size` characters (fewer, larger writes). */
export function* jsonChunks(v: unknown, size = 64 * 1024): Generator<string> {
  let buf: string[] = [];
  let len = 0;
  for (const p of jsonPieces(v)) {
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
