// Workflow E: a confirmed draft becomes one Google Task with its subtasks, exactly once.
//
// Google Tasks has no idempotency key, so exactly-once comes from our own records:
//  1. A claim transaction creates (or takes over) the draft's execution with one row per
//     task to create, `planned`, under a lease that fences out a second worker.
//  2. Before each insert the lease is re-checked and renewed and the item moves to `sending`,
//     in one committed transaction: a worker whose lease was taken over (it was paused, or
//     Google was slower than the lease) never sends another insert. A live worker renews its
//     lease in the background while a request is in flight, so slowness alone is no takeover.
//  3. The remote id is recorded (`created`) the moment the answer comes back, also by a worker
//     that lost the lease meanwhile (it is the truth about that item).
//  4. Whoever finds an item in `sending` (after a crash, or after an answer lost to a timeout
//     or a dropped connection) adopts the task it may have created instead of creating it
//     again: a task of the same list and parent with the same title, notes and due date,
//     updated since the first send (minus a margin for clock skew), that no item has recorded
//     yet; the newest if several match. Nothing of ours is written into the user's tasks.
//  5. The draft moves confirmed → executed in the transaction that marks the execution
//     successful, only when every item exists.
// Failures of the API come back as a Failure; the execution row records them and the next
// run resumes where this one stopped.
//
// What can still go wrong, honestly (docs/troubleshooting.md says the same for users):
//  - Adoption trusts content. If our insert never landed but the user made an identical task
//    (same list, title, notes, due) in Google Tasks shortly before or during the send, we adopt
//    theirs: they see one task instead of two, and an undo would delete theirs.
//  - If the user edits or deletes our task between a lost answer and the adoption search (only
//    seconds, or one lease after a crash), it no longer matches and is created a second time.
//  - A request Google applies after our client gave up on it (a timeout, then a late commit)
//    can land after the search that looked for it: then it exists twice. A heavily delayed
//    write is the one case no record on our side can close without an idempotency key.

import { randomUUID } from 'node:crypto';
import { recordAudit } from '../store/audit';
import type { Queryable, Store } from '../store/db';
import { getDraftForUser, markDraftExecuted, requireDraftId, type Draft } from '../draft/drafts';
import { StateError } from '../errors';
import type { Failure } from '../outcome';
import { draftCannotBeCreated, draftNotConfirmed, TASK_BEING_CREATED } from '../messages/failures';
import { requireUserId } from '../users';
import { TasksApiError, countCalls, toTasksApiError, type RemoteTask, type TasksClient } from './client';
import { backoffDelayMs, defaultSleep, failureFromTasksError, retryEnvironment, withRetries, type RetryEnvironment, type RetryPolicy } from './retry';
import { validateTaskDraft, type PlannedItem } from '../draft/taskDraft';

export const DEFAULT_TASK_LIST_ID = '@default';
/** A worker's hold on an execution; renewed at every step and while requests are in flight. Far longer than one request's timeout. */
export const EXECUTION_LEASE_MS = 2 * 60_000;
/** Takeovers a run accepts (each time it waits for the new holder) before it reports the draft as in progress. */
const MAX_LEASE_LOSSES = 3;
/** How long a second request for the same draft waits for the first to finish. */
export const WAIT_FOR_OTHER_WORKER_MS = 30_000;
const WAIT_POLL_MS = 100;
/**
 * Adoption looks at tasks updated since the first send, minus this margin for the skew between
 * our clock and Google's. Wider finds our task on a badly set clock; narrower leaves fewer of
 * the user's own identical tasks in reach.
 */
export const ADOPTION_CLOCK_SKEW_MS = 5 * 60_000;
/** Upper bound on pages read when searching for a task to adopt (100 tasks per page). */
const ADOPTION_SEARCH_MAX_PAGES = 50;

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
  /** How often a run renews its lease while it works, in ms; 0: only at each step. Default: a third of the lease. */
  renewLeaseEveryMs?: number;
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

/** Our name for an item in the audit log and the database (column `marker`); never sent to Google. */
export function itemKey(executionId: number, seq: number): string {
  return `da:e${executionId}.${seq}`;
}

/**
 * Notes as shown to people. Earlier versions wrote a marker such as "[da:e12.3]" at the end
 * of each task's notes; tasks created then still carry it.
 */
