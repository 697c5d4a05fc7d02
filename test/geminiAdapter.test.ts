// The Gemini call path end to end over HTTP: SDK adapter → emulator, and the retry, repair
// and failure rules of call.ts.
import { createGenerate, normalizeHost } from '../nodes/shared/gemini/adapter';
import { callStructured, interpretResponse, parseDurationMs } from '../nodes/shared/gemini/call';
import type { CallPolicy } from '../nodes/shared/gemini/call';
import { msUntilQuotaReset } from '../nodes/shared/gemini/dates';
import { toJsonSchema } from '../nodes/shared/gemini/schemas';
import type { SchemaNode } from '../nodes/shared/gemini/schemas';
import { validateAgainstSchema } from '../nodes/shared/gemini/validate';
import { GeminiEmulator, geminiResponses } from '../emulators/gemini';

const ANSWER_SCHEMA: SchemaNode = {
  type: 'object',
  properties: { answer: { type: 'string' }, count: { type: 'number' } },
  required: ['answer', 'count'],
};
const GOOD = { answer: 'yes', count: 2 };

let gemini: GeminiEmulator;
let sleeps: number[];
let clockMs: number;

beforeAll(async () => {
  gemini = await new GeminiEmulator({ apiKey: 'test-key' }).start();
});
afterAll(() => gemini.stop());
beforeEach(() => {
  gemini.reset();
  sleeps = [];
  clockMs = 1_000_000;
});

/** A virtual clock: sleeping advances time instantly, so budgets are checked without waiting. */
const policy: Partial<CallPolicy> = {
  retryBudgetMs: 20_000,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  random: () => 1,
  now: () => clockMs,
  sleep: async (ms) => {
    sleeps.push(ms);
    clockMs += ms;
  },
};

function call(overrides: { temperature?: number | null; model?: string; host?: string; apiKey?: string } = {}) {
  return callStructured({
    generate: createGenerate({ apiKey: overrides.apiKey ?? 'test-key', host: overrides.host ?? gemini.url, requestTimeoutMs: 2_000 }),
    model: overrides.model ?? 'gemini-3.1-flash-lite',
    temperature: overrides.temperature === undefined ? 0.2 : overrides.temperature,
    systemInstruction: 'You answer questions.',
    prompt: 'Request: "test"\nCurrent date: "2026-11-25"',
    schema: ANSWER_SCHEMA,
    check: (parsed) => {
      const errors = validateAgainstSchema(parsed, ANSWER_SCHEMA);
      return errors.length ? { errors } : { value: parsed as typeof GOOD };
    },
    policy,
  });
}

