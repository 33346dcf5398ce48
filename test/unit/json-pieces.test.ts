/**
 * The JSON report written in pieces (core/json-pieces.ts) is byte for byte JSON.stringify(value, null, 2):
 * nested objects and arrays, empty ones, undefined and functions (left out of objects, null in arrays),
 * Dates (toJSON), strings with line breaks, quotes and control characters, deep values, a real diagnosis.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonChunks, jsonPieces } from '../../src/core/index';

const cases: unknown[] = [
  null,
  1.5,
  'a "quoted"\nline\u001b',
  [],
  {},
  { a: undefined, b: () => 1, c: [undefined, () => 2, null, 0], d: {}, e: [] },
  { at: new Date('2025-01-15T21:20:00Z'), nested: { deep: { deeper: { deepest: { x: [1, { y: 'z\n' }] } } } } },
  { sources: [{ id: 's', events: Array.from({ length: 50 }, (_, i) => ({ line: `l${i}\n"x"`, fields: { status: i, start: undefined }, detail: ['a', 'b'] })) }] },
  [[[[[['six']]]]]],
];

test('pieces joined equal JSON.stringify(value, null, 2)', () => {
  for (const v of cases) assert.equal([...jsonPieces(v)].join(''), JSON.stringify(v, null, 2));
});

test('chunks joined equal JSON.stringify, each chunk about the size asked', () => {
  const v = cases[7];
  const chunks = [...jsonChunks(v, 512)];
  assert.ok(chunks.length > 10);
  assert.equal(chunks.join(''), JSON.stringify(v, null, 2));
  for (const c of chunks.slice(0, -1)) assert.ok(c.length >= 512 && c.length < 2048, String(c.length));
});
