// The per-user rate limit: how many messages a user sent in the last minute. It is its own
// concern beside the idempotency lookup (findCommandByKey); the Command Queue's lookup operation
// composes the two so the hot path stays one database node.
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/db';
import { InputError } from '../errors';
import { requireUserId } from '../users';
import { requireText } from './commands';

export interface RateCheck {
  /** Attempts (messages that reached the check) this user made in the last minute, this one included. */
  recentAttempts: number;
  limitPerMinute: number;
  limited: boolean;
}

const RATE_WINDOW_MS = 60_000;

/**
 * Records this attempt and says whether the user is over the limit. A soft per-user limit,
 * checked before any slow or paid work (Gemini): a user who sends faster than this is told to
 * slow down instead of queuing more. Every call with a limit is an attempt and counts, whether
 * or not a command follows (a message refused as too long or too fast counts too);
 * `attemptKey` (the update's idempotency key) makes a re-delivered update count once.
 * 0 turns it off and records nothing.
 */
export async function recordAttemptAgainstRateLimit(store: Store, userId: unknown, limitPerMinute: number, attemptKey?: unknown): Promise<RateCheck> {
  const user = requireUserId(userId);
  if (!Number.isInteger(limitPerMinute) || limitPerMinute < 0) throw new InputError('Commands per minute must be a whole number, 0 for no limit');
  if (limitPerMinute === 0) return { recentAttempts: 0, limitPerMinute, limited: false };
  const key = attemptKey === undefined || attemptKey === null || attemptKey === '' ? `${user}:${randomUUID()}` : requireText(attemptKey, 'Attempt key');
  return store.transaction(async (tx) => {
    await tx.run(`DELETE FROM rate_attempts WHERE attempted_at < ${tx.nowMs} - ${RATE_WINDOW_MS}`);
    await tx.run(`INSERT INTO rate_attempts (attempt_key, user_id, attempted_at) VALUES (?, ?, ${tx.nowMs}) ON CONFLICT (attempt_key) DO NOTHING`, [key, user]);
    const row = await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM rate_attempts WHERE user_id = ? AND attempted_at >= ${tx.nowMs} - ${RATE_WINDOW_MS}`, [user]);
    const recentAttempts = Number(row?.n ?? 0);
    return { recentAttempts, limitPerMinute, limited: recentAttempts > limitPerMinute };
  });
}
