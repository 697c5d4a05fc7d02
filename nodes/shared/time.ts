// Time helpers shared by the core: row timestamps, calendar dates, and the wall clock of a time zone.

// Row timestamps are epoch milliseconds; people and n8n expressions read ISO strings.
export function isoOrNull(ms: unknown): string | null {
  if (ms === null || ms === undefined) return null;
  return new Date(Number(ms)).toISOString();
}

export function parseJsonColumn(text: unknown): unknown {
  if (text === null || text === undefined) return null;
  return JSON.parse(String(text));
}

/** A real calendar date in YYYY-MM-DD form (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building an Intl.DateTimeFormat costs far more than using one, and the clock is read on hot
// paths (every planner call, every quota estimate): one formatter per zone. Zone names are
// user input and Intl accepts any letter case, so the cache is bounded.
const FORMATTER_CACHE_LIMIT = 500;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    // Throws a RangeError for an unknown zone; nothing is cached then.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size >= FORMATTER_CACHE_LIMIT) formatters.clear();
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether Intl knows the IANA time zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading in a time zone at an instant. */
export function wallClockIn(timeZone: string, instant: Date): WallClock {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/**
 * The instants a wall-clock time names in a zone, earliest first: one, two in the hour the clock
 * goes back, none in the gap it jumps over. `wallMs` is that wall clock read as UTC, to the
 * minute (`Date.UTC(year, month - 1, day, hour, minute)`). No real zone changes its offset twice
 * within two days, so the offsets a day before and a day after are the only candidates.
 */
export function instantsOfWallClock(timeZone: string, wallMs: number): number[] {
  const wallMinuteOf = (ms: number) => {
    const w = wallClockIn(timeZone, new Date(ms));
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  };
  const offsetAt = (ms: number) => wallMinuteOf(ms) - Math.floor(ms / 60_000) * 60_000;
  return [...new Set([offsetAt(wallMs - 86_400_000), offsetAt(wallMs + 86_400_000)])]
    .map((offset) => wallMs - offset)
    .filter((instant) => wallMinuteOf(instant) === wallMs)
    .sort((a, b) => a - b);
}
