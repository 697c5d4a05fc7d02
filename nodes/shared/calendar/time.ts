// Event times: the user's wall clock in their time zone ↔ instants, across daylight-saving
// changes, and the start/end/duration rules of an event draft.
//
// A wall-clock time that does not exist (the hour a clock jumps forward) moves forward by the
// jump, as Google Calendar and most calendars do (02:30 on the spring-forward night in Berlin
// is 03:30 CEST). One that exists twice (the hour a clock goes back) is its first occurrence.
// A duration is elapsed time: a 2-hour event starting 00:30 on the fall-back night ends at 01:30
// of the second occurrence, which the wall clock shows as 01:30.

import { InputError } from '../errors';
import { addDays, formatDate } from '../gemini/dates';
import { instantsOfWallClock, isCalendarDate, isValidTimeZone, wallClockIn } from '../time';
import { isLocalDateTime, type EventDraft } from '../draft/eventDraft';

/** The duration of a timed event when the user gave neither an end nor a duration (stated on the card). */
export const DEFAULT_EVENT_MINUTES = 60;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function requireZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new InputError(`Unknown time zone "${timeZone}"`, 'Use an IANA name such as Europe/Berlin.');
}

/** The zone's UTC offset at an instant, in minutes (Berlin in winter: 60). */
export function offsetMinutesAt(timeZone: string, instantMs: number): number {
  const wall = wallClockIn(timeZone, new Date(instantMs));
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / MINUTE_MS);
}

function parseLocal(local: string): { date: string; hour: number; minute: number } {
  if (!isLocalDateTime(local)) throw new InputError(`"${local}" is not a local date and time (YYYY-MM-DDTHH:MM)`);
  return { date: local.slice(0, 10), hour: Number(local.slice(11, 13)), minute: Number(local.slice(14, 16)) };
}

