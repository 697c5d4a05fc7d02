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

// ---------------------------------------------------------------- where a workflow branches

/**
 * The one field a workflow branches on. Every result a workflow routes by carries `outcome`: a
 * snake_case name from its operation's union below, alongside `ok` and `failure` where the
 * operation can fail. The older fields (found, rateLimited, duplicate, existing, reason,
 * alreadyExecuted) stay, so saved workflows keep working.
 */
export interface Branch<Name extends string> {
  outcome: Name;
}

/**
 * CommandQueue › Lookup. 'duplicate': a command with this idempotency key exists (the update
 * was seen before; this wins over the rate limit); 'rate_limited': the user made more attempts
 * than allowed in the last minute; 'new': go on.
 */
export type LookupOutcome = 'new' | 'duplicate' | 'rate_limited';

export function lookupOutcome(result: { found: boolean; rateLimited: boolean }): LookupOutcome {
  if (result.found) return 'duplicate';
  return result.rateLimited ? 'rate_limited' : 'new';
}

/** CommandQueue › Enqueue. 'duplicate': the key already had a command, which comes back unchanged. */
export type EnqueueOutcome = 'queued' | 'duplicate';

export function enqueueOutcome(result: { duplicate: boolean }): EnqueueOutcome {
  return result.duplicate ? 'duplicate' : 'queued';
}

/** DraftStore › Create. 'existing': the command had made its draft already (it ran twice); nothing changed. */
export type CreateDraftOutcome = 'created' | 'existing';

/**
 * Why a button press (Confirm, Cancel, Edit) was refused, the same for each: 'not_found',
 * 'not_owner' (another user's draft), 'wrong_card' (pressed on a message other than the draft's
 * card), 'already_<status>' (the draft is no longer drafted: confirmed, executed, cancelled or
 * superseded), 'changed_meanwhile' (it is drafted again: a concurrent reopen won the race).
 */
export type DecisionRefusal =
  | 'not_found'
  | 'not_owner'
  | 'wrong_card'
  | 'already_confirmed'
  | 'already_executed'
  | 'already_cancelled'
  | 'already_superseded'
  | 'changed_meanwhile';

/** DraftStore › Confirm. */
export type ConfirmOutcome = 'confirmed' | DecisionRefusal;
/** DraftStore › Cancel. */
export type CancelOutcome = 'cancelled' | DecisionRefusal;
/** DraftStore › Start Edit. 'editing': the user's next message is the edit instruction. */
export type StartEditOutcome = 'editing' | DecisionRefusal;

const REFUSAL_FOR_REASON: Record<string, DecisionRefusal> = {
  not_found: 'not_found',
  not_owner: 'not_owner',
  wrong_card: 'wrong_card',
  confirmed: 'already_confirmed',
  executed: 'already_executed',
  cancelled: 'already_cancelled',
  superseded: 'already_superseded',
  drafted: 'changed_meanwhile',
};

/** The outcome of a refused decision, from its reason (a draft status, or not_found / not_owner / wrong_card). */
export function refusalOutcome(reason: string): DecisionRefusal {
  const refusal = REFUSAL_FOR_REASON[reason];
  if (!refusal) throw new Error(`No decision outcome for the reason "${reason}"`);
  return refusal;
}

/**
 * TaskExecutor › Execute Draft. 'created': the task (and subtasks) were made now;
 * 'already_created': an earlier run made them, the recorded result comes back; 'failed': see `failure`.
 */
export type TaskCreationOutcome = 'created' | 'already_created' | 'failed';

export function taskCreationOutcome(result: { ok: boolean; alreadyExecuted?: boolean }): TaskCreationOutcome {
  if (!result.ok) return 'failed';
  return result.alreadyExecuted ? 'already_created' : 'created';
}

/** TaskExecutor › Undo. 'already_undone': an earlier undo deleted the task; 'failed': see `failure`. */
export type UndoOutcomeName = 'undone' | 'already_undone' | 'failed';

/** Gemini Intent. 'classified': intent and command type are set (a reply too, for help); 'failed': see `failure`. */
export type ClassifyOutcome = 'classified' | 'failed';

/**
 * Gemini Intent › Read Media. 'read': `text` (what becomes the message) and `summary` (the card's
 * 🎤/📷 line) are set; otherwise `reply` says why not: 'nothing_found' (no speech, nothing
 * readable), 'needs_gemini' (offline, or no Gemini credential), 'too_big' (more than a bot may
 * download), 'failed' (see `failure`). Nothing but 'read' becomes a command.
 */
export type ReadMediaOutcome = 'read' | 'nothing_found' | 'needs_gemini' | 'too_big' | 'failed';

/** Gemini Planner. 'drafted': `draft` is set; 'clarification_needed': ask `clarification_question`; 'failed': see `failure`. */
export type PlanOutcome = 'drafted' | 'clarification_needed' | 'failed';

/**
 * EventExecutor › Create Event, as for tasks: 'created' now, 'already_created' by an earlier
 * run (the recorded result), 'failed': see `failure`.
 */
export type EventCreationOutcome = TaskCreationOutcome;

/** EventExecutor › Check Conflicts. 'free': nothing overlaps; 'conflict': see `conflicts` and `nextFreeSlot`; 'not_checked': an all-day event; 'failed': see `failure`. */
export type ConflictOutcome = 'free' | 'conflict' | 'not_checked' | 'failed';

export function conflictOutcome(result: { ok: boolean; checked?: boolean; conflicts?: unknown[] }): ConflictOutcome {
  if (!result.ok) return 'failed';
  if (!result.checked) return 'not_checked';
  return result.conflicts?.length ? 'conflict' : 'free';
}

/** Draft Store › Transform: the new draft, or why there is none (the old one is no longer a draft; a task without a date cannot be an event). */
export type TransformOutcome = 'transformed' | 'not_drafted' | 'needs_day' | 'not_owner';
