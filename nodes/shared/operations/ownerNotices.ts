// Rate-limited notices to the owner: a problem only the owner can fix (a refused Gemini key)
// hits every message that arrives; the owner hears about it once per interval, with the count
// of notices held back since the last one.
import type { Store } from '../store/db';
import { InputError } from '../errors';

export interface OwnerNoticeInput {
  /** What the notice is about; one interval per key. */
  key: unknown;
  intervalMs: number;
}

export interface OwnerNoticeClaim {
  /** This caller is the one to tell the owner now. */
  due: boolean;
  key: string;
  /** Notices held back before this one (when due), or so far (when not). */
  suppressed: number;
}

/**
 * One statement, so of concurrent callers exactly one finds the notice due: the row's
 * compare-and-set on `notified_at` decides, on SQLite and PostgreSQL alike.
 */
export async function claimOwnerNotice(store: Store, input: OwnerNoticeInput): Promise<OwnerNoticeClaim> {
  const key = typeof input.key === 'string' ? input.key.trim() : '';
  if (!key) throw new InputError('Notice key is empty', 'Use the failure kind, e.g. {{ $json.failure.kind }}.');
  const intervalMs = Math.floor(Number(input.intervalMs));
  if (!Number.isFinite(intervalMs) || intervalMs < 1) throw new InputError('The notice interval must be positive');
  return store.transaction(async (tx) => {
    // Only the count comes from this read; whether the notice is due is the upsert's decision.
    const before = await tx.get<{ suppressed: number }>('SELECT suppressed FROM owner_notices WHERE notice_key = ?', [key]);
    const claimed = await tx.get<{ notice_key: string }>(
      `INSERT INTO owner_notices (notice_key, notified_at, suppressed) VALUES (?, ${tx.nowMs}, 0)
       ON CONFLICT (notice_key) DO UPDATE SET notified_at = excluded.notified_at, suppressed = 0
       WHERE owner_notices.notified_at <= excluded.notified_at - ?
       RETURNING notice_key`,
      [key, intervalMs],
    );
    if (claimed) return { due: true, key, suppressed: Number(before?.suppressed ?? 0) };
    const held = await tx.get<{ suppressed: number }>('UPDATE owner_notices SET suppressed = suppressed + 1 WHERE notice_key = ? RETURNING suppressed', [key]);
    return { due: false, key, suppressed: Number(held?.suppressed ?? 0) };
  });
}
