// The user's tasks from the chat (Workflow L): /list shows the open tasks of their list, each
// with a ✓ Done button; ✓ Done marks one completed in Google Tasks; /undo finds the task created
// last and asks before it is removed (undo.ts removes it).
//
// A ✓ Done button names a list entry (listed_tasks.id), never a Google task id: the entry says
// whom it was shown to, so a press from anyone else is refused before Google is called, and a
// second press finds the entry completed and calls Google no more (two presses at the same
// moment may both send the patch, which Google applies as one: the task is completed once).

import { recordAudit } from '../store/audit';
import type { Store } from '../store/db';
import { InputError } from '../errors';
import type { Failure } from '../outcome';
import { ensureUser, requireUserId } from '../users';
import { wallClockIn } from '../time';
import { taskCallbackData } from '../contracts';
import { tooLateToUndo } from '../messages/failures';
import {
  dueInWords,
  NO_OPEN_TASKS,
  NOT_YOUR_BUTTON,
  NOTHING_TO_UNDO_YET,
  openTaskLine,
  openTasksHeading,
  taskAlreadyDone,
  taskDone,
  taskGone,
  undoKept,
  undoQuestion,
} from '../messages/tasks';
import { countCalls, toTasksApiError, type TasksClient } from './client';
import { listOpenTasks, type ReadOptions } from './lists';
import { DEFAULT_UNDO_WINDOW_MS } from './undo';
import { failureFromTasksError, retryEnvironment, withRetries } from './retry';

/** Tasks one /list shows: each is a message with its button, so a few. */
export const CHAT_LIST_LIMIT = 10;

/** The private chat of a Telegram user: where a refused press is told, never the chat the button was in. */
export function privateChatOf(userId: string): string {
  return userId.replace(/^telegram:/, '');
}

function requirePositiveId(value: unknown, what: string): number {
  const id = typeof value === 'string' ? Number(value.trim()) : Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new InputError(`${what} must be a positive whole number (got "${String(value)}")`);
  return id;
}

// ---------------------------------------------------------------- /list

export interface ListedTask {
  entryId: number;
  title: string;
  /** YYYY-MM-DD, or null. */
  due: string | null;
  /** "due tomorrow", "overdue since Mon 1 Dec", or null. */
  dueText: string | null;
  openSubtasks: number;
  /** The task's message (HTML). */
  text: string;
  /** The ✓ Done button's callback_data. */
  doneData: string;
}

export type ChatListOutcome =
  | { ok: true; taskListId: string; heading: string; tasks: ListedTask[]; more: boolean; apiCalls: number }
  | { ok: false; failure: Failure };

const DAY_MS = 86_400_000;
const WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

/** A due date in words, counted from today in the user's time zone. */
export function dueText(due: string | null, timeZone: string, now: Date): string | null {
  if (!due) return null;
  const today = wallClockIn(timeZone, now);
  const dueDay = Date.UTC(Number(due.slice(0, 4)), Number(due.slice(5, 7)) - 1, Number(due.slice(8, 10)));
  const days = Math.round((dueDay - Date.UTC(today.year, today.month - 1, today.day)) / DAY_MS);
  return dueInWords(days, WEEKDAY.format(new Date(dueDay)).replace(',', ''));
}

/**
 * The open top-level tasks of the user's list (all of them, not only those this assistant made:
 * the list is the user's), recorded as list entries for their ✓ Done buttons.
 */
