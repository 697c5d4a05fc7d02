// The audit trail (audit_log). Every state transition writes one row in the same
// transaction as the change it describes, so the log never claims what did not happen.
import type { Queryable } from './db';

export interface AuditEntry {
  action: string;
  entityType: 'command' | 'draft' | 'execution' | 'user' | 'message' | 'gemini' | string;
  entityId?: string | number | null;
  userId?: string | null;
  sourceMessageId?: string | null;
  details?: unknown;
}

export async function recordAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.run(
    `INSERT INTO audit_log (timestamp, action, entity_type, entity_id, user_id, source_message_id, details_json)
     VALUES (${tx.nowMs}, ?, ?, ?, ?, ?, ?)`,
    [
      entry.action,
      entry.entityType,
      entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      entry.userId ?? null,
      entry.sourceMessageId ?? null,
      entry.details === undefined ? null : JSON.stringify(entry.details),
    ],
  );
}

export interface AuditRow {
  id: number;
  timestamp: number;
  action: string;
  entityType: string;
  entityId: string | null;
  userId: string | null;
  sourceMessageId: string | null;
  details: unknown;
}

export async function listAudit(db: Queryable, filter: { entityType?: string; entityId?: string | number; limit?: number } = {}): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.entityType) {
    where.push('entity_type = ?');
    params.push(filter.entityType);
  }
  if (filter.entityId !== undefined) {
    where.push('entity_id = ?');
    params.push(String(filter.entityId));
  }
  params.push(filter.limit ?? 1000);
  const rows = await db.all<Record<string, unknown>>(
    `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    timestamp: Number(r.timestamp),
    action: String(r.action),
    entityType: String(r.entity_type),
    entityId: r.entity_id === null ? null : String(r.entity_id),
    userId: (r.user_id as string | null) ?? null,
    sourceMessageId: (r.source_message_id as string | null) ?? null,
    details: r.details_json ? JSON.parse(String(r.details_json)) : null,
  }));
}
