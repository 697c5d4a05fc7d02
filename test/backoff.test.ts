// The one backoff policy: the same steps and the same jitter for Gemini calls, Google Tasks
// calls and failed queue commands, each within its own bounds.
import { backoffDelayMs, backoffStepMs, COMMAND_BACKOFF, GEMINI_CALL_BACKOFF, jitterFactor, TASKS_CALL_BACKOFF } from '../nodes/shared/backoff';
import { DEFAULT_CALL_POLICY } from '../nodes/shared/gemini/call';
import { TasksApiError } from '../nodes/shared/tasks/client';
import { DEFAULT_RETRY_POLICY, retryEnvironment, withRetries } from '../nodes/shared/tasks/retry';

describe('the backoff policy', () => {
  it('doubles the step from the base for each retry, up to the maximum', () => {
    const bounds = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffStepMs(bounds, retry))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('waits at least half the step and at most the whole step (equal jitter)', () => {
    expect(jitterFactor(0)).toBe(0.5);
    expect(jitterFactor(1)).toBe(1);
    const bounds = { baseDelayMs: 1_000, maxDelayMs: 8_000 };
    expect(backoffDelayMs(bounds, 1, 0)).toBe(500);
    expect(backoffDelayMs(bounds, 3, 0.5)).toBe(3_000);
    expect(backoffDelayMs(bounds, 9, 0.999)).toBeLessThanOrEqual(8_000);
  });

  it('keeps each caller\'s bounds', () => {
    expect(COMMAND_BACKOFF).toEqual({ baseDelayMs: 5_000, maxDelayMs: 30 * 60_000 });
    expect(GEMINI_CALL_BACKOFF).toEqual({ baseDelayMs: 1_000, maxDelayMs: 8_000 });
    expect(TASKS_CALL_BACKOFF).toEqual({ baseDelayMs: 250, maxDelayMs: 8_000 });
    expect(DEFAULT_CALL_POLICY).toMatchObject(GEMINI_CALL_BACKOFF);
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 5, ...TASKS_CALL_BACKOFF });
  });

  it('is what a Google Tasks call waits: never less than half the step, so a retry does not come back at once', async () => {
    const sleeps: number[] = [];
    const env = retryEnvironment({ sleep: async (ms) => void sleeps.push(ms), random: () => 0 });
    await expect(withRetries(env, async () => Promise.reject(new TasksApiError('timeout', 'no answer')))).rejects.toThrow();
    expect(sleeps).toEqual([125, 250, 500, 1_000]);
  });
});
