// What /list, ✓ Done and /undo say (Workflow L): the list, a task's line, the undo question and
// its answers. Telegram HTML: a value put in is escaped here.
import { escapeHtml } from '../telegram/html';
import { clipText } from '../text';

/** A task's title as shown in a line or a question. */
const TITLE_MAX = 200;
const title = (text: string) => `<b>${escapeHtml(clipText(text, TITLE_MAX))}</b>`;

/** The buttons of /list and /undo. */
export const TASK_BUTTON_LABELS = { done: '✓ Done', undo: '✅ Remove', keep: '❌ Keep', snooze: '💤 1 hour', tomorrow: '➡️ Tomorrow' } as const;

/** The toast a press on one of them shows at once. */
export const TASK_BUTTON_TOASTS = { done: 'Marking it done…', undo: 'Removing…', keep: 'Kept', snooze: 'Snoozing for an hour…', tomorrow: 'Moving it to tomorrow…' } as const;

export const NO_OPEN_TASKS = '🎉 No open tasks in your Google Tasks list.';

/** The first message of /list; each task follows as its own message with a ✓ Done button. */
export function openTasksHeading(shown: number, more: boolean): string {
  const count = more ? `the first ${shown}` : `${shown}`;
  return `📋 <b>Your open tasks</b> (${count}). Tap ✓ Done when one is finished.`;
}

/** One task of /list: its title, when it is due in words, and how many open subtasks it has. */
export function openTaskLine(taskTitle: string, dueText: string | null, subtasks: number): string {
  const due = dueText ? `\n🗓 ${dueText}` : '';
  const sub = subtasks > 0 ? `\n↳ ${subtasks} open subtask${subtasks === 1 ? '' : 's'}` : '';
  return `${title(taskTitle)}${due}${sub}`;
}

/** A due date in words, relative to the user's today ("due tomorrow", "overdue since Mon 1 Dec"). */
export function dueInWords(daysFromToday: number, weekdayAndDate: string): string {
  if (daysFromToday === 0) return 'due today';
  if (daysFromToday === 1) return 'due tomorrow';
  if (daysFromToday === -1) return 'overdue since yesterday';
  if (daysFromToday < 0) return `overdue since ${weekdayAndDate}`;
  return `due ${weekdayAndDate}`;
}

/** The listed task's message once ✓ Done went through. */
export function taskDone(taskTitle: string): string {
  return `✅ ${title(taskTitle)}: done, marked completed in Google Tasks.`;
}

export function taskAlreadyDone(taskTitle: string): string {
  return `✅ ${title(taskTitle)} is already done.`;
}

export function taskGone(taskTitle: string): string {
  return `${title(taskTitle)} is no longer in Google Tasks: nothing to mark done.`;
}

/** A button of a list or an undo question pressed by someone it was not shown to. */
export const NOT_YOUR_BUTTON = 'That button belongs to someone else’s list: send /list or /undo for your own.';

export const NOTHING_TO_UNDO_YET = 'Nothing to undo: you have not created a task with me yet (or it is already removed).';

function withSubtasks(subtasks: number): string {
  return subtasks === 0 ? '' : ` and its ${subtasks} subtask${subtasks === 1 ? '' : 's'}`;
}

/** /undo asks first: what a ✅ Remove would delete. */
export function undoQuestion(taskTitle: string, subtasks: number): string {
  return `↩️ Remove ${title(taskTitle)}${withSubtasks(subtasks)} from Google Tasks?`;
}

export function undoDone(taskTitle: string, subtasks: number): string {
  return `🗑 Removed ${title(taskTitle)}${withSubtasks(subtasks)} from Google Tasks.`;
}

export function undoKept(taskTitle: string): string {
  return `👍 Kept ${title(taskTitle)}.`;
}