/** "YYYY-MM-DDTHH:MM" of an instant in a zone. */
export function localDateTimeOf(instantMs: number, timeZone: string): string {
  const wall = wallClockIn(timeZone, new Date(instantMs));
  return `${formatDate(wall.year, wall.month, wall.day)}T${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
}

/** Every instant a wall-clock time names in a zone, earliest first: one, two in the hour the clock goes back, or (in a gap) the one after the jump. */
function instantsOf(local: string, timeZone: string): number[] {
  requireZone(timeZone);
  const { date, hour, minute } = parseLocal(local);
  const [year, month, day] = date.split('-').map(Number);
  const wallMs = Date.UTC(year, month - 1, day, hour, minute);
  const valid = instantsOfWallClock(timeZone, wallMs);
  // In the gap: read with the offset from before the jump, it lands after the jump.
  return valid.length ? valid : [wallMs - offsetMinutesAt(timeZone, wallMs - DAY_MS) * MINUTE_MS];
}

/** The instant a wall-clock time names in a zone (gaps move forward, overlaps take the first occurrence). */
export function instantOf(local: string, timeZone: string): number {
  return instantsOf(local, timeZone)[0];
}

/**
 * The instant an event's end names: its first occurrence after the start. In the hour the clock
 * goes back, an end shown as 02:00 after a start at the first 02:30 is the second 02:00, not
 * half an hour before the start.
 */
export function endInstantOf(local: string, timeZone: string, startMs: number): number {
  const all = instantsOf(local, timeZone);
  return all.find((instant) => instant > startMs) ?? all[0];
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** RFC 3339 with the zone's offset at that moment: "2026-12-03T19:00:00+01:00". */
export function rfc3339In(instantMs: number, timeZone: string): string {
  return `${localDateTimeOf(instantMs, timeZone)}:00${offsetText(offsetMinutesAt(timeZone, instantMs))}`;
}

/** The wall-clock time `minutes` of elapsed time after a local time. */
export function addElapsedMinutes(local: string, minutes: number, timeZone: string): string {
  return localDateTimeOf(instantOf(local, timeZone) + minutes * MINUTE_MS, timeZone);
}

/** "in 2 hours", counted from when the message was sent: elapsed time, in the user's zone. */
export function localTimeAfter(sentAt: Date | string | number, minutes: number, timeZone: string): string {
  requireZone(timeZone);
  const sent = new Date(sentAt).getTime();
  if (Number.isNaN(sent)) throw new InputError(`"${String(sentAt)}" is not a time`);
  return localDateTimeOf(sent + minutes * MINUTE_MS, timeZone);
}

/** The instants a local day spans (23 or 25 hours on a daylight-saving change): [start, end). */
export function dayBounds(date: string, timeZone: string): { startMs: number; endMs: number } {
  if (!isCalendarDate(date)) throw new InputError(`"${date}" is not a date (YYYY-MM-DD)`);
  return { startMs: instantOf(`${date}T00:00`, timeZone), endMs: instantOf(`${addDays(date, 1)}T00:00`, timeZone) };
}

export interface EventTimingInput {
  /** The day it starts, YYYY-MM-DD, already resolved from "tomorrow", "on the 12th" in the user's zone. */
  date: string;
  /** HH:MM, or absent for an all-day event. */
  time?: string | null;
  /** The last day (inclusive) of an all-day event, or the day a timed event ends when not `date`. */
  end_date?: string | null;
  /** HH:MM the event ends. */
  end_time?: string | null;
  duration_minutes?: number | null;
  /** Date-only requests are all-day events only when this says so; a time makes it timed regardless. */
  all_day?: boolean;
  time_zone: string;
}

export type EventTiming = Pick<EventDraft, 'all_day' | 'start' | 'end' | 'time_zone'> & { duration_defaulted: boolean; duration_minutes: number };

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Start and end of an event draft. All day: the end is the day after the last day (exclusive).
 * Timed: the end is the given end time (on the next day when it is not after the start:
 * "22:00 to 01:00"), or start + the duration, or start + DEFAULT_EVENT_MINUTES (then
 * duration_defaulted). A start inside a daylight-saving gap moves forward.
 */
export function resolveEventTiming(input: EventTimingInput): EventTiming {
  requireZone(input.time_zone);
  if (!isCalendarDate(input.date)) throw new InputError(`The event's date "${input.date}" is not a date (YYYY-MM-DD)`);
  if (input.end_date && !isCalendarDate(input.end_date)) throw new InputError(`The event's end date "${input.end_date}" is not a date (YYYY-MM-DD)`);
  const zone = input.time_zone;
  if (!input.time) {
    const last = input.end_date && input.end_date >= input.date ? input.end_date : input.date;
    const end = addDays(last, 1);
    const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${input.date}T00:00:00Z`)) / DAY_MS);
    return { all_day: true, start: input.date, end, time_zone: zone, duration_defaulted: false, duration_minutes: days * 24 * 60 };
  }
  if (!HH_MM.test(input.time)) throw new InputError(`The event's time "${input.time}" is not HH:MM`);
  const startMs = instantOf(`${input.date}T${input.time}`, zone);
  const start = localDateTimeOf(startMs, zone);
  let endMs: number;
  let defaulted = false;
  if (input.end_time) {
    if (!HH_MM.test(input.end_time)) throw new InputError(`The event's end time "${input.end_time}" is not HH:MM`);
    endMs = endInstantOf(`${input.end_date ?? input.date}T${input.end_time}`, zone, startMs);
    if (!input.end_date && endMs <= startMs) endMs = instantOf(`${addDays(input.date, 1)}T${input.end_time}`, zone);
  } else if (input.duration_minutes && input.duration_minutes > 0) {
    endMs = startMs + Math.round(input.duration_minutes) * MINUTE_MS;
  } else {
    endMs = startMs + DEFAULT_EVENT_MINUTES * MINUTE_MS;
    defaulted = true;
  }
  if (endMs <= startMs) throw new InputError('The event must end after it starts');
  return {
    all_day: false,
    start,
    end: localDateTimeOf(endMs, zone),
    time_zone: zone,
    duration_defaulted: defaulted,
    duration_minutes: Math.round((endMs - startMs) / MINUTE_MS),
  };
}

/** The span of an event draft as instants: timed by its zone, all-day from the first day's midnight to the end day's. */
export function eventSpanMs(event: Pick<EventDraft, 'all_day' | 'start' | 'end' | 'time_zone'>): { startMs: number; endMs: number } {
  if (event.all_day) return { startMs: dayBounds(event.start, event.time_zone).startMs, endMs: dayBounds(event.end, event.time_zone).startMs };
  const startMs = instantOf(event.start, event.time_zone);
  return { startMs, endMs: endInstantOf(event.end, event.time_zone, startMs) };
}