export function stripMarker(notes: string | undefined): string | undefined {
  if (notes === undefined) return undefined;
  const stripped = notes.replace(/\s*\[da:e\d+\.\d+\]\s*$/, '');
  return stripped || undefined;
}

/** Text as Google may hand it back: line endings and surrounding blanks do not tell tasks apart. */
function sameText(remote: string | undefined, ours: string | null | undefined): boolean {
  const normal = (text: string | null | undefined) => (text ?? '').replace(/\r\n?/g, '\n').trim();
  return normal(remote) === normal(ours);
}

/** Whether a remote task is what this item's insert would have created. */
function isSameTask(task: RemoteTask, item: ItemRow, parent: string | undefined, sinceMs: number): boolean {
  if (task.deleted) return false;
  if ((task.parent || undefined) !== parent) return false;
  if (!sameText(task.title, item.title) || !sameText(task.notes, item.notes)) return false;
  if ((task.due?.slice(0, 10) ?? null) !== (item.due?.slice(0, 10) ?? null)) return false;
  return !task.updated || Date.parse(task.updated) >= sinceMs;
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
    // The row lock serializes claims of one draft on PostgreSQL (SQLite's transaction holds the write lock).
    const current = await tx.get<{ status: string }>(`SELECT status FROM drafts WHERE id = :draft_id ${tx.forUpdate}`, { draft_id: draft.id });
    if (current?.status === 'executed') return { state: 'executed' };
    if (current?.status !== 'confirmed') return { state: 'not_confirmed', status: String(current?.status) };

    // Continue the latest execution that got as far as planning; a validation failure has no items.
    const existing = await tx.get<{ id: number; status: string }>(
      `SELECT e.id, e.status FROM executions e
       WHERE e.draft_id = :draft_id AND e.status IN ('running', 'failed')
         AND EXISTS (SELECT 1 FROM execution_items i WHERE i.execution_id = e.id)
       ORDER BY e.id DESC LIMIT 1`,
      { draft_id: draft.id },
    );
    if (existing) {
      // One conditional UPDATE takes it over unless another worker holds a live lease on it.
      // Nothing was sent yet (e.g. the list did not exist): the caller's list applies now.
      const resumed = await tx.get<{ id: number; task_list_id: string }>(
        `UPDATE executions SET status = 'running', lease_token = :token, lease_expires_at = ${tx.nowMs} + :lease_ms, runs = runs + 1,
           error_message = NULL, updated_at = ${tx.nowMs},
           task_list_id = CASE WHEN NOT EXISTS (SELECT 1 FROM execution_items i WHERE i.execution_id = executions.id AND i.status <> 'planned')
                               THEN :list_id ELSE task_list_id END
         WHERE id = :id
           AND NOT (status = 'running' AND lease_token IS NOT NULL AND lease_token <> :token AND COALESCE(lease_expires_at, 0) > ${tx.nowMs})
         RETURNING id, task_list_id`,
        { token: leaseToken, lease_ms: leaseMs, list_id: requestedListId, id: existing.id },
      );
      if (!resumed) return { state: 'busy' };
      const executionId = Number(resumed.id);
      const rows = await tx.all<ItemRow>('SELECT * FROM execution_items WHERE execution_id = :id ORDER BY seq', { id: executionId });
      await recordAudit(tx, {
        action: 'task_execution_resumed',
        entityType: 'execution',
        entityId: executionId,
        userId: draft.userId,
        sourceMessageId: draft.sourceMessageId,
        details: { draftId: draft.id, previousStatus: existing.status, items: rows.map((r) => r.status) },
      });
      return { state: 'claimed', executionId, taskListId: String(resumed.task_list_id), items: rows, resumed: true };
    }

    const inserted = await tx.get<{ id: number }>(
      `INSERT INTO executions (draft_id, user_id, task_list_id, status, lease_token, lease_expires_at, runs, created_at, updated_at)
       VALUES (:draft_id, :user_id, :list_id, 'running', :token, ${tx.nowMs} + :lease_ms, 1, ${tx.nowMs}, ${tx.nowMs}) RETURNING id`,
      { draft_id: draft.id, user_id: draft.userId, list_id: requestedListId, token: leaseToken, lease_ms: leaseMs },
    );
    const executionId = Number(inserted!.id);
    await tx.run('UPDATE executions SET marker = :marker WHERE id = :id', { marker: `da:e${executionId}`, id: executionId });
    const rows: ItemRow[] = [];
    for (const item of items) {
      // The notes are the draft's own: nothing of ours goes into the user's Google Tasks.
      const row = await tx.get<ItemRow>(
        `INSERT INTO execution_items (execution_id, seq, title, notes, due, marker, status, created_at, updated_at)
         VALUES (:execution_id, :seq, :title, :notes, :due, :marker, 'planned', ${tx.nowMs}, ${tx.nowMs})
         RETURNING *`,
        { execution_id: executionId, seq: item.seq, title: item.title, notes: item.notes ?? null, due: item.due ?? null, marker: itemKey(executionId, item.seq) },
      );
      rows.push(row!);
    }
    rows.sort((a, b) => a.seq - b.seq);
    await recordAudit(tx, {
      action: 'task_execution_started',
      entityType: 'execution',
      entityId: executionId,
      userId: draft.userId,
      sourceMessageId: draft.sourceMessageId,
      details: { draftId: draft.id, taskListId: requestedListId, items: items.length },
    });
    return { state: 'claimed', executionId, taskListId: requestedListId, items: rows, resumed: false };
  });
}

