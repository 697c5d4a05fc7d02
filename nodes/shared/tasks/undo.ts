// Undo: deletes what one successful execution created, within a window after it ran.
// Each item is deleted and recorded on its own, so an interrupted undo can simply be run
// again; a task Google no longer has counts as deleted. Two undos of one execution at the same
// moment (a double tap) may both send a delete; the second finds the task gone, and only one
// records each item, the execution undone and the draft's undone_at.

import { recordAudit } from '../store/audit';
import type { Store } from '../store/db';
import { InputError } from '../errors';
import type { Failure, UndoOutcomeName } from '../outcome';
import { requireUserId } from '../users';
import { NOTHING_TO_UNDO, tooLateToUndo } from '../messages/failures';
import { NOT_YOUR_BUTTON, undoDone } from '../messages/tasks';
import { countCalls, toTasksApiError, type TasksClient } from './client';
import { failureFromTasksError, retryEnvironment, withRetries, type RetryPolicy } from './retry';

export const DEFAULT_UNDO_WINDOW_MS = 60 * 60_000;

export interface UndoInput {
  executionId: unknown;
  userId: unknown;
  windowMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
}

export type UndoOutcome =
  | {
      ok: true;
      /** Where the workflow branches (UndoOutcomeName). */
      outcome: Exclude<UndoOutcomeName, 'failed'>;
      executionId: number;
      draftId: number;
      taskListId: string;
      deleted: { id: string; title: string }[];
      apiCalls: number;
      alreadyUndone: boolean;
      /** "Removed … and its 2 subtasks" (HTML). */
      message: string;
    }
  | { ok: false; outcome: Extract<UndoOutcomeName, 'failed'>; executionId: number; failure: Failure };

function refuse(executionId: number, kind: string, message: string, userMessage: string): UndoOutcome {
  return { ok: false, outcome: 'failed', executionId, failure: { kind, retryable: false, message, userMessage } };
}

export async function undoExecution(store: Store, sharedClient: TasksClient, input: UndoInput): Promise<UndoOutcome> {
  const client = countCalls(sharedClient);
  const executionId = Number(input.executionId);
  if (!Number.isSafeInteger(executionId) || executionId <= 0) throw new InputError(`Execution ID must be a positive whole number (got "${String(input.executionId)}")`);
  const userId = requireUserId(input.userId);
  const windowMs = input.windowMs ?? DEFAULT_UNDO_WINDOW_MS;
  const env = retryEnvironment(input);

  const execution = await store.get<Record<string, unknown>>(
    `SELECT e.*, d.user_id AS owner, ${store.nowMs} AS now_ms FROM executions e JOIN drafts d ON d.id = e.draft_id WHERE e.id = ?`,
    [executionId],
  );
  // Another user's execution (a ✅ Remove pressed by someone else) is refused as if it did not exist.
  if (!execution || execution.owner !== userId) {
    return refuse(executionId, 'not_owner', `Execution ${executionId} ${execution ? 'belongs to another user' : 'does not exist'}`, NOT_YOUR_BUTTON);
  }
  const draftId = Number(execution.draft_id);
  const taskListId = String(execution.resolved_task_list_id ?? execution.task_list_id);
  if (execution.status !== 'success') {
    return refuse(executionId, 'not_undoable', `Execution ${executionId} is ${String(execution.status)}`, NOTHING_TO_UNDO);
  }
  const items = await store.all<{ id: number; seq: number; title: string; status: string; remote_id: string }>(
    `SELECT id, seq, title, status, remote_id FROM execution_items WHERE execution_id = ? ORDER BY seq DESC`,
    [executionId],
  );
  const removed = (deleted: { title: string }[]) => undoDone(deleted[0]?.title ?? '', Math.max(0, deleted.length - 1));
  if (execution.undone_at !== null && execution.undone_at !== undefined) {
    const deleted = items.filter((i) => i.status === 'deleted').map((i) => ({ id: i.remote_id, title: i.title })).reverse();
    return {
      ok: true,
      outcome: 'already_undone',
      executionId,
      draftId,
      taskListId,
      deleted,
      apiCalls: 0,
      alreadyUndone: true,
      message: removed(deleted),
    };
  }
  if (Number(execution.executed_at) + windowMs < Number(execution.now_ms)) {
    const minutes = Math.round(windowMs / 60_000);
    return refuse(executionId, 'undo_window_passed', `Execution ${executionId} is older than the undo window of ${minutes} min`, tooLateToUndo(minutes));
  }

  const deleted: { id: string; title: string }[] = [];
  try {
    // Subtasks first (last to first), then the task: every step leaves a consistent record.
    for (const item of items) {
      if (item.status !== 'deleted') {
        try {
          await withRetries(env, () => client.deleteTask(taskListId, item.remote_id));
        } catch (raw) {
          const error = toTasksApiError(raw);
          // Already gone (deleted by the user, or with its parent): that is what we wanted.
          if (error.status !== 404 && error.status !== 410) throw error;
        }
        await store.transaction(async (tx) => {
          const changed = await tx.run(`UPDATE execution_items SET status = 'deleted', updated_at = ${tx.nowMs} WHERE id = ? AND status <> 'deleted'`, [item.id]);
          if (changed > 0) {
            await recordAudit(tx, { action: 'task_item_deleted', entityType: 'execution', entityId: executionId, userId, details: { draftId, seq: item.seq, remoteId: item.remote_id } });
          }
        });
      }
      deleted.push({ id: item.remote_id, title: item.title });
    }
  } catch (raw) {
    const failure = failureFromTasksError(raw);
    await store.transaction((tx) =>
      recordAudit(tx, { action: 'task_execution_undo_failed', entityType: 'execution', entityId: executionId, userId, details: { draftId, kind: failure.kind, message: failure.message } }),
    );
    return { ok: false, outcome: 'failed', executionId, failure };
  }
  const apiCalls = client.apiCalls;
  const first = await store.transaction(async (tx) => {
    const changed = await tx.run(`UPDATE executions SET undone_at = ${tx.nowMs}, updated_at = ${tx.nowMs} WHERE id = ? AND undone_at IS NULL`, [executionId]);
    if (changed === 0) return false;
    // The draft stays executed (it was) and records when its task was taken back.
    await tx.run(`UPDATE drafts SET undone_at = ${tx.nowMs}, updated_at = ${tx.nowMs} WHERE id = ?`, [draftId]);
    await recordAudit(tx, { action: 'task_execution_undone', entityType: 'execution', entityId: executionId, userId, details: { draftId, deleted: deleted.length, apiCalls } });
    return true;
  });
  deleted.reverse();
  return { ok: true, outcome: first ? 'undone' : 'already_undone', executionId, draftId, taskListId, deleted, apiCalls, alreadyUndone: !first, message: removed(deleted) };
}