export async function listTasksForChat(
  store: Store,
  client: TasksClient,
  input: { userId: unknown; taskListId?: string; limit?: number; now?: Date } & ReadOptions,
): Promise<ChatListOutcome> {
  const userId = requireUserId(input.userId);
  const limit = Math.max(1, Math.min(input.limit ?? CHAT_LIST_LIMIT, 50));
  const open = await listOpenTasks(client, input.taskListId ?? '@default', input);
  if (!open.ok) return open;
  const topLevel = open.tasks.filter((t) => !t.parent);
  const shown = topLevel.slice(0, limit);
  const subtasksOf = (id: string) => open.tasks.filter((t) => t.parent === id).length;
  const now = input.now ?? new Date();
  const tasks = await store.transaction(async (tx) => {
    const user = await ensureUser(tx, { userId });
    const listed: ListedTask[] = [];
    for (const task of shown) {
      const row = await tx.get<{ id: number }>(
        `INSERT INTO listed_tasks (user_id, task_list_id, remote_id, title, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'open', ${tx.nowMs}, ${tx.nowMs}) RETURNING id`,
        [userId, open.taskListId, task.id, task.title],
      );
      const entryId = Number(row!.id);
      const words = dueText(task.due, user.timezone, now);
      const openSubtasks = subtasksOf(task.id);
      listed.push({
        entryId,
        title: task.title,
        due: task.due,
        dueText: words,
        openSubtasks,
        text: openTaskLine(task.title, words, openSubtasks),
        doneData: taskCallbackData('done', entryId),
      });
    }
    return listed;
  });
  const more = topLevel.length > shown.length;
  return { ok: true, taskListId: open.taskListId, heading: tasks.length ? openTasksHeading(tasks.length, more) : NO_OPEN_TASKS, tasks, more, apiCalls: open.apiCalls };
}

// ---------------------------------------------------------------- ✓ Done

export type CompleteOutcomeName = 'completed' | 'already_done' | 'gone' | 'refused' | 'failed';

export type CompleteTaskOutcome =
  | {
      ok: true;
      outcome: 'completed' | 'already_done' | 'gone';
      entryId: number;
      title: string;
      message: string;
      apiCalls: number;
      /** The pressed message is this task's own (a /list line, a reminder): edit it; else (a briefing) answer apart. */
      editPressed: boolean;
    }
  | { ok: true; outcome: 'refused'; entryId: number; reason: 'not_found' | 'not_owner'; message: string; replyChatId: string }
  | { ok: false; outcome: 'failed'; entryId: number; failure: Failure };

interface EntryRow {
  id: number;
  user_id: string;
  task_list_id: string;
  remote_id: string;
  title: string;
  status: 'open' | 'completed' | 'gone';
  shown_in: string | null;
}

/** ✓ Done on list entry `entryId`, pressed by `userId`. */
export async function completeListedTask(store: Store, sharedClient: TasksClient, input: { entryId: unknown; userId: unknown } & ReadOptions): Promise<CompleteTaskOutcome> {
  const client = countCalls(sharedClient);
  const entryId = requirePositiveId(input.entryId, 'Entry ID');
  const userId = requireUserId(input.userId);
  const entry = await store.get<EntryRow>('SELECT id, user_id, task_list_id, remote_id, title, status, shown_in FROM listed_tasks WHERE id = ?', [entryId]);
  // Another user's entry is refused as if it did not exist: nothing about it is revealed.
  if (!entry || entry.user_id !== userId) {
    return { ok: true, outcome: 'refused', entryId, reason: entry ? 'not_owner' : 'not_found', message: NOT_YOUR_BUTTON, replyChatId: privateChatOf(userId) };
  }
  const done = (outcome: 'completed' | 'already_done' | 'gone', message: string) => ({
    ok: true as const,
    outcome,
    entryId,
    title: entry.title,
    message,
    apiCalls: client.apiCalls,
    editPressed: entry.shown_in !== 'briefing',
  });
  if (entry.status === 'completed') return done('already_done', taskAlreadyDone(entry.title));
  if (entry.status === 'gone') return done('gone', taskGone(entry.title));

  let gone = false;
  try {
    // Completing is safe to repeat: a retry after a lost answer changes nothing more.
    await withRetries(retryEnvironment(input), () => client.completeTask(entry.task_list_id, entry.remote_id));
  } catch (raw) {
    const error = toTasksApiError(raw);
    if (error.status === 404 || error.status === 410) gone = true;
    else return { ok: false, outcome: 'failed', entryId, failure: failureFromTasksError(raw) };
  }
  const status = gone ? 'gone' : 'completed';
  const won = await store.transaction(async (tx) => {
    const changed = await tx.run(`UPDATE listed_tasks SET status = ?, updated_at = ${tx.nowMs} WHERE id = ? AND status = 'open'`, [status, entryId]);
    if (changed === 0) return false;
    // The same task shown by an earlier /list: its button is done too.
    await tx.run(`UPDATE listed_tasks SET status = ?, updated_at = ${tx.nowMs} WHERE user_id = ? AND remote_id = ? AND status = 'open'`, [status, userId, entry.remote_id]);
    // Its reminders still to come (one not sent yet, a snoozed one) are cancelled: /reminders no longer lists them.
    const remindersCancelled = await tx.run(
      `UPDATE notifications SET status = 'cancelled', outcome = 'task done', updated_at = ${tx.nowMs}
       WHERE user_id = ? AND kind = 'reminder' AND status = 'scheduled' AND draft_id IN (
         SELECT e.draft_id FROM executions e JOIN execution_items i ON i.execution_id = e.id AND i.seq = 0
         WHERE e.user_id = ? AND i.remote_id = ?)`,
      [userId, userId, entry.remote_id],
    );
    await recordAudit(tx, {
      action: gone ? 'task_complete_gone' : 'task_completed',
      entityType: 'listed_task',
      entityId: entryId,
      userId,
      details: { taskListId: entry.task_list_id, remoteId: entry.remote_id, apiCalls: client.apiCalls, ...(remindersCancelled ? { remindersCancelled } : {}) },
    });
    return true;
  });
  if (gone) return done('gone', taskGone(entry.title));
  return won ? done('completed', taskDone(entry.title)) : done('already_done', taskAlreadyDone(entry.title));
}

