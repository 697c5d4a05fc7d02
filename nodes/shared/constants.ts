// Durations and limits in one place, each with its unit in the name.

/** How long a claimed command stays leased before another worker may take it over. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** How long SQLite waits for another process's write lock before giving up. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;
/** Retry backoff for failed commands (backoff.ts): base * 2^(attempt-1), capped, with jitter. */
export const RETRY_BASE_DELAY_MS = 5_000;
export const RETRY_MAX_DELAY_MS = 30 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 5;
/** A command's payload is kept small: it is a message, not a document store. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** A clarification question or an edit request is forgotten after this long. */
export const CHAT_STATE_TTL_MS = 24 * 60 * 60_000;
/** Default name of the SQLite file inside the n8n user folder (~/.n8n). */
export const DEFAULT_SQLITE_FILENAME = 'draft-assistant.sqlite';
