// Issue 10 ("errors are classified once and honestly") and 8 ("a confirmed draft can never get
// stuck"), in the core: which failures wait, which are final, and what the user and the owner hear.
import { createGenerate } from '../nodes/shared/gemini/adapter';
import { callStructured, USER_MESSAGES } from '../nodes/shared/gemini/call';
import type { CallPolicy } from '../nodes/shared/gemini/call';
import { planTask, type PlannerInput } from '../nodes/shared/gemini/planner';
import type { SchemaNode } from '../nodes/shared/gemini/schemas';
import { validateAgainstSchema } from '../nodes/shared/gemini/validate';
import { msUntilQuotaReset } from '../nodes/shared/quota';
import { TasksApiError } from '../nodes/shared/tasks/client';
import { failureFromTasksError } from '../nodes/shared/tasks/retry';
import { NOTES_MAX_CHARS, validateTaskDraft } from '../nodes/shared/draft/taskDraft';
import { GeminiEmulator, geminiResponses } from '../emulators/gemini';

// ---------------------------------------------------------------- quota resets and daylight saving

describe("Google's daily quota reset (midnight Pacific time) across daylight-saving changes", () => {
  const hours = (ms: number) => ms / 3_600_000;
  it.each([
    // [now (UTC), the next Pacific midnight (UTC)]
    // 2026-03-08: clocks go 02:00 PST → 03:00 PDT; that day has 23 hours.
    ['2026-03-08T09:00:00Z', '2026-03-09T07:00:00Z'], // 01:00 PST
    ['2026-03-08T11:30:00Z', '2026-03-09T07:00:00Z'], // 04:30 PDT
    ['2026-03-07T20:00:00Z', '2026-03-08T08:00:00Z'], // 12:00 PST the day before
    ['2026-03-09T06:59:00Z', '2026-03-09T07:00:00Z'], // 23:59 PDT
    // 2026-11-01: clocks go 02:00 PDT → 01:00 PST; that day has 25 hours.
    ['2026-11-01T08:30:00Z', '2026-11-02T08:00:00Z'], // 01:30 PDT (the first one)
    ['2026-11-01T09:30:00Z', '2026-11-02T08:00:00Z'], // 01:30 PST (the second one)
    ['2026-10-31T19:00:00Z', '2026-11-01T07:00:00Z'], // 12:00 PDT the day before
    // 2027-03-14 and 2027-11-07: the same changes a year later.
    ['2027-03-14T09:15:00Z', '2027-03-15T07:00:00Z'],
    ['2027-03-13T23:00:00Z', '2027-03-14T08:00:00Z'],
    ['2027-11-07T08:45:00Z', '2027-11-08T08:00:00Z'],
    ['2027-11-07T10:00:00Z', '2027-11-08T08:00:00Z'],
    ['2027-11-06T12:00:00Z', '2027-11-07T07:00:00Z'],
  ])('at %s the quota resets at %s', (now, reset) => {
    expect(hours(msUntilQuotaReset(new Date(now)))).toBeCloseTo(hours(Date.parse(reset) - Date.parse(now)), 6);
  });

  it('right at midnight waits for the next one, never zero', () => {
    expect(msUntilQuotaReset(new Date('2026-03-09T07:00:00Z'))).toBe(24 * 3_600_000);
  });
});

// ---------------------------------------------------------------- Google Tasks' daily limit

describe("Google Tasks' dailyLimitExceeded", () => {
  it('is a quota that comes back after the Pacific-midnight reset, not a permanent refusal', () => {
    const before = Date.now();
    const failure = failureFromTasksError(new TasksApiError('http', 'Daily Limit Exceeded', { status: 403, reason: 'dailyLimitExceeded' }));
    expect(failure).toMatchObject({ kind: 'quota_exhausted', retryable: true });
    expect(failure.retryAfterMs).toBeGreaterThanOrEqual(msUntilQuotaReset(new Date(Date.now())) - 1000);
    expect(failure.retryAfterMs).toBeLessThanOrEqual(msUntilQuotaReset(new Date(before)));
    expect(failure.userMessage).toMatch(/daily limit/i);
  });

  it('is not retried within one call (seconds later it is still used up)', () => {
    expect(new TasksApiError('http', 'Daily Limit Exceeded', { status: 403, reason: 'dailyLimitExceeded' }).retryable).toBe(false);
  });

  it('a real refusal stays permanent', () => {
    expect(failureFromTasksError(new TasksApiError('http', 'Invalid task', { status: 400, reason: 'invalid' }))).toMatchObject({ retryable: false, kind: 'api_rejected' });
  });
});

// ---------------------------------------------------------------- Gemini configuration errors

const SCHEMA: SchemaNode = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };

let gemini: GeminiEmulator;
let clockMs = 1_000_000;
const policy: Partial<CallPolicy> = {
  random: () => 1,
  now: () => clockMs,
  sleep: async (ms) => {
    clockMs += ms;
  },
};

