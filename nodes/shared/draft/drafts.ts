// Drafts and their state machine (docs/architecture.md, section 7), plus the chat state that tells which
// draft or question a user's next message refers to.
//
// drafted → confirmed → executed
// confirmed → drafted (its command failed for good: the user gets the draft back to act on)
// drafted → cancelled
// drafted → superseded (an edit produced a newer draft)
//
// Every transition is a compare-and-set UPDATE: of a double tap, or a Confirm racing a Cancel,
// exactly one wins; the other learns the state it found.

import { recordAudit } from '../store/audit';
import { CHAT_STATE_TTL_MS } from '../constants';
import type { Queryable, Store } from '../store/db';
import { InputError, StateError } from '../errors';
import { parseTaskDraft, validateTaskDraft, type TaskDraft } from './taskDraft';
import { parseEventDraft, validateEventDraft, type EventDraft } from './eventDraft';
import { isoOrNull, isValidTimeZone, parseJsonColumn } from '../time';
import { instantOfLocalTime, parseClock, reminderFromText, type ReminderTime } from '../notify/dueTime';
import { ensureUser, requireUserId } from '../users';
import { refusalOutcome, type CreateDraftOutcome, type DecisionRefusal } from '../outcome';
import { parseMediaNote, type MediaNote } from '../contracts';

export type DraftStatus = 'drafted' | 'confirmed' | 'executed' | 'cancelled' | 'superseded';

