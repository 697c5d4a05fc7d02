// How event drafts look in Telegram: the card with the event's times in the user's words, the
// overlap warning from the conflict check, and the label of the next-free-slot button. HTML,
// at most 4096 characters. The words are in messages/eventCard.ts.

import { EVENT_TITLE_MAX_CHARS, type EventDraft } from '../draft/eventDraft';
import type { DraftStatus } from '../draft/drafts';
import { clipText } from '../text';
import { defaultDurationNote, EVENT_CARD, EVENT_OR_TASK, EVENT_STATUS_LINES, eventCreatedReply, moveToSlotButton, overlapsWith } from '../messages/eventCard';
import { DRAFT_CANCELLED } from '../messages/draftCard';
import { callbackData, eventCallbackData, type MediaNote, MEDIA_SUMMARY_MAX_CHARS, TELEGRAM_TEXT_LIMIT } from '../contracts';
import { mediaCardLine } from '../messages/media';
import type { Draft } from '../draft/drafts';
import type { EventConflictFields } from '../draft/transform';
import { eventSpanMs } from '../calendar/time';
import { escapeHtml } from './html';

/** "Thu 3 Dec", with the year: "Thu 3 Dec 2026". */
function dayText(date: string, withYear: boolean): string {
  const value = new Date(`${date}T00:00:00Z`);
  const weekday = value.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
  const dayMonth = value.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return `${weekday} ${dayMonth}${withYear ? ` ${date.slice(0, 4)}` : ''}`;
}

function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * When an event is, in words: "Thu 3 Dec 2026, 19:00–20:00", "Thu 31 Dec 2026, 22:00 – Fri 1
 * Jan 2027, 01:00", "Sat 12 Dec 2026, all day", "Thu 24 Dec – Sat 26 Dec 2026, all day".
 */
export function describeEventTime(event: Pick<EventDraft, 'all_day' | 'start' | 'end'>): string {
  if (event.all_day) {
    const last = previousDay(event.end);
    if (last <= event.start) return `${dayText(event.start, true)}, ${EVENT_CARD.allDay}`;
    return `${dayText(event.start, event.start.slice(0, 4) !== last.slice(0, 4))} – ${dayText(last, true)}, ${EVENT_CARD.allDay}`;
  }
  const [startDay, startClock] = [event.start.slice(0, 10), event.start.slice(11, 16)];
  const [endDay, endClock] = [event.end.slice(0, 10), event.end.slice(11, 16)];
  if (startDay === endDay) return `${dayText(startDay, true)}, ${startClock}–${endClock}`;
  return `${dayText(startDay, true)}, ${startClock} – ${dayText(endDay, true)}, ${endClock}`;
}

/** A busy time or a slot (local YYYY-MM-DDTHH:MM) relative to the event's day: "19:00–20:00", or with dates when on another day. */
export function describeSpan(span: { startLocal: string; endLocal: string }, eventDay: string): string {
  const sameDay = span.startLocal.slice(0, 10) === eventDay && span.endLocal.slice(0, 10) === eventDay;
  if (sameDay) return `${span.startLocal.slice(11, 16)}–${span.endLocal.slice(11, 16)}`;
  const start = `${dayText(span.startLocal.slice(0, 10), false)} ${span.startLocal.slice(11, 16)}`;
  const end = span.endLocal.slice(0, 10) === span.startLocal.slice(0, 10) ? span.endLocal.slice(11, 16) : `${dayText(span.endLocal.slice(0, 10), false)} ${span.endLocal.slice(11, 16)}`;
  return `${start}–${end}`;
}

export interface EventCardContext {
  status?: DraftStatus;
  /** From Check Conflicts: what overlaps the event (local times). */
  conflicts?: { startLocal: string; endLocal: string }[];
  /** Check Conflicts failed: the card says the calendar was not checked. */
  conflictCheckFailed?: boolean;
  /** The draft's length in minutes, for the default-duration note. */
  durationMinutes?: number;
  /** Made from a voice note or photo: what was heard or read, shown first (as on a task card). */
  media?: Pick<MediaNote, 'kind' | 'summary'> | null;
}

