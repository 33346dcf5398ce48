import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWindow, InputError, parseDuration } from '../../src/core/index';
import { isoInZone, wallToInstant, zoneOffsetMinutes, parseOffset, toInstant } from '../../src/core/time';

test('zone offsets from Intl, across DST', () => {
  assert.equal(zoneOffsetMinutes('Europe/Paris', Date.UTC(2025, 0, 15, 21, 20)), 60);
  assert.equal(zoneOffsetMinutes('Europe/Paris', Date.UTC(2025, 5, 1, 0, 0)), 120);
  assert.equal(zoneOffsetMinutes('America/New_York', Date.UTC(2025, 0, 15, 12)), -300);
  assert.equal(zoneOffsetMinutes('Asia/Kolkata', Date.UTC(2025, 0, 15, 12)), 330);
});

test('local wall time to instant, including the DST gap and overlap', () => {
  assert.equal(wallToInstant({ year: 2025, month: 1, day: 15, hour: 22, minute: 20, second: 0 }, 'Europe/Paris').toISOString(), '2025-01-15T21:20:00.000Z');
  assert.equal(wallToInstant({ year: 2025, month: 6, day: 1, hour: 0, minute: 3, second: 0 }, 'Europe/Paris').toISOString(), '2025-05-31T22:03:00.000Z');
  // 02:30 does not exist on 2025-03-30 in Paris: the later offset is used
  assert.equal(wallToInstant({ year: 2025, month: 3, day: 30, hour: 2, minute: 30, second: 0 }, 'Europe/Paris').toISOString(), '2025-03-30T01:30:00.000Z');
  // 02:30 happens twice on 2025-10-26: the first one
  assert.equal(wallToInstant({ year: 2025, month: 10, day: 26, hour: 2, minute: 30, second: 0 }, 'Europe/Paris').toISOString(), '2025-10-26T00:30:00.000Z');
  assert.equal(isoInZone(Date.UTC(2025, 0, 15, 21, 20), 'Europe/Paris'), '2025-01-15T22:20:00.000+01:00');
});

test('offsets and zone abbreviations', () => {
  assert.equal(parseOffset('+0100'), 60);
  assert.equal(parseOffset('+01:00'), 60);
  assert.equal(parseOffset('-0430'), -270);
  assert.equal(parseOffset('CEST'), 120);
  assert.equal(parseOffset('UTC'), 0);
  assert.equal(parseOffset('XYZ'), undefined);
  assert.equal(toInstant({ year: 2025, month: 5, day: 31, hour: 22, minute: 5, second: 12 }, '+0000', 'Europe/Paris').toISOString(), '2025-05-31T22:05:12.000Z');
});

test('window from --at with the runbook defaults (5 min before, 10 after)', () => {
  const w = buildWindow({ at: '2025-01-15 22:20', tz: 'Europe/Paris' });
  assert.equal(w.since.toISOString(), '2025-01-15T21:15:00.000Z');
  assert.equal(w.until.toISOString(), '2025-01-15T21:30:00.000Z');
  const w2 = buildWindow({ at: '2025-01-15 22:20', before: '1h', after: '90s', tz: 'UTC' });
  assert.equal(w2.since.toISOString(), '2025-01-15T21:20:00.000Z');
  assert.equal(w2.until.toISOString(), '2025-01-15T22:21:30.000Z');
  const w3 = buildWindow({ since: '2025-05-31 23:58', until: '2025-06-01 00:13', tz: 'Europe/Paris' });
  assert.equal(w3.since.toISOString(), '2025-05-31T21:58:00.000Z');
});

test('impossible dates, unknown zones and bad durations are InputErrors', () => {
  assert.throws(() => buildWindow({ at: '2025-02-30 22:20', tz: 'Europe/Paris' }), InputError);
  assert.throws(() => buildWindow({ at: '2025-01-15 25:20', tz: 'Europe/Paris' }), InputError);
  assert.throws(() => buildWindow({ at: '15/01/2025 22:20', tz: 'Europe/Paris' }), InputError);
  assert.throws(() => buildWindow({ at: '2025-01-15 22:20', tz: 'Mars/Olympus' }), InputError);
  assert.throws(() => buildWindow({ since: '2025-01-15 22:20', until: '2025-01-15 22:10', tz: 'UTC' }), InputError);
  assert.throws(() => buildWindow({ at: '2025-01-15 22:20', since: '2025-01-15 22:00', tz: 'UTC' }), InputError);
  assert.throws(() => parseDuration('5 parsecs'), InputError);
  assert.equal(parseDuration('1h30m'), 5400_000);
  assert.equal(parseDuration('5'), 300_000);
});
