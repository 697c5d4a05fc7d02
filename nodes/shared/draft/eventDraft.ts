// The event draft: what Workflow C drafts, the Draft Store keeps (draft_type 'event') and the
// Event Executor turns into one Google Calendar event. One type, Google Calendar's limits under
// one name each, and one validator every step applies, next to the task draft (taskDraft.ts).
//
// Times are the user's wall clock in the draft's own time zone: "2026-12-03T19:00" in
// "Europe/Berlin", never an instant. The instant (and its UTC offset, which changes with
// daylight-saving time) is computed when the event is sent (calendar/time.ts), so a draft read
// back for an edit still says what the user said.

import { InputError } from '../errors';
import { sliceWhole } from '../text';
import { instantsOfWallClock, isCalendarDate, isValidTimeZone } from '../time';
import { daysBetween } from '../gemini/dates';

/** Google Calendar accepts long summaries; we keep a title to what a card and a phone show. */
export const EVENT_TITLE_MAX_CHARS = 1024;
export const EVENT_LOCATION_MAX_CHARS = 1024;
/** The description is free text on Google's side; 8,192 keeps a draft within one Telegram card. */
export const EVENT_NOTES_MAX_CHARS = 8192;
/** An event longer than this is a typo ("9 am to 5 am" read as 20 hours is fine, 15 days is not). */
export const MAX_EVENT_DAYS = 14;

/** "YYYY-MM-DDTHH:MM", the wall clock in the draft's time zone. */
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)$/;

export interface EventDraft {
  title: string;
  /** A date-only event ("Anna's birthday on the 12th"): start and end are YYYY-MM-DD, the end exclusive (Google's rule). */
  all_day: boolean;
  /** YYYY-MM-DDTHH:MM (timed) or YYYY-MM-DD (all day), in time_zone. */
  start: string;
  /** YYYY-MM-DDTHH:MM (timed) or the day after the last day (all day), in time_zone. */
  end: string;
  /** IANA name: the user's zone when the draft was made. */
  time_zone: string;
  /** No end or duration was given: the end is start + the default duration, and the card says so. */
  duration_defaulted?: boolean;
  location?: string;
  notes?: string;
  /** Why these times: shown on the card like a task's due_date_reasoning. */
  time_reasoning?: string;
  [extra: string]: unknown;
}

export type EventValidation = { ok: true; event: EventDraft } | { ok: false; problems: string[] };

export function isLocalDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = LOCAL_DATE_TIME.exec(value);
  return match !== null && isCalendarDate(match[1]);
}

/** Accepts an object or JSON text shaped like an event draft; refuses anything else. */
export function parseEventDraft(value: unknown): EventDraft {
  let event = value;
  if (typeof event === 'string') {
    try {
      event = JSON.parse(event);
    } catch (error) {
      throw new InputError(`Event draft is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!event || typeof event !== 'object' || Array.isArray(event)) throw new InputError('Event draft must be a JSON object with a title, start and end');
  const draft = event as Record<string, unknown>;
  if (typeof draft.title !== 'string' || draft.title.trim() === '') throw new InputError('Event draft has no title');
  if (typeof draft.start !== 'string' || typeof draft.end !== 'string') throw new InputError('Event draft needs a start and an end');
  if (typeof draft.time_zone !== 'string') throw new InputError('Event draft needs a time_zone');
  return { ...draft, title: draft.title, all_day: draft.all_day === true, start: draft.start, end: draft.end, time_zone: draft.time_zone } as EventDraft;
}

function clipText(text: string, max: number): string {
  return sliceWhole(text, max).trimEnd();
}

/** Shortens over-long text so a generated draft passes validateEventDraft where that needs nobody's answer. */
export function fitEventDraft<T extends EventDraft>(event: T): T {
  return {
    ...event,
    title: clipText(event.title.trim(), EVENT_TITLE_MAX_CHARS),
    ...(typeof event.location === 'string' ? { location: clipText(event.location.trim(), EVENT_LOCATION_MAX_CHARS) } : {}),
    ...(typeof event.notes === 'string' ? { notes: clipText(event.notes.trim(), EVENT_NOTES_MAX_CHARS) } : {}),
  };
}

/** A same-day end shown before its start that is after it in time: the first 02:30 to the second 02:00. */
function endsAfterStartInZone(event: EventDraft): boolean {
  if (!isValidTimeZone(event.time_zone) || event.end.slice(0, 10) !== event.start.slice(0, 10)) return false;
  const instants = (local: string) => instantsOfWallClock(event.time_zone, Date.parse(`${local}:00Z`));
  const start = instants(event.start)[0];
  return start !== undefined && instants(event.end).some((end) => end > start);
}

/**
 * Checks an event draft against Google Calendar's rules before any call. Nothing is created
 * for a draft that fails here, and the Draft Store refuses to keep one.
 */
export function validateEventDraft(event: EventDraft | undefined | null): EventValidation {
  const problems: string[] = [];
  if (!event || typeof event !== 'object') return { ok: false, problems: ['the draft has no event'] };
  const title = typeof event.title === 'string' ? event.title.trim() : '';
  if (!title) problems.push('the title is empty');
  else if (title.length > EVENT_TITLE_MAX_CHARS) problems.push(`the title is ${title.length} characters long (at most ${EVENT_TITLE_MAX_CHARS})`);
  if (typeof event.time_zone !== 'string' || !isValidTimeZone(event.time_zone)) problems.push(`the time zone "${String(event.time_zone)}" is not an IANA time zone`);

  const allDay = event.all_day === true;
  const okStart = allDay ? typeof event.start === 'string' && isCalendarDate(event.start) : isLocalDateTime(event.start);
  const okEnd = allDay ? typeof event.end === 'string' && isCalendarDate(event.end) : isLocalDateTime(event.end);
  const shape = allDay ? 'a date (YYYY-MM-DD)' : 'a local date and time (YYYY-MM-DDTHH:MM)';
  if (!okStart) problems.push(`the start "${String(event.start)}" is not ${shape}`);
  if (!okEnd) problems.push(`the end "${String(event.end)}" is not ${shape}`);
  if (okStart && okEnd) {
    // Wall-clock strings of one zone compare like the instants they name, except inside the
    // hour a clock goes back: there the instants decide (02:30 to 02:00 is 30 minutes from the
    // first 02:30 to the second 02:00). A timed event ending before it starts is refused.
    if (event.end <= event.start && (allDay || !endsAfterStartInZone(event))) problems.push(allDay ? 'the end date must be after the start date' : 'the end must be after the start');
    else if (daysBetween(event.start.slice(0, 10), event.end.slice(0, 10)) > MAX_EVENT_DAYS) {
      problems.push(`the event is longer than ${MAX_EVENT_DAYS} days`);
    }
  }
  for (const [field, max, verb] of [
    ['location', EVENT_LOCATION_MAX_CHARS, 'is'],
    ['notes', EVENT_NOTES_MAX_CHARS, 'are'],
  ] as const) {
    const value = event[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') problems.push(`the ${field} ${verb} not text`);
    else if (value.trim().length > max) problems.push(`the ${field} ${verb} ${value.trim().length} characters long (at most ${max})`);
  }
  if (problems.length) return { ok: false, problems };
  const location = typeof event.location === 'string' ? event.location.trim() : '';
  const notes = typeof event.notes === 'string' ? event.notes.trim() : '';
  const { location: _l, notes: _n, ...rest } = event;
  return { ok: true, event: { ...rest, title, all_day: allDay, ...(location ? { location } : {}), ...(notes ? { notes } : {}) } };
}
