// Workflow E: a confirmed draft becomes one Google Task with its subtasks, exactly once.
//
// Google Tasks has no idempotency key, so exactly-once comes from our own records:
//  1. A claim transaction creates (or takes over) the draft's execution with one row per
//     task to create, `planned`, under a lease that fences out a second worker.
//  2. Before each create the item moves to `sending` (committed); right after the response
//     its remote id is stored and it moves to `created` (committed).
//  3. Each created task carries a marker in its notes. Whoever finds an item in `sending`
//     (after a crash, or after an answer lost to a timeout or a dropped connection) lists the
//     list's recently updated tasks and adopts the one with the marker instead of creating
//     a second one.
//  4. The draft moves confirmed → executed in the transaction that marks the execution
//     successful, only when every item exists.
// Failures of the API come back as a Failure; the execution row records them and the next
// run resumes where this one stopped.

import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit';
import type { Queryable, Store } from '../db';
import { getDraftForUser, markDraftExecuted, requireDraftId, type Draft } from '../drafts';
import { StateError } from '../errors';
import type { Failure } from '../outcome';
import { requireUserId } from '../users';
import { TasksApiError, countCalls, toTasksApiError, type RemoteTask, type TasksClient } from './client';
import { backoffDelayMs, defaultSleep, failureFromTasksError, retryEnvironment, withRetries, type RetryEnvironment, type RetryPolicy } from './retry';
import { validateTaskDraft, type PlannedItem } from './validate';

export const DEFAULT_TASK_LIST_ID = '@default';
/** A worker's hold on an execution; renewed at every step. Far longer than one request's timeout. */
export const EXECUTION_LEASE_MS = 2 * 60_000;
/** How long a second request for the same draft waits for the first to finish. */
export const WAIT_FOR_OTHER_WORKER_MS = 30_000;
const WAIT_POLL_MS = 100;
/** The marker search looks at tasks updated since the first send, minus this margin for clock skew. */
const MARKER_SEARCH_SKEW_MS = 15 * 60_000;
/** Upper bound on pages read when searching for a marker (100 tasks per page). */
const MARKER_SEARCH_MAX_PAGES = 50;

/** Named points of an execution; tests stop the process at them to simulate a crash. */
export type ExecutorStep =
  | 'claimed'
  | 'sending-committed'
  | 'remote-call-returned'
  | 'created-committed'
  | 'before-finish';

export interface ExecuteDraftInput {
  draftId: unknown;
  userId: unknown;
  /** The list for a new execution; a resumed one keeps the list it started with. */
  taskListId?: string;
  leaseMs?: number;
  waitForOtherWorkerMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called at each step; an exception thrown here propagates untouched (simulated crash). */
  onStep?: (step: ExecutorStep, detail: { executionId: number; seq?: number }) => void | Promise<void>;
}

export interface ExecutedTask {
  id: string;
  title: string;
  due: string | null;
  webViewLink?: string;
}

export interface ExecutionResult {
  ok: true;
  executionId: number;
  draftId: number;
  taskListId: string;
  task: ExecutedTask;
  subtasks: { id: string; title: string }[];
  /** Requests sent to Google by this call (0 when the draft was already executed). */
  apiCalls: number;
  /** This call continued an execution an earlier run had started. */
  resumed: boolean;
  /** The draft had been executed before; this is the recorded result and nothing was sent. */
  alreadyExecuted: boolean;
}

export type ExecuteDraftOutcome = ExecutionResult | { ok: false; failure: Failure; executionId?: number; draftId: number };

interface ItemRow {
  id: number;
  seq: number;
  title: string;
  notes: string | null;
  due: string | null;
  marker: string;
  status: 'planned' | 'sending' | 'created' | 'deleted';
  remote_id: string | null;
  sending_at: number | null;
}

interface Claimed {
  state: 'claimed';
  executionId: number;
  taskListId: string;
  items: ItemRow[];
  resumed: boolean;
}
type Claim = Claimed | { state: 'executed' } | { state: 'not_confirmed'; status: string } | { state: 'busy' };

