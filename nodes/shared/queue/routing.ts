// Which workflow runs a claimed command, and how the command is settled from what that workflow
// returned. Workflow B routes and settles through these (Command Router › Route by Type and
// › Finish), so its own path runs no expression: under n8n's lazy expression engine an execution
// without expressions builds no isolate (bench/e2e.md).
import {
  type CommandType,
  DECISION_COMMAND_TYPES,
  DRAFTING_COMMAND_TYPES,
  EVENT_COMMAND_TYPES,
  EVENT_DAY_QUESTION,
  REPLY_COMMAND_TYPES,
  TASK_COMMAND_TYPES,
} from '../contracts';
import type { Failure } from '../outcome';

/** Route by Type's outputs, in order: D drafts, E decides, B replies, L lists tasks, C drafts events. */
export const COMMAND_ROUTES = ['draft', 'decision', 'reply', 'tasks', 'events'] as const;
export type CommandRoute = (typeof COMMAND_ROUTES)[number];

// A command type missing from every list fails typecheck here.
const ROUTE_OF_TYPE = {
  ...fromTypes(DRAFTING_COMMAND_TYPES, 'draft'),
  ...fromTypes(DECISION_COMMAND_TYPES, 'decision'),
  ...fromTypes(REPLY_COMMAND_TYPES, 'reply'),
  ...fromTypes(TASK_COMMAND_TYPES, 'tasks'),
  ...fromTypes(EVENT_COMMAND_TYPES, 'events'),
} satisfies Record<CommandType, CommandRoute>;

function fromTypes<T extends CommandType>(types: readonly T[], route: CommandRoute): Record<T, CommandRoute> {
  return Object.fromEntries(types.map((type) => [type, route])) as Record<T, CommandRoute>;
}

/**
 * The route of a command, or undefined for a type no workflow runs. An edit of an event draft,
 * and the answer to C's "When is it?", go to C (events), not D.
 */
export function routeOf(command: { type?: unknown; payload?: unknown }): CommandRoute | undefined {
  const type = String(command.type) as CommandType;
  if (!Object.hasOwn(ROUTE_OF_TYPE, type)) return undefined;
  const payload = (command.payload ?? {}) as Record<string, unknown>;
  if (type === 'revise_draft' && payload.previousDraftType === 'event') return 'events';
  if (type === 'answer_clarification' && payload.question === EVENT_DAY_QUESTION) return 'events';
  return ROUTE_OF_TYPE[type];
}

export function routeIndex(route: CommandRoute): number {
  return COMMAND_ROUTES.indexOf(route);
}

// ---------------------------------------------------------------- settling from a result

/**
 * What a sub-workflow (D, E, L, C, or B's reply) returns for a command: `ok` with an optional
 * `result`, or a `failure`. An Execute Workflow node whose sub-workflow threw gives `error`
 * instead (its "continue" setting).
 */
export interface CommandRunResult {
  ok?: unknown;
  result?: unknown;
  failure?: Partial<Failure> | null;
  error?: unknown;
}

export type Settlement =
  | { settle: 'complete'; result: unknown }
  | { settle: 'fail'; error: string; retryable: boolean; retryAfterMs: number; keepAttempt: boolean };

/** The failure of a run that returned neither ok nor a failure: retried, as a crash would be. */
export const MISSING_RESULT = { message: 'The sub-workflow returned no result', retryable: true } as const satisfies Partial<Failure>;

/** Complete on `ok: true`; anything else fails, retryable unless the failure says otherwise. */
export function settlementOf(run: CommandRunResult): Settlement {
  if (run.ok === true) return { settle: 'complete', result: run.result ?? {} };
  const failure = run.failure ?? undefined;
  const error = failure?.message ?? (run.error == null || run.error === '' ? undefined : errorText(run.error)) ?? MISSING_RESULT.message;
  const retryAfterMs = Number(failure?.retryAfterMs ?? 0);
  return {
    settle: 'fail',
    error,
    retryable: failure ? failure.retryable === true : MISSING_RESULT.retryable,
    retryAfterMs: Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? retryAfterMs : 0,
    keepAttempt: failure?.keepsAttempt === true,
  };
}

function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return JSON.stringify(error);
}
