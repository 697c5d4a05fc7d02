// Retention (seed: Logging Strategy "audit_log: retain 90 days"; Data Security "message text is
// stored in audit_log (consider retention policy)"). Run daily by the Operations workflow.
//
// What goes after `days`:
// - audit_log rows: deleted (their details quote titles, questions and errors).
// - message text in finished commands (completed or dead): the payload keys that hold what the
//   user wrote or what was derived from it are removed; ids, chat and type stay.
// - drafts that never became a task (cancelled, superseded): their content is replaced by a
//   placeholder. Executed drafts keep their task content: it is what the user chose to keep
//   (it is in their Google Tasks), and the execution ledger and undo refer to it.
// - clarification/edit state (chat_state) older than that: deleted (it expires after a day anyway).
//
// Nothing a state machine still needs is touched: pending, processing and failed (retrying)
// commands and drafted or confirmed drafts are never changed; no row another row references
// is deleted. One statement per kind of purge, all in one transaction with its audit row.

import { recordAudit } from './audit';
import type { Queryable, Store } from './db';
import { InputError } from './errors';

export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60_000;

/** Command payload keys that carry message text (Workflow A's payload). */
export const PURGED_PAYLOAD_KEYS = ['text', 'originalText', 'question', 'previousDraft', 'parameters', 'reply'] as const;

/** What a cancelled or superseded draft's content becomes: still a valid task draft for the card. */
export const PURGED_DRAFT_JSON = JSON.stringify({ title: '(removed after the retention period)', due_date: null, subtasks: [], purged: true });

export interface PurgeInput {
  /** Records older than this many days are purged. */
  days?: number;
}

export interface PurgeResult {
  days: number;
  cutoff: string;
  auditRowsDeleted: number;
  commandsPurged: number;
  draftsPurged: number;
  chatStatesDeleted: number;
}

function requireDays(value: unknown): number {
  const days = Number(value);
  if (!Number.isFinite(days) || days < 1) throw new InputError(`Retention must be at least 1 day (got "${String(value)}")`);
  return days;
}

/** Removes the message-text keys from payload_json, and matches only rows that still have one. */
function payloadPurgeSql(tx: Queryable): { set: string; has: string } {
  if (tx.dialect === 'sqlite') {
    const paths = PURGED_PAYLOAD_KEYS.map((key) => `'$.${key}'`);
    return {
      set: `json_remove(payload_json, ${paths.join(', ')})`,
      has: `(${paths.map((p) => `json_type(payload_json, ${p}) IS NOT NULL`).join(' OR ')})`,
    };
  }
  const keys = `ARRAY[${PURGED_PAYLOAD_KEYS.map((key) => `'${key}'`).join(', ')}]::text[]`;
  return { set: `(payload_json::jsonb - ${keys})::text`, has: `jsonb_exists_any(payload_json::jsonb, ${keys})` };
}

export async function purgeOldRecords(store: Store, input: PurgeInput = {}): Promise<PurgeResult> {
  const days = requireDays(input.days ?? DEFAULT_RETENTION_DAYS);
  const ageMs = Math.floor(days * DAY_MS);
  return store.transaction(async (tx) => {
    const cutoffRow = await tx.get<{ cutoff: number }>(`SELECT ${tx.nowMs} - ? AS cutoff`, [ageMs]);
    const cutoff = Number(cutoffRow!.cutoff);

    const auditRowsDeleted = await tx.run('DELETE FROM audit_log WHERE timestamp < ?', [cutoff]);

    const payload = payloadPurgeSql(tx);
    const commandsPurged = await tx.run(
      `UPDATE commands SET payload_json = ${payload.set}
       WHERE status IN ('completed', 'dead') AND finished_at < ? AND ${payload.has}`,
      [cutoff],
    );

    const draftsPurged = await tx.run(
      `UPDATE drafts SET draft_json = ?
       WHERE status IN ('cancelled', 'superseded') AND updated_at < ? AND draft_json <> ?`,
      [PURGED_DRAFT_JSON, cutoff, PURGED_DRAFT_JSON],
    );

    const chatStatesDeleted = await tx.run('DELETE FROM chat_state WHERE created_at < ?', [cutoff]);

    const result: PurgeResult = {
      days,
      cutoff: new Date(cutoff).toISOString(),
      auditRowsDeleted,
      commandsPurged,
      draftsPurged,
      chatStatesDeleted,
    };
    await recordAudit(tx, { action: 'records_purged', entityType: 'database', details: result });
    return result;
  });
}