/** Written into the notes of each item; unique per execution and item. */
export function itemMarker(executionId: number, seq: number): string {
  return `[da:e${executionId}.${seq}]`;
}

/** Notes as shown to people: without our marker. */
export function stripMarker(notes: string | undefined): string | undefined {
  if (notes === undefined) return undefined;
  const stripped = notes.replace(/\s*\[da:e\d+\.\d+\]\s*$/, '');
  return stripped || undefined;
}

function notesWithMarker(notes: string | undefined, marker: string): string {
  return notes ? `${notes}\n\n${marker}` : marker;
}

/** Lost the lease: another worker took the execution over (this one was too slow or presumed dead). */
export class LeaseLostError extends StateError {
  constructor(executionId: number) {
    super(`Execution ${executionId} is no longer held by this worker`, 'lease_lost');
    this.name = 'LeaseLostError';
  }
}

// ------------------------------------------------------------ reading results

function resultFromRow(row: Record<string, unknown>): ExecutionResult | undefined {
  if (!row.result_json) return undefined;
  return JSON.parse(String(row.result_json)) as ExecutionResult;
}

async function recordedResult(db: Queryable, draftId: number): Promise<ExecutionResult | undefined> {
  const row = await db.get<Record<string, unknown>>(
    `SELECT result_json FROM executions WHERE draft_id = ? AND status = 'success' ORDER BY id DESC LIMIT 1`,
    [draftId],
  );
  const result = row && resultFromRow(row);
  return result && { ...result, apiCalls: 0, resumed: false, alreadyExecuted: true };
}

// ------------------------------------------------------------ claim

async function claimExecution(
  store: Store,
  draft: Draft,
  items: PlannedItem[],
  requestedListId: string,
  leaseToken: string,
  leaseMs: number,
): Promise<Claim> {
  return store.transaction(async (tx) => {
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const current = await tx.get<{ status: string }>(`SELECT status FROM drafts WHERE id = ?${lock}`, [draft.id]);
    if (current?.status === 'executed') return { state: 'executed' };
    if (current?.status !== 'confirmed') return { state: 'not_confirmed', status: String(current?.status) };

    // Continue the latest execution that got as far as planning; a validation failure has no items.
    const existing = await tx.get<Record<string, unknown>>(
      `SELECT e.id, e.status, e.task_list_id, e.lease_token, e.lease_expires_at, ${tx.nowMs} AS now_ms FROM executions e
       WHERE e.draft_id = ? AND e.status IN ('running', 'failed')
         AND EXISTS (SELECT 1 FROM execution_items i WHERE i.execution_id = e.id)
       ORDER BY e.id DESC LIMIT 1`,
      [draft.id],
    );
    if (existing) {
      const heldByOther =
        existing.status === 'running' &&
        existing.lease_token !== null &&
        existing.lease_token !== leaseToken &&
        Number(existing.lease_expires_at) > Number(existing.now_ms);
      if (heldByOther) return { state: 'busy' };
      const executionId = Number(existing.id);
      await tx.run(
        `UPDATE executions SET status = 'running', lease_token = ?, lease_expires_at = ${tx.nowMs} + ?, runs = runs + 1,
           error_message = NULL, updated_at = ${tx.nowMs} WHERE id = ?`,
        [leaseToken, leaseMs, executionId],
      );
      const rows = await tx.all<ItemRow>('SELECT * FROM execution_items WHERE execution_id = ? ORDER BY seq', [executionId]);
      // Nothing was sent yet (e.g. the list did not exist): the caller's list applies now.
      let taskListId = String(existing.task_list_id);
      if (rows.every((r) => r.status === 'planned') && taskListId !== requestedListId) {
        await tx.run('UPDATE executions SET task_list_id = ? WHERE id = ?', [requestedListId, executionId]);
        taskListId = requestedListId;
      }
      await recordAudit(tx, {
        action: 'task_execution_resumed',
        entityType: 'execution',
        entityId: executionId,
        userId: draft.userId,
        sourceMessageId: draft.sourceMessageId,
        details: { draftId: draft.id, previousStatus: existing.status, items: rows.map((r) => r.status) },
      });
      return { state: 'claimed', executionId, taskListId, items: rows, resumed: true };
    }

    const inserted = await tx.get<{ id: number }>(
      `INSERT INTO executions (draft_id, user_id, task_list_id, status, lease_token, lease_expires_at, runs, created_at, updated_at)
       VALUES (?, ?, ?, 'running', ?, ${tx.nowMs} + ?, 1, ${tx.nowMs}, ${tx.nowMs}) RETURNING id`,
      [draft.id, draft.userId, requestedListId, leaseToken, leaseMs],
    );
    const executionId = Number(inserted!.id);
    await tx.run('UPDATE executions SET marker = ? WHERE id = ?', [`da:e${executionId}`, executionId]);
    for (const item of items) {
      const marker = itemMarker(executionId, item.seq);
      await tx.run(
        `INSERT INTO execution_items (execution_id, seq, title, notes, due, marker, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'planned', ${tx.nowMs}, ${tx.nowMs})`,
        [executionId, item.seq, item.title, notesWithMarker(item.notes, marker), item.due ?? null, marker],
      );
    }
    await recordAudit(tx, {
      action: 'task_execution_started',
      entityType: 'execution',
      entityId: executionId,
      userId: draft.userId,
      sourceMessageId: draft.sourceMessageId,
      details: { draftId: draft.id, taskListId: requestedListId, items: items.length },
    });
    const rows = await tx.all<ItemRow>('SELECT * FROM execution_items WHERE execution_id = ? ORDER BY seq', [executionId]);
    return { state: 'claimed', executionId, taskListId: requestedListId, items: rows, resumed: false };
  });
}

