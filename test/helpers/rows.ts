// Raw looks at the database for assertions: tests check rows, not only what functions return.
import type { Queryable, Row, Store } from '../../nodes/shared/store/db';
import { markDraftExecuted, type Draft } from '../../nodes/shared/draft/drafts';

export const TABLES = ['users', 'commands', 'drafts', 'chat_state', 'executions', 'audit_log'] as const;

export async function rowCounts(db: Queryable): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
    counts[table] = Number(row?.n);
  }
  return counts;
}

/** The row as stored, numbers normalised (PostgreSQL and SQLite return BIGINT differently). */
export async function rawRow(db: Queryable, table: 'commands' | 'drafts', id: number): Promise<Row | undefined> {
  return db.get(`SELECT * FROM ${table} WHERE id = ?`, [id]);
}

export async function auditActions(db: Queryable, entityType: string, entityId: number | string): Promise<string[]> {
  const rows = await db.all<{ action: string }>('SELECT action FROM audit_log WHERE entity_type = ? AND entity_id = ? ORDER BY id', [
    entityType,
    String(entityId),
  ]);
  return rows.map((r) => r.action);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The draft step of a task execution on its own (the Task Executor runs it inside its ledger
 * transaction): for tests that need an executed draft or check that transition's guards.
 */
export function markDraftExecutedDirectly(store: Store, draftId: unknown, userId: unknown, details?: unknown): Promise<Draft> {
  return store.transaction((tx) => markDraftExecuted(tx, draftId, userId, details));
}
