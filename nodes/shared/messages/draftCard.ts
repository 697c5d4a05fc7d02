// What a draft looks like to the user: the card's labels and status lines, and the short
// messages about its outcome. Telegram HTML: a value put in is escaped here, unless its doc says
// it is already HTML. The layout (what is clipped, in which order) stays in telegram/draftCard.ts.
import { escapeHtml } from '../telegram/html';

/** The card's fixed parts, as HTML. */
export const DRAFT_CARD = {
  heading: '📝 <b>Task Draft</b>',
  titleLabel: '<b>Title:</b>',
  dueLabel: '<b>Due:</b>',
  noDueDate: 'no date',
  /** Above a list the planner suggested: "suggested" is said once, here, not after every line. */
  suggestedSubtasksHeading: '<b>Suggested subtasks:</b>',
  /** Above a list the user named, in whole or in part. */
  subtasksHeading: '<b>Subtasks:</b>',
  /** After a suggested subtask in a list the user named in part. */
  suggestedMark: ' <i>(suggested)</i>',
  notesLabel: '<b>Notes:</b>',
  reminderLabel: '⏰ <b>Reminder:</b>',
} as const;

/** The last line of a card that shows only some of its subtasks. */
export function moreSubtasks(hidden: number): string {
  return `… and ${hidden} more`;
}

/** The line at the foot of a card once the draft left `drafted`, as HTML. */
export const DRAFT_STATUS_LINES = {
  confirmed: '⏳ <b>Confirmed</b>: creating the task…',
  executed: '✅ <b>Confirmed</b>: task created in Google Tasks.',
  cancelled: '❌ <b>Cancelled</b>: nothing was created.',
  superseded: '✏️ <b>Replaced</b> by a newer draft.',
} as const;

/** "✅ Task created successfully!", with the (already clipped) title and how many subtasks came with it. */
export function taskCreated(title: string, subtaskCount: number): string {
  const subtasks = subtaskCount === 0 ? '' : `\nwith ${subtaskCount} subtask${subtaskCount === 1 ? '' : 's'}`;
  return `✅ Task created successfully!\n<b>${escapeHtml(title)}</b>${subtasks}`;
}

export const DRAFT_CANCELLED = '❌ Draft cancelled. Nothing was created.';

/** A clarification question (already clipped) as sent to the user. */
export function clarificationQuestion(question: string): string {
  return `❓ ${escapeHtml(question)}`;
}

/**
 * Google Tasks keeps dates only: the time of day the user gave goes into the draft's notes.
 * Plain text (the card escapes the notes).
 */
export function timeOfDayNote(clock: string, asWritten: string | null): string {
  return `Time: ${clock} ("${asWritten}").`;
}

/** Added to the due date's reasoning when the time went into the notes. Plain text. */
export const TIME_KEPT_IN_NOTES = 'The time of day is kept in the notes because Google Tasks stores dates only.';