// ------------------------------------------------------------ one run

class ExecutionRun {
  private readonly client: TasksClient;
  private resolvedListId: string | undefined;

  constructor(
    private readonly store: Store,
    sharedClient: TasksClient,
    private readonly draft: Draft,
    private readonly claim: Claimed,
    private readonly leaseToken: string,
    private readonly leaseMs: number,
    private readonly env: RetryEnvironment,
    private readonly onStep: ExecuteDraftInput['onStep'],
  ) {
    this.client = countCalls(sharedClient);
  }

  /** Requests this run sent to Google. */
  get apiCalls(): number {
    return this.client.apiCalls;
  }

  private async step(step: ExecutorStep, seq?: number) {
    if (this.onStep) await this.onStep(step, { executionId: this.claim.executionId, seq });
  }

  /** Renews the lease inside tx; throws when another worker holds the execution now. */
  private async holdLease(tx: Queryable) {
    const renewed = await tx.run(
      `UPDATE executions SET lease_expires_at = ${tx.nowMs} + ?, updated_at = ${tx.nowMs}
       WHERE id = ? AND lease_token = ? AND status = 'running'`,
      [this.leaseMs, this.claim.executionId, this.leaseToken],
    );
    if (renewed !== 1) throw new LeaseLostError(this.claim.executionId);
  }

  private audit(tx: Queryable, action: string, details: Record<string, unknown>) {
    return recordAudit(tx, {
      action,
      entityType: 'execution',
      entityId: this.claim.executionId,
      userId: this.draft.userId,
      sourceMessageId: this.draft.sourceMessageId,
      details: { draftId: this.draft.id, ...details },
    });
  }

  private async markSending(item: ItemRow) {
    await this.store.transaction(async (tx) => {
      await this.holdLease(tx);
      // sending_at keeps the first send: the marker search must reach back to it.
      await tx.run(
        `UPDATE execution_items SET status = 'sending', send_attempts = send_attempts + 1,
           sending_at = COALESCE(sending_at, ${tx.nowMs}), updated_at = ${tx.nowMs} WHERE id = ?`,
        [item.id],
      );
      await this.audit(tx, 'task_item_sending', { seq: item.seq, marker: item.marker });
      const row = await tx.get<{ sending_at: number }>('SELECT sending_at FROM execution_items WHERE id = ?', [item.id]);
      item.sending_at = Number(row!.sending_at);
    });
    item.status = 'sending';
    await this.step('sending-committed', item.seq);
  }

