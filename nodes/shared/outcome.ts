// How nodes that call an outside service report a failure the workflow should act on,
// instead of throwing: the command executor (Workflow B) reads `retryable` and
// `retryAfterMs` to send the command back to the queue, and `userMessage` to tell the user.

export interface Failure {
  /** Machine-readable cause, e.g. 'rate_limited', 'quota_exhausted', 'invalid_response', 'auth_revoked'. */
  kind: string;
  /** Whether running the same command again later may succeed. */
  retryable: boolean;
  /** The service's own hint (Retry-After, RetryInfo), when it gave one. */
  retryAfterMs?: number;
  /** Technical detail for the audit log and the n8n execution view. */
  message: string;
  /** A short sentence fit to send to the user in Telegram. */
  userMessage: string;
  /**
   * The failure is the installation's, not the command's (a rejected API key, a model that is
   * gone): the command waits `retryAfterMs` without using up one of its attempts.
   */
  keepsAttempt?: boolean;
  /** What the owner must change, for failures only the owner can fix (sent rate-limited). */
  ownerMessage?: string;
}

export type Outcome<T> = ({ ok: true } & T) | { ok: false; failure: Failure };
