import { isCalendarDate, isValidTimeZone, wallClockIn } from '../nodes/shared/time';

describe('the wall clock of a time zone', () => {
  it('reads date and time to the second, in the zone, across a date line', () => {
    const instant = new Date('2026-03-08T09:59:58.900Z');
    expect(wallClockIn('America/Los_Angeles', instant)).toEqual({ year: 2026, month: 3, day: 8, hour: 1, minute: 59, second: 58 });
    expect(wallClockIn('Pacific/Kiritimati', instant)).toEqual({ year: 2026, month: 3, day: 8, hour: 23, minute: 59, second: 58 });
    expect(wallClockIn('UTC', new Date('2026-12-31T23:59:59Z'))).toEqual({ year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 59 });
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(wallClockIn('Europe/Berlin', new Date('2026-06-30T22:00:00Z'))).toMatchObject({ day: 1, month: 7, hour: 0, minute: 0, second: 0 });
  });

  it('gives the same reading for a zone asked for again (the formatter is reused), and refuses an unknown zone', () => {
    const instant = new Date('2026-01-15T12:34:56Z');
    expect(wallClockIn('Asia/Tokyo', instant)).toEqual(wallClockIn('Asia/Tokyo', instant));
    expect(() => wallClockIn('Mars/Olympus', instant)).toThrow(RangeError);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('Asia/Tokyo')).toBe(true);
  });
});

describe('a calendar date', () => {
  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['tomorrow', false],
  ])('%s → %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});
