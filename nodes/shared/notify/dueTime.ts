// When a reminder or a briefing is due, as an instant, from a local time in the user's time zone.
// Daylight-saving safe: a local time is turned into an instant by the zone's offset at that
// moment, a time that does not exist (the spring-forward gap) moves forward by the gap, and a
// time that exists twice (the fall-back hour) is the first of the two.
import { findDateMention } from '../gemini/fallback';
import { addDays, formatDate } from '../gemini/dates';
import { isCalendarDate, wallClockIn } from '../time';

const MINUTE_MS = 60_000;

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
  minute: number;
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
function offsetMs(timeZone: string, instant: number): number {
  const clock = wallClockIn(timeZone, new Date(instant));
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a local wall-clock time names in a zone (see the file's note for gaps and repeats). */
export function instantOfLocalTime(timeZone: string, local: LocalTime): Date {
  if (!isCalendarDate(local.date)) throw new RangeError(`not a calendar date: ${local.date}`);
  const [year, month, day] = local.date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day, local.hour, local.minute);
  // The two offsets that can apply around this wall time: a day before and a day after.
  const candidates = [...new Set([offsetMs(timeZone, wall - 86_400_000), offsetMs(timeZone, wall + 86_400_000)])]
    .map((offset) => wall - offset)
    .filter((instant) => wall - offsetMs(timeZone, instant) === instant)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  // In the gap: the offset before the change applies, which lands after the gap by its length.
  return new Date(wall - offsetMs(timeZone, wall - 86_400_000));
}

/** The local date and time of an instant in a zone. */
export function localTimeOf(timeZone: string, instant: Date): LocalTime {
  const clock = wallClockIn(timeZone, instant);
  return { date: formatDate(clock.year, clock.month, clock.day), hour: clock.hour, minute: clock.minute };
}

export function clockText(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** 'HH:MM' (24-hour) → hour and minute, or null. */
export function parseClock(text: string): { hour: number; minute: number } | null {
  const match = /^\s*([01]?\d|2[0-3])[:.h]([0-5]\d)\s*$/.exec(text);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

const RELATIVE = /\bin\s+(\d{1,4}|an?|one|half an?)\s*(minutes?|mins?|m|hours?|hrs?|h)\b/i;

export interface ReminderTime {
  /** The instant it is due (ISO). */
  at: string;
  /** The user's local date and time of it, as shown ("21:00"). */
  date: string;
  time: string;
}

/**
 * The reminder a request asks for, when it names a time of day or a delay ("call mom at 9pm
 * tomorrow", "remind me to stretch in 20 minutes"); null when it names none (a date alone is a
 * due date, not a reminder). `dueDate` is the draft's own date, which wins over the one read here
 * (the planner may have read "next Friday" better). A delay counts from `sentAt`, the message's
 * time (the minute it was sent in), in real time (across a DST change too); a time of day is on that date in the user's zone.
 */
export function reminderFromText(text: string, timeZone: string, sentAt: Date, dueDate?: string | null): ReminderTime | null {
  const relative = RELATIVE.exec(text);
  if (relative) {
    const amount = /^\d/.test(relative[1]) ? Number(relative[1]) : /half/i.test(relative[1]) ? 0.5 : 1;
    const unitMs = /^h/i.test(relative[2]) ? 60 * MINUTE_MS : MINUTE_MS;
    if (amount <= 0) return null;
    // From the minute the message was sent in, as the planner counts (its clock is to the minute),
    // so the card's time note and its reminder name the same minute.
    const at = new Date(Math.floor(sentAt.getTime() / MINUTE_MS) * MINUTE_MS + amount * unitMs);
    return describe(timeZone, at);
  }
  const now = localTimeOf(timeZone, sentAt);
  const mention = findDateMention(text, { date: now.date, minutesIntoDay: now.hour * 60 + now.minute }, timeZone);
  if (!mention || mention.hour === null || mention.minute === null) return null;
  let date = dueDate && isCalendarDate(dueDate) ? dueDate : mention.date;
  let at = instantOfLocalTime(timeZone, { date, hour: mention.hour, minute: mention.minute });
  // A time of day alone that has passed today is tomorrow's (the planner may have said today).
  if (at.getTime() <= sentAt.getTime() && mention.timeOnly) {
    date = addDays(date, 1);
    at = instantOfLocalTime(timeZone, { date, hour: mention.hour, minute: mention.minute });
  }
  return describe(timeZone, at);
}

function describe(timeZone: string, at: Date): ReminderTime {
  const local = localTimeOf(timeZone, at);
  return { at: at.toISOString(), date: local.date, time: clockText(local.hour, local.minute) };
}

export type SnoozeChoice = 'hour' | 'tomorrow';

/**
 * Where a snooze moves a reminder: an hour from the press (real time), or tomorrow at the
 * reminder's own local time of day (the same wall clock across a DST change).
 */
export function snoozedTime(choice: SnoozeChoice, timeZone: string, pressedAt: Date, reminderAt: Date): ReminderTime {
  if (choice === 'hour') return describe(timeZone, new Date(Math.ceil((pressedAt.getTime() + 60 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS));
  const original = localTimeOf(timeZone, reminderAt);
  const today = localTimeOf(timeZone, pressedAt).date;
  // Tomorrow from the press; a reminder pressed the day after it was due still moves ahead.
  const base = today > original.date ? today : original.date;
  return describe(timeZone, instantOfLocalTime(timeZone, { date: addDays(base, 1), hour: original.hour, minute: original.minute }));
}

/**
 * The briefing that is due by `now` for a user with a briefing at `clock` (HH:MM local): the
 * latest occurrence at or before now, if it is not older than the briefing setting (`since`) nor
 * than a day. A briefing missed while n8n was down is thus found late, once, with its own date.
 */
export function dueBriefing(timeZone: string, clock: string, now: Date, since: Date | null): { date: string; at: Date } | null {
  const parsed = parseClock(clock);
  if (!parsed) return null;
  const today = localTimeOf(timeZone, now).date;
  for (const date of [today, addDays(today, -1)]) {
    const at = instantOfLocalTime(timeZone, { date, ...parsed });
    if (at.getTime() > now.getTime()) continue;
    if (since && at.getTime() < since.getTime()) return null;
    if (now.getTime() - at.getTime() > 24 * 60 * MINUTE_MS) return null;
    return { date, at };
  }
  return null;
}
