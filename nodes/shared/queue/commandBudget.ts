// How long one command's work can take at worst, derived from the retry policies it runs under.
// The one place this is worked out: a claimed command's lease is renewed while its worker runs
// it for up to this long (leaseKeeper.ts), and test/commandBudget.test.ts checks the bounds
// against the policies' code and the generated Workflow B.
//
// Bounds, in the policies' own terms (B = retry budget, T = one request's timeout):
// - One structured Gemini call (gemini/call.ts): two rounds, the answer and one repair. A round
//   sleeps only while elapsed + delay stays within B, so after its last sleep (at most B in)
//   it sends at most once more (T). One extra request without sampling parameters, once per
//   call, adds T: 2·(B + T) + T.
// - A drafting command: the intent call and the planner call (the router classifies intent
//   before it enqueues today; counted so the bound holds if that call moves under the lease),
//   plus its Telegram steps.
// - One Google Tasks call that is safe to repeat (tasks/retry.ts): n attempts of T each with
//   n − 1 backoffs of at most the capped delay.
// - A confirmation (tasks/executor.ts): waiting for another worker on the same draft, then per
//   task item (the task and each subtask the planner may suggest) one search for an earlier
//   send, and n inserts with, between them, a backoff and a search for a task the lost answer
//   may have created (one page of recent tasks each), plus its Telegram steps.
// - Every command: its Telegram calls and store writes, at TELEGRAM_STEP_MS each.

import { GEMINI_REQUEST_TIMEOUT_MS } from '../gemini/adapter';
import { type CallPolicy, DEFAULT_CALL_POLICY } from '../gemini/call';
import { DEFAULT_MAX_SUBTASKS } from '../gemini/schemas';
import { DEFAULT_REQUEST_TIMEOUT_MS as TASKS_REQUEST_TIMEOUT_MS } from '../tasks/client';
import { WAIT_FOR_OTHER_WORKER_MS } from '../tasks/executor';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../tasks/retry';
import { type CommandType, isDraftingCommand } from '../contracts';

/**
 * Workflow B's Claim Commands lease. Short, so that the commands of an n8n that stopped are taken
 * over a minute later; renewed while this n8n runs them (leaseKeeper.ts), up to their worst case
 * below. It must stay long enough that a renewal (every RENEWALS_PER_LEASE-th of it) lands in time
 * even after waiting the store's whole busy timeout: test/commandBudget.test.ts checks it.
 */
export const WORKFLOW_CLAIM_LEASE_SECONDS = 60;
/** Commands one Workflow B run claims: the one the router just queued when it calls, a few on the 10 s poll. */
export const WORKFLOW_CLAIM_LIMIT = { routerCall: 1, poll: 3 } as const;

/** Allowance for one Telegram call or store step of a workflow (n8n's Telegram node has no retries of its own). */
export const TELEGRAM_STEP_MS = 30_000;
/** Telegram calls and store steps per command, counted on the longest path of Workflows B, D and E. */
const STEPS_PER_COMMAND = { drafting: 6, confirmation: 6, other: 3 } as const;
/** Timers fire late and CPU-bound steps take time on a loaded machine: a quarter more. */
export const BUDGET_SAFETY_FACTOR = 1.25;

export function geminiCallWorstCaseMs(policy: Pick<CallPolicy, 'retryBudgetMs'> = DEFAULT_CALL_POLICY, requestTimeoutMs = GEMINI_REQUEST_TIMEOUT_MS): number {
  const round = policy.retryBudgetMs + requestTimeoutMs;
  return 2 * round + requestTimeoutMs;
}

export function googleCallWorstCaseMs(policy: RetryPolicy = DEFAULT_RETRY_POLICY, requestTimeoutMs = TASKS_REQUEST_TIMEOUT_MS): number {
  return policy.maxAttempts * requestTimeoutMs + (policy.maxAttempts - 1) * policy.maxDelayMs;
}

export function confirmationWorstCaseMs(subtasks = DEFAULT_MAX_SUBTASKS, policy: RetryPolicy = DEFAULT_RETRY_POLICY, requestTimeoutMs = TASKS_REQUEST_TIMEOUT_MS): number {
  const search = googleCallWorstCaseMs(policy, requestTimeoutMs);
  const perItem = search + policy.maxAttempts * requestTimeoutMs + (policy.maxAttempts - 1) * (policy.maxDelayMs + search);
  return WAIT_FOR_OTHER_WORKER_MS + (1 + subtasks) * perItem;
}

/** The longest one command of this type can keep its worker busy, safety factor included. */
export function commandWorstCaseMs(type: string): number {
  let work: number;
  if (isDraftingCommand(type)) work = 2 * geminiCallWorstCaseMs() + STEPS_PER_COMMAND.drafting * TELEGRAM_STEP_MS;
  else if (type === ('confirm_draft' satisfies CommandType)) work = confirmationWorstCaseMs() + STEPS_PER_COMMAND.confirmation * TELEGRAM_STEP_MS;
  // Undo deletes the task and each subtask with its own call (counted for the question too); listing and ✓ Done make one.
  else if (type === ('undo_last' satisfies CommandType) || type === ('confirm_undo' satisfies CommandType)) work = (1 + DEFAULT_MAX_SUBTASKS) * googleCallWorstCaseMs() + STEPS_PER_COMMAND.other * TELEGRAM_STEP_MS;
  else if (type === ('list_tasks' satisfies CommandType) || type === ('complete_task' satisfies CommandType)) work = googleCallWorstCaseMs() + STEPS_PER_COMMAND.other * TELEGRAM_STEP_MS;
  else work = STEPS_PER_COMMAND.other * TELEGRAM_STEP_MS;
  return Math.ceil(work * BUDGET_SAFETY_FACTOR);
}

/**
 * Commands claimed together run one after another (n8n runs each node for every item before
 * the next node), and each is settled only after the last one's work: the claim as a whole
 * may take the sum of its commands' worst cases.
 */
export function claimWorstCaseMs(types: readonly string[]): number {
  return types.reduce((sum, type) => sum + commandWorstCaseMs(type), 0);
}