// ------------------------------------------------------------ one run

class ExecutionRun {
  private readonly client: TasksClient;
  private resolvedListId: string | undefined;
  private renewTimer: ReturnType<typeof setInterval> | undefined;
  private renewal: Promise<void> | undefined;

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
    if (!(await this.renewLeaseIn(tx))) throw new LeaseLostError(this.claim.executionId);
  }

  /** Renews the lease inside tx; false when another worker holds the execution now. */
  private async renewLeaseIn(tx: Queryable): Promise<boolean> {
    const renewed = await tx.run(
      `UPDATE executions SET lease_expires_at = ${tx.nowMs} + ?, updated_at = ${tx.nowMs}
       WHERE id = ? AND lease_token = ? AND status = 'running'`,
      [this.leaseMs, this.claim.executionId, this.leaseToken],
    );
    return renewed === 1;
  }

  private renewLease() {
    return this.store.transaction((tx) => this.holdLease(tx));
  }

  /**
   * Keeps the lease while this run is alive, also during a request slower than the lease: only a
   * worker that stopped (crashed, paused) is taken over. Failures are left to the next write's
   * own check, which is what fences.
   */
  startRenewing(everyMs: number) {
    if (!(everyMs > 0)) return;
    this.renewTimer = setInterval(() => {
      if (this.renewal) return;
      this.renewal = this.store
        .transaction((tx) => this.renewLeaseIn(tx))
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => (this.renewal = undefined));
    }, everyMs);
    this.renewTimer.unref?.();
  }

  async stopRenewing() {
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    await this.renewal;
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

  /**
   * The fence before every insert: in one transaction, the lease is re-checked and renewed and
   * the item moves to `sending`. Returns the task instead when the item was recorded meanwhile
   * (a worker that lost the lease heard back from its own insert).
   */
  private async prepareSend(item: ItemRow): Promise<RemoteTask | undefined> {
    const recorded = await this.store.transaction(async (tx) => {
      await this.holdLease(tx);
      // sending_at keeps the first send: the adoption search must reach back to it.
      const sent = await tx.get<{ sending_at: number }>(
        `UPDATE execution_items SET status = 'sending', send_attempts = send_attempts + 1,
           sending_at = COALESCE(sending_at, ${tx.nowMs}), updated_at = ${tx.nowMs}
         WHERE id = :id AND NOT (status = 'created' AND remote_id IS NOT NULL)
         RETURNING sending_at`,
        { id: item.id },
      );
      if (!sent) {
        const row = await tx.get<{ remote_id: string | null }>('SELECT remote_id FROM execution_items WHERE id = :id', { id: item.id });
        if (row?.remote_id) return row.remote_id;
        throw new Error(`Execution item ${item.id} is gone`);
      }
      await this.audit(tx, 'task_item_sending', { seq: item.seq, item: item.marker });
      item.sending_at = Number(sent.sending_at);
      return undefined;
    });
    if (recorded) {
      item.status = 'created';
      item.remote_id = recorded;
      return { id: recorded, title: item.title, ...(item.due ? { due: item.due } : {}) };
    }
    item.status = 'sending';
    await this.step('sending-committed', item.seq);
    return undefined;
  }

  /**
   * Records the remote task of an item the moment we know it, whether or not we still hold the
   * lease (a task that exists must not be forgotten); then throws if the lease is gone.
   */
  private async recordCreated(item: ItemRow, task: RemoteTask, adopted: boolean): Promise<RemoteTask> {
    const { recordedId, leaseHeld } = await this.store.transaction(async (tx) => {
      const changed = await tx.run(
        `UPDATE execution_items SET status = 'created', remote_id = ?, adopted = ?, updated_at = ${tx.nowMs}
         WHERE id = ? AND status IN ('planned', 'sending')`,
        [task.id, adopted ? 1 : 0, item.id],
      );
      let recordedId = task.id;
      if (changed === 1) {
        await this.audit(tx, adopted ? 'task_item_adopted' : 'task_item_created', { seq: item.seq, remoteId: task.id });
      } else {
        const row = await tx.get<{ remote_id: string | null }>('SELECT remote_id FROM execution_items WHERE id = ?', [item.id]);
        recordedId = row?.remote_id ?? task.id;
        // Another worker recorded a different task for this item: ours is a second copy.
        if (recordedId !== task.id) await this.audit(tx, 'task_item_extra_copy', { seq: item.seq, remoteId: task.id, recordedId });
      }
      return { recordedId, leaseHeld: await this.renewLeaseIn(tx) };
    });
    if (!leaseHeld) throw new LeaseLostError(this.claim.executionId);
    item.status = 'created';
    item.remote_id = recordedId;
    await this.step('created-committed', item.seq);
    return recordedId === task.id ? task : { id: recordedId, title: item.title, ...(item.due ? { due: item.due } : {}) };
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

  /**
   * The task an earlier insert of this item may have created: same list, parent, title, notes
   * and due, updated since the first send, not recorded for any item yet; the newest of them.
   */
  private async findOwnTask(item: ItemRow, parent: string | undefined): Promise<RemoteTask | undefined> {
    const sinceMs = (item.sending_at ?? Date.now()) - ADOPTION_CLOCK_SKEW_MS;
    const candidates: RemoteTask[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < ADOPTION_SEARCH_MAX_PAGES; page++) {
      const result = await withRetries(this.env, () =>
        this.client.listTasks(this.claim.taskListId, {
          showCompleted: true,
          showHidden: true,
          updatedMin: new Date(sinceMs).toISOString(),
          maxResults: 100,
          pageToken,
        }),
      );
      candidates.push(...result.items.filter((t) => isSameTask(t, item, parent, sinceMs)));
      // A long search is a sign of life; and a worker taken over meanwhile stops here.
      await this.renewLease();
      pageToken = result.nextPageToken;
      if (!pageToken) return this.newestUnrecorded(candidates);
    }
    throw new TasksApiError('http', `Task "${item.title}" not found within ${ADOPTION_SEARCH_MAX_PAGES} pages of recent tasks`, { status: 500 });
  }

  private async newestUnrecorded(candidates: RemoteTask[]): Promise<RemoteTask | undefined> {
    if (!candidates.length) return undefined;
    const placeholders = candidates.map(() => '?').join(', ');
    const taken = await this.store.all<{ remote_id: string }>(`SELECT remote_id FROM execution_items WHERE remote_id IN (${placeholders})`, candidates.map((t) => t.id));
    const takenIds = new Set(taken.map((r) => r.remote_id));
    const free = candidates.filter((t) => !takenIds.has(t.id));
    const updatedMs = (t: RemoteTask) => (t.updated ? Date.parse(t.updated) : 0);
    return free.sort((a, b) => updatedMs(b) - updatedMs(a))[0];
  }

  /** Makes sure the item exists remotely, creating it at most once. */
  private async ensureCreated(item: ItemRow, parent: string | undefined, previous: string | undefined): Promise<RemoteTask> {
    if (item.status === 'sending') {
      // An earlier run sent it and stopped before recording the answer.
      const found = await this.findOwnTask(item, parent);
      if (found) return this.recordCreated(item, found, true);
    }
    // Whether an attempt of this run may have created the task without our hearing of it.
    let outcomeUnknown = false;
    for (let attempt = 1; ; attempt++) {
      // Every insert, the first and each retry (also right after a slow search), passes the fence.
      const recorded = await this.prepareSend(item);
      if (recorded) return recorded;
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
        if (error.mayHaveCommitted) {
          outcomeUnknown = true;
          // No point searching for a worker that was taken over during the backoff.
          await this.renewLease();
          const found = await this.findOwnTask(item, parent);
          if (found) return this.recordCreated(item, found, true);
        }
        continue;
      }
      await this.step('remote-call-returned', item.seq);
      return this.recordCreated(item, task, false);
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
      userMessage: draftCannotBeCreated(problems),
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
      userMessage: draftNotConfirmed(status),
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

  const renewEveryMs = input.renewLeaseEveryMs ?? Math.floor(leaseMs / 3);
  let lostLeases = 0;
  for (;;) {
    // A fresh token per claim: nothing a previous run of this call left behind can pass the fence.
    const leaseToken = randomUUID();
    const claim = await claimOrWait(store, draft, validation.items, taskListId, leaseToken, leaseMs, waitMs);
    if (claim.state !== 'claimed') return claim.outcome;

    const run = new ExecutionRun(store, client, draft, claim, leaseToken, leaseMs, env, input.onStep);
    run.startRenewing(renewEveryMs);
    try {
      await input.onStep?.('claimed', { executionId: claim.executionId });
      try {
        return await run.run();
      } catch (error) {
        // Only API failures are outcomes; anything else (database, a crash) propagates and
        // leaves the execution to be resumed.
        if (!(error instanceof TasksApiError)) throw error;
        const failure = failureFromTasksError(error);
        await run.fail(failure);
        return { ok: false, draftId, executionId: claim.executionId, failure };
      }
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      // Another worker took over (this one looked dead): it finishes the job. Wait for its
      // result like a second tap does, so that only the worker that created the task reports it.
      await store.transaction((tx) =>
        recordAudit(tx, {
          action: 'task_execution_lease_lost',
          entityType: 'execution',
          entityId: claim.executionId,
          userId: draft.userId,
          sourceMessageId: draft.sourceMessageId,
          details: { draftId },
        }),
      );
      if (++lostLeases >= MAX_LEASE_LOSSES) return inProgress(draftId);
    } finally {
      await run.stopRenewing();
    }
  }
}

function inProgress(draftId: number): ExecuteDraftOutcome {
  return {
    ok: false,
    draftId,
    failure: {
      kind: 'in_progress',
      retryable: true,
      retryAfterMs: WAIT_FOR_OTHER_WORKER_MS,
      message: `Draft ${draftId} is being executed by another worker`,
      userMessage: TASK_BEING_CREATED,
    },
  };
}

/** Claims the draft's execution, waiting up to waitMs while another live worker holds it. */
async function claimOrWait(
  store: Store,
  draft: Draft,
  items: PlannedItem[],
  taskListId: string,
  leaseToken: string,
  leaseMs: number,
  waitMs: number,
): Promise<Claimed | { state: 'done'; outcome: ExecuteDraftOutcome }> {
  const waitUntil = Date.now() + waitMs;
  for (;;) {
    const claim = await claimExecution(store, draft, items, taskListId, leaseToken, leaseMs);
    if (claim.state === 'claimed') return claim;
    if (claim.state === 'executed') {
      const recorded = await recordedResult(store, draft.id);
      return { state: 'done', outcome: recorded ?? notConfirmed(draft.id, 'executed without a recorded execution') };
    }
    if (claim.state === 'not_confirmed') return { state: 'done', outcome: notConfirmed(draft.id, claim.status) };
    // Another worker is creating this draft's task right now (a double tap): wait for its result.
    const remaining = waitUntil - Date.now();
    if (remaining <= 0) return { state: 'done', outcome: inProgress(draft.id) };
    // A real timer even when tests inject a no-op backoff sleep: this waits on another worker.
    await defaultSleep(Math.min(WAIT_POLL_MS, remaining));
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
