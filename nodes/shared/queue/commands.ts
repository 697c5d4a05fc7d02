// The durable command queue (docs/architecture.md: command queue, idempotent operations).
//
// pending → processing → completed | failed (waiting to retry) | dead
//
// Each transition is one UPDATE whose WHERE holds the precondition and whose RETURNING says
// what changed; TypeScript never reads a row to decide a transition. The audit row for the
// transition is written in the same transaction.

import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { recordAudit } from '../store/audit';
import { backoffStepMs, COMMAND_BACKOFF, jitterFactor, type BackoffBounds } from '../backoff';
import { DEFAULT_LEASE_MS, DEFAULT_MAX_ATTEMPTS, MAX_PAYLOAD_BYTES } from '../constants';
import { COMMAND_TYPES, type CommandType, type ButtonCommandPayload } from '../contracts';
import type { Queryable, Store } from '../store/db';
import { reopenConfirmedDraft } from '../draft/drafts';
import { InputError } from '../errors';
import { isoOrNull, parseJsonColumn } from '../time';
import { ensureUser, requireUserId } from '../users';

export type CommandStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'dead';

export interface Command {
  id: number;
  userId: string;
  type: CommandType;
  payload: Record<string, unknown>;
  status: CommandStatus;
  dedupeKey: string;
  sourceMessageId: string | null;
  attempts: number;
  maxAttempts: number;
  runAfter: string | null;
  leaseOwner: string | null;
  leaseToken: string | null;
  leaseExpiresAt: string | null;
  lastError: string | null;
  result: unknown;
  createdAt: string | null;
  updatedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export function toCommand(row: Record<string, unknown>): Command {
  return {
    id: Number(row.id),
    userId: String(row.user_id),
    type: row.type as CommandType,
    payload: parseJsonColumn(row.payload_json) as Record<string, unknown>,
    status: row.status as CommandStatus,
    dedupeKey: String(row.dedupe_key),
    sourceMessageId: (row.source_message_id as string | null) ?? null,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAfter: isoOrNull(row.run_after),
    leaseOwner: (row.lease_owner as string | null) ?? null,
    leaseToken: (row.lease_token as string | null) ?? null,
    leaseExpiresAt: isoOrNull(row.lease_expires_at),
    lastError: (row.last_error as string | null) ?? null,
    result: parseJsonColumn(row.result_json),
    createdAt: isoOrNull(row.created_at),
    updatedAt: isoOrNull(row.updated_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

// ---------------------------------------------------------------- input checks

export function requireCommandType(type: unknown): CommandType {
  if (typeof type !== 'string' || !COMMAND_TYPES.includes(type as CommandType)) {
    throw new InputError(`Unknown command type "${String(type)}"`, `Use one of: ${COMMAND_TYPES.join(', ')}.`);
  }
  return type as CommandType;
}

/** Accepts an object or a JSON string; anything else is refused before the database is touched. */
export function parsePayload(payload: unknown): Record<string, unknown> {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = value.trim() === '' ? {} : JSON.parse(value);
    } catch (error) {
      throw new InputError(`Payload is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('Payload must be a JSON object', 'For example {"text": "buy milk", "chat_id": 123}.');
  }
  return value as Record<string, unknown>;
}

function serializePayload(payload: Record<string, unknown>): string {
  const json = JSON.stringify(payload);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new InputError(`Payload is ${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}`, 'Keep large content out of the command payload.');
  }
  return json;
}

function requireId(value: unknown, what: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new InputError(`${what} must be a positive whole number (got "${String(value)}")`);
  return id;
}

export function requireText(value: unknown, what: string, max = 500): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(`${what} is empty`);
  if (value.length > max) throw new InputError(`${what} is longer than ${max} characters`);
  return value;
}

// ---------------------------------------------------------------- enqueue

export interface EnqueueInput {
  type: unknown;
  userId: unknown;
  payload: unknown;
  /** Same key, same command: a repeated delivery inserts nothing. Telegram: `telegram:<bot>:<update_id>`. */
  dedupeKey: unknown;
  sourceMessageId?: string | number | null;
  maxAttempts?: number;
  delayMs?: number;
  user?: { telegramUserId?: string | null; telegramChatId?: string | null; displayName?: string | null; timezone?: string | null };
  auditDetails?: unknown;
}

export interface EnqueueResult {
  command: Command;
  duplicate: boolean;
}

export async function enqueueCommand(store: Store, input: EnqueueInput): Promise<EnqueueResult> {
  const type = requireCommandType(input.type);
  const userId = requireUserId(input.userId);
  const dedupeKey = requireText(input.dedupeKey, 'Idempotency key');
  const payloadJson = serializePayload(parsePayload(input.payload));
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw new InputError('Max attempts must be between 1 and 100');
  const delayMs = Math.max(0, Math.floor(input.delayMs ?? 0));
  // NaN reached the INSERT as NULL (a NOT NULL error from the database) and Infinity as a
  // run_after no date can show: both are the caller's mistake, said so before any write.
  if (!Number.isFinite(delayMs)) throw new InputError(`Delay must be a number of milliseconds (got "${String(input.delayMs)}")`);
  const sourceMessageId = input.sourceMessageId === undefined || input.sourceMessageId === null ? null : String(input.sourceMessageId);

  return store.transaction(async (tx) => {
    await ensureUser(tx, { userId, ...input.user });
    const inserted = await tx.get<Record<string, unknown>>(
      `INSERT INTO commands (user_id, type, payload_json, status, dedupe_key, source_message_id, attempts, max_attempts, run_after, created_at, updated_at)
       VALUES (?, ?, ?, 'pending', ?, ?, 0, ?, ${tx.nowMs} + ?, ${tx.nowMs}, ${tx.nowMs})
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING *`,
      [userId, type, payloadJson, dedupeKey, sourceMessageId, maxAttempts, delayMs],
    );
    if (inserted) {
      const command = toCommand(inserted);
      await recordAudit(tx, {
        action: 'command_created',
        entityType: 'command',
        entityId: command.id,
        userId,
        sourceMessageId,
        details: { type, dedupeKey, ...(input.auditDetails === undefined ? {} : { context: input.auditDetails }) },
      });
      return { command, duplicate: false };
    }
    const existing = await tx.get<Record<string, unknown>>('SELECT * FROM commands WHERE dedupe_key = ?', [dedupeKey]);
    const command = toCommand(existing!);
    await recordAudit(tx, {
      action: 'command_duplicate_ignored',
      entityType: 'command',
      entityId: command.id,
      userId,
      sourceMessageId,
      details: { dedupeKey },
    });
    return { command, duplicate: true };
  });
}

/** The idempotency check: has a command with this key been accepted already? */
export async function findCommandByKey(db: Queryable, dedupeKey: unknown): Promise<Command | undefined> {
  const row = await db.get<Record<string, unknown>>('SELECT * FROM commands WHERE dedupe_key = ?', [requireText(dedupeKey, 'Idempotency key')]);
  return row && toCommand(row);
}

export async function getCommand(db: Queryable, id: unknown): Promise<Command | undefined> {
  const row = await db.get<Record<string, unknown>>('SELECT * FROM commands WHERE id = ?', [requireId(id, 'Command ID')]);
  return row && toCommand(row);
}

// ---------------------------------------------------------------- claim

export interface ClaimInput {
  /** Who holds the lease: shows in the row and the audit log. */
  owner?: string;
  /** Up to this many ready commands in one claim, so a run can drain a backlog. */
  limit?: number;
  leaseMs?: number;
}

export function defaultWorkerName(): string {
  return `${os.hostname()}:${process.pid}`;
}

/**
 * The ids of up to `:limit` claimable commands, oldest due first.
 *
 * One ordered, limited index scan per kind of ready command (pending, failed, expired lease),
 * merged: a single `status IN (…) OR …` scan would read and sort every ready row of the table
 * on each claim, which made claims O(backlog). On PostgreSQL each branch locks what it picks
 * with SKIP LOCKED, so concurrent claims take different commands (and PostgreSQL re-checks
 * each branch's condition on a row it locks). The precondition lives in these branches only:
 * repeating it around `id IN (…)` makes SQLite plan a scan of every ready row again.
 */
function readyCommandIdsSql(tx: Queryable): string {
  const branch = (alias: string, where: string) =>
    `SELECT id, run_after FROM (SELECT id, run_after FROM commands WHERE ${where} ORDER BY run_after, id LIMIT :limit ${tx.skipLocked}) ${alias}`;
  return `SELECT id FROM (
           ${branch('due_pending', `status = 'pending' AND run_after <= ${tx.nowMs}`)}
           UNION ALL ${branch('due_failed', `status = 'failed' AND run_after <= ${tx.nowMs}`)}
           UNION ALL ${branch('expired', `status = 'processing' AND lease_expires_at < ${tx.nowMs} AND attempts < max_attempts`)}
         ) ready ORDER BY run_after, id LIMIT :limit`;
}

/** The draft a confirm command names; NaN for a payload without one (never throws: a claim must not fail on one row). */
function draftIdOfPayload(payloadJson: unknown): number {
  try {
    return Number((parseJsonColumn(payloadJson) as Partial<ButtonCommandPayload> | null)?.draftId);
  } catch {
    return Number.NaN;
  }
}

/**
 * How often a claim that filled its whole batch also looks for leases to bury, per store. A
 * claim that came back short (the queue has run dry) always looks: burying is not urgent (it
 * waits a full lease after the expiry anyway), and this keeps it off a busy queue's hot path.
 */
export const BURY_CHECK_EVERY_MS = 1_000;
const lastBuryCheck = new WeakMap<Queryable, number>();

/**
 * A command whose lease expired with no attempts left goes to dead instead of running again,
 * so a command that kills its worker cannot loop forever; but only a further full lease after
 * it expired, so that a worker that is slow rather than gone (paused, starved of CPU, just
 * past its lease) can still renew or complete its last attempt. The claim never takes such a
 * command (its expired branch wants attempts left), so burying is a transaction of its own.
 */
async function buryExpiredLastAttempts(store: Store): Promise<void> {
  lastBuryCheck.set(store, Date.now());
  await store.transaction(async (tx) => {
    const buried = await tx.all<Record<string, unknown>>(
      `UPDATE commands
       SET status = 'dead', last_error = 'Lease expired after the last allowed attempt (the worker stopped while running it)',
           lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, finished_at = ${tx.nowMs}, updated_at = ${tx.nowMs}
       WHERE status = 'processing' AND lease_expires_at < ${tx.nowMs} AND attempts >= max_attempts
         AND lease_expires_at + COALESCE(lease_ms, ${DEFAULT_LEASE_MS}) < ${tx.nowMs}
       RETURNING id, type, user_id, source_message_id, attempts, payload_json`,
    );
    for (const row of buried) {
      await recordAudit(tx, {
        action: 'command_dead',
        entityType: 'command',
        entityId: Number(row.id),
        userId: String(row.user_id),
        sourceMessageId: (row.source_message_id as string | null) ?? null,
        details: { reason: 'lease_expired', attempts: Number(row.attempts) },
      });
      // Nobody settles this command now, so its draft would stay confirmed forever: give it back.
      const draftId = row.type === ('confirm_draft' satisfies CommandType) ? draftIdOfPayload(row.payload_json) : NaN;
      if (Number.isInteger(draftId) && draftId > 0) {
        await reopenConfirmedDraft(tx, draftId, String(row.user_id), 'The confirmation stopped during its last attempt').catch((error: unknown) => {
          // A draft that is gone or not the user's has nothing to give back; the bury still stands.
          if (!(error instanceof InputError)) throw error;
        });
      }
    }
  });
}

/**
 * Takes up to `limit` ready commands: pending or failed and due, or processing with an
 * expired lease (its worker died) and attempts left, with a fresh fencing token per claim.
 * One conditional UPDATE … RETURNING and the audit rows it implies: on PostgreSQL a single
 * statement, on SQLite one transaction. Then, now and then, expired last attempts are buried.
 */
export async function claimCommands(store: Store, input: ClaimInput = {}): Promise<Command[]> {
  const owner = input.owner || defaultWorkerName();
  const limit = input.limit ?? 1;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InputError('Claim limit must be between 1 and 1000');
  const leaseMs = input.leaseMs ?? DEFAULT_LEASE_MS;
  if (!Number.isFinite(leaseMs) || leaseMs < 1) throw new InputError('Lease duration must be positive');

  const rows = await store.changeWithRecord<Record<string, unknown>>(
    'commands',
    `UPDATE commands
     SET status = 'processing', lease_owner = :owner, lease_token = :token, lease_expires_at = ${store.nowMs} + :lease_ms, lease_ms = :lease_ms,
         attempts = attempts + 1, started_at = ${store.nowMs}, updated_at = ${store.nowMs}
     WHERE id IN (${readyCommandIdsSql(store)})
     RETURNING *`,
    `INSERT INTO audit_log (timestamp, action, entity_type, entity_id, user_id, source_message_id, details_json)
     SELECT ${store.nowMs}, 'command_claimed', 'command', CAST(id AS TEXT), user_id, source_message_id, :details
     FROM changed ORDER BY changed.id`,
    { owner, token: randomUUID(), lease_ms: Math.floor(leaseMs), limit, details: JSON.stringify({ owner }) },
  );
  const commands = rows.map(toCommand).sort((a, b) => a.id - b.id);
  if (commands.length < limit || Date.now() - (lastBuryCheck.get(store) ?? 0) >= BURY_CHECK_EVERY_MS) await buryExpiredLastAttempts(store);
  return commands;
}

// ---------------------------------------------------------------- renew

/**
 * Extends the leases of a claim by each command's own lease length, for the holder of the
 * claim's token only; returns the ids still held. A command another worker took over (or that
 * was settled or buried) is not renewed, so a worker that was paused cannot take it back.
 * By primary key: finding the rows by lease token would scan the whole table.
 */
export async function renewLeases(store: Store, input: { ids: readonly number[]; leaseToken: unknown }): Promise<number[]> {
  const token = requireText(input.leaseToken, 'Lease token');
  const ids = input.ids.map((id) => requireId(id, 'Command ID'));
  if (ids.length === 0) return [];
  return store.transaction(async (tx) => {
    const rows = await tx.all<{ id: number }>(
      `UPDATE commands SET lease_expires_at = ${tx.nowMs} + COALESCE(lease_ms, ${DEFAULT_LEASE_MS})
       WHERE id IN (${ids.map(() => '?').join(', ')}) AND status = 'processing' AND lease_token = ?
       RETURNING id`,
      [...ids, token],
    );
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  });
}

// ---------------------------------------------------------------- complete / fail

export type SettleResult =
  | { applied: true; command: Command }
  | { applied: false; reason: 'not_found' | 'lease_lost'; command: Command | null };

async function explainLostLease(db: Queryable, id: number): Promise<SettleResult> {
  const row = await db.get<Record<string, unknown>>('SELECT * FROM commands WHERE id = :id', { id });
  if (!row) return { applied: false, reason: 'not_found', command: null };
  return { applied: false, reason: 'lease_lost', command: toCommand(row) };
}

/**
 * Marks a processing command completed, only for the holder of its current lease: one
 * conditional UPDATE … RETURNING with its audit row (one statement on PostgreSQL).
 */
export async function completeCommand(
  store: Store,
  input: { id: unknown; leaseToken: unknown; result?: unknown },
): Promise<SettleResult> {
  const id = requireId(input.id, 'Command ID');
  const token = requireText(input.leaseToken, 'Lease token');
  const resultJson = input.result === undefined ? null : JSON.stringify(input.result);
  // The audit details are JSON.stringify({ status: 'completed', attempts }) spelled in SQL.
  const [row] = await store.changeWithRecord<Record<string, unknown>>(
    'commands',
    `UPDATE commands
     SET status = 'completed', result_json = :result, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
         finished_at = ${store.nowMs}, updated_at = ${store.nowMs}
     WHERE id = :id AND status = 'processing' AND lease_token = :token
     RETURNING *`,
    `INSERT INTO audit_log (timestamp, action, entity_type, entity_id, user_id, source_message_id, details_json)
     SELECT ${store.nowMs}, 'command_executed', 'command', CAST(id AS TEXT), user_id, source_message_id,
            '{"status":"completed","attempts":' || CAST(attempts AS TEXT) || '}'
     FROM changed`,
    { id, token, result: resultJson },
  );
  if (!row) return explainLostLease(store, id);
  return { applied: true, command: toCommand(row) };
}

/** The backoff step (backoff.ts) for the row's attempts so far. Literal SQL built from constants only. */
function backoffStepSql(bounds: BackoffBounds): string {
  const steps: string[] = [];
  for (let attempt = 1; attempt <= 20; attempt++) steps.push(`WHEN ${attempt} THEN ${backoffStepMs(bounds, attempt)}`);
  return `CASE attempts ${steps.join(' ')} ELSE ${bounds.maxDelayMs} END`;
}

export interface FailInput {
  id: unknown;
  leaseToken: unknown;
  error: unknown;
  /** Retryable failures come back after backoff while attempts remain; others are dead at once. */
  retryable: boolean;
  /** The service's own hint (Retry-After); used when longer than the backoff. */
  retryAfterMs?: number;
  /** Random factor in [0, 1) for jitter; injectable for tests. */
  jitter?: number;
  /**
   * A retryable failure that is not the command's own (e.g. the installation's Gemini key is
   * refused): the attempt it just used is given back, so it waits as long as it must and still
   * runs with all its attempts once the setup is fixed.
   */
  keepAttempt?: boolean;
}

export async function failCommand(store: Store, input: FailInput): Promise<SettleResult> {
  const id = requireId(input.id, 'Command ID');
  const token = requireText(input.leaseToken, 'Lease token');
  const error = String(input.error ?? 'Unknown error').slice(0, 4000);
  // A service's hint that is not a finite number is ignored rather than stored as run_after.
  const hint = Number(input.retryAfterMs);
  const hintMs = Number.isFinite(hint) && hint > 0 ? Math.floor(hint) : 0;
  const jitter = Math.min(Math.max(input.jitter ?? Math.random(), 0), 0.999999);
  const retryable = input.retryable ? 1 : 0;
  const keepAttempt = input.retryable && input.keepAttempt ? 1 : 0;
  // The step depends on the row's attempts, so the delay is computed in the UPDATE itself; the
  // jitter is a parameter, so every failure runs the same statement.
  const delay = `CAST((${backoffStepSql(COMMAND_BACKOFF)}) * CAST(:jitter_factor AS DOUBLE PRECISION) AS BIGINT)`;
  const retries = `:retryable = 1 AND (:keep_attempt = 1 OR attempts < max_attempts)`;
  return store.transaction(async (tx) => {
    const row = await tx.get<Record<string, unknown>>(
      `UPDATE commands
       SET status = CASE WHEN ${retries} THEN 'failed' ELSE 'dead' END,
           run_after = CASE WHEN ${retries} THEN ${tx.nowMs} + (CASE WHEN :hint_ms > ${delay} THEN :hint_ms ELSE ${delay} END) ELSE run_after END,
           attempts = CASE WHEN :keep_attempt = 1 AND attempts > 0 THEN attempts - 1 ELSE attempts END,
           last_error = :error, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
           finished_at = CASE WHEN ${retries} THEN NULL ELSE ${tx.nowMs} END,
           updated_at = ${tx.nowMs}
       WHERE id = :id AND status = 'processing' AND lease_token = :token
       RETURNING *`,
      { retryable, keep_attempt: keepAttempt, hint_ms: hintMs, jitter_factor: jitterFactor(jitter), error, id, token },
    );
    if (!row) return explainLostLease(tx, id);
    const command = toCommand(row);
    await recordAudit(tx, {
      action: command.status === 'dead' ? 'command_dead' : 'command_failed',
      entityType: 'command',
      entityId: id,
      userId: command.userId,
      sourceMessageId: command.sourceMessageId,
      details: {
        error,
        retryable: Boolean(retryable),
        attempts: command.attempts,
        retryAt: command.status === 'failed' ? command.runAfter : null,
        ...(keepAttempt ? { attemptKept: true } : {}),
      },
    });
    return { applied: true, command };
  });
}

// ---------------------------------------------------------------- stats

export interface QueueStats {
  byStatus: Record<CommandStatus, number>;
  oldestPendingAgeMs: number | null;
  windowMinutes: number;
  commandsPerMinute: number;
  averageProcessingMs: number | null;
  completedInWindow: number;
  deadInWindow: number;
  successRate: number | null;
  failureRate: number | null;
}

/** The monitoring figures: commands/minute, average processing time, success vs failure. */
export async function commandStats(db: Queryable, windowMinutes = 60): Promise<QueueStats> {
  if (!Number.isFinite(windowMinutes) || windowMinutes <= 0) throw new InputError('Window must be a positive number of minutes');
  const windowMs = Math.floor(windowMinutes * 60_000);
  const byStatus: Record<CommandStatus, number> = { pending: 0, processing: 0, completed: 0, failed: 0, dead: 0 };
  for (const row of await db.all<{ status: CommandStatus; n: number }>('SELECT status, COUNT(*) AS n FROM commands GROUP BY status')) {
    byStatus[row.status] = Number(row.n);
  }
  const figures = await db.get<Record<string, number | null>>(
    `SELECT
       (SELECT ${db.nowMs} - MIN(created_at) FROM commands WHERE status IN ('pending', 'failed')) AS oldest_pending_age_ms,
       (SELECT COUNT(*) FROM commands WHERE created_at >= ${db.nowMs} - ?) AS created_in_window,
       (SELECT COUNT(*) FROM commands WHERE status = 'completed' AND finished_at >= ${db.nowMs} - ?) AS completed_in_window,
       (SELECT COUNT(*) FROM commands WHERE status = 'dead' AND finished_at >= ${db.nowMs} - ?) AS dead_in_window,
       (SELECT AVG(finished_at - started_at) FROM commands WHERE status = 'completed' AND finished_at >= ${db.nowMs} - ?) AS avg_processing_ms`,
    [windowMs, windowMs, windowMs, windowMs],
  );
  const completed = Number(figures?.completed_in_window ?? 0);
  const dead = Number(figures?.dead_in_window ?? 0);
  const settled = completed + dead;
  return {
    byStatus,
    oldestPendingAgeMs: figures?.oldest_pending_age_ms == null ? null : Number(figures.oldest_pending_age_ms),
    windowMinutes,
    commandsPerMinute: Number(figures?.created_in_window ?? 0) / windowMinutes,
    averageProcessingMs: figures?.avg_processing_ms == null ? null : Math.round(Number(figures.avg_processing_ms)),
    completedInWindow: completed,
    deadInWindow: dead,
    successRate: settled ? completed / settled : null,
    failureRate: settled ? dead / settled : null,
  };
}