describe('request shape', () => {
  it('sends the schema, system instruction, temperature, JSON mime type and the key header to the model path', async () => {
    gemini.enqueue(geminiResponses.json(GOOD));
    const result = await call({ host: `${gemini.url}/` });
    expect(result).toMatchObject({ ok: true, value: GOOD, repaired: false, samplingDropped: false, model: 'gemini-3.1-flash-lite' });
    const [request] = gemini.requests;
    expect(request.path).toBe('/v1beta/models/gemini-3.1-flash-lite:generateContent');
    expect(request.headers['x-goog-api-key']).toBe('test-key');
    expect(request.systemText).toBe('You answer questions.');
    expect(request.promptText).toContain('Current date: "2026-11-25"');
    expect(request.generationConfig).toEqual({ responseMimeType: 'application/json', temperature: 0.2, responseJsonSchema: toJsonSchema(ANSWER_SCHEMA) });
  });

  it('reports token usage and latency', async () => {
    gemini.enqueue(geminiResponses.json(GOOD));
    const result = await call();
    expect(result.usage).toEqual({
      promptTokens: expect.any(Number),
      outputTokens: expect.any(Number),
      thoughtsTokens: 0,
      totalTokens: expect.any(Number),
    });
    expect(result.usage!.totalTokens).toBe(result.usage!.promptTokens + result.usage!.outputTokens);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('strips trailing slashes from the host and defaults to Google', () => {
    expect(normalizeHost('http://127.0.0.1:9/ ')).toBe('http://127.0.0.1:9');
    expect(normalizeHost('')).toBe('https://generativelanguage.googleapis.com');
  });
});

describe('reading the answer', () => {
  it('ignores thought parts and counts thought tokens as output', async () => {
    gemini.enqueue(geminiResponses.thoughtParts(GOOD));
    const result = await call();
    expect(result).toMatchObject({ ok: true, value: GOOD, usage: { promptTokens: 120, outputTokens: 65, thoughtsTokens: 25, totalTokens: 185 } });
  });

  it('joins JSON split over several text parts', async () => {
    gemini.enqueue(geminiResponses.splitJson(GOOD, 4));
    expect(await call()).toMatchObject({ ok: true, value: GOOD });
  });

  it('repairs malformed JSON once, telling the model what was wrong, and sums the usage of both calls', async () => {
    gemini.enqueue(geminiResponses.malformedJson(), geminiResponses.json(GOOD));
    const result = await call();
    expect(result).toMatchObject({ ok: true, value: GOOD, repaired: true });
    expect(gemini.requests).toHaveLength(2);
    expect(gemini.requests[1].promptText).toContain('could not be used: the answer is not valid JSON');
    expect(gemini.requests[1].promptText).toContain('Current date: "2026-11-25"');
    const single = await (async () => {
      gemini.enqueue(geminiResponses.json(GOOD));
      return call();
    })();
    expect(result.usage!.promptTokens).toBeGreaterThan(single.usage!.promptTokens);
  });

  it('gives up after one repair with a non-retryable invalid_response', async () => {
    gemini.enqueue(geminiResponses.malformedJson(), geminiResponses.text('Sure! Here is your answer: yes'));
    const result = await call();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'invalid_response', retryable: false } });
    if (!result.ok) expect(result.failure.userMessage).toMatch(/rephrase/);
    expect(gemini.requests).toHaveLength(2);
  });

  it('treats output truncated at MAX_TOKENS as invalid and says so', async () => {
    gemini.enqueue(geminiResponses.maxTokens(GOOD), geminiResponses.maxTokens(GOOD));
    const result = await call();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.message).toContain('MAX_TOKENS');
  });

  it('repairs schema violations, listing them in the repair prompt', async () => {
    gemini.enqueue(geminiResponses.json({ answer: 'yes', count: 'two' }), geminiResponses.json(GOOD));
    expect(await call()).toMatchObject({ ok: true, repaired: true });
    expect(gemini.requests[1].promptText).toContain('$.count must be a number');
  });

  it('retries a safety block once and returns a friendly blocked failure if it persists', async () => {
    gemini.enqueue(geminiResponses.safetyBlock(), geminiResponses.promptBlocked());
    const result = await call();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'blocked', retryable: false } });
    if (!result.ok) expect(result.failure.userMessage).toMatch(/can't help/);
    expect(gemini.requests[1].promptText).toContain('seems unsafe');
  });

  it('recovers when the repair attempt after a safety block succeeds', async () => {
    gemini.enqueue(geminiResponses.safetyBlock(), geminiResponses.json(GOOD));
    expect(await call()).toMatchObject({ ok: true, repaired: true });
  });

  it('interprets raw responses without candidates or text as invalid', () => {
    expect(interpretResponse({})).toEqual({ kind: 'invalid', reason: 'the response has no candidates' });
    expect(interpretResponse({ candidates: [{ content: { parts: [{ text: 'x', thought: true }] }, finishReason: 'STOP' }] }).kind).toBe('invalid');
    expect(interpretResponse({ candidates: [{ content: { parts: [{ text: '```json\n{"a":1}\n```' }] } }] })).toEqual({ kind: 'json', value: { a: 1 } });
  });
});