beforeAll(async () => {
  gemini = await new GeminiEmulator({ apiKey: 'test-key' }).start();
});
afterAll(() => gemini.stop());
beforeEach(() => gemini.reset());

function call(overrides: { model?: string; apiKey?: string } = {}) {
  return callStructured({
    generate: createGenerate({ apiKey: overrides.apiKey ?? 'test-key', host: gemini.url, requestTimeoutMs: 2_000 }),
    model: overrides.model ?? 'gemini-3.1-flash-lite',
    temperature: 0.2,
    systemInstruction: 'You answer.',
    prompt: 'Request: "test"',
    schema: SCHEMA,
    check: (parsed) => {
      const errors = validateAgainstSchema(parsed, SCHEMA);
      return errors.length ? { errors } : { value: parsed as { answer: string } };
    },
    policy,
  });
}

describe('a Gemini configuration error', () => {
  it.each([
    ['a rejected API key (400 API_KEY_INVALID)', () => call({ apiKey: 'wrong-key' }), /API key/],
    ['a 403 for the key', () => (gemini.enqueue(geminiResponses.error(403, 'Permission denied: API key lacks access')), call()), /API key/],
    ['a 401', () => (gemini.enqueue(geminiResponses.error(401, 'Request had invalid authentication credentials.')), call()), /API key/],
    ['a model that is gone (404)', () => (gemini.markModelGone('gemini-2.0-flash'), call({ model: 'gemini-2.0-flash' })), /"Model"/],
  ])('(%s) is a failure that keeps the message: it waits without using up attempts, tells the user and the owner', async (_what, run, ownerHint) => {
    const result = await run();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure).toMatchObject({ kind: 'gemini_not_configured', retryable: true, keepsAttempt: true, userMessage: USER_MESSAGES.gemini_not_configured });
    expect(result.failure.retryAfterMs).toBeGreaterThanOrEqual(10 * 60_000);
    expect(result.failure.ownerMessage).toMatch(ownerHint);
    expect(gemini.requests).toHaveLength(1); // no retries within the call either
  });

  it('the user is told the assistant is not set up right and that the message is kept', () => {
    expect(USER_MESSAGES.gemini_not_configured).toMatch(/not set up/i);
    expect(USER_MESSAGES.gemini_not_configured).toMatch(/saved|kept/i);
  });
});

// ---------------------------------------------------------------- input that cannot succeed on retry

const PLANNER: PlannerInput = {
  mode: 'create',
  text: 'buy milk',
  currentDate: '2026-11-25',
  timeZone: 'UTC',
  model: 'gemini-3.1-flash-lite',
  temperature: 0.2,
  maxSubtasks: 10,
  fallback: 'off',
};

describe('planner input that no retry can fix', () => {
  it.each([
    ['a revise with no draft', { mode: 'revise', text: 'make it Friday', previousDraft: 'null' }],
    ['a revise of a draft without a title', { mode: 'revise', text: 'make it Friday', previousDraft: '{"title":""}' }],
    ['an empty task description', { text: '   ' }],
  ] as const)('(%s) is a final failure with one clear answer, and Gemini is not called', async (_what, overrides) => {
    const outcome = await planTask({ ...PLANNER, ...overrides } as PlannerInput, { generate: createGenerate({ apiKey: 'test-key', host: gemini.url }) });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure.retryable).toBe(false);
    expect(outcome.failure.userMessage.length).toBeGreaterThan(10);
    expect(gemini.requests).toHaveLength(0);
  });
});

// ---------------------------------------------------------------- the planner's drafts pass the executor's rules

describe("the planner's drafts always pass the executor's validator", () => {
  function reply(overrides: Record<string, unknown>) {
    return geminiResponses.json({
      title: 'Write the report',
      due_date: null,
      due_date_reasoning: 'No date given.',
      notes: '',
      subtasks: [],
      clarification_needed: false,
      clarification_question: null,
      ...overrides,
    });
  }

  it.each([
    ['notes at the schema limit', { notes: 'n'.repeat(8192) }],
    ['notes just over the executor limit', { notes: 'n'.repeat(NOTES_MAX_CHARS - 10) }],
  ])('(%s) are fitted instead of refused at Confirm', async (_what, overrides) => {
    gemini.setHandler(() => reply(overrides));
    const outcome = await planTask(PLANNER, { generate: createGenerate({ apiKey: 'test-key', host: gemini.url }), policy });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(validateTaskDraft({ ...outcome.draft! })).toMatchObject({ ok: true });
  });

  it('a time of day kept in long notes still fits', async () => {
    gemini.setHandler(() => reply({ notes: 'x'.repeat(8190) }));
    const outcome = await planTask({ ...PLANNER, text: 'call mum tomorrow at 5pm' }, { generate: createGenerate({ apiKey: 'test-key', host: gemini.url }), policy });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(validateTaskDraft({ ...outcome.draft! })).toMatchObject({ ok: true });
  });
});