// ---------------------------------------------------------------- /undo

export type UndoableOutcome =
  | { ok: true; found: false; message: string }
  | {
      ok: true;
      found: true;
      /** Still within the undo window: the question can be asked. */
      undoable: boolean;
      executionId: number;
      draftId: number;
      title: string;
      subtasks: number;
      /** The question (undoable), or why it cannot be undone any more. */
      message: string;
      /** What ❌ Keep says. */
      keptMessage: string;
      removeData: string;
      keepData: string;
    }
  | { ok: true; found: true; refused: true; reason: 'not_owner' | 'not_found'; message: string; replyChatId: string };

/**
 * The user's task created last and not undone yet (or, with `executionId`, that execution if it
 * is the user's): what /undo asks about, and what ❌ Keep names.
 */
export async function findUndoable(store: Store, input: { userId: unknown; executionId?: unknown; windowMs?: number }): Promise<UndoableOutcome> {
  const userId = requireUserId(input.userId);
  const windowMs = input.windowMs ?? DEFAULT_UNDO_WINDOW_MS;
  const named = input.executionId === undefined || input.executionId === null || input.executionId === '' || input.executionId === 0 ? null : requirePositiveId(input.executionId, 'Execution ID');
  const select = `SELECT e.id, e.draft_id, e.executed_at, e.undone_at, d.user_id AS owner, ${store.nowMs} AS now_ms
    FROM executions e JOIN drafts d ON d.id = e.draft_id`;
  const execution =
    named === null
      ? await store.get<Record<string, unknown>>(
          `${select} WHERE d.user_id = ? AND e.status = 'success' AND e.undone_at IS NULL ORDER BY e.executed_at DESC, e.id DESC LIMIT 1`,
          [userId],
        )
      : await store.get<Record<string, unknown>>(`${select} WHERE e.id = ?`, [named]);
  if (named !== null && (!execution || execution.owner !== userId)) {
    return { ok: true, found: true, refused: true, reason: execution ? 'not_owner' : 'not_found', message: NOT_YOUR_BUTTON, replyChatId: privateChatOf(userId) };
  }
  if (!execution) return { ok: true, found: false, message: NOTHING_TO_UNDO_YET };
  const executionId = Number(execution.id);
  const items = await store.all<{ seq: number; title: string }>(
    `SELECT seq, title FROM execution_items WHERE execution_id = ? AND status <> 'deleted' ORDER BY seq`,
    [executionId],
  );
  const title = items.find((i) => Number(i.seq) === 0)?.title ?? '';
  const subtasks = items.filter((i) => Number(i.seq) > 0).length;
  const undoable = Number(execution.executed_at) + windowMs >= Number(execution.now_ms);
  return {
    ok: true,
    found: true,
    undoable,
    executionId,
    draftId: Number(execution.draft_id),
    title,
    subtasks,
    message: undoable ? undoQuestion(title, subtasks) : tooLateToUndo(Math.round(windowMs / 60_000)),
    keptMessage: undoKept(title),
    removeData: taskCallbackData('undo', executionId),
    keepData: taskCallbackData('keep', executionId),
  };
}