describe('transient failures', () => {
  it('honours RetryInfo retryDelay on 429 and then succeeds', async () => {
    gemini.enqueue(geminiResponses.rateLimited('1.5s'), geminiResponses.json(GOOD));
    expect(await call()).toMatchObject({ ok: true, value: GOOD });
    expect(sleeps).toEqual([1500]);
  });

  it('returns a retryable rate_limited failure when the retry delay exceeds the time budget', async () => {
    gemini.enqueue(geminiResponses.rateLimited('45s'));
    const result = await call();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'rate_limited', retryable: true, retryAfterMs: 45_000 } });
    expect(gemini.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('backs off exponentially on 503/500/504 and succeeds', async () => {
    gemini.enqueue(geminiResponses.unavailable(503), geminiResponses.unavailable(500), geminiResponses.unavailable(504), geminiResponses.json(GOOD));
    expect(await call()).toMatchObject({ ok: true });
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it('stops retrying a persistent 503 within the time budget and asks for a later retry', async () => {
    gemini.setHandler(() => geminiResponses.unavailable(503));
    const result = await call();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unavailable', retryable: true } });
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);
    expect(gemini.requests.length).toBeGreaterThanOrEqual(3);
    expect(gemini.requests.length).toBeLessThanOrEqual(6);
  });

  it('does not loop on a per-day quota: one request, retryable after the quota resets, user told', async () => {
    gemini.setHandler(() => geminiResponses.quotaExhaustedPerDay());
    const result = await call();
    expect(gemini.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'quota_exhausted', retryable: true } });
    if (!result.ok) {
      expect(result.failure.retryAfterMs).toBe(msUntilQuotaReset(new Date(clockMs)));
      expect(result.failure.userMessage).toMatch(/quota/);
    }
  });

  it('treats an unreachable host as unavailable', async () => {
    const result = await call({ host: 'http://127.0.0.1:1' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unavailable', retryable: true } });
  });

  it('treats a request that exceeds its timeout as unavailable', async () => {
    gemini.enqueue({ ...geminiResponses.json(GOOD), delayMs: 2_500 });
    gemini.setHandler(() => geminiResponses.unavailable(503));
    const started = Date.now();
    const result = await callStructured({
      generate: createGenerate({ apiKey: 'test-key', host: gemini.url, requestTimeoutMs: 100 }),
      model: 'gemini-3.1-flash-lite',
      temperature: 0.1,
      systemInstruction: 's',
      prompt: 'p',
      schema: ANSWER_SCHEMA,
      check: () => ({ errors: ['unused'] }),
      policy: { ...policy, retryBudgetMs: 0 },
    });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
    if (!result.ok) expect(result.failure.message).toMatch(/in time/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('parses protobuf durations', () => {
    expect(parseDurationMs('13s')).toBe(13_000);
    expect(parseDurationMs('0.25s')).toBe(250);
    expect(parseDurationMs('soon')).toBeUndefined();
  });
});

describe('configuration errors', () => {
  it('fails, keeping the message, and names the Model parameter to the owner when the model is gone', async () => {
    gemini.markModelGone('gemini-2.0-flash');
    const result = await call({ model: 'gemini-2.0-flash' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'gemini_not_configured', retryable: true, keepsAttempt: true } });
    if (result.ok) return;
    expect(result.failure.message).toContain('gemini-2.0-flash');
    expect(result.failure.ownerMessage).toContain('"Model"');
    expect(gemini.requests).toHaveLength(1);
  });

  it('fails, keeping the message, and points the owner at the credential when the API key is rejected', async () => {
    const result = await call({ apiKey: 'wrong-key' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'gemini_not_configured', retryable: true, keepsAttempt: true } });
    if (result.ok) return;
    expect(result.failure.message).toContain('API key not valid');
    expect(result.failure.ownerMessage).toMatch(/credential/);
  });

  it('retries once without sampling parameters when the model rejects them, and reports it', async () => {
    gemini.rejectSamplingFor('gemini-3.1-pro-preview');
    gemini.setHandler(() => geminiResponses.json(GOOD));
    const result = await call({ model: 'gemini-3.1-pro-preview', temperature: 0.3 });
    expect(result).toMatchObject({ ok: true, samplingDropped: true });
    expect(gemini.requests.map((r) => r.generationConfig.temperature)).toEqual([0.3, undefined]);
    expect(sleeps).toEqual([]);
  });

  it('keeps sampling parameters for models that accept them', async () => {
    gemini.rejectSamplingFor('gemini-3.1-pro-preview');
    gemini.setHandler(() => geminiResponses.json(GOOD));
    expect(await call({ model: 'gemini-3.1-flash-lite' })).toMatchObject({ ok: true, samplingDropped: false });
    expect(gemini.requests).toHaveLength(1);
  });

  it('returns a non-retryable invalid_request for other 400s', async () => {
    gemini.enqueue(geminiResponses.error(400, 'Request contains an invalid argument.'));
    expect(await call()).toMatchObject({ ok: false, failure: { kind: 'invalid_request', retryable: false } });
  });
});

describe('the @google/genai request', () => {
  it('sends the thinking level without asking for thoughts, and no thinking config without a level', async () => {
    gemini.enqueue(geminiResponses.json(GOOD), geminiResponses.json(GOOD));
    const generate = createGenerate({ apiKey: 'test-key', host: gemini.url });
    const request = { model: 'gemini-3.1-flash-lite', systemInstruction: 's', prompt: 'p', responseSchema: ANSWER_SCHEMA, temperature: null };
    await generate({ ...request, thinkingLevel: 'MINIMAL' });
    await generate({ ...request, thinkingLevel: null });
    expect(gemini.requests[0].generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'MINIMAL', includeThoughts: false });
    expect(gemini.requests[0].generationConfig).not.toHaveProperty('temperature');
    expect(gemini.requests[1].generationConfig).not.toHaveProperty('thinkingConfig');
  });

  it('leaves retries to call.ts: one HTTP request per call, and the API\'s message and details on the error', async () => {
    gemini.setHandler(() => geminiResponses.rateLimited('3s'));
    const generate = createGenerate({ apiKey: 'test-key', host: gemini.url });
    const error = await generate({ model: 'gemini-3.1-flash-lite', systemInstruction: 's', prompt: 'p', responseSchema: ANSWER_SCHEMA, temperature: null, thinkingLevel: null }).catch((e) => e);
    expect(gemini.requests).toHaveLength(1);
    expect(error).toMatchObject({ name: 'GeminiHttpError', status: 429, message: 'Resource has been exhausted (e.g. check quota).' });
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ retryDelay: '3s' })]));
  });

  it('retries once with the model\'s default thinking when the model refuses the level, and reports it', async () => {
    gemini.setHandler(() => geminiResponses.json(GOOD));
    const result = await callStructured({
      generate: createGenerate({ apiKey: 'test-key', host: gemini.url }),
      model: 'gemini-3.8-flash',
      temperature: null,
      thinkingLevel: 'MINIMAL',
      systemInstruction: 's',
      prompt: 'p',
      schema: ANSWER_SCHEMA,
      check: (parsed) => ({ value: parsed }),
      policy,
    });
    expect(result).toMatchObject({ ok: true, thinkingDropped: true, samplingDropped: false });
    expect(gemini.requests.map((r) => r.generationConfig.thinkingConfig?.thinkingLevel)).toEqual(['MINIMAL', undefined]);
    expect(sleeps).toEqual([]);
  });

  it('names the retired model and the Model parameter when a 2.5 model answers 404', async () => {
    const result = await call({ model: 'gemini-2.5-flash' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'gemini_not_configured' } });
    if (!result.ok) expect(result.failure.ownerMessage).toMatch(/"gemini-2.5-flash".*"Model" parameter/);
  });
});
