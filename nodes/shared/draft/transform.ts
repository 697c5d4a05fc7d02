// One tap turns a draft into another: 📅 Event makes a task draft (one with a time of day, say)
// an event draft, ✅ Task makes an event draft a task draft, 🕒 Move to … moves an event draft to
// the next free slot the conflict check found. Pure: the Draft Store saves the result as a new
// draft that supersedes the old one, and Workflow C shows it in the old card.
import { InputError } from '../errors';
import { resolveEventTiming } from '../calendar/time';
import { timeOfDayNote } from '../messages/draftCard';
import { EVENT_PLANNING } from '../messages/eventCard';
import { fitEventDraft, parseEventDraft, type EventDraft } from './eventDraft';
import { fitTaskDraft, type CompleteTaskDraft, type TaskDraft } from './taskDraft';
import type { Draft } from './drafts';

export const DRAFT_TRANSFORMS = ['toEvent', 'toTask', 'moveToSlot'] as const;
export type DraftTransform = (typeof DRAFT_TRANSFORMS)[number];

/** What Check Conflicts left on an event draft, for its card and its 🕒 Move button. */
export interface EventConflictFields {
  conflicts?: { startLocal: string; endLocal: string }[];
  next_free_slot?: { startLocal: string; endLocal: string } | null;
  conflict_check_failed?: boolean;
}

/** "Time: 21:00 (…)" as the planner keeps a time of day in a task's notes. */
const TIME_IN_NOTES = /^Time: ([01]\d|2[0-3]):([0-5]\d)\b.*$/m;

function withoutConflicts(event: EventDraft): EventDraft {
  const { conflicts: _c, next_free_slot: _n, conflict_check_failed: _f, ...rest } = event as EventDraft & EventConflictFields;
  return rest;
}

/** A task draft 📅 Event cannot turn into an event: it names no day (we never pick one for the user). */
export function taskHasNoDay(draft: Pick<Draft, 'draftType' | 'task'>): boolean {
  return draft.draftType !== 'event' && !(draft.task as TaskDraft).due_date;
}

export function taskToEvent(task: TaskDraft, timeZone: string): EventDraft {
  const notes = typeof task.notes === 'string' ? task.notes : '';
  const time = TIME_IN_NOTES.exec(notes);
  const date = task.due_date;
  if (!date) throw new InputError('This task draft has no date, so it cannot become an event', 'Give the task a due date first (✏️ Edit).');
  const timing = resolveEventTiming({ date, time: time ? `${time[1]}:${time[2]}` : null, time_zone: timeZone });
  const { duration_minutes: _m, ...times } = timing;
  const rest = notes.replace(TIME_IN_NOTES, '').trim();
  const subtasks = task.subtasks.map((s) => `• ${s.title}`).join('\n');
  const eventNotes = [rest, subtasks].filter(Boolean).join('\n');
  return fitEventDraft({ title: task.title, ...times, ...(eventNotes ? { notes: eventNotes } : {}), time_reasoning: EVENT_PLANNING.asTask });
}

export function eventToTask(event: EventDraft): CompleteTaskDraft {
  const clock = event.all_day ? null : event.start.slice(11, 16);
  const notes = [clock ? timeOfDayNote(clock, clock) : '', event.location ? `${event.location}` : '', event.notes ?? ''].filter(Boolean).join('\n');
  return fitTaskDraft({ title: event.title, due_date: event.start.slice(0, 10), due_date_reasoning: EVENT_PLANNING.asTask, notes, subtasks: [] });
}

export function moveToSlot(event: EventDraft & EventConflictFields): EventDraft {
  const slot = event.next_free_slot;
  if (!slot) throw new InputError('This event draft has no free slot to move to', 'Check its conflicts first (Event Executor › Check Conflicts).');
  return { ...withoutConflicts(event), start: slot.startLocal, end: slot.endLocal, time_reasoning: undefined as unknown as string };
}

/** The new draft a transform makes of `draft`, and its type. */
export function transformDraft(draft: Pick<Draft, 'draftType' | 'task'>, transform: DraftTransform, timeZone: string): { draftType: 'task' | 'event'; draft: TaskDraft | EventDraft } {
  const isEvent = draft.draftType === 'event';
  if (transform === 'toEvent') {
    if (isEvent) return { draftType: 'event', draft: withoutConflicts(parseEventDraft(draft.task)) };
    return { draftType: 'event', draft: taskToEvent(draft.task, timeZone) };
  }
  if (!isEvent) {
    if (transform === 'toTask') return { draftType: 'task', draft: draft.task };
    throw new InputError('Only an event draft can be moved');
  }
  const event = parseEventDraft(draft.task) as EventDraft & EventConflictFields;
  if (transform === 'toTask') return { draftType: 'task', draft: eventToTask(event) };
  const moved = moveToSlot(event);
  delete (moved as Record<string, unknown>).time_reasoning;
  return { draftType: 'event', draft: moved };
}
