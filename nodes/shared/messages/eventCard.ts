// What an event draft looks like to the user: the card's labels, the overlap warning, the
// buttons' labels and the outcome messages. Telegram HTML: a value put in is escaped here, unless
// its doc says it is already HTML. The layout is in telegram/eventCard.ts.
import { escapeHtml } from '../telegram/html';

export const EVENT_CARD = {
  heading: '📅 <b>Event Draft</b>',
  titleLabel: '<b>Title:</b>',
  whenLabel: '<b>When:</b>',
  zoneLabel: '<b>Time zone:</b>',
  whereLabel: '<b>Where:</b>',
  notesLabel: '<b>Notes:</b>',
  allDay: 'all day',
  /** After a conflict check that Google could not answer: the card still offers Confirm. */
  notChecked: '<i>(Could not check your calendar for overlaps.)</i>',
} as const;

/** Said after the times when the user gave neither an end nor a duration. Plain text. */
export function defaultDurationNote(minutes: number): string {
  const hours = minutes / 60;
  const length = Number.isInteger(hours) ? `${hours} hour${hours === 1 ? '' : 's'}` : `${minutes} minutes`;
  return `${length}: no end was given`;
}

/** "⚠️ Overlaps with 19:00–20:00 busy" (the span already formatted, plain text). */
export function overlapsWith(span: string): string {
  return `⚠️ Overlaps with ${escapeHtml(span)} busy`;
}

/** The button that moves the draft to the next free slot of the same length (the span already formatted). */
export function moveToSlotButton(span: string): string {
  return `🕒 Move to ${span}`;
}

/** The one-tap choice for a request that could be either ("call the dentist at 3pm"). */
export const EVENT_OR_TASK = {
  question: 'Should this be a calendar event or a task?',
  event: '📅 Event',
  task: '✅ Task',
} as const;

/** 📅 Event on a task that has no date: an event needs a day, and we do not pick one. */
export function eventNeedsDay(title: string): string {
  return `“${escapeHtml(title)}” has no date, so it can't be an event yet. Tap ✏️ Edit and tell me when (for example "Friday at 7:30"), then 📅 Event.`;
}

export const EVENT_STATUS_LINES = {
  confirmed: '⏳ <b>Confirmed</b>: creating the event…',
  executed: '✅ <b>Confirmed</b>: event created in Google Calendar.',
  cancelled: '❌ <b>Cancelled</b>: nothing was created.',
  superseded: '✏️ <b>Replaced</b> by a newer draft.',
} as const;

/** "📅 Event created!" with the (already clipped) title and when (already formatted). */
export function eventCreated(title: string, when: string): string {
  return `📅 Event created!\n<b>${escapeHtml(title)}</b>\n${escapeHtml(when)}`;
}

/** The toast a press on an event button shows at once. */
export const EVENT_BUTTON_TOASTS = {
  move: 'Moving the event…',
  toevent: 'Making it an event…',
  totask: 'Making it a task…',
  cal: 'Choosing the calendar…',
} as const;

/** "✅ Event created: Dinner with Ana" and when (already clipped and formatted; plain text in). */
export function eventCreatedReply(title: string, when: string): string {
  return `✅ Event created: <b>${escapeHtml(title)}</b>\n${escapeHtml(when)}`;
}

/** /calendar: the calendars, each a button; the chosen one is marked. */
export const CALENDAR_PICKER = {
  heading: '📅 <b>Your calendars</b>\nNew events go to your primary calendar unless you pick another: tap "Use this" under one.',
  use: 'Use this',
  none: 'I could not find a calendar to add events to. Check the Google Calendar credential in n8n.',
  chosen: (name: string) => `📅 New events now go to <b>${escapeHtml(name)}</b>.`,
  gone: 'That calendar list is out of date. Send /calendar again.',
} as const;

/** What the event planner says: its questions and its reasoning (plain text; the card escapes it). */
export const EVENT_PLANNING = {
  whenIsIt: 'When is it? Tell me the day (and the time, if it has one).',
  whatToChange: 'What should I change about the event? For example "at 8pm", "on Saturday", "for 2 hours" or "rename to Dinner with Ana and Tom".',
  offline: '(drafted offline)',
  fromWords: (words: string) => `from "${words}"`,
  asTask: 'was a task',
} as const;