  private async markCreated(item: ItemRow, task: RemoteTask, adopted: boolean) {
    await this.store.transaction(async (tx) => {
      await this.holdLease(tx);
      await tx.run(
        `UPDATE execution_items SET status = 'created', remote_id = ?, adopted = ?, updated_at = ${tx.nowMs} WHERE id = ?`,
        [task.id, adopted ? 1 : 0, item.id],
      );
      await this.audit(tx, adopted ? 'task_item_adopted' : 'task_item_created', { seq: item.seq, remoteId: task.id });
    });
    item.status = 'created';
    item.remote_id = task.id;
    await this.step('created-committed', item.seq);
  }

  /** Google refused the create outright: nothing exists, so the item is planned again (a retry may use another list). */
  private async markRefused(item: ItemRow, error: TasksApiError) {
    await this.store.transaction(async (tx) => {
      await this.holdLease(tx);
      await tx.run(`UPDATE execution_items SET status = 'planned', sending_at = NULL, updated_at = ${tx.nowMs} WHERE id = ?`, [item.id]);
      await this.audit(tx, 'task_item_refused', { seq: item.seq, status: error.status, message: error.message });
    });
    item.status = 'planned';
    item.sending_at = null;
  }

  /** The task this item's marker is in, if an earlier attempt created it. */
  private async findByMarker(item: ItemRow): Promise<RemoteTask | undefined> {
    const since = new Date((item.sending_at ?? Date.now()) - MARKER_SEARCH_SKEW_MS).toISOString();
    let pageToken: string | undefined;
    for (let page = 0; page < MARKER_SEARCH_MAX_PAGES; page++) {
      const result = await withRetries(this.env, () =>
        this.client.listTasks(this.claim.taskListId, { showCompleted: true, showHidden: true, updatedMin: since, maxResults: 100, pageToken }),
      );
      const found = result.items.find((t) => !t.deleted && t.notes?.includes(item.marker));
      if (found) return found;
      pageToken = result.nextPageToken;
      if (!pageToken) return undefined;
    }
    throw new TasksApiError('http', `Marker ${item.marker} not found within ${MARKER_SEARCH_MAX_PAGES} pages of recent tasks`, { status: 500 });
  }

  /** Makes sure the item exists remotely, creating it at most once. */
  private async ensureCreated(item: ItemRow, parent: string | undefined, previous: string | undefined): Promise<RemoteTask> {
    if (item.status === 'sending') {
      // An earlier run sent it and stopped before recording the answer.
      const found = await this.findByMarker(item);
      if (found) {
        await this.markCreated(item, found, true);
        return found;
      }
    }
    await this.markSending(item);
    // Whether an attempt of this run may have created the task without our hearing of it.
    let outcomeUnknown = false;
    for (let attempt = 1; ; attempt++) {
      let task: RemoteTask;
      try {
        task = await this.client.insertTask(
          this.claim.taskListId,
          { title: item.title, ...(item.notes ? { notes: item.notes } : {}), ...(item.due ? { due: item.due } : {}) },
          { parent, previous },
        );
      } catch (raw) {
        const error = toTasksApiError(raw);
        if (!error.retryable && !error.mayHaveCommitted && !outcomeUnknown) await this.markRefused(item, error);
        if (!error.retryable || attempt >= this.env.policy.maxAttempts) throw error;
        await this.env.sleep(backoffDelayMs(this.env, attempt, error));
        // Retries can outlast a lease: renew it (or learn we lost it) before sending again.
        await this.store.transaction((tx) => this.holdLease(tx));
        if (error.mayHaveCommitted) {
          outcomeUnknown = true;
          const found = await this.findByMarker(item);
          if (found) {
            await this.markCreated(item, found, true);
            return found;
          }
        }
        continue;
      }
      await this.step('remote-call-returned', item.seq);
      await this.markCreated(item, task, false);
      return task;
    }
  }

