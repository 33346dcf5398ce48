/** Blind is not quiet: which spans make a `none` an `unknown`, and the traps that must not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySpans, blindVerdict, coverage, uncoveredEdge } from '../../src/core/coverage';
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

test('coverage: a span that starts after the incident does not cover it; one that stops before it, only for a log written all the time', () => {
  assert.equal(coverage(THROUGH, w), 'yes');
  assert.equal(coverage(BEFORE, w), 'no', 'the journal or the syslog stopped: the host was not logging');
  assert.equal(coverage(BEFORE, w, false), 'yes', 'a sparse log (mail.log) that stopped: nothing to say since');
  assert.equal(coverage(LATER, w), 'no');
  assert.equal(coverage(LATER, w, false), 'no');
  assert.equal(coverage({ from: '2025-06-12T19:38:00Z' }, w), 'partly');
});

test('trap: a quiet evening whose mail.log and nginx logs last wrote hours before the window, the syslog going on: none', () => {
  const r = judge([src('nginx_access', BEFORE), src('mail_log', BEFORE), src('journal', THROUGH), src('syslog', THROUGH)]);
  assert.equal(r.verdict, 'none');
});

test('the edge that keeps a source blind: its logs end before the window, or start after it', () => {
  const s = [src('syslog', BEFORE), src('nginx_access', LATER)];
  applySpans(s, new Map(), w);
  assert.deepEqual(uncoveredEdge(s[0], w.since.toISOString()), { edge: 'end', at: BEFORE.to });
  assert.deepEqual(uncoveredEdge(s[1], w.since.toISOString()), { edge: 'start', at: LATER.from });
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
  const s = src('syslog', { from: '2025-06-01T00:00:00Z', to: '2025-06-12T18:00:00Z' });
  applySpans([s], new Map([['syslog', { from: '2025-05-01T00:00:00Z', to: '2026-12-05T07:50:00Z' }]]), w);
  assert.deepEqual(s.holds, { from: '2025-05-01T00:00:00Z', to: '2025-06-12T18:00:00Z' });
  assert.equal(s.covers, 'no');
});

test('a verdict other than none is never turned into unknown', () => {
  assert.equal(blindVerdict('oom_kill', [src('journal', LATER)]).verdict, 'oom_kill');
});
