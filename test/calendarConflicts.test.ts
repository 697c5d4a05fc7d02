// Overlaps with busy times and the next free slot of the same length: pure functions.
import { mergeIntervals, nextFreeSlot, overlapping, type Interval } from '../nodes/shared/calendar/conflicts';
import { instantOf, localDateTimeOf } from '../nodes/shared/calendar/time';

const zone = 'Europe/Berlin';
const at = (local: string) => instantOf(local, zone);
const span = (from: string, to: string): Interval => ({ startMs: at(from), endMs: at(to) });
const local = (interval: Interval | undefined) => interval && [localDateTimeOf(interval.startMs, zone), localDateTimeOf(interval.endMs, zone)];
const HOUR = 3_600_000;

describe('busy intervals', () => {
  it('are merged when they overlap or touch, sorted, empty ones dropped', () => {
    const merged = mergeIntervals([
      span('2026-12-03T19:00', '2026-12-03T20:00'),
      span('2026-12-03T09:00', '2026-12-03T10:00'),
      span('2026-12-03T19:30', '2026-12-03T21:00'),
      span('2026-12-03T21:00', '2026-12-03T21:30'),
      span('2026-12-03T12:00', '2026-12-03T12:00'),
    ]);
    expect(merged.map(local)).toEqual([
      ['2026-12-03T09:00', '2026-12-03T10:00'],
      ['2026-12-03T19:00', '2026-12-03T21:30'],
    ]);
  });

  it.each([
    ['inside', '2026-12-03T19:15', '2026-12-03T19:45', true],
    ['covering', '2026-12-03T18:00', '2026-12-03T21:00', true],
    ['overlapping the start', '2026-12-03T18:30', '2026-12-03T19:30', true],
    ['overlapping the end', '2026-12-03T19:59', '2026-12-03T21:00', true],
    ['ending when it starts', '2026-12-03T18:00', '2026-12-03T19:00', false],
    ['starting when it ends', '2026-12-03T20:00', '2026-12-03T21:00', false],
    ['another day', '2026-12-04T19:00', '2026-12-04T20:00', false],
  ])('an event %s a 19:00–20:00 busy time: conflict %s', (_name, from, to, conflict) => {
    expect(overlapping([span('2026-12-03T19:00', '2026-12-03T20:00')], span(from, to)).length > 0).toBe(conflict);
  });
});

describe('the next free slot', () => {
  const options = (from: string, hours: number, extra: Partial<Parameters<typeof nextFreeSlot>[1]> = {}) => ({
    durationMs: hours * HOUR,
    fromMs: at(from),
    untilMs: at(from) + 72 * HOUR,
    timeZone: zone,
    ...extra,
  });

  it('is the event itself when nothing is busy', () => {
    expect(local(nextFreeSlot([], options('2026-12-03T19:00', 1)))).toEqual(['2026-12-03T19:00', '2026-12-03T20:00']);
  });

  it('starts when the busy time ends', () => {
    expect(local(nextFreeSlot([span('2026-12-03T19:00', '2026-12-03T20:00')], options('2026-12-03T19:00', 1)))).toEqual(['2026-12-03T20:00', '2026-12-03T21:00']);
  });

  it('skips gaps too short for the event', () => {
    const busy = [span('2026-12-03T10:00', '2026-12-03T11:00'), span('2026-12-03T11:30', '2026-12-03T12:00'), span('2026-12-03T12:30', '2026-12-03T13:00')];
    expect(local(nextFreeSlot(busy, options('2026-12-03T10:00', 1)))).toEqual(['2026-12-03T13:00', '2026-12-03T14:00']);
  });

  it('rounds up to the quarter hour', () => {
    expect(local(nextFreeSlot([span('2026-12-03T10:00', '2026-12-03T11:07')], options('2026-12-03T10:00', 1)))).toEqual(['2026-12-03T11:15', '2026-12-03T12:15']);
  });

  it('moves to the next morning when the day is full to its end', () => {
    expect(local(nextFreeSlot([span('2026-12-03T19:00', '2026-12-03T21:30')], options('2026-12-03T19:00', 1)))).toEqual(['2026-12-04T08:00', '2026-12-04T09:00']);
  });

  it('keeps to a day window of its own', () => {
    const found = nextFreeSlot([span('2026-12-03T19:00', '2026-12-03T23:00')], options('2026-12-03T19:00', 1, { dayWindow: { startHour: 0, endHour: 24 } }));
    expect(local(found)).toEqual(['2026-12-03T23:00', '2026-12-04T00:00']);
  });

  it('is none when everything until the horizon is busy', () => {
    expect(nextFreeSlot([span('2026-12-03T00:00', '2026-12-10T00:00')], options('2026-12-03T19:00', 1))).toBeUndefined();
  });

  it('counts real time on the night the clocks go back', () => {
    const found = nextFreeSlot([span('2026-10-25T08:00', '2026-10-25T09:00')], options('2026-10-25T08:00', 2));
    expect(local(found)).toEqual(['2026-10-25T09:00', '2026-10-25T11:00']);
    expect(found!.endMs - found!.startMs).toBe(2 * HOUR);
  });
});
