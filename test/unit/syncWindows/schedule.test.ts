import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseCron, parseGoDuration, windowTiming, timeZoneOffsetMs } from '../../../src/core/syncWindows/schedule';

const at = (iso: string): Date => new Date(iso);

describe('Go durations', () => {
  test('parse like time.ParseDuration', () => {
    assert.equal(parseGoDuration('24h'), 86_400_000);
    assert.equal(parseGoDuration('1h30m'), 5_400_000);
    assert.equal(parseGoDuration('1.5h'), 5_400_000);
    assert.equal(parseGoDuration('90s'), 90_000);
    assert.equal(parseGoDuration('0'), 0);
  });
  test('refuse what Go refuses, saying what is wrong', () => {
    for (const bad of ['', '24', '1d', 'h', '1h 30m', '-']) assert.throws(() => parseGoDuration(bad), /is not a Go duration/, bad);
  });
});

describe('cron schedules', () => {
  test('fields, ranges, steps, names, descriptors', () => {
    const s = parseCron('*/15 9-17 * JAN-MAR mon-fri');
    assert.deepEqual([...s.minute], [0, 15, 30, 45]);
    assert.deepEqual([...s.hour], [9, 10, 11, 12, 13, 14, 15, 16, 17]);
    assert.deepEqual([...s.month], [1, 2, 3]);
    assert.deepEqual([...s.dow], [1, 2, 3, 4, 5]);
    assert.deepEqual([...parseCron('@daily').hour], [0]);
    assert.deepEqual([...parseCron('5/20 * * * *').minute], [5, 25, 45]);
  });
  test('bad schedules say which field is wrong', () => {
    assert.throws(() => parseCron('* * * *'), /needs 5 fields.*found 4/);
    assert.throws(() => parseCron('61 * * * *'), /minute "61" is outside 0-59/);
    assert.throws(() => parseCron('* * * FOO *'), /"FOO" is not a number in the month field/);
    assert.throws(() => parseCron('*/0 * * * *'), /step "0"/);
  });
});

describe('window in force (Argo CD SyncWindow.active)', () => {
  test('our always-on deny window is in force at any instant', () => {
    for (const iso of ['2025-01-01T00:00:00Z', '2025-06-15T13:37:42.5Z', '2024-02-29T23:59:59Z']) assert.equal(windowTiming({ schedule: '* * * * *', duration: '24h' }, at(iso)).active, true, iso);
  });
  test('a daily window is in force only inside [start, start + duration)', () => {
    const w = { schedule: '0 22 * * *', duration: '1h' };
    assert.equal(windowTiming(w, at('2025-03-03T21:59:00Z')).active, false);
    assert.equal(windowTiming(w, at('2025-03-03T22:00:30Z')).active, true);
    assert.equal(windowTiming(w, at('2025-03-03T22:59:00Z')).active, true);
    assert.equal(windowTiming(w, at('2025-03-03T23:00:30Z')).active, false);
  });
  test('day-of-month OR day-of-week when both are restricted; AND when one is *', () => {
    const or = { schedule: '0 0 1 * MON', duration: '1h' };
    assert.equal(windowTiming(or, at('2025-09-01T00:30:00Z')).active, true, 'the 1st (a Monday too)');
    assert.equal(windowTiming(or, at('2025-09-08T00:30:00Z')).active, true, 'a Monday');
    assert.equal(windowTiming(or, at('2025-09-09T00:30:00Z')).active, false, 'a Tuesday, not the 1st');
    const and = { schedule: '0 0 * * MON', duration: '1h' };
    assert.equal(windowTiming(and, at('2025-10-01T00:30:00Z')).active, false, 'a Wednesday');
  });
  test('a window that started long ago is found without walking every minute', () => {
    const started = Date.now();
    assert.equal(windowTiming({ schedule: '0 0 1 1 *', duration: '8760h' }, at('2025-12-30T00:00:00Z')).active, true);
    assert.ok(Date.now() - started < 500);
  });
  test('time zones shift the schedule', () => {
    const w = { schedule: '0 9 * * *', duration: '1h', timeZone: 'Europe/Berlin' };
    assert.equal(timeZoneOffsetMs('Europe/Berlin', at('2025-01-15T12:00:00Z')), 3_600_000);
    assert.equal(windowTiming(w, at('2025-01-15T08:30:00Z')).active, true, '09:30 in Berlin');
    assert.equal(windowTiming(w, at('2025-01-15T09:30:00Z')).active, false, '10:30 in Berlin');
    const unknown = windowTiming({ ...w, timeZone: 'Mars/Olympus' }, at('2025-01-15T09:30:00Z'));
    assert.equal(unknown.active, true);
    assert.match(unknown.note ?? '', /unknown time zone "Mars\/Olympus": evaluated in UTC/);
  });
  test('a window that spans a daylight-saving change is read per instant (America/New_York)', () => {
    // 2026-03-08: 02:00 EST becomes 03:00 EDT (07:00Z). A 3h window opening at 01:00 EST (06:00Z) closes at 09:00Z.
    const spring = { schedule: '0 1 * * *', duration: '3h', timeZone: 'America/New_York' };
    assert.equal(windowTiming(spring, at('2026-03-08T08:30:00Z')).active, true, '04:30 EDT: 2.5 real hours after it opened');
    assert.equal(windowTiming(spring, at('2026-03-08T09:30:00Z')).active, false, '05:30 EDT: 3.5 real hours after');
    // 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00Z). A 3h window opening at 00:00 EDT (04:00Z) closes at 07:00Z.
    const fall = { schedule: '0 0 * * *', duration: '3h', timeZone: 'America/New_York' };
    assert.equal(windowTiming(fall, at('2026-11-01T06:30:00Z')).active, true, '01:30 EST: 2.5 real hours after');
    assert.equal(windowTiming(fall, at('2026-11-01T07:30:00Z')).active, false, '02:30 EST: 3.5 real hours after');
    // 01:30 happens twice that night: the window opens at the first one and again at the second.
    const twice = { schedule: '30 1 * * *', duration: '10m', timeZone: 'America/New_York' };
    assert.equal(windowTiming(twice, at('2026-11-01T05:35:00Z')).active, true, 'first 01:35 (EDT)');
    assert.equal(windowTiming(twice, at('2026-11-01T06:35:00Z')).active, true, 'second 01:35 (EST)');
    assert.equal(windowTiming(twice, at('2026-11-01T06:05:00Z')).active, false, 'between them');
  });
  test('an invalid window is reported, not thrown', () => {
    const t = windowTiming({ schedule: 'never', duration: '1h' }, new Date());
    assert.equal(t.active, false);
    assert.match(t.invalid ?? '', /needs 5 fields/);
  });
});
