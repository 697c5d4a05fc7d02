// Event times in the user's zone: wall clock ↔ instant across daylight-saving changes, the
// start/end/duration rules of an event draft, all-day events, and "in 2 hours" from when the
// message was sent.
import {
  DEFAULT_EVENT_MINUTES,
  addElapsedMinutes,
  dayBounds,
  eventSpanMs,
  instantOf,
  localDateTimeOf,
  localTimeAfter,
  offsetMinutesAt,
  resolveEventTiming,
  rfc3339In,
} from '../nodes/shared/calendar/time';
import { InputError } from '../nodes/shared/errors';

describe('a wall-clock time in a zone', () => {
  it.each([
    // zone, local, RFC 3339 of the instant it names
    ['Europe/Berlin', '2026-12-03T19:00', '2026-12-03T19:00:00+01:00'],
    ['Europe/Berlin', '2026-07-03T19:00', '2026-07-03T19:00:00+02:00'],
    ['UTC', '2026-07-03T19:00', '2026-07-03T19:00:00+00:00'],
    ['America/New_York', '2026-01-10T09:30', '2026-01-10T09:30:00-05:00'],
    ['America/New_York', '2026-06-10T09:30', '2026-06-10T09:30:00-04:00'],
    ['Asia/Kolkata', '2026-06-10T09:30', '2026-06-10T09:30:00+05:30'],
    ['Asia/Kathmandu', '2026-06-10T09:30', '2026-06-10T09:30:00+05:45'],
    ['Australia/Sydney', '2026-01-10T09:30', '2026-01-10T09:30:00+11:00'],
    ['Australia/Sydney', '2026-07-10T09:30', '2026-07-10T09:30:00+10:00'],
    ['Pacific/Kiritimati', '2026-07-10T23:30', '2026-07-10T23:30:00+14:00'],
    ['America/St_Johns', '2026-01-10T08:00', '2026-01-10T08:00:00-03:30'],
    // the minute before and after a spring-forward jump (Berlin 29 Mar 2026, 02:00 → 03:00)
    ['Europe/Berlin', '2026-03-29T01:59', '2026-03-29T01:59:00+01:00'],
    ['Europe/Berlin', '2026-03-29T03:00', '2026-03-29T03:00:00+02:00'],
    // inside the gap: moved forward by the jump
    ['Europe/Berlin', '2026-03-29T02:30', '2026-03-29T03:30:00+02:00'],
    ['America/New_York', '2026-03-08T02:15', '2026-03-08T03:15:00-04:00'],
    ['Australia/Lord_Howe', '2026-10-04T02:10', '2026-10-04T02:40:00+11:00'],
    // the repeated hour of a fall-back (Berlin 25 Oct 2026, 03:00 → 02:00): its first occurrence
    ['Europe/Berlin', '2026-10-25T02:30', '2026-10-25T02:30:00+02:00'],
    ['America/New_York', '2026-11-01T01:30', '2026-11-01T01:30:00-04:00'],
    ['Australia/Sydney', '2026-04-05T02:30', '2026-04-05T02:30:00+11:00'],
  ])('%s %s is %s', (zone, local, expected) => {
    const instant = instantOf(local, zone);
    expect(rfc3339In(instant, zone)).toBe(expected);
    expect(new Date(instant).getTime()).toBe(Date.parse(expected));
  });

  it('reads the offset of a zone at an instant, also for zones with half and quarter hours', () => {
    expect(offsetMinutesAt('Europe/Berlin', Date.parse('2026-01-01T00:00:00Z'))).toBe(60);
    expect(offsetMinutesAt('America/Los_Angeles', Date.parse('2026-07-01T00:00:00Z'))).toBe(-420);
    expect(offsetMinutesAt('Asia/Kathmandu', Date.parse('2026-07-01T00:00:00Z'))).toBe(345);
  });

  it('refuses an unknown zone and a malformed time', () => {
    expect(() => instantOf('2026-01-01T10:00', 'Mars/Olympus')).toThrow(InputError);
    expect(() => instantOf('2026-01-01 10:00', 'UTC')).toThrow(InputError);
    expect(() => instantOf('2026-02-30T10:00', 'UTC')).toThrow(InputError);
    expect(() => instantOf('2026-01-01T24:00', 'UTC')).toThrow(InputError);
  });

  it('turns an instant back into the wall clock', () => {
    expect(localDateTimeOf(Date.parse('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25T02:30');
    expect(localDateTimeOf(Date.parse('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25T02:30');
  });
});

describe('elapsed time across daylight-saving changes', () => {
  it('counts durations in real hours: 2 hours from 01:00 on the spring-forward night is 04:00', () => {
    expect(addElapsedMinutes('2026-03-29T01:00', 120, 'Europe/Berlin')).toBe('2026-03-29T04:00');
    expect(addElapsedMinutes('2026-10-25T01:00', 120, 'Europe/Berlin')).toBe('2026-10-25T02:00');
    expect(addElapsedMinutes('2026-12-31T23:30', 60, 'Europe/Berlin')).toBe('2027-01-01T00:30');
  });

  it.each([
    // sent at (UTC), minutes, zone, local start
    ['2026-03-29T00:30:00Z', 60, 'Europe/Berlin', '2026-03-29T03:30'],
    ['2026-10-25T00:15:00Z', 60, 'Europe/Berlin', '2026-10-25T02:15'],
    ['2026-12-03T22:30:00Z', 120, 'Europe/Berlin', '2026-12-04T01:30'],
    ['2026-12-03T22:30:00Z', 120, 'America/Los_Angeles', '2026-12-03T16:30'],
    ['2026-12-03T22:30:00Z', 30, 'Asia/Tokyo', '2026-12-04T08:00'],
  ])('"in %s + %i minutes" in %s starts at %s', (sentAt, minutes, zone, expected) => {
    expect(localTimeAfter(sentAt, minutes, zone)).toBe(expected);
  });

  it('spans 23 and 25 hours on the days the clock changes', () => {
    const spring = dayBounds('2026-03-29', 'Europe/Berlin');
    const autumn = dayBounds('2026-10-25', 'Europe/Berlin');
    const plain = dayBounds('2026-12-03', 'Europe/Berlin');
    expect((spring.endMs - spring.startMs) / 3_600_000).toBe(23);
    expect((autumn.endMs - autumn.startMs) / 3_600_000).toBe(25);
    expect((plain.endMs - plain.startMs) / 3_600_000).toBe(24);
    expect(new Date(plain.startMs).toISOString()).toBe('2026-12-02T23:00:00.000Z');
  });
});

describe('start, end and duration of an event draft', () => {
  const zone = 'Europe/Berlin';
  it.each<[string, Parameters<typeof resolveEventTiming>[0], Partial<ReturnType<typeof resolveEventTiming>>]>([
    [
      'no end and no duration: the default length, said to be a default',
      { date: '2026-12-03', time: '19:00', time_zone: zone },
      { all_day: false, start: '2026-12-03T19:00', end: '2026-12-03T20:00', duration_defaulted: true, duration_minutes: DEFAULT_EVENT_MINUTES },
    ],
    ['a duration', { date: '2026-12-03', time: '19:00', duration_minutes: 90, time_zone: zone }, { end: '2026-12-03T20:30', duration_defaulted: false, duration_minutes: 90 }],
    ['an end time', { date: '2026-12-03', time: '09:00', end_time: '17:30', time_zone: zone }, { end: '2026-12-03T17:30', duration_minutes: 510 }],
    ['an end time before the start: the next day', { date: '2026-12-31', time: '22:00', end_time: '01:00', time_zone: zone }, { end: '2027-01-01T01:00', duration_minutes: 180 }],
    ['an end on another day', { date: '2026-12-03', time: '18:00', end_date: '2026-12-05', end_time: '12:00', time_zone: zone }, { end: '2026-12-05T12:00' }],
    ['a start in the spring-forward gap moves forward', { date: '2026-03-29', time: '02:30', time_zone: zone }, { start: '2026-03-29T03:30', end: '2026-03-29T04:30' }],
    [
      'the hour a clock goes back is counted once: 01:00–04:00 lasts 4 hours',
      { date: '2026-10-25', time: '01:00', end_time: '04:00', time_zone: zone },
      { end: '2026-10-25T04:00', duration_minutes: 240 },
    ],
    [
      'a duration across the spring-forward jump is real time',
      { date: '2026-03-08', time: '01:30', duration_minutes: 60, time_zone: 'America/New_York' },
      { start: '2026-03-08T01:30', end: '2026-03-08T03:30' },
    ],
    ['a date only: all day, end exclusive', { date: '2026-12-12', time_zone: zone }, { all_day: true, start: '2026-12-12', end: '2026-12-13', duration_defaulted: false, duration_minutes: 1440 }],
    ['several days: the last day inclusive in, exclusive out', { date: '2026-12-24', end_date: '2026-12-26', time_zone: zone }, { all_day: true, start: '2026-12-24', end: '2026-12-27' }],
    ['all day across the end of a year', { date: '2026-12-31', time_zone: zone }, { all_day: true, start: '2026-12-31', end: '2027-01-01' }],
    ['all day on the 29th of February', { date: '2028-02-29', time_zone: zone }, { all_day: true, end: '2028-03-01' }],
    ['all day on a daylight-saving day keeps its dates', { date: '2026-03-29', time_zone: zone }, { all_day: true, start: '2026-03-29', end: '2026-03-30', duration_minutes: 1440 }],
    ['in Tokyo', { date: '2026-12-03', time: '23:30', duration_minutes: 45, time_zone: 'Asia/Tokyo' }, { start: '2026-12-03T23:30', end: '2026-12-04T00:15' }],
  ])('%s', (_name, input, expected) => {
    expect(resolveEventTiming(input)).toMatchObject({ time_zone: input.time_zone, ...expected });
  });

  it('refuses what is not a date, a time or a zone', () => {
    expect(() => resolveEventTiming({ date: '2026-13-01', time_zone: zone })).toThrow(InputError);
    expect(() => resolveEventTiming({ date: '2026-12-01', time: '7pm', time_zone: zone })).toThrow(InputError);
    expect(() => resolveEventTiming({ date: '2026-12-01', time: '19:00', end_time: '25:00', time_zone: zone })).toThrow(InputError);
    expect(() => resolveEventTiming({ date: '2026-12-01', time_zone: 'Nowhere/Else' })).toThrow(InputError);
    expect(() => resolveEventTiming({ date: '2026-12-03', time: '18:00', end_date: '2026-12-02', end_time: '12:00', time_zone: zone })).toThrow(InputError);
  });

  it('gives the instants of a draft: timed by its zone, all day from local midnight to local midnight', () => {
    expect(eventSpanMs({ all_day: false, start: '2026-12-03T19:00', end: '2026-12-03T20:00', time_zone: zone })).toEqual({
      startMs: Date.parse('2026-12-03T18:00:00Z'),
      endMs: Date.parse('2026-12-03T19:00:00Z'),
    });
    expect(eventSpanMs({ all_day: true, start: '2026-12-12', end: '2026-12-13', time_zone: 'America/New_York' })).toEqual({
      startMs: Date.parse('2026-12-12T05:00:00Z'),
      endMs: Date.parse('2026-12-13T05:00:00Z'),
    });
  });
});

describe('an event in the hour the clock goes back (Berlin, Sun 25 Oct 2026, 03:00 CEST → 02:00 CET)', () => {
  // 02:00–03:00 happens twice: 00:00–01:00 UTC (CEST), then 01:00–02:00 UTC (CET).
  it.each([
    ['02:30', 30, '2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z'],
    ['02:30', 60, '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z'],
    ['01:30', 60, '2026-10-24T23:30:00Z', '2026-10-25T00:30:00Z'],
  ])('%s for %i minutes ends after it starts, at the elapsed time', (time, minutes, startUtc, endUtc) => {
    const timing = resolveEventTiming({ date: '2026-10-25', time, duration_minutes: minutes, time_zone: 'Europe/Berlin' });
    const span = eventSpanMs(timing);
    expect(new Date(span.startMs).toISOString()).toBe(startUtc.replace('Z', '.000Z'));
    expect(new Date(span.endMs).toISOString()).toBe(endUtc.replace('Z', '.000Z'));
  });

  it('an end time of the second 02:30 after a start at the first is the same day, not the next', () => {
    const timing = resolveEventTiming({ date: '2026-10-25', time: '02:30', end_time: '02:30', time_zone: 'Europe/Berlin' });
    expect(timing).toMatchObject({ start: '2026-10-25T02:30', end: '2026-10-25T02:30', duration_minutes: 60 });
  });
});

describe('an event draft in the hour the clock goes back is a valid draft', () => {
  it('02:30 to 02:00 (the first 02:30 to the second 02:00) is kept; 02:30 to 02:00 on a normal day is not', () => {
    const { validateEventDraft } = jest.requireActual<typeof import('../nodes/shared/draft/eventDraft')>('../nodes/shared/draft/eventDraft');
    const night = { title: 'Night walk', all_day: false, start: '2026-10-25T02:30', end: '2026-10-25T02:00', time_zone: 'Europe/Berlin' };
    expect(validateEventDraft(night).ok).toBe(true);
    expect(validateEventDraft({ ...night, start: '2026-10-24T02:30', end: '2026-10-24T02:00' }).ok).toBe(false);
  });
});