const STATUS_LINES: Partial<Record<DraftStatus, string>> = EVENT_STATUS_LINES;

/** The event draft card. Escapes everything the user or the model wrote; notes are shortened first so the whole stays ≤ 4096. */
export function renderEventCard(event: EventDraft, context: EventCardContext = {}): string {
  const day = event.start.slice(0, 10);
  const durationNote =
    !event.all_day && event.duration_defaulted && context.durationMinutes ? ` <i>(${escapeHtml(defaultDurationNote(context.durationMinutes))})</i>` : '';
  const reasoning = event.time_reasoning ? ` <i>(${escapeHtml(clipText(event.time_reasoning, 300))})</i>` : '';
  const heard = context.media?.summary.trim() ? [mediaCardLine(context.media.kind, clipText(context.media.summary.trim(), MEDIA_SUMMARY_MAX_CHARS)), ''] : [];
  const head = [
    ...heard,
    EVENT_CARD.heading,
    '',
    `${EVENT_CARD.titleLabel} ${escapeHtml(clipText(event.title, EVENT_TITLE_MAX_CHARS))}`,
    `${EVENT_CARD.whenLabel} ${escapeHtml(describeEventTime(event))}${durationNote}${reasoning}`,
  ];
  if (!event.all_day) head.push(`${EVENT_CARD.zoneLabel} ${escapeHtml(event.time_zone)}`);
  if (event.location) head.push(`${EVENT_CARD.whereLabel} ${escapeHtml(clipText(event.location, 300))}`);
  const warnings = (context.conflicts ?? []).slice(0, 5).map((span) => overlapsWith(describeSpan(span, day)));
  if (context.conflictCheckFailed) warnings.push(EVENT_CARD.notChecked);
  const status = context.status && STATUS_LINES[context.status];
  const tail = [...(warnings.length ? ['', ...warnings] : []), ...(status ? ['', status] : [])];
  const fixed = [...head, ...tail].join('\n').length;
  if (!event.notes) return [...head, ...tail].join('\n');
  const room = TELEGRAM_TEXT_LIMIT - fixed - EVENT_CARD.notesLabel.length - 8;
  // Escaping can lengthen the notes: clip the plain text, then escape, shrinking until it fits.
  let budget = Math.max(0, room);
  let notes = escapeHtml(clipText(event.notes, budget));
  while (notes.length > room && budget > 0) {
    budget = Math.floor(budget * 0.8);
    notes = escapeHtml(clipText(event.notes, budget));
  }
  return [...head, `${EVENT_CARD.notesLabel} ${notes}`, ...tail].join('\n');
}

/**
 * An event draft as Workflow C shows it: the card (with the overlap warning Check Conflicts left
 * on the draft), the buttons' data, the second row's one button (🕒 Move to the next free slot
 * on an overlap, else ✅ Task) and the message once it is created or cancelled.
 */
export function eventDraftCard(draft: Pick<Draft, 'id' | 'task' | 'status'> & Partial<Pick<Draft, 'media'>>) {
  const event = draft.task as unknown as EventDraft & EventConflictFields;
  const span = eventSpanMs(event);
  const text = renderEventCard(event, {
    media: draft.media ?? null,
    status: draft.status,
    conflicts: event.conflicts,
    conflictCheckFailed: event.conflict_check_failed === true,
    durationMinutes: Math.round((span.endMs - span.startMs) / 60_000),
  });
  const slot = event.next_free_slot;
  const statusText =
    draft.status === 'executed' ? eventCreatedReply(clipText(event.title, 200), describeEventTime(event)) : draft.status === 'cancelled' ? DRAFT_CANCELLED : null;
  return {
    text,
    statusText,
    confirmData: callbackData('confirm', draft.id),
    editData: callbackData('edit', draft.id),
    cancelData: callbackData('cancel', draft.id),
    extraText: slot ? moveToSlotButton(describeSpan(slot, event.start.slice(0, 10))) : EVENT_OR_TASK.task,
    extraData: slot ? eventCallbackData('move', draft.id) : eventCallbackData('totask', draft.id),
  };
}
