// The task draft: what the Gemini Planner produces, the Draft Store keeps and the Task Executor
// turns into Google Tasks. One type, Google's limits under one name each, and the checks every
// step applies, so a draft the user can confirm is one that can be created.

import { InputError } from '../errors';
import { sliceWhole } from '../text';
import { isCalendarDate } from '../time';

/** Google Tasks' limits: a title holds 1024 characters, notes 8192. */
export const TITLE_MAX_CHARS = 1024;
export const NOTES_MAX_CHARS = 8192;
/** A bound on one draft's fan-out: each subtask is one API call. */
export const MAX_SUBTASKS = 50;

export interface TaskDraftSubtask {
  title: string;
  /** Proposed by the planner rather than named by the user; shown as "Suggested subtasks" on the card. */
  suggested?: boolean;
}

/**
 * A draft as stored (drafts.draft_json). The planner always fills notes and due_date_reasoning;
 * a draft handed to the Draft Store by a workflow may leave them out, and may carry fields of
 * its own, which are kept.
 */
export interface TaskDraft {
  title: string;
  /** YYYY-MM-DD, or null for no due date. */
  due_date: string | null;
  due_date_reasoning?: string;
  notes?: string;
  subtasks: TaskDraftSubtask[];
  [extra: string]: unknown;
}

/** A draft as the Gemini Planner makes it (and reads one back to revise): every field filled. */
export type CompleteTaskDraft = TaskDraft & { due_date_reasoning: string; notes: string };

export interface PlannedItem {
  seq: number;
  title: string;
  notes?: string;
  /** RFC 3339 midnight UTC of the draft's date. */
  due?: string;
}

export type Validation = { ok: true; items: PlannedItem[] } | { ok: false; problems: string[] };

/** Accepts an object or JSON text shaped like the planner's draft; refuses anything else. */
export function parseTaskDraft(value: unknown): TaskDraft {
  let task = value;
  if (typeof task === 'string') {
    try {
      task = JSON.parse(task);
    } catch (error) {
      throw new InputError(`Task draft is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!task || typeof task !== 'object' || Array.isArray(task)) throw new InputError('Task draft must be a JSON object with a title');
  const draft = task as Record<string, unknown>;
  if (typeof draft.title !== 'string' || draft.title.trim() === '') throw new InputError('Task draft has no title');
  const subtasks = draft.subtasks ?? [];
  if (!Array.isArray(subtasks) || subtasks.some((s) => !s || typeof (s as { title?: unknown }).title !== 'string')) {
    throw new InputError('Task draft subtasks must be a list of objects with a title');
  }
  const due = draft.due_date ?? null;
  if (due !== null && (typeof due !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(due))) {
    throw new InputError(`Task draft due_date must be YYYY-MM-DD or null (got "${String(due)}")`);
  }
  return { ...draft, title: draft.title, due_date: due as string | null, subtasks: subtasks as TaskDraftSubtask[] };
}

/** Google keeps only the date of `due`, so we send midnight UTC of it. */
function dueFromDate(date: string): string {
  return `${date}T00:00:00.000Z`;
}

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
    ...(typeof task.notes === 'string' ? { notes: clipText(task.notes.trim(), NOTES_MAX_CHARS) } : {}),
    subtasks,
  };
}

/**
 * Checks a draft against Google Tasks' rules before any call, and turns it into the exact
 * requests to send (notes are sent as they are: nothing of ours is added). Nothing is created
 * for a draft that fails here.
 */
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
  if (notes.length > NOTES_MAX_CHARS) problems.push(`the notes are ${notes.length} characters long (at most ${NOTES_MAX_CHARS})`);

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
    ...(subtasks as TaskDraftSubtask[]).map((s, index) => ({ seq: index + 1, title: s.title.trim() })),
  ];
  return { ok: true, items };
}
