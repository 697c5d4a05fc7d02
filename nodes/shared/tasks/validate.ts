// Checks a task draft against Google Tasks' rules before any call, and turns it into the
// exact requests to send. Nothing is created for a draft that fails here.

import type { TaskDraft } from '../drafts';
import { sliceWhole } from '../text';

export const TITLE_MAX_CHARS = 1024;
export const NOTES_MAX_CHARS = 8192;
/** A bound on one draft's fan-out: each subtask is one API call. */
export const MAX_SUBTASKS = 50;

export interface PlannedItem {
  seq: number;
  title: string;
  notes?: string;
  /** RFC 3339 midnight UTC of the draft's date. */
  due?: string;
}

export type Validation = { ok: true; items: PlannedItem[] } | { ok: false; problems: string[] };

/** 'YYYY-MM-DD' that names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Google keeps only the date of `due`, so we send midnight UTC of it. */
export function dueFromDate(date: string): string {
  return `${date}T00:00:00.000Z`;
}

/** The longest notes a draft may carry: they are sent as they are (nothing of ours is added). */
export const DRAFT_NOTES_MAX_CHARS = NOTES_MAX_CHARS;

/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair. */
function clipText(text: string, max: number): string {
  return sliceWhole(text, max).trimEnd();
}

interface FittableDraft {
  title: string;
  notes?: string;
  subtasks: { title: string }[];
}

/**
 * Makes a generated draft pass validateTaskDraft where that is possible without asking anyone:
 * over-long text is shortened, empty subtasks dropped, subtasks past the limit left out. What
 * cannot be repaired (an empty title) is left for validateTaskDraft to refuse.
 */
export function fitTaskDraft<T extends FittableDraft>(task: T): T {
  const subtasks = task.subtasks
    .map((subtask) => ({ ...subtask, title: clipText(subtask.title.trim(), TITLE_MAX_CHARS) }))
    .filter((subtask) => subtask.title)
    .slice(0, MAX_SUBTASKS);
  return {
    ...task,
    title: clipText(task.title.trim(), TITLE_MAX_CHARS),
    ...(typeof task.notes === 'string' ? { notes: clipText(task.notes.trim(), DRAFT_NOTES_MAX_CHARS) } : {}),
    subtasks,
  };
}

export function validateTaskDraft(task: TaskDraft | undefined | null): Validation {
  const problems: string[] = [];
  if (!task || typeof task !== 'object') return { ok: false, problems: ['the draft has no task'] };
  const title = typeof task.title === 'string' ? task.title.trim() : '';
  if (!title) problems.push('the title is empty');
  else if (title.length > TITLE_MAX_CHARS) problems.push(`the title is ${title.length} characters long (at most ${TITLE_MAX_CHARS})`);

  const due = task.due_date;
  if (due !== null && due !== undefined && (typeof due !== 'string' || !isCalendarDate(due))) {
    problems.push(`the due date "${String(due)}" is not a valid date (YYYY-MM-DD)`);
  }

  const notes = typeof task.notes === 'string' ? task.notes.trim() : '';
  if (task.notes !== undefined && task.notes !== null && typeof task.notes !== 'string') problems.push('the notes are not text');
  if (notes.length > DRAFT_NOTES_MAX_CHARS) problems.push(`the notes are ${notes.length} characters long (at most ${DRAFT_NOTES_MAX_CHARS})`);

  const subtasks = task.subtasks ?? [];
  if (!Array.isArray(subtasks)) {
    problems.push('the subtasks are not a list');
  } else {
    if (subtasks.length > MAX_SUBTASKS) problems.push(`there are ${subtasks.length} subtasks (at most ${MAX_SUBTASKS})`);
    subtasks.forEach((subtask, index) => {
      const subtitle = subtask && typeof subtask.title === 'string' ? subtask.title.trim() : '';
      if (!subtitle) problems.push(`subtask ${index + 1} has no title`);
      else if (subtitle.length > TITLE_MAX_CHARS) problems.push(`subtask ${index + 1}'s title is ${subtitle.length} characters long (at most ${TITLE_MAX_CHARS})`);
    });
  }
  if (problems.length) return { ok: false, problems };

  const items: PlannedItem[] = [
    { seq: 0, title, ...(notes ? { notes } : {}), ...(due ? { due: dueFromDate(due) } : {}) },
    ...(subtasks as TaskDraft['subtasks']).map((s, index) => ({ seq: index + 1, title: s.title.trim() })),
  ];
  return { ok: true, items };
}
