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

/**
 * Command types the executor knows how to route. Workflow A enqueues these;
 * Workflow B switches on them.
 */
export const COMMAND_TYPES = [
  'draft_task_from_text',
  'revise_draft',
  'answer_clarification',
  'confirm_draft',
  'cancel_draft',
  'edit_draft',
  /** "/list", "what's on my list?": the open tasks, each with a ✓ Done button. */
  'list_tasks',
  /** A ✓ Done press on a listed task. */
  'complete_task',
  /** "/undo", "undo that": takes back the task created last. */
  'undo_last',
  'help',
  'unknown',
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];