export interface Draft {
  id: number;
  userId: string;
  draftType: string;
  status: DraftStatus;
  task: TaskDraft;
  /** draft_type 'event': the event draft (the same JSON as `task`, read as what it is). */
  event?: EventDraft;
  sourceMessageId: string | null;
  commandId: number | null;
  chatId: string | null;
  telegramMessageId: string | null;
  supersedesId: number | null;
  /** Made from a voice note, an audio file or a photo: what Gemini heard or read (the card shows it). */
  media: MediaNote | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export function toDraft(row: Record<string, unknown>): Draft {
  return {
    id: Number(row.id),
    userId: String(row.user_id),
    draftType: String(row.draft_type),
    status: row.status as DraftStatus,
    task: parseJsonColumn(row.draft_json) as TaskDraft,
    ...(row.draft_type === 'event' ? { event: parseJsonColumn(row.draft_json) as EventDraft } : {}),
    sourceMessageId: (row.source_message_id as string | null) ?? null,
    commandId: row.command_id === null || row.command_id === undefined ? null : Number(row.command_id),
    chatId: (row.chat_id as string | null) ?? null,
    telegramMessageId: (row.telegram_message_id as string | null) ?? null,
    supersedesId: row.supersedes_id === null || row.supersedes_id === undefined ? null : Number(row.supersedes_id),
    media: parseMediaNote(row.media_json),
    createdAt: isoOrNull(row.created_at),
    updatedAt: isoOrNull(row.updated_at),
  };
}

export function requireDraftId(value: unknown): number {
  const id = typeof value === 'string' ? Number(value.trim()) : Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new InputError(`Draft ID must be a positive whole number (got "${String(value)}")`);
  return id;
}

export async function getDraft(db: Queryable, draftId: unknown): Promise<Draft | undefined> {
  const row = await db.get<Record<string, unknown>>('SELECT * FROM drafts WHERE id = ?', [requireDraftId(draftId)]);
  return row && toDraft(row);
}

/** A draft the given user owns; another user's draft is refused as if it did not exist for them. */
export async function getDraftForUser(db: Queryable, draftId: unknown, userId: unknown): Promise<Draft> {
  return getOwnedDraft(db, requireDraftId(draftId), requireUserId(userId));
}

async function getOwnedDraft(db: Queryable, draftId: number, userId: string): Promise<Draft> {
  const draft = await getDraft(db, draftId);
  if (!draft) throw new InputError(`Draft ${draftId} does not exist`);
  if (draft.userId !== userId) throw new InputError(`Draft ${draftId} belongs to another user`);
  return draft;
}

// ---------------------------------------------------------------- create

export interface CreateDraftInput {
  userId: unknown;
  task: unknown;
  /** 'event': `task` is an event draft (eventDraft.ts), checked by its own validator. Default 'task'. */
  draftType?: 'task' | 'event';
  chatId?: string | number | null;
  sourceMessageId?: string | number | null;
  commandId?: number | null;
  /** The draft this one replaces (Edit): it must still be drafted, and becomes superseded. */
  supersedesId?: number | null;
  /** A voice note, audio file or photo the draft was made from ({kind, fileId, summary}, object or JSON text); anything else counts as none. */
  media?: unknown;
  auditDetails?: unknown;
  /**
   * What the user wrote, to read a reminder time from ("call mom at 9pm tomorrow", "in 20
   * minutes"), in their zone, counted from when they sent it. An edit that names no time keeps
   * the replaced draft's reminder (on the new due date when that changed).
   */
  reminderFrom?: { text: string; timezone: string; sentAt?: Date | null };
}

function textOrNull(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

export async function createDraft(store: Store, input: CreateDraftInput): Promise<Draft> {
  return (await createDraftOnce(store, input)).draft;
}

export interface CreatedDraft {
  /** Where the workflow branches: 'created', or 'existing' (the same as `existing: true`). */
  outcome: CreateDraftOutcome;
  draft: Draft;
  existing: boolean;
}

/**
 * Creates the draft, once per command: when the command already made one (it ran twice), that
 * draft comes back with `existing: true` and nothing changes.
 */
export async function createDraftOnce(store: Store, input: CreateDraftInput): Promise<CreatedDraft> {
  const userId = requireUserId(input.userId);
  const draftType = input.draftType ?? 'task';
  let task: TaskDraft | EventDraft;
  let summary: Record<string, unknown>;
  if (draftType === 'event') {
    // The Event Executor's own rules, as for tasks below.
    const checked = validateEventDraft(parseEventDraft(input.task));
    if (!checked.ok) throw new InputError(`Event draft cannot become a Google Calendar event: ${checked.problems.join('; ')}`, 'Fix the draft\'s times or shorten its text.');
    task = checked.event;
    summary = { title: task.title, start: task.start, end: task.end, allDay: task.all_day };
  } else {
    const taskDraft = parseTaskDraft(input.task);
    // The Task Executor's own rules: a draft the user can confirm is one that can be created.
    const validation = validateTaskDraft(taskDraft);
    if (!validation.ok) {
      throw new InputError(`Task draft cannot become a Google Task: ${validation.problems.join('; ')}`, 'Shorten or fix the draft; the Gemini Planner fits its drafts to these limits.');
    }
    task = taskDraft;
    summary = { title: taskDraft.title, subtasks: taskDraft.subtasks.length };
  }
  const supersedesId = input.supersedesId ? requireDraftId(input.supersedesId) : null;
  const chatId = textOrNull(input.chatId);
  const sourceMessageId = textOrNull(input.sourceMessageId);
  const commandId = input.commandId ?? null;
  const media = parseMediaNote(input.media);
  return store.transaction(async (tx) => {
    if (commandId !== null) {
      const earlier = await tx.get<Record<string, unknown>>('SELECT * FROM drafts WHERE command_id = ?', [commandId]);
      if (earlier) return { outcome: 'existing', draft: toDraft(earlier), existing: true };
    }
    await ensureUser(tx, { userId, telegramChatId: chatId });
    const replaced = supersedesId ? await supersede(tx, supersedesId, userId) : null;
    // Events have their own time; only a task carries a reminder (Workflow G).
    if (input.reminderFrom && draftType === 'task') {
      const taskDraft = task as TaskDraft;
      const reminder = reminderForDraft(taskDraft, input.reminderFrom, replaced && replaced.draftType !== 'event' ? (replaced.task as TaskDraft) : null);
      if (reminder) taskDraft.reminder = reminder;
      else delete taskDraft.reminder;
    }
    const row = await tx.get<Record<string, unknown>>(
      `INSERT INTO drafts (user_id, draft_type, draft_json, status, source_message_id, command_id, chat_id, supersedes_id, media_json, created_at, updated_at)
       VALUES (?, ?, ?, 'drafted', ?, ?, ?, ?, ?, ${tx.nowMs}, ${tx.nowMs})
       RETURNING *`,
      [userId, draftType, JSON.stringify(task), sourceMessageId, commandId, chatId, supersedesId, media ? JSON.stringify(media) : null],
    );
    const draft = toDraft(row!);
    // A new draft answers whatever question or edit was pending for this user.
    await tx.run('DELETE FROM chat_state WHERE user_id = ?', [userId]);
    await recordAudit(tx, {
      action: 'draft_created',
      entityType: 'draft',
      entityId: draft.id,
      userId,
      sourceMessageId,
      details: { ...summary, supersedesId, ...(media ? { media: media.kind } : {}), ...(input.auditDetails === undefined ? {} : { context: input.auditDetails }) },
    });
    return { outcome: 'created', draft, existing: false };
  });
}

/** The reminder of a new draft: read from the text, else the replaced draft's (moved to the new due date). */
function reminderForDraft(task: TaskDraft, from: NonNullable<CreateDraftInput['reminderFrom']>, previous: TaskDraft | null): ReminderTime | null {
  const timezone = isValidTimeZone(from.timezone) ? from.timezone : 'UTC';
  const sentAt = from.sentAt ?? new Date();
  const read = reminderFromText(from.text ?? '', timezone, sentAt, task.due_date);
  if (read) return read;
  const kept = previous?.reminder as ReminderTime | undefined;
  if (!kept || typeof kept.time !== 'string') return null;
  if (!task.due_date || task.due_date === kept.date) return kept;
  const clock = parseClock(kept.time);
  if (!clock) return kept;
  const at = instantOfLocalTime(timezone, { date: task.due_date, ...clock });
  return { at: at.toISOString(), date: task.due_date, time: kept.time };
}

async function supersede(tx: Queryable, draftId: number, userId: string): Promise<Draft> {
  const row = await tx.get<Record<string, unknown>>(
    `UPDATE drafts SET status = 'superseded', updated_at = ${tx.nowMs}
     WHERE id = ? AND user_id = ? AND status = 'drafted' RETURNING *`,
    [draftId, userId],
  );
  if (!row) await refuseTransition(tx, draftId, userId, 'supersede', 'drafted');
  const draft = toDraft(row!);
  await recordAudit(tx, { action: 'draft_superseded', entityType: 'draft', entityId: draftId, userId, sourceMessageId: draft.sourceMessageId });
  return draft;
}

/** Throws the error that explains why a compare-and-set found nothing to change. */
async function refuseTransition(tx: Queryable, draftId: number, userId: string, verb: string, expected: DraftStatus): Promise<never> {
  const current = await getOwnedDraft(tx, draftId, userId);
  throw new StateError(`Cannot ${verb} draft ${draftId}: it is ${current.status}, not ${expected}`, current.status);
}

// ---------------------------------------------------------------- user decisions (compare-and-set with a result)

/** wrong_card: the press came from a message or chat other than the draft's own card. */
export type DecisionReason = 'not_found' | 'not_owner' | 'wrong_card' | DraftStatus;

/**
 * Where a button was pressed: the callback's message.chat.id and message.message_id. A press is
 * honoured only from the draft's own card; a command typed in the draft's chat (/cancel) names
 * the chat only. Omitted: the caller is the workflow itself, not a user's press.
 */
export interface PressedOn {
  chatId: string | number | null | undefined;
  messageId?: string | number | null;
}

interface CardCheck {
  chatId: string;
  messageId: string | null;
}

function requireCard(pressedOn: PressedOn | undefined): CardCheck | undefined {
  if (pressedOn === undefined) return undefined;
  const chatId = textOrNull(pressedOn.chatId);
  if (!chatId) throw new InputError('Card chat ID is empty: a press is honoured only from its draft\'s own card');
  return { chatId, messageId: textOrNull(pressedOn.messageId) };
}

/** SQL that keeps only a draft shown on this card (nothing when no card is checked). */
function cardCondition(card: CardCheck | undefined): { sql: string; params: string[] } {
  if (!card) return { sql: '', params: [] };
  if (card.messageId === null) return { sql: ' AND chat_id = ?', params: [card.chatId] };
  return { sql: ' AND chat_id = ? AND telegram_message_id = ?', params: [card.chatId, card.messageId] };
}

function isOnCard(draft: Draft, card: CardCheck): boolean {
  return draft.chatId === card.chatId && (card.messageId === null || draft.telegramMessageId === card.messageId);
}
/** What a decision does when it is honoured: the draft becomes confirmed or cancelled, or awaits its edit. */
export type DecisionDone = 'confirmed' | 'cancelled' | 'editing';

/** A decision that was refused: `outcome` for the workflow's branch, `reason` as before (a status or not_found / not_owner / wrong_card). */
export interface RefusedDecision {
  ok: false;
  outcome: DecisionRefusal;
  reason: DecisionReason;
  currentStatus: DraftStatus | null;
  draft: Draft | null;
}

/** Where the workflow branches: `outcome` (ConfirmOutcome, CancelOutcome, StartEditOutcome in outcome.ts). */
export type DecisionResult<Done extends DecisionDone = DecisionDone> = { ok: true; outcome: Done; draft: Draft } | RefusedDecision;

function refused(reason: DecisionReason, currentStatus: DraftStatus | null, draft: Draft | null): RefusedDecision {
  return { ok: false, outcome: refusalOutcome(reason), reason, currentStatus, draft };
}

/**
 * The outcome of a button press that lost a race or came too late: a result, not an error,
 * because it is a normal thing for a user to do (double tap, old message).
 */
async function explainDecision(tx: Queryable, draftId: number, userId: string, card?: CardCheck): Promise<RefusedDecision> {
  const current = await getDraft(tx, draftId);
  if (!current) return refused('not_found', null, null);
  if (current.userId !== userId) return refused('not_owner', null, null);
  // Before the state: a press from elsewhere is refused as such, whatever became of the draft.
  if (card && !isOnCard(current, card)) return refused('wrong_card', current.status, current);
  return refused(current.status, current.status, current);
}

async function decide<To extends 'confirmed' | 'cancelled'>(
  store: Store,
  draftIdInput: unknown,
  userIdInput: unknown,
  to: To,
  action: string,
  pressedOn?: PressedOn,
): Promise<DecisionResult<To>> {
  const draftId = requireDraftId(draftIdInput);
  const userId = requireUserId(userIdInput);
  const card = requireCard(pressedOn);
  const onCard = cardCondition(card);
  return store.transaction(async (tx) => {
    const row = await tx.get<Record<string, unknown>>(
      `UPDATE drafts SET status = ?, updated_at = ${tx.nowMs}
       WHERE id = ? AND user_id = ? AND status = 'drafted'${onCard.sql} RETURNING *`,
      [to, draftId, userId, ...onCard.params],
    );
    if (!row) {
      const refusal = await explainDecision(tx, draftId, userId, card);
      const pressed = refusal.reason !== 'wrong_card' ? {} : { pressedOn: card };
      await recordAudit(tx, { action: `${action}_refused`, entityType: 'draft', entityId: draftId, userId, details: { reason: refusal.reason, ...pressed } });
      return refusal;
    }
    const draft = toDraft(row);
    await tx.run('DELETE FROM chat_state WHERE user_id = ? AND draft_id = ?', [userId, draftId]);
    await recordAudit(tx, { action, entityType: 'draft', entityId: draftId, userId, sourceMessageId: draft.sourceMessageId });
    return { ok: true, outcome: to, draft };
  });
}

/** Confirm: drafted → confirmed. With `pressedOn`, only from the draft's own card. */
export function confirmDraft(store: Store, draftId: unknown, userId: unknown, pressedOn?: PressedOn): Promise<DecisionResult<'confirmed'>> {
  return decide(store, draftId, userId, 'confirmed', 'draft_confirmed', pressedOn);
}

export function cancelDraft(store: Store, draftId: unknown, userId: unknown, pressedOn?: PressedOn): Promise<DecisionResult<'cancelled'>> {
  return decide(store, draftId, userId, 'cancelled', 'draft_cancelled', pressedOn);
}

/** Edit: the draft must still be drafted; the user's next message becomes the edit instruction. */
export async function startEdit(store: Store, draftIdInput: unknown, userIdInput: unknown, pressedOn?: PressedOn): Promise<DecisionResult<'editing'>> {
  const draftId = requireDraftId(draftIdInput);
  const userId = requireUserId(userIdInput);
  const card = requireCard(pressedOn);
  const onCard = cardCondition(card);
  return store.transaction(async (tx) => {
    const row = await tx.get<Record<string, unknown>>(
      `INSERT INTO chat_state (user_id, mode, draft_id, question, original_text, created_at, expires_at)
       SELECT user_id, 'awaiting_edit', id, NULL, NULL, ${tx.nowMs}, ${tx.nowMs} + ?
       FROM drafts WHERE id = ? AND user_id = ? AND status = 'drafted'${onCard.sql}
       ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, draft_id = excluded.draft_id, question = NULL,
         original_text = NULL, created_at = excluded.created_at, expires_at = excluded.expires_at
       RETURNING draft_id`,
      [CHAT_STATE_TTL_MS, draftId, userId, ...onCard.params],
    );
    if (!row) return explainDecision(tx, draftId, userId, card);
    await recordAudit(tx, { action: 'draft_edit_requested', entityType: 'draft', entityId: draftId, userId });
    return { ok: true, outcome: 'editing', draft: (await getDraft(tx, draftId))! };
  });
}

// ---------------------------------------------------------------- transitions the workflows drive

/** confirmed → executed. Called inside the executor's transaction that records the execution's success. */
export async function markDraftExecuted(tx: Queryable, draftIdInput: unknown, userIdInput: unknown, details?: unknown): Promise<Draft> {
  const draftId = requireDraftId(draftIdInput);
  const userId = requireUserId(userIdInput);
  const row = await tx.get<Record<string, unknown>>(
    `UPDATE drafts SET status = 'executed', updated_at = ${tx.nowMs}
     WHERE id = ? AND user_id = ? AND status = 'confirmed' RETURNING *`,
    [draftId, userId],
  );
  if (!row) await refuseTransition(tx, draftId, userId, 'mark executed', 'confirmed');
  const draft = toDraft(row!);
  await recordAudit(tx, { action: 'draft_executed', entityType: 'draft', entityId: draftId, userId, sourceMessageId: draft.sourceMessageId, details });
  return draft;
}

export interface ReopenResult {
  /** The draft went from confirmed back to drafted; false when it was not confirmed, or a worker is still creating it. */
  reopened: boolean;
  draft: Draft;
}

/**
 * confirmed → drafted, for a confirmed draft whose command failed for good (Google refused the
 * task, or every attempt failed): a confirmed draft cannot be edited or cancelled, so without
 * this it would stay confirmed forever. Its card still has its buttons; the user can edit it,
 * cancel it or confirm it again (an execution that had started is resumed, not repeated).
 */
export async function reopenDraft(store: Store, draftIdInput: unknown, userIdInput: unknown, input: { reason?: unknown } = {}): Promise<ReopenResult> {
  const draftId = requireDraftId(draftIdInput);
  const userId = requireUserId(userIdInput);
  return store.transaction((tx) => reopenConfirmedDraft(tx, draftId, userId, input.reason));
}

/**
 * reopenDraft inside the caller's transaction: for a step that settles a confirm command for
 * good in its own transaction (e.g. burying one whose lease ran out on its last attempt).
 */
export async function reopenConfirmedDraft(tx: Queryable, draftId: number, userId: string, reasonInput?: unknown): Promise<ReopenResult> {
  const reason = typeof reasonInput === 'string' ? reasonInput.slice(0, 1000) : null;
  // Not while a worker still holds a live lease on the draft's execution (a second tap's
  // command gave up waiting for it): that worker finishes the draft, which must stay confirmed.
  const row = await tx.get<Record<string, unknown>>(
    `UPDATE drafts SET status = 'drafted', updated_at = ${tx.nowMs}
     WHERE id = ? AND user_id = ? AND status = 'confirmed'
       AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.draft_id = drafts.id AND e.status = 'running' AND e.lease_expires_at > ${tx.nowMs})
     RETURNING *`,
    [draftId, userId],
  );
  if (!row) return { reopened: false, draft: await getOwnedDraft(tx, draftId, userId) };
  const draft = toDraft(row);
  await recordAudit(tx, { action: 'draft_reopened', entityType: 'draft', entityId: draftId, userId, sourceMessageId: draft.sourceMessageId, details: { reason } });
  return { reopened: true, draft };
}

export function supersedeDraft(store: Store, draftId: unknown, userId: unknown): Promise<Draft> {
  const id = requireDraftId(draftId);
  const owner = requireUserId(userId);
  return store.transaction((tx) => supersede(tx, id, owner));
}

/** Remembers the Telegram message that shows the draft, so its buttons can be removed later. */
export async function attachDraftMessage(store: Store, draftIdInput: unknown, userIdInput: unknown, messageId: unknown): Promise<Draft> {
  const draftId = requireDraftId(draftIdInput);
  const userId = requireUserId(userIdInput);
  const message = textOrNull(messageId);
  if (!message) throw new InputError('Telegram message ID is empty');
  return store.transaction(async (tx) => {
    const row = await tx.get<Record<string, unknown>>(
      `UPDATE drafts SET telegram_message_id = ?, updated_at = ${tx.nowMs} WHERE id = ? AND user_id = ? RETURNING *`,
      [message, draftId, userId],
    );
    if (!row) await refuseTransition(tx, draftId, userId, 'attach a message to', 'drafted');
    return toDraft(row!);
  });
}

// ---------------------------------------------------------------- chat state

export interface ChatContext {
  userId: string;
  timezone: string;
  mode: 'awaiting_clarification' | 'awaiting_edit' | null;
  draftId: number | null;
  /** The draft an edit instruction applies to, when awaiting an edit. */
  draft: Draft | null;
  question: string | null;
  originalText: string | null;
  awaitingEdit: boolean;
  pendingQuestion: string;
  /**
   * The user's most recent draft still 'drafted' (in this chat, when the chat is given), and the
   * message showing it: what a typed /cancel cancels when no edit names a draft. Null when none.
   */
  openDraftId: number | null;
  openDraftMessageId: string | null;
}

/**
 * What the user's next message may refer to, and the user's time zone. Creates the user on first
 * contact. An expired state is ignored (and removed).
 */
export async function getChatContext(
  store: Store,
  input: { userId: unknown; telegramChatId?: string | null; telegramUserId?: string | null; displayName?: string | null; defaultTimezone?: string | null },
): Promise<ChatContext> {
  const userId = requireUserId(input.userId);
  return store.transaction(async (tx) => {
    const user = await ensureUser(tx, {
      userId,
      telegramChatId: input.telegramChatId,
      telegramUserId: input.telegramUserId,
      displayName: input.displayName,
      timezone: input.defaultTimezone,
    });
    await tx.run(`DELETE FROM chat_state WHERE user_id = ? AND expires_at <= ${tx.nowMs}`, [userId]);
    const state = await tx.get<Record<string, unknown>>('SELECT * FROM chat_state WHERE user_id = ?', [userId]);
    let draft: Draft | null = null;
    if (state?.draft_id) {
      draft = (await getDraft(tx, state.draft_id)) ?? null;
    }
    // An edit for a draft that was meanwhile confirmed or cancelled no longer applies.
    const editStillValid = state?.mode === 'awaiting_edit' && draft?.status === 'drafted';
    const mode = state ? (state.mode === 'awaiting_edit' && !editStillValid ? null : (state.mode as ChatContext['mode'])) : null;
    const chatId = textOrNull(input.telegramChatId);
    const open = await tx.get<Record<string, unknown>>(
      `SELECT id, telegram_message_id FROM drafts WHERE user_id = ? AND status = 'drafted'${chatId === null ? '' : ' AND chat_id = ?'} ORDER BY id DESC LIMIT 1`,
      chatId === null ? [userId] : [userId, chatId],
    );
    return {
      userId,
      timezone: user.timezone,
      mode,
      draftId: mode && state?.draft_id ? Number(state.draft_id) : null,
      draft: mode === 'awaiting_edit' ? draft : null,
      question: mode ? ((state?.question as string | null) ?? null) : null,
      originalText: mode ? ((state?.original_text as string | null) ?? null) : null,
      awaitingEdit: mode === 'awaiting_edit',
      pendingQuestion: mode === 'awaiting_clarification' ? String(state?.question ?? '') : '',
      openDraftId: open ? Number(open.id) : null,
      openDraftMessageId: open ? textOrNull(open.telegram_message_id) : null,
    };
  });
}

/** Remembers the clarification question asked, with the request it is about. */
/**
 * The next message answers `question`. A question about an edit (`editOfDraftId`: the planner
 * could not apply the instruction) keeps that edit pending while its draft is still open, so the
 * reply is again an edit of the same draft rather than a new task.
 */
export async function rememberQuestion(
  store: Store,
  input: { userId: unknown; question: unknown; originalText: unknown; editOfDraftId?: unknown },
): Promise<ChatContext> {
  const userId = requireUserId(input.userId);
  const question = input.question;
  if (typeof question !== 'string' || question.trim() === '') throw new InputError('Clarification question is empty');
  const originalText = typeof input.originalText === 'string' ? input.originalText : '';
  const editOfDraftId = Number(input.editOfDraftId) > 0 ? requireDraftId(input.editOfDraftId) : null;
  await store.transaction(async (tx) => {
    await ensureUser(tx, { userId });
    if (editOfDraftId !== null) {
      const kept = await tx.run(
        `UPDATE chat_state SET question = ?, expires_at = ${tx.nowMs} + ?
         WHERE user_id = ? AND mode = 'awaiting_edit' AND draft_id = ?
           AND EXISTS (SELECT 1 FROM drafts WHERE id = ? AND user_id = ? AND status = 'drafted')`,
        [question, CHAT_STATE_TTL_MS, userId, editOfDraftId, editOfDraftId, userId],
      );
      if (kept > 0) {
        await recordAudit(tx, { action: 'clarification_asked', entityType: 'draft', entityId: editOfDraftId, userId, details: { question } });
        return;
      }
    }
    await tx.run(
      `INSERT INTO chat_state (user_id, mode, draft_id, question, original_text, created_at, expires_at)
       VALUES (?, 'awaiting_clarification', NULL, ?, ?, ${tx.nowMs}, ${tx.nowMs} + ?)
       ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, draft_id = NULL, question = excluded.question,
         original_text = excluded.original_text, created_at = excluded.created_at, expires_at = excluded.expires_at`,
      [userId, question, originalText, CHAT_STATE_TTL_MS],
    );
    await recordAudit(tx, { action: 'clarification_asked', entityType: 'user', entityId: userId, userId, details: { question } });
  });
  return getChatContext(store, { userId });
}

export async function clearChatState(store: Store, userIdInput: unknown): Promise<void> {
  const userId = requireUserId(userIdInput);
  await store.run('DELETE FROM chat_state WHERE user_id = ?', [userId]);
}

