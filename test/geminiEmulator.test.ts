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
    const response = await post('/v1beta/models/m1:generateContent?key=k', prompt);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(JSON.parse(body.candidates[0].content.parts[0].text)).toEqual({ a: 1 });
    expect(body.usageMetadata.totalTokenCount).toBe(body.usageMetadata.promptTokenCount + body.usageMetadata.candidatesTokenCount);
    expect(gemini.requests[0]).toMatchObject({ model: 'm1', apiKey: 'k', promptText: 'hello', systemText: 'be brief', generationConfig: { temperature: 0.5 } });
  });

  it('answers 403 without a key and 400 API_KEY_INVALID for a wrong one, in Google error format', async () => {
    const missing = await post('/v1beta/models/m1:generateContent', prompt);
    expect(missing.status).toBe(403);
    expect((await json(missing)).error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
    const wrong = await post('/v1beta/models/m1:generateContent', prompt, { 'x-goog-api-key': 'bad' });
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).error.details[0]).toMatchObject({ reason: 'API_KEY_INVALID' });
  });

  it('answers 404 for unknown routes and gone models, and 500 when nothing is scripted', async () => {
    expect((await post('/v1/models/m1:embedContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(404);
    gemini.markModelGone('gemini-2.0-flash');
    const gone = await post('/v1beta/models/gemini-2.0-flash:generateContent', prompt, { 'x-goog-api-key': 'k' });
    expect(gone.status).toBe(404);
    expect((await json(gone)).error.message).toContain('models/gemini-2.0-flash is not found');
    expect((await post('/v1beta/models/m1:generateContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(500);
  });

  it('rejects sampling parameters only for the marked model and only when they are sent', async () => {
    gemini.rejectSamplingFor('strict').setHandler(() => geminiResponses.json({}));
    expect((await post('/v1beta/models/strict:generateContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(400);
    expect((await post('/v1beta/models/strict:generateContent', { ...prompt, generationConfig: {} }, { 'x-goog-api-key': 'k' })).status).toBe(200);
    expect((await post('/v1beta/models/other:generateContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(200);
  });

  it('uses queued responses first, then the handler', async () => {
    gemini.enqueue(geminiResponses.unavailable(503)).setHandler((request) => geminiResponses.json({ echo: request.promptText }));
    expect((await post('/v1beta/models/m1:generateContent', prompt, { 'x-goog-api-key': 'k' })).status).toBe(503);
    const second = await json(await post('/v1beta/models/m1:generateContent', prompt, { 'x-goog-api-key': 'k' }));
    expect(JSON.parse(second.candidates[0].content.parts[0].text)).toEqual({ echo: 'hello' });
  });

  it('sends RetryInfo and a per-day QuotaFailure the way Google does', () => {
    const perMinute = geminiResponses.rateLimited('7s').body as any;
    expect(perMinute.error.details.find((d: any) => d['@type'].endsWith('RetryInfo')).retryDelay).toBe('7s');
    const perDay = geminiResponses.quotaExhaustedPerDay().body as any;
    expect(perDay.error.details[0].violations[0].quotaId).toMatch(/PerDay/);
  });
});
