// Bounded retries with the project's backoff (backoff.ts) for Google Tasks calls, and the
// translation of a final TasksApiError into the Failure a workflow acts on.

import { backoffDelayMs as jitteredBackoffMs, TASKS_CALL_BACKOFF } from '../backoff';
import type { Failure } from '../outcome';
import { msUntilQuotaReset } from '../quota';
import { TASKS_FAILURES, tasksRefused } from '../messages/failures';
import { TasksApiError, toTasksApiError } from './client';

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, ...TASKS_CALL_BACKOFF };

export interface RetryEnvironment {
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function retryEnvironment(options: { retry?: Partial<RetryPolicy>; sleep?: (ms: number) => Promise<void>; random?: () => number } = {}): RetryEnvironment {
  return { policy: { ...DEFAULT_RETRY_POLICY, ...options.retry }, sleep: options.sleep ?? defaultSleep, random: options.random ?? Math.random };
}

/** Delay before attempt `attempt + 1`: the server's Retry-After when given (capped at the policy's maximum), else the backoff. */
export function backoffDelayMs(env: RetryEnvironment, attempt: number, error: TasksApiError): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, env.policy.maxDelayMs);
  return jitteredBackoffMs(env.policy, attempt, env.random());
}

/** Runs a call that is safe to repeat (reads, deletes), retrying what may succeed later. */
export async function withRetries<T>(env: RetryEnvironment, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (raw) {
      const error = toTasksApiError(raw);
      if (!error.retryable || attempt >= env.policy.maxAttempts) throw error;
      await env.sleep(backoffDelayMs(env, attempt, error));
    }
  }
}

export const RECONNECT_GOOGLE_MESSAGE = TASKS_FAILURES.reconnect_google;

export function failureFromTasksError(raw: unknown): Failure {
  const error = toTasksApiError(raw);
  if (error.kind === 'auth_revoked') {
    return { kind: 'auth_revoked', retryable: false, message: error.message, userMessage: RECONNECT_GOOGLE_MESSAGE };
  }
  if (error.status === 401) {
    return { kind: 'auth_failed', retryable: false, message: error.message, userMessage: RECONNECT_GOOGLE_MESSAGE };
  }
  if (error.isDailyQuota) {
    return {
      kind: 'quota_exhausted',
      retryable: true,
      retryAfterMs: msUntilQuotaReset(new Date()),
      message: `Google Tasks daily quota exhausted: ${error.message}`,
      userMessage: TASKS_FAILURES.quota_exhausted,
    };
  }
  if (error.isRateLimit) {
    return {
      kind: 'rate_limited',
      retryable: true,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      message: `Google Tasks rate limit: ${error.message}`,
      userMessage: TASKS_FAILURES.rate_limited,
    };
  }
  if (error.retryable) {
    return {
      kind: 'service_unavailable',
      retryable: true,
      message: `Google Tasks unavailable: ${error.message}`,
      userMessage: TASKS_FAILURES.service_unavailable,
    };
  }
  return {
    kind: 'api_rejected',
    retryable: false,
    message: `Google Tasks refused the request${error.status ? ` (${error.status})` : ''}: ${error.message}`,
    // userMessage goes to Telegram with parse_mode HTML: tasksRefused escapes Google's words.
    userMessage: tasksRefused(error.message),
  };
}
