// The notifications queue (docs/architecture.md, "Notifications"): reminders (Workflow G) and
// daily briefings (Workflow F) that the assistant sends by itself, at most once each.
//
// scheduled → claimed → sending → sent
//                │  └────────────→ skipped            (nothing to say)
//                └─ failed before anything was sent → scheduled again (delay) | failed
// scheduled → cancelled                                (turned off, task done, moved)
// sending whose lease ran out → unknown                (never sent again; a late "sent" settles it)
//
// Like the command queue, each transition is one statement whose WHERE holds the precondition
// (status, and the claim's fencing token) and whose RETURNING says what changed, with its audit
// row in the same transaction (one statement on PostgreSQL). The intent to send is committed
// ('sending') before the message goes out: a worker that dies after sending and before "sent"
// leaves a row that no claim takes again, so a crash can lose a reminder, never repeat it.

import { randomUUID } from 'node:crypto';
import { backoffStepMs, COMMAND_BACKOFF } from '../backoff';
import { InputError } from '../errors';
import { recordAudit } from '../store/audit';
import type { Queryable, Store } from '../store/db';
import { isoOrNull, parseJsonColumn } from '../time';
import { ensureUser, requireUserId } from '../users';

export const NOTIFICATION_KINDS = ['reminder', 'briefing'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationStatus = 'scheduled' | 'claimed' | 'sending' | 'sent' | 'skipped' | 'cancelled' | 'failed' | 'unknown';
/** The statuses in which a notification may still go out. */
export const OPEN_NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['scheduled', 'claimed', 'sending'];

/** A claim holds its notifications this long; a check and one Telegram message take seconds. */
export const NOTIFICATION_LEASE_MS = 2 * 60_000;
export const NOTIFICATION_MAX_ATTEMPTS = 5;
/**
 * A failure before anything was sent (the reminder's check or the briefing's tasks: Google Tasks
 * unavailable) is tried again this often, the backoff capped at 30 minutes: for about a day, so
 * an outage of Google or of the network delays a reminder, sent late once, instead of losing it.
 */
export const NOTIFICATION_CHECK_MAX_ATTEMPTS = 48;

export interface Notification {
  id: number;
  userId: string;
  kind: NotificationKind;
  dedupeKey: string;
  chatId: string;
  draftId: number | null;
  dueAt: string;
  payload: Record<string, unknown>;
  status: NotificationStatus;
  attempts: number;
  leaseToken: string | null;
  leaseExpiresAt: string | null;
  telegramMessageId: string | null;
  outcome: string | null;
  sentAt: string | null;
}

export function toNotification(row: Record<string, unknown>): Notification {
  return {
    id: Number(row.id),
    userId: String(row.user_id),
    kind: row.kind as NotificationKind,
    dedupeKey: String(row.dedupe_key),
    chatId: String(row.chat_id),
    draftId: row.draft_id === null || row.draft_id === undefined ? null : Number(row.draft_id),
    dueAt: isoOrNull(row.due_at)!,
    payload: (parseJsonColumn(row.payload_json) as Record<string, unknown>) ?? {},
    status: row.status as NotificationStatus,
    attempts: Number(row.attempts),
    leaseToken: (row.lease_token as string | null) ?? null,
    leaseExpiresAt: isoOrNull(row.lease_expires_at),
    telegramMessageId: row.telegram_message_id === null || row.telegram_message_id === undefined ? null : String(row.telegram_message_id),
    outcome: (row.outcome as string | null) ?? null,
    sentAt: isoOrNull(row.sent_at),
  };
}

function requireId(value: unknown, what: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new InputError(`${what} must be a positive whole number (got "${String(value)}")`);
  return id;
}

function requireToken(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InputError('Lease token is empty');
  return value;
}

function requireInstant(value: unknown, what: string): number {
  const ms = typeof value === 'number' ? value : Date.parse(String(value));
  if (!Number.isFinite(ms)) throw new InputError(`${what} is not a time (got "${String(value)}")`);
  return Math.floor(ms);
}

/** The audit rows of a transition: one per changed row, read from `changed` (changeWithRecord). */
const audit = (db: Queryable, action: string) =>
  `INSERT INTO audit_log (timestamp, action, entity_type, entity_id, user_id, source_message_id, details_json)
   SELECT ${db.nowMs}, '${action}', 'notification', CAST(id AS TEXT), user_id, NULL, :details FROM changed ORDER BY id`;

// ---------------------------------------------------------------- schedule

export interface ScheduleInput {
  userId: unknown;
  kind: NotificationKind;
  /** One notification per key: scheduling the same key again returns the first (`duplicate`). */
  dedupeKey: string;
  chatId: string | number;
  /** When it is due (an instant: ms or ISO). */
  dueAt: unknown;
  payload?: Record<string, unknown>;
  draftId?: number | null;
}

export async function scheduleNotification(store: Store, input: ScheduleInput): Promise<{ notification: Notification; duplicate: boolean }> {
  const userId = requireUserId(input.userId);
  if (!NOTIFICATION_KINDS.includes(input.kind)) throw new InputError(`Unknown notification kind "${String(input.kind)}"`);
  if (!input.dedupeKey) throw new InputError('Notification key is empty');
  const chatId = String(input.chatId ?? '').trim();
  if (!chatId) throw new InputError('Chat ID is empty');
  const dueAt = requireInstant(input.dueAt, 'Due time');
  const draftId = input.draftId === undefined || input.draftId === null ? null : requireId(input.draftId, 'Draft ID');
  return store.transaction(async (tx) => {
    await ensureUser(tx, { userId });
    const inserted = await tx.get<Record<string, unknown>>(
      `INSERT INTO notifications (user_id, kind, dedupe_key, chat_id, draft_id, due_at, payload_json, status, max_attempts, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ${tx.nowMs}, ${tx.nowMs})
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING *`,
      [userId, input.kind, input.dedupeKey, chatId, draftId, dueAt, JSON.stringify(input.payload ?? {}), NOTIFICATION_MAX_ATTEMPTS],
    );
    if (!inserted) {
      const existing = await tx.get<Record<string, unknown>>('SELECT * FROM notifications WHERE dedupe_key = ?', [input.dedupeKey]);
      return { notification: toNotification(existing!), duplicate: true };
    }
    const notification = toNotification(inserted);
    await recordAudit(tx, {
      action: 'notification_scheduled',
      entityType: 'notification',
      entityId: notification.id,
      userId,
      details: { kind: notification.kind, dedupeKey: notification.dedupeKey, dueAt: notification.dueAt },
    });
    return { notification, duplicate: false };
  });
}

// ---------------------------------------------------------------- claim

export interface ClaimNotificationsInput {
  owner: string;
  limit?: number;
  leaseMs?: number;
  kinds?: readonly NotificationKind[];
}

/**
 * Takes up to `limit` due notifications: scheduled and due, or claimed under a lease that ran out
 * before anything was sent (its checker died). A `sending` row is never taken again. Each claim
 * gets a fresh fencing token. One UPDATE … RETURNING with its audit rows; on PostgreSQL the
 * branches lock what they pick with SKIP LOCKED, so workers claiming together take different rows.
 * Before it, rows left `sending` by a dead worker are settled as `unknown`.
 */
export async function claimDueNotifications(store: Store, input: ClaimNotificationsInput): Promise<Notification[]> {
  const owner = String(input.owner || 'worker');
  const limit = input.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InputError('Claim limit must be between 1 and 1000');
  const leaseMs = Math.floor(input.leaseMs ?? NOTIFICATION_LEASE_MS);
  if (!Number.isFinite(leaseMs) || leaseMs < 1) throw new InputError('Lease duration must be positive');
  const kinds = input.kinds?.length ? input.kinds : NOTIFICATION_KINDS;
  for (const kind of kinds) if (!NOTIFICATION_KINDS.includes(kind)) throw new InputError(`Unknown notification kind "${String(kind)}"`);
  await settleAbandonedSends(store);
  const kindList = kinds.map((kind) => `'${kind}'`).join(', ');
  const branch = (alias: string, where: string) =>
    `SELECT id, due_at FROM (SELECT id, due_at FROM notifications WHERE ${where} AND kind IN (${kindList}) ORDER BY due_at, id LIMIT :limit ${store.skipLocked}) ${alias}`;
  const rows = await store.changeWithRecord<Record<string, unknown>>(
    'notifications',
    `UPDATE notifications
     SET status = 'claimed', lease_owner = :owner, lease_token = :token, lease_expires_at = ${store.nowMs} + :lease_ms,
         attempts = attempts + 1, updated_at = ${store.nowMs}
     WHERE id IN (SELECT id FROM (
             ${branch('due', `status = 'scheduled' AND due_at <= ${store.nowMs}`)}
             UNION ALL ${branch('expired', `status = 'claimed' AND lease_expires_at < ${store.nowMs}`)}
           ) ready ORDER BY due_at, id LIMIT :limit)
     RETURNING *`,
    audit(store, 'notification_claimed'),
    { owner, token: randomUUID(), lease_ms: leaseMs, limit, details: JSON.stringify({ owner }) },
  );
  return rows.map(toNotification).sort((a, b) => a.id - b.id);
}

/**
 * Rows left `sending` after their lease ran out: the worker recorded the intent and then stopped,
 * so the message may or may not have gone out. They become `unknown` (audited), never sent again.
 */
export async function settleAbandonedSends(store: Store): Promise<number> {
  const rows = await store.changeWithRecord<Record<string, unknown>>(
    'notifications',
    `UPDATE notifications SET status = 'unknown', outcome = 'The worker stopped while sending: not sent again', updated_at = ${store.nowMs}
     WHERE status = 'sending' AND lease_expires_at < ${store.nowMs}
     RETURNING *`,
    audit(store, 'notification_outcome_unknown'),
    { details: JSON.stringify({ reason: 'lease_expired_while_sending' }) },
  );
  return rows.length;
}

// ---------------------------------------------------------------- settle

export type NotificationSettle =
  | { applied: true; notification: Notification }
  | { applied: false; reason: 'not_found' | 'lease_lost'; notification: Notification | null };

async function explain(db: Queryable, id: number): Promise<NotificationSettle> {
  const row = await db.get<Record<string, unknown>>('SELECT * FROM notifications WHERE id = ?', [id]);
  return { applied: false, reason: row ? 'lease_lost' : 'not_found', notification: row ? toNotification(row) : null };
}

async function transition(
  store: Store,
  id: number,
  set: string,
  where: string,
  action: string,
  params: Record<string, string | number | null>,
  details: Record<string, unknown>,
): Promise<NotificationSettle> {
  const [row] = await store.changeWithRecord<Record<string, unknown>>(
    'notifications',
    `UPDATE notifications SET ${set}, updated_at = ${store.nowMs} WHERE id = :id AND ${where} RETURNING *`,
    audit(store, action),
    { ...params, id, details: JSON.stringify(details) },
  );
  if (!row) return explain(store, id);
  return { applied: true, notification: toNotification(row) };
}

/**
 * Records the intent to send, for the holder of a live claim only: after this the notification is
 * never claimed again. Call it right before the message goes out.
 */
export function beginSending(store: Store, input: { id: unknown; leaseToken: unknown }): Promise<NotificationSettle> {
  const id = requireId(input.id, 'Notification ID');
  return transition(
    store,
    id,
    'status = \'sending\'',
    `status = 'claimed' AND lease_token = :token AND lease_expires_at > ${store.nowMs}`,
    'notification_sending',
    { token: requireToken(input.leaseToken) },
    {},
  );
}

/** The message went out. Also settles a row already marked `unknown` by a checker that gave this one up. */
export function markSent(store: Store, input: { id: unknown; leaseToken: unknown; messageId?: unknown }): Promise<NotificationSettle> {
  const id = requireId(input.id, 'Notification ID');
  const messageId = input.messageId === undefined || input.messageId === null || input.messageId === '' ? null : String(input.messageId);
  return transition(
    store,
    id,
    `status = 'sent', telegram_message_id = :message_id, sent_at = ${store.nowMs}, lease_owner = NULL, lease_expires_at = NULL, outcome = NULL`,
    `status IN ('sending', 'unknown') AND lease_token = :token`,
    'notification_sent',
    { token: requireToken(input.leaseToken), message_id: messageId },
    { messageId },
  );
}

/** Nothing to send (the reminder's task is done or deleted, a briefing with nothing in it): settled without a message. */
export function skipNotification(store: Store, input: { id: unknown; leaseToken: unknown; reason: string }): Promise<NotificationSettle> {
  const id = requireId(input.id, 'Notification ID');
  const reason = String(input.reason || 'nothing to send').slice(0, 500);
  return transition(
    store,
    id,
    `status = 'skipped', outcome = :reason, lease_owner = NULL, lease_expires_at = NULL`,
    `status = 'claimed' AND lease_token = :token`,
    'notification_skipped',
    { token: requireToken(input.leaseToken), reason },
    { reason },
  );
}

/**
 * Whether a failed send's error says that nothing was delivered: Telegram answered with its own
 * refusal ("Bad Request: …", "Too Many Requests: …": n8n's Telegram node gives Telegram's
 * description), or no connection was ever made. Anything else (a timeout, a connection dropped
 * after the request went out, a 5xx, an error we do not know) may have been delivered.
 */
export function sendSurelyFailed(error: string): boolean {
  return (
    /^(Bad Request|Forbidden|Unauthorized|Not Found|Conflict|Too Many Requests)\b/i.test(error.trim()) ||
    /refused the connection|connection cannot be established|DNS server returned an error|host is unreachable/i.test(error)
  );
}

/**
 * Sending failed. When the error says nothing was delivered (`sendSurelyFailed`), with `retryable`
 * and attempts left it is scheduled again after the command backoff for its attempts, else it is
 * failed for good. When it may have been delivered (its answer was lost), a notification that was
 * being sent becomes `unknown`, like one whose worker died: never sent again (at most once), and a
 * late "sent" still settles it. A failure before sending (a claimed reminder whose check failed) is
 * always nothing delivered, and is retried for about a day (NOTIFICATION_CHECK_MAX_ATTEMPTS).
 */
export function failNotification(
  store: Store,
  input: { id: unknown; leaseToken: unknown; error: unknown; retryable: boolean },
): Promise<NotificationSettle> {
  const id = requireId(input.id, 'Notification ID');
  const error = String(input.error ?? 'Unknown error').slice(0, 2000);
  const steps = Array.from({ length: 10 }, (_, i) => `WHEN ${i + 1} THEN ${backoffStepMs(COMMAND_BACKOFF, i + 1)}`).join(' ');
  const retries = `:retryable = 1 AND attempts < CASE WHEN status = 'claimed' THEN ${NOTIFICATION_CHECK_MAX_ATTEMPTS} ELSE max_attempts END`;
  const mayHaveGone = `status = 'sending' AND :delivered_maybe = 1`;
  const deliveredMaybe = !sendSurelyFailed(error);
  return transition(
    store,
    id,
    `status = CASE WHEN ${mayHaveGone} THEN 'unknown' WHEN ${retries} THEN 'scheduled' ELSE 'failed' END,
     due_at = CASE WHEN ${mayHaveGone} THEN due_at WHEN ${retries} THEN ${store.nowMs} + (CASE attempts ${steps} ELSE ${COMMAND_BACKOFF.maxDelayMs} END) ELSE due_at END,
     outcome = CASE WHEN ${mayHaveGone} THEN 'The answer to the send was lost: not sent again (' || :error || ')' ELSE :error END,
     lease_owner = NULL, lease_token = CASE WHEN ${mayHaveGone} THEN lease_token ELSE NULL END, lease_expires_at = NULL`,
    `status IN ('claimed', 'sending') AND lease_token = :token`,
    'notification_failed',
    { token: requireToken(input.leaseToken), error, retryable: input.retryable ? 1 : 0, delivered_maybe: deliveredMaybe ? 1 : 0 },
    { error, retryable: input.retryable, mayHaveBeenDelivered: deliveredMaybe },
  );
}

/**
 * Cancels the user's scheduled notifications that match: of one kind, and optionally of one draft.
 * One statement; returns what it cancelled.
 */
export async function cancelScheduled(
  store: Store,
  input: { userId: unknown; kind: NotificationKind; draftId?: number; reason: string },
): Promise<Notification[]> {
  const userId = requireUserId(input.userId);
  const rows = await store.changeWithRecord<Record<string, unknown>>(
    'notifications',
    `UPDATE notifications SET status = 'cancelled', outcome = :reason, updated_at = ${store.nowMs}
     WHERE user_id = :user_id AND kind = :kind AND status = 'scheduled'
       AND (CAST(:draft_id AS BIGINT) IS NULL OR draft_id = CAST(:draft_id AS BIGINT))
     RETURNING *`,
    audit(store, 'notification_cancelled'),
    { user_id: userId, kind: input.kind, reason: input.reason, draft_id: input.draftId ?? null, details: JSON.stringify({ reason: input.reason }) },
  );
  return rows.map(toNotification);
}

/**
 * A snooze: a new notification of the same kind (a reminder, or a briefing), due at `dueAt`, made
 * from a sent one of the presser's (or one being sent: a press on its button shows it arrived,
 * before its run recorded "sent" or after that run died).
 * Its key names the one it was made from, so a double tap schedules one. One INSERT … SELECT:
 * a notification that is not the user's, or not sent, yields nothing (`refused`).
 */
export async function snoozeReminder(
  store: Store,
  input: { id: unknown; userId: unknown; dueAt: unknown; label: string },
): Promise<{ outcome: 'snoozed' | 'already_snoozed' | 'refused'; notification: Notification | null }> {
  const id = requireId(input.id, 'Notification ID');
  const userId = requireUserId(input.userId);
  const dueAt = requireInstant(input.dueAt, 'Snooze time');
  return store.transaction(async (tx) => {
    const key = `snooze:${id}`;
    const row = await tx.get<Record<string, unknown>>(
      `INSERT INTO notifications (user_id, kind, dedupe_key, chat_id, draft_id, due_at, payload_json, status, max_attempts, created_at, updated_at)
       SELECT user_id, kind, ?, chat_id, draft_id, ?, payload_json, 'scheduled', max_attempts, ${tx.nowMs}, ${tx.nowMs}
       FROM notifications WHERE id = ? AND user_id = ? AND status IN ('sending', 'sent', 'unknown')
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING *`,
      [key, dueAt, id, userId],
    );
    if (row) {
      const notification = toNotification(row);
      await recordAudit(tx, { action: 'notification_snoozed', entityType: 'notification', entityId: notification.id, userId, details: { from: id, dueAt: notification.dueAt, label: input.label } });
      return { outcome: 'snoozed' as const, notification };
    }
    const existing = await tx.get<Record<string, unknown>>('SELECT * FROM notifications WHERE dedupe_key = ? AND user_id = ?', [key, userId]);
    return existing ? { outcome: 'already_snoozed' as const, notification: toNotification(existing) } : { outcome: 'refused' as const, notification: null };
  });
}

/** The user's reminders still to come, soonest first (for /reminders). */
export async function upcomingReminders(db: Queryable, userId: unknown, limit = 20): Promise<Notification[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT * FROM notifications WHERE user_id = ? AND kind = 'reminder' AND status IN ('scheduled', 'claimed') ORDER BY due_at, id LIMIT ?`,
    [requireUserId(userId), limit],
  );
  return rows.map(toNotification);
}

export async function getNotification(db: Queryable, id: unknown): Promise<Notification | undefined> {
  const row = await db.get<Record<string, unknown>>('SELECT * FROM notifications WHERE id = ?', [requireId(id, 'Notification ID')]);
  return row && toNotification(row);
}