  async run(): Promise<ExecutionResult> {
    const created: RemoteTask[] = [];
    let parentId: string | undefined;
    let previousSubtaskId: string | undefined;
    for (const item of this.claim.items) {
      let task: RemoteTask;
      if (item.status === 'created' && item.remote_id) {
        task = { id: item.remote_id, title: item.title, ...(item.due ? { due: item.due } : {}) };
      } else {
        // Subtasks go under the task, each after the one before it: the API puts a task
        // without `previous` first, which would reverse the draft's order.
        task = await this.ensureCreated(item, item.seq === 0 ? undefined : parentId, item.seq === 0 ? undefined : previousSubtaskId);
        if (item.seq === 0 && task.selfLink) this.resolvedListId = /\/lists\/([^/]+)\/tasks\//.exec(task.selfLink)?.[1];
      }
      if (item.seq === 0) parentId = task.id;
      else previousSubtaskId = task.id;
      created.push(task);
    }
    await this.step('before-finish');

    const [main, ...subtasks] = created;
    const mainItem = this.claim.items[0];
    const result: ExecutionResult = {
      ok: true,
      executionId: this.claim.executionId,
      draftId: this.draft.id,
      taskListId: this.claim.taskListId,
      task: {
        id: main.id,
        title: mainItem.title,
        due: mainItem.due ? mainItem.due.slice(0, 10) : null,
        ...(main.webViewLink ? { webViewLink: main.webViewLink } : {}),
      },
      subtasks: subtasks.map((t, i) => ({ id: t.id, title: this.claim.items[i + 1].title })),
      apiCalls: this.apiCalls,
      resumed: this.claim.resumed,
      alreadyExecuted: false,
    };
    await this.store.transaction(async (tx) => {
      await this.holdLease(tx);
      await tx.run(
        `UPDATE executions SET status = 'success', result_json = ?, executed_at = ${tx.nowMs}, error_message = NULL,
           lease_token = NULL, lease_expires_at = NULL, api_calls = api_calls + ?,
           resolved_task_list_id = COALESCE(resolved_task_list_id, ?), updated_at = ${tx.nowMs}
         WHERE id = ?`,
        [JSON.stringify(result), this.apiCalls, this.resolvedListId ?? null, this.claim.executionId],
      );
      await markDraftExecuted(tx, this.draft.id, this.draft.userId, { executionId: this.claim.executionId, taskId: main.id });
      await this.audit(tx, 'task_executed', { taskId: main.id, subtasks: subtasks.length, apiCalls: this.apiCalls, resumed: this.claim.resumed });
    });
    return result;
  }

  /** Records a failure of the API; the items keep their state for the next run. */
  async fail(failure: Failure): Promise<void> {
    await this.store.transaction(async (tx) => {
      await this.holdLease(tx);
      await tx.run(
        `UPDATE executions SET status = 'failed', error_message = ?, lease_token = NULL, lease_expires_at = NULL,
           api_calls = api_calls + ?, updated_at = ${tx.nowMs} WHERE id = ?`,
        [failure.message, this.apiCalls, this.claim.executionId],
      );
      await this.audit(tx, 'task_execution_failed', { kind: failure.kind, retryable: failure.retryable, message: failure.message });
    });
  }
}

// ------------------------------------------------------------ entry point

async function recordInvalidDraft(store: Store, draft: Draft, taskListId: string, problems: string[]): Promise<ExecuteDraftOutcome> {
  const message = `Draft ${draft.id} cannot become a Google Task: ${problems.join('; ')}`;
  const executionId = await store.transaction(async (tx) => {
    const row = await tx.get<{ id: number }>(
      `INSERT INTO executions (draft_id, user_id, task_list_id, status, error_message, runs, created_at, updated_at)
       VALUES (?, ?, ?, 'failed', ?, 1, ${tx.nowMs}, ${tx.nowMs}) RETURNING id`,
      [draft.id, draft.userId, taskListId, message],
    );
    await recordAudit(tx, {
      action: 'task_execution_failed',
      entityType: 'execution',
      entityId: row!.id,
      userId: draft.userId,
      sourceMessageId: draft.sourceMessageId,
      details: { draftId: draft.id, kind: 'invalid_draft', problems },
    });
    return Number(row!.id);
  });
  return {
    ok: false,
    draftId: draft.id,
    executionId,
    failure: {
      kind: 'invalid_draft',
      retryable: false,
      message,
      userMessage: `I can't create this task: ${problems.join('; ')}. Please edit the draft.`,
    },
  };
}

