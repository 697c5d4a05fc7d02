// Retention: the 90-day purge, run daily by the Operations workflow (docs/operations.md).
//
// What goes once it is older than `days`:
// - audit_log rows (their details quote titles, questions and errors).
// - commands that finished (completed or dead) before the cutoff, dedupe key and all. A key only
//   has to catch redeliveries, and Telegram stops redelivering an update within a day; drafts
//   that stay lose their link to the deleted command (it only mattered while it could run again).
// - drafts of any status that nothing has touched since the cutoff and that nothing still uses,
//   with their executions and execution_items: cancelled and replaced drafts, cards never
//   decided, executed drafts (the task is in the user's Google Tasks; undo works for an hour
//   after the execution) and confirmed drafts stuck without a task. "In use" is: an edit in
//   progress (chat_state names it), an unfinished command that names it (a Confirm waiting for
//   a retry), or an execution that changed since the cutoff. A kept draft that replaced a deleted
//   one loses only the link.
// - clarification/edit state (chat_state) created before the cutoff (it expires after a day).
// - /list entries (listed_tasks: what a ✓ Done button names) shown before the cutoff.
// - Gemini usage (gemini_usage) of quota days before the cutoff's.
// - notifications (reminders, briefings) settled before the cutoff: sent, skipped, cancelled,
//   failed or unknown. Scheduled ones are kept however old, and keep their draft.
//
// Unfinished commands (pending, processing, failed) are never touched, however old. Deletes run
// children first (items, executions, drafts, then commands), in one transaction with its audit row.

import { recordAudit } from '../store/audit';
import type { Queryable, Store } from '../store/db';
import { InputError } from '../errors';
import { PAYLOAD_DRAFT_ID_FIELD } from '../contracts';
import { quotaDay } from '../gemini/usage';

export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60_000;
/** Ids per DELETE … WHERE id IN (…): well below both backends' limits on parameters. */
const DELETE_CHUNK = 500;

export interface PurgeInput {
  /** Records older than this many days are purged. */
  days?: number;
}

export interface PurgeResult {
  days: number;
  cutoff: string;
  auditRowsDeleted: number;
  commandsDeleted: number;
  draftsDeleted: number;
  executionsDeleted: number;
  executionItemsDeleted: number;
  chatStatesDeleted: number;
  listedTasksDeleted: number;
  geminiUsageDaysDeleted: number;
  notificationsDeleted: number;
}

function requireDays(value: unknown): number {
  const days = Number(value);
  if (!Number.isFinite(days) || days < 1) throw new InputError(`Retention must be at least 1 day (got "${String(value)}")`);
  return days;
}

/** The draft id a command's payload names, as text (Workflow A writes it as a number or a string). */
function payloadDraftIdSql(tx: Queryable, column: string): string {
  const field = PAYLOAD_DRAFT_ID_FIELD;
  return tx.dialect === 'sqlite' ? `CAST(json_extract(${column}, '$.${field}') AS TEXT)` : `(${column}::jsonb ->> '${field}')`;
}

function chunks(ids: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += DELETE_CHUNK) out.push(ids.slice(i, i + DELETE_CHUNK));
  return out;
}

const placeholders = (ids: number[]) => ids.map(() => '?').join(', ');

async function deleteByIds(tx: Queryable, sql: (placeholders: string) => string, ids: number[]): Promise<number> {
  let changed = 0;
  for (const chunk of chunks(ids)) changed += await tx.run(sql(placeholders(chunk)), chunk);
  return changed;
}

export async function purgeOldRecords(store: Store, input: PurgeInput = {}): Promise<PurgeResult> {
  const days = requireDays(input.days ?? DEFAULT_RETENTION_DAYS);
  const ageMs = Math.floor(days * DAY_MS);
  return store.transaction(async (tx) => {
    const cutoffRow = await tx.get<{ cutoff: number }>(`SELECT ${tx.nowMs} - ? AS cutoff`, [ageMs]);
    const cutoff = Number(cutoffRow!.cutoff);

    const auditRowsDeleted = await tx.run('DELETE FROM audit_log WHERE timestamp < ?', [cutoff]);
    const notificationsDeleted = await tx.run(
      `DELETE FROM notifications WHERE status IN ('sent', 'skipped', 'cancelled', 'failed', 'unknown') AND updated_at < ?`,
      [cutoff],
    );
    // First, so that an expired edit request does not keep its draft.
    const chatStatesDeleted = await tx.run('DELETE FROM chat_state WHERE created_at < ?', [cutoff]);

    const draftIds = (
      await tx.all<{ id: number }>(
        `SELECT d.id FROM drafts d
         WHERE d.updated_at < ?
           AND NOT EXISTS (SELECT 1 FROM chat_state s WHERE s.draft_id = d.id)
           AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.draft_id = d.id AND n.status IN ('scheduled', 'claimed', 'sending'))
           AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.draft_id = d.id AND e.updated_at >= ?)
           AND NOT EXISTS (SELECT 1 FROM commands c WHERE c.status IN ('pending', 'processing', 'failed')
                             AND ${payloadDraftIdSql(tx, 'c.payload_json')} = CAST(d.id AS TEXT))
         ORDER BY d.id`,
        [cutoff, cutoff],
      )
    ).map((row) => Number(row.id));
    const executionIds: number[] = [];
    for (const chunk of chunks(draftIds)) {
      const rows = await tx.all<{ id: number }>(`SELECT id FROM executions WHERE draft_id IN (${placeholders(chunk)})`, chunk);
      executionIds.push(...rows.map((row) => Number(row.id)));
    }

    const executionItemsDeleted = await deleteByIds(tx, (ids) => `DELETE FROM execution_items WHERE execution_id IN (${ids})`, executionIds);
    const executionsDeleted = await deleteByIds(tx, (ids) => `DELETE FROM executions WHERE id IN (${ids})`, executionIds);
    // An event draft's record of its Google Calendar event goes with the draft (no count of its own).
    await deleteByIds(tx, (ids) => `DELETE FROM event_executions WHERE draft_id IN (${ids})`, draftIds);
    await deleteByIds(tx, (ids) => `UPDATE drafts SET supersedes_id = NULL WHERE supersedes_id IN (${ids})`, draftIds);
    const draftsDeleted = await deleteByIds(tx, (ids) => `DELETE FROM drafts WHERE id IN (${ids})`, draftIds);

    await tx.run(
      `UPDATE drafts SET command_id = NULL
       WHERE command_id IN (SELECT id FROM commands WHERE status IN ('completed', 'dead') AND finished_at < ?)`,
      [cutoff],
    );
    const commandsDeleted = await tx.run(`DELETE FROM commands WHERE status IN ('completed', 'dead') AND finished_at < ?`, [cutoff]);
    const listedTasksDeleted = await tx.run('DELETE FROM listed_tasks WHERE created_at < ?', [cutoff]);
    const geminiUsageDaysDeleted = await tx.run('DELETE FROM gemini_usage WHERE day < ?', [quotaDay(new Date(cutoff))]);

    const result: PurgeResult = {
      days,
      cutoff: new Date(cutoff).toISOString(),
      auditRowsDeleted,
      commandsDeleted,
      draftsDeleted,
      executionsDeleted,
      executionItemsDeleted,
      chatStatesDeleted,
      listedTasksDeleted,
      geminiUsageDaysDeleted,
      notificationsDeleted,
    };
    await recordAudit(tx, { action: 'records_purged', entityType: 'database', details: result });
    return result;
  });
}
