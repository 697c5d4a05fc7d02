// The emulator itself must behave like the real API where our code cannot see the difference
// (auth, routes, error bodies), or the other Gemini tests prove nothing.
import { GeminiEmulator, geminiResponses } from '../emulators/gemini';

let gemini: GeminiEmulator;
beforeAll(async () => {
  gemini = await new GeminiEmulator({ apiKey: 'k' }).start();
});
afterAll(() => gemini.stop());
beforeEach(() => gemini.reset());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (response: Response): Promise<any> => response.json();
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gemini.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const prompt = { contents: [{ role: 'user', parts: [{ text: 'hello' }] }], systemInstruction: { parts: [{ text: 'be brief' }] }, generationConfig: { temperature: 0.5 } };

describe('Gemini emulator', () => {
  it('accepts the key as ?key= as well as the header, and records the request', async () => {
    gemini.enqueue(geminiResponses.json({ a: 1 }));
    const response = await post('/v1beta/models/gemini-3.1-flash-lite:generateContent?key=k', prompt);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(JSON.parse(body.candidates[0].content.parts[0].text)).toEqual({ a: 1 });
    expect(body.usageMetadata.totalTokenCount).toBe(body.usageMetadata.promptTokenCount + body.usageMetadata.candidatesTokenCount);
    expect(gemini.requests[0]).toMatchObject({ model: 'gemini-3.1-flash-lite', apiKey: 'k', promptText: 'hello', systemText: 'be brief', generationConfig: { temperature: 0.5 } });
  });

  it('answers 403 without a key and 400 API_KEY_INVALID for a wrong one, in Google error format', async () => {
    const missing = await post('/v1beta/models/gemini-3.1-flash-lite:generateContent', prompt);
    expect(missing.status).toBe(403);
    expect((await json(missing)).error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
    const wrong = await post('/v1beta/models/gemini-3.1-flash-lite:generateContent', prompt, { 'x-goog-api-key': 'bad' });
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).error.details[0]).toMatchObject({ reason: 'API_KEY_INVALID' });
  });

  it('answers 404 for unknown routes and gone models, and 500 when nothing is scripted', async () => {
    expect((await post('/v1/models/gemini-3.1-flash-lite:embedContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(404);
    gemini.markModelGone('gemini-2.0-flash');
    const gone = await post('/v1beta/models/gemini-2.0-flash:generateContent', prompt, { 'x-goog-api-key': 'k' });
    expect(gone.status).toBe(404);
    expect((await json(gone)).error.message).toContain('models/gemini-2.0-flash is not found');
    expect((await post('/v1beta/models/gemini-3.1-flash-lite:generateContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(500);
  });

  it('rejects sampling parameters only for the marked model and only when they are sent', async () => {
    gemini.addModel('strict').addModel('other').rejectSamplingFor('strict').setHandler(() => geminiResponses.json({}));
    expect((await post('/v1beta/models/strict:generateContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(400);
    expect((await post('/v1beta/models/strict:generateContent', { ...prompt, generationConfig: {} }, { 'x-goog-api-key': 'k' })).status).toBe(200);
    expect((await post('/v1beta/models/other:generateContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(200);
  });

  it('uses queued responses first, then the handler', async () => {
    gemini.enqueue(geminiResponses.unavailable(503)).setHandler((request) => geminiResponses.json({ echo: request.promptText }));
    expect((await post('/v1beta/models/gemini-3.1-flash-lite:generateContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(503);
    const second = await json(await post('/v1beta/models/gemini-3.1-flash-lite:generateContent', prompt, { 'x-goog-api-key': 'k' }));
    expect(JSON.parse(second.candidates[0].content.parts[0].text)).toEqual({ echo: 'hello' });
  });

  it('sends RetryInfo and a per-day QuotaFailure the way Google does', () => {
    const perMinute = geminiResponses.rateLimited('7s').body as any;
    expect(perMinute.error.details.find((d: any) => d['@type'].endsWith('RetryInfo')).retryDelay).toBe('7s');
    const perDay = geminiResponses.quotaExhaustedPerDay().body as any;
    expect(perDay.error.details[0].violations[0].quotaId).toMatch(/PerDay/);
  });
});

describe('Gemini emulator: the v1beta request shape', () => {
  const headers = { 'x-goog-api-key': 'k' };
  const withConfig = (generationConfig: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...prompt, generationConfig, ...extra });
  const schema = { type: 'object', properties: { a: { type: 'number' } } };
  beforeEach(() => gemini.setHandler(() => geminiResponses.json({ a: 1 })));

  it('serves current Gemini 3 models and answers 404 for unknown and retired 2.0 / 2.5 names', async () => {
    expect((await post('/v1beta/models/gemini-3.5-flash-lite:generateContent', prompt, headers)).status).toBe(200);
    for (const model of ['gemini-2.0-flash', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-nonexistent']) {
      const response = await post(`/v1beta/models/${model}:generateContent`, prompt, headers);
      expect(response.status).toBe(404);
      expect((await json(response)).error.message).toContain(`models/${model} is not found`);
    }
    gemini.addModel('gemini-2.5-flash-lite', []);
    expect((await post('/v1beta/models/gemini-2.5-flash-lite:generateContent', prompt, headers)).status).toBe(200);
  });

  it('rejects unknown fields at the top level, in generationConfig and in thinkingConfig', async () => {
    for (const body of [{ ...prompt, generation_settings: {} }, withConfig({ responseFormat: 'json' }), withConfig({ thinkingConfig: { effort: 'low' } })]) {
      const response = await post('/v1beta/models/gemini-3.1-flash-lite:generateContent', body, headers);
      expect(response.status).toBe(400);
      expect((await json(response)).error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringContaining('Unknown name') });
    }
  });

  it('takes responseJsonSchema with the JSON mime type, not together with responseSchema, and only Gemini\'s JSON Schema keywords', async () => {
    const url = '/v1beta/models/gemini-3.1-flash-lite:generateContent';
    expect((await post(url, withConfig({ responseMimeType: 'application/json', responseJsonSchema: schema }), headers)).status).toBe(200);
    const both = await post(url, withConfig({ responseMimeType: 'application/json', responseJsonSchema: schema, responseSchema: schema }), headers);
    expect(both.status).toBe(400);
    expect((await json(both)).error.message).toMatch(/responseSchema and responseJsonSchema/);
    expect((await post(url, withConfig({ responseJsonSchema: schema }), headers)).status).toBe(400);
    const openApiOnly = await post(url, withConfig({ responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { a: { type: 'string', nullable: true } } } }), headers);
    expect(openApiOnly.status).toBe(400);
    expect((await json(openApiOnly)).error.message).toContain('properties.a.nullable');
  });

  it('checks the thinking level against the model and refuses it together with a thinking budget', async () => {
    const send = (model: string, thinkingConfig: Record<string, unknown>) => post(`/v1beta/models/${model}:generateContent`, withConfig({ thinkingConfig }), headers);
    expect((await send('gemini-3.1-flash-lite', { thinkingLevel: 'MINIMAL', includeThoughts: false })).status).toBe(200);
    const noMinimal = await send('gemini-3.8-flash', { thinkingLevel: 'MINIMAL' });
    expect(noMinimal.status).toBe(400);
    expect((await json(noMinimal)).error.message).toMatch(/Thinking level MINIMAL is not supported.*LOW, MEDIUM, HIGH/);
    expect((await send('gemini-3.8-flash', { thinkingLevel: 'LOW' })).status).toBe(200);
    expect((await send('gemini-3.1-flash-lite', { thinkingLevel: 'LOW', thinkingBudget: 128 })).status).toBe(400);
    expect((await send('gemini-3.1-flash-lite', { thinkingLevel: 'EXTREME' })).status).toBe(400);
    gemini.addModel('budget-only', []);
    const levelless = await send('budget-only', { thinkingLevel: 'LOW' });
    expect(levelless.status).toBe(400);
    expect((await json(levelless)).error.message).toMatch(/thinking_budget/);
    expect((await send('budget-only', { thinkingBudget: 0 })).status).toBe(200);
  });
});