function notConfirmed(draftId: number, status: string): ExecuteDraftOutcome {
  return {
    ok: false,
    draftId,
    failure: {
      kind: 'draft_not_confirmed',
      retryable: false,
      message: `Draft ${draftId} is ${status}, not confirmed`,
      userMessage: status === 'cancelled' ? 'This draft was cancelled, so nothing was created.' : `This draft is ${status}; only a confirmed draft can be created.`,
    },
  };
}

export async function executeDraft(store: Store, client: TasksClient, input: ExecuteDraftInput): Promise<ExecuteDraftOutcome> {
  const draftId = requireDraftId(input.draftId);
  const userId = requireUserId(input.userId);
  const taskListId = (input.taskListId ?? '').trim() || DEFAULT_TASK_LIST_ID;
  const leaseMs = input.leaseMs ?? EXECUTION_LEASE_MS;
  const env = retryEnvironment(input);
  const waitMs = input.waitForOtherWorkerMs ?? WAIT_FOR_OTHER_WORKER_MS;

  const draft = await getDraftForUser(store, draftId, userId);
  if (draft.status === 'executed') {
    const recorded = await recordedResult(store, draftId);
    if (recorded) return recorded;
    return notConfirmed(draftId, 'executed without a recorded execution');
  }
  if (draft.status !== 'confirmed') return notConfirmed(draftId, draft.status);

  const validation = validateTaskDraft(draft.task);
  if (!validation.ok) return recordInvalidDraft(store, draft, taskListId, validation.problems);

  const leaseToken = randomUUID();
  const waitUntil = Date.now() + waitMs;
  let claim: Claim;
  for (;;) {
    claim = await claimExecution(store, draft, validation.items, taskListId, leaseToken, leaseMs);
    if (claim.state === 'claimed') break;
    if (claim.state === 'executed') {
      const recorded = await recordedResult(store, draftId);
      if (recorded) return recorded;
      return notConfirmed(draftId, 'executed without a recorded execution');
    }
    if (claim.state === 'not_confirmed') return notConfirmed(draftId, claim.status);
    // Another worker is creating this draft's task right now (a double tap): wait for its result.
    const remaining = waitUntil - Date.now();
    if (remaining <= 0) {
      return {
        ok: false,
        draftId,
        failure: {
          kind: 'in_progress',
          retryable: true,
          retryAfterMs: WAIT_FOR_OTHER_WORKER_MS,
          message: `Draft ${draftId} is being executed by another worker`,
          userMessage: 'This task is being created right now.',
        },
      };
    }
    // A real timer even when tests inject a no-op backoff sleep: this waits on another worker.
    await defaultSleep(Math.min(WAIT_POLL_MS, remaining));
  }

  const run = new ExecutionRun(store, client, draft, claim, leaseToken, leaseMs, env, input.onStep);
  await input.onStep?.('claimed', { executionId: claim.executionId });
  try {
    return await run.run();
  } catch (error) {
    // Only API failures are outcomes; anything else (database, lost lease, a crash) propagates
    // and leaves the execution to be resumed.
    if (!(error instanceof TasksApiError)) throw error;
    const failure = failureFromTasksError(error);
    await run.fail(failure);
    return { ok: false, draftId, executionId: claim.executionId, failure };
  }
}

/** The execution rows of a draft with their items: for tests, the audit trail and support. */
export async function getExecutionsForDraft(db: Queryable, draftId: number): Promise<(Record<string, unknown> & { items: Record<string, unknown>[] })[]> {
  const executions = await db.all<Record<string, unknown>>('SELECT * FROM executions WHERE draft_id = ? ORDER BY id', [draftId]);
  const result: (Record<string, unknown> & { items: Record<string, unknown>[] })[] = [];
  for (const execution of executions) {
    const items = await db.all<Record<string, unknown>>('SELECT * FROM execution_items WHERE execution_id = ? ORDER BY seq', [execution.id as number]);
    result.push({ ...execution, items });
  }
  return result;
}
