/** Blind is not quiet: which spans make a `none` an `unknown`, and the traps that must not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySpans, blindVerdict, coverage } from '../../src/core/coverage';
import type { SourceResult } from '../../src/core/model';
import { buildWindow } from '../../src/core/window';

const w = buildWindow({ at: '2025-06-12 21:40', before: '5m', after: '10m', tz: 'Europe/Paris' });
const src = (id: string, holds?: { from?: string; to?: string }): SourceResult =>
  ({ id, label: id, status: 'empty', command: '', events: [], holds } as unknown as SourceResult);
const judge = (sources: SourceResult[]) => {
  applySpans(sources, new Map(), w);
  return blindVerdict('none', sources);
};
const BEFORE = { from: '2025-06-01T00:00:00Z', to: '2025-06-12T04:03:02Z' }; // stops before the window
const THROUGH = { from: '2025-06-01T00:00:00Z', to: '2025-06-12T20:17:01Z' }; // reaches past it
const LATER = { from: '2025-06-20T00:00:00Z', to: '2025-06-25T00:00:00Z' }; // starts after it

test('coverage: a span that starts after the incident or stops before the window does not cover it', () => {
  assert.equal(coverage(THROUGH, w), 'yes');
  assert.equal(coverage(BEFORE, w), 'no');
  assert.equal(coverage(LATER, w), 'no');
  assert.equal(coverage({ from: '2025-06-12T19:38:00Z' }, w), 'partly');
});

test('every witness of the app blind (journal, syslog) and nginx blind: unknown, with where the logs start', () => {
  const r = judge([src('nginx_access', LATER), src('journal', LATER), src('syslog', LATER)]);
  assert.equal(r.verdict, 'unknown');
  assert.equal(r.blind?.logsStart, LATER.from);
});

test('trap: a journal that holds only the unit stops at boot, but the syslog goes on through the window: none', () => {
  assert.equal(judge([src('journal', BEFORE), src('syslog', THROUGH)]).verdict, 'none');
  assert.equal(judge([src('journal', BEFORE), src('syslog', BEFORE)]).verdict, 'unknown');
});

test('trap: a span the probe measured by last write (a copied file) ends at its last line, read by the window reader', () => {
  const s = src('nginx_access', { from: '2025-06-01T00:00:00Z', to: '2025-06-12T18:00:00Z' });
  applySpans([s], new Map([['nginx_access', { from: '2025-05-01T00:00:00Z', to: '2026-12-05T07:50:00Z' }]]), w);
  assert.deepEqual(s.holds, { from: '2025-05-01T00:00:00Z', to: '2025-06-12T18:00:00Z' });
  assert.equal(s.covers, 'no');
});

test('a verdict other than none is never turned into unknown', () => {
  assert.equal(blindVerdict('oom_kill', [src('journal', LATER)]).verdict, 'oom_kill');
});
