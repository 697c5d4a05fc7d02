// Gemini Intent › Read Media, core and node: the file goes to Gemini inline (the one adapter, over
// HTTP to the emulator), the transcript or what a photo shows comes back as the message text and
// the card's line; without Gemini, or when nothing is heard, a reply instead. The Gemini and
// Telegram emulators' media (getFile, the download URL, inlineData) are tested here too.
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';
import { createGenerate } from '../nodes/shared/gemini/adapter';
import type { CallPolicy } from '../nodes/shared/gemini/call';
import { MEDIA_INLINE_LIMIT_BYTES, mediaMessageText, readMedia, type ReadMediaInput } from '../nodes/shared/gemini/media';
import { parsePrompt } from '../nodes/shared/gemini/prompts';
import { meterGenerate } from '../nodes/shared/gemini/usage';
import { mediaFailed, mediaNeedsGemini, mediaNothingFound, mediaTooBig, PHOTO_TEXT_LABEL } from '../nodes/shared/messages/media';
import { GeminiIntent } from '../nodes/GeminiIntent/GeminiIntent.node';
import { GeminiEmulator, geminiResponses } from '../emulators/gemini';
import { scriptedAssistantResponder } from '../emulators/geminiScripted';
import { emulatedMediaFile, readEmulatedMediaFile } from '../emulators/media';
import { BOT_DOWNLOAD_LIMIT_BYTES, TelegramEmulator } from '../emulators/telegram';
import { runNode } from './helpers/nodeHarness';

let gemini: GeminiEmulator;
beforeAll(async () => {
  gemini = await new GeminiEmulator({ apiKey: 'test-key' }).start();
});
afterAll(() => gemini.stop());
beforeEach(() => gemini.reset().setHandler(scriptedAssistantResponder()));

const fast: Partial<CallPolicy> = { retryBudgetMs: 50, baseDelayMs: 1, maxDelayMs: 2, sleep: async () => undefined };
const input = (extra: Partial<ReadMediaInput> = {}): ReadMediaInput => ({
  kind: 'voice',
  mimeType: 'audio/ogg',
  caption: '',
  model: 'gemini-3.1-flash-lite',
  temperature: null,
  thinkingLevel: 'MINIMAL',
  fallback: 'off',
  ...extra,
});
const voice = (says: string) => async () => emulatedMediaFile({ kind: 'voice', says });
const generate = () => createGenerate({ apiKey: 'test-key', host: gemini.url });

describe('readMedia', () => {
  it('sends a voice note inline before the prompt and returns the transcript as the text and the card line', async () => {
    const result = await readMedia(input(), { generate: generate(), file: voice('buy milk tomorrow'), policy: fast });
    expect(result).toMatchObject({ ok: true, outcome: 'read', kind: 'voice', text: 'buy milk tomorrow', summary: 'buy milk tomorrow', source: 'gemini', model: 'gemini-3.1-flash-lite' });
    const [request] = gemini.requests;
    const parts = request.body.contents[0].parts;
    expect(parts.map((part: Record<string, unknown>) => Object.keys(part))).toEqual([['inlineData'], ['text']]);
    expect(parts[0].inlineData.mimeType).toBe('audio/ogg');
    expect(readEmulatedMediaFile(request.media[0].bytes)).toEqual({ kind: 'voice', says: 'buy milk tomorrow' });
    expect(parsePrompt(request.promptText)).toMatchObject({ request: 'read_media', mediaKind: 'voice', userMessage: '' });
    expect(request.systemText).toMatch(/never translate/);
    expect(request.generationConfig.responseJsonSchema.required).toEqual(['text', 'summary', 'nothing_found']);
  });

  it('reads a photo: the caption first, then what it shows; the card gets the model\'s one line', async () => {
    const photo = async () => emulatedMediaFile({ kind: 'photo', shows: "Invitation to Sam's birthday party on Saturday 12 December at 3 pm.", summary: "Invitation: Sam's party, Sat 12 Dec, 3 pm" });
    const result = await readMedia(input({ kind: 'photo', mimeType: 'image/jpeg', caption: ' RSVP by Friday ', languageCode: 'en' }), { generate: generate(), file: photo, policy: fast });
    expect(result).toMatchObject({
      outcome: 'read',
      text: `RSVP by Friday\n\n${PHOTO_TEXT_LABEL} Invitation to Sam's birthday party on Saturday 12 December at 3 pm.`,
      summary: "Invitation: Sam's party, Sat 12 Dec, 3 pm",
    });
    expect(parsePrompt(gemini.requests[0].promptText)).toMatchObject({ mediaKind: 'photo', userLanguage: 'en', userMessage: 'RSVP by Friday' });
  });

  it('clips a long transcript to a Telegram message and the card line to 500 characters, on one line', async () => {
    const long = `${'call the plumber about the leak\n'.repeat(300)}`;
    gemini.enqueue(geminiResponses.transcript(long));
    const result = await readMedia(input(), { generate: generate(), file: voice('x'), policy: fast });
    if (result.outcome !== 'read') throw new Error(result.outcome);
    expect(result.text.length).toBeLessThanOrEqual(4096);
    expect(result.summary.length).toBeLessThanOrEqual(500);
    expect(result.summary).not.toContain('\n');
    expect(mediaMessageText('voice', 'note', 'buy milk')).toBe('note\nbuy milk');
  });

  it('answers silence or an unreadable photo with a reply, not a draft', async () => {
    expect(await readMedia(input(), { generate: generate(), file: voice(''), policy: fast })).toMatchObject({ ok: true, outcome: 'nothing_found', reply: mediaNothingFound('voice') });
    expect(await readMedia(input(), { generate: generate(), file: async () => Buffer.alloc(0), policy: fast })).toMatchObject({ outcome: 'nothing_found' });
  });

  it('needs Gemini: offline it replies so without reading the file; with the fallback off and no credential it is a setup error', async () => {
    const file = jest.fn(voice('buy milk'));
    expect(await readMedia(input({ fallback: 'always' }), { generate: generate(), file })).toMatchObject({ ok: true, outcome: 'needs_gemini', reply: mediaNeedsGemini('voice') });
    expect(await readMedia(input({ fallback: 'whenUnavailable' }), { generate: null, file })).toMatchObject({ outcome: 'needs_gemini' });
    expect(file).not.toHaveBeenCalled();
    await expect(readMedia(input(), { generate: null, file })).rejects.toThrow('No usable Gemini credential');
    expect(gemini.requests).toHaveLength(0);
  });

  it('refuses a file larger than Telegram lets bots download without sending it', async () => {
    const result = await readMedia(input(), { generate: generate(), file: async () => Buffer.alloc(MEDIA_INLINE_LIMIT_BYTES + 1), policy: fast });
    expect(result).toMatchObject({ outcome: 'too_big', reply: mediaTooBig('voice') });
    expect(gemini.requests).toHaveLength(0);
  });

  it('turns a busy Gemini into a reply to send the file again (nothing is queued), and counts every request', async () => {
    gemini.enqueue(geminiResponses.unavailable(503), geminiResponses.rateLimited('60s'));
    const metered = meterGenerate(generate());
    const result = await readMedia(input({ kind: 'photo', mimeType: 'image/jpeg' }), { generate: metered.generate, file: async () => emulatedMediaFile({ kind: 'photo', shows: 'x' }), policy: fast });
    expect(result).toMatchObject({ ok: false, outcome: 'failed', failure: { kind: 'rate_limited', retryable: true }, reply: mediaFailed('photo', { kind: 'rate_limited' }) });
    expect(metered.tally).toMatchObject({ calls: 2, rateLimited: 1 });
    expect(gemini.requests).toHaveLength(2);
  });

  it('repairs an answer that breaks the schema once, sending the file again', async () => {
    gemini.enqueue(geminiResponses.json({ text: 'buy milk' }));
    const result = await readMedia(input(), { generate: generate(), file: voice('buy milk'), policy: fast });
    expect(result).toMatchObject({ outcome: 'read', text: 'buy milk', repaired: true });
    expect(gemini.requests).toHaveLength(2);
    expect(gemini.requests[1].media).toHaveLength(1);
  });

  it('sends an audio file\'s audio/mpeg by the name Gemini documents (audio/mp3)', async () => {
    await readMedia(input({ kind: 'audio', mimeType: 'audio/mpeg' }), { generate: generate(), file: async () => emulatedMediaFile({ kind: 'audio', says: 'hello' }), policy: fast });
    expect(gemini.requests[0].body.contents[0].parts[0].inlineData.mimeType).toBe('audio/mp3');
  });

  it('refuses a type that is neither audio nor image as a setup error', async () => {
    await expect(readMedia(input({ mimeType: 'application/pdf' }), { generate: generate(), file: voice('x') })).rejects.toThrow('not an audio or image type');
  });
});

describe('Gemini Intent › Read Voice Note or Photo (node)', () => {
  const node = new GeminiIntent();
  const binaryHelpers = (bytes: Buffer, mimeType = 'audio/ogg') => ({
    assertBinaryData: (_i: number, name: string) => {
      if (name !== 'data') throw new NodeOperationError({ name: 'x' } as never, `No binary data property "${name}"`);
      return { mimeType, data: '', fileName: 'file_1.oga' };
    },
    getBinaryDataBuffer: async () => bytes,
  });

  it('reads the item\'s binary data and outputs the text and summary, not the bytes', async () => {
    const [[item]] = await runNode(node, {
      parameters: { operation: 'readMedia', mediaKind: 'voice', caption: '' },
      credentials: { googlePalmApi: { host: gemini.url, apiKey: 'test-key' } },
      helpers: binaryHelpers(emulatedMediaFile({ kind: 'voice', says: 'call mum on Sunday' })),
    });
    expect(item.json).toMatchObject({ ok: true, outcome: 'read', kind: 'voice', text: 'call mum on Sunday', summary: 'call mum on Sunday' });
    expect(JSON.stringify(item.json)).not.toContain('EMULATED-MEDIA');
    expect(item.binary).toBeUndefined();
    // The binary data's own type when the node is given none.
    expect(gemini.requests[0].body.contents[0].parts[0].inlineData.mimeType).toBe('audio/ogg');
  });

  it('offline, says a voice note needs Gemini', async () => {
    const [[item]] = await runNode(node, { parameters: { operation: 'readMedia', mediaKind: 'photo', fallback: 'always' }, helpers: binaryHelpers(Buffer.from('x'), 'image/jpeg') });
    expect(item.json as IDataObject).toMatchObject({ ok: true, outcome: 'needs_gemini', reply: mediaNeedsGemini('photo') });
  });

  it('classifies by default, as saved workflows without an operation expect', async () => {
    const [[item]] = await runNode(node, { parameters: { text: 'buy milk tomorrow' }, credentials: { googlePalmApi: { host: gemini.url, apiKey: 'test-key' } } });
    expect(item.json).toMatchObject({ ok: true, outcome: 'classified', intent: 'create_task' });
  });
});

describe('the Gemini emulator with inline files', () => {
  const send = (part: Record<string, unknown>) =>
    fetch(`${gemini.url}/v1beta/models/gemini-3.1-flash-lite:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'test-key' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [part, { text: 'Request: "read_media"\nUser message: ""' }] }] }),
    });

  it('refuses a type Gemini does not read, data that is not base64, and an unknown field, as the API does', async () => {
    const pdf = await send({ inlineData: { mimeType: 'application/pdf', data: 'AAAA' } });
    expect(pdf.status).toBe(400);
    expect(((await pdf.json()) as { error: { message: string } }).error.message).toBe('Unsupported MIME type: application/pdf');
    const broken = await send({ inlineData: { mimeType: 'audio/ogg', data: 'not base64!' } });
    expect(((await broken.json()) as { error: { message: string } }).error.message).toMatch(/Base64 decoding failed/);
    const unknown = await send({ inlineData: { mimeType: 'audio/ogg', data: 'AAAA', uri: 'x' } });
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/Unknown name "uri"/);
  });

  it('refuses a request over 20 MB', async () => {
    const big = await send({ inlineData: { mimeType: 'audio/ogg', data: Buffer.alloc(16 * 1024 * 1024).toString('base64') } });
    expect(big.status).toBe(400);
    expect(((await big.json()) as { error: { message: string } }).error.message).toMatch(/payload size exceeds the limit/);
  });

  it('answers a read_media request from the emulated file (scripted), and counts the file in the usage', async () => {
    const response = await send({ inlineData: { mimeType: 'audio/ogg', data: emulatedMediaFile({ kind: 'voice', says: 'water the plants' }).toString('base64') } });
    const body = (await response.json()) as { candidates: Array<{ content: { parts: Array<{ text: string }> } }>; usageMetadata: { promptTokenCount: number } };
    expect(JSON.parse(body.candidates[0].content.parts[0].text)).toEqual({ text: 'water the plants', summary: 'water the plants', nothing_found: false });
    expect(body.usageMetadata.promptTokenCount).toBeGreaterThan(32);
  });
});

describe('the Telegram emulator serves the files of voice notes and photos', () => {
  let telegram: TelegramEmulator;
  beforeAll(async () => {
    telegram = await new TelegramEmulator().start();
  });
  afterAll(() => telegram.stop());
  const bot = (method: string, params: Record<string, unknown>) =>
    fetch(`${telegram.url}/bot${telegram.token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as { ok: boolean; result?: Record<string, unknown>; description?: string } }),
    );

  it('getFile gives the file_path, and the download URL the bytes, as real Telegram', async () => {
    const update = telegram.sendUserMedia({ kind: 'voice', says: 'buy milk tomorrow' });
    const voiceNote = update.message!.voice as { file_id: string; file_size: number; mime_type: string };
    expect(voiceNote.mime_type).toBe('audio/ogg');
    const file = await bot('getFile', { file_id: voiceNote.file_id });
    expect(file.body).toMatchObject({ ok: true, result: { file_id: voiceNote.file_id, file_size: voiceNote.file_size, file_path: expect.stringMatching(/^voice\/file_\d+\.oga$/) } });
    const download = await fetch(`${telegram.url}/file/bot${telegram.token}/${file.body.result!.file_path}`);
    expect(download.headers.get('content-type')).toBe('audio/ogg');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(readEmulatedMediaFile(bytes)).toEqual({ kind: 'voice', says: 'buy milk tomorrow' });
    expect(telegram.downloadsSince()).toEqual([expect.objectContaining({ status: 200, bytes: bytes.length })]);
    expect((await fetch(`${telegram.url}/file/botWRONG/${file.body.result!.file_path}`)).status).toBe(404);
  });

  it('photos come in three sizes, the largest the one sent, with the caption', async () => {
    const update = telegram.sendUserMedia({ kind: 'photo', shows: 'A whiteboard: ship v2 Friday', caption: 'todo' });
    const sizes = update.message!.photo as Array<{ file_id: string; width: number }>;
    expect(sizes.map((s) => s.width)).toEqual([90, 320, 1280]);
    expect(update.message!.caption).toBe('todo');
    const file = await bot('getFile', { file_id: sizes[2].file_id });
    const bytes = Buffer.from(await (await fetch(`${telegram.url}/file/bot${telegram.token}/${file.body.result!.file_path}`)).arrayBuffer());
    expect(readEmulatedMediaFile(bytes)).toMatchObject({ kind: 'photo', shows: 'A whiteboard: ship v2 Friday' });
  });

  it('getFile refuses a file over 20 MB ("file is too big"), with or without file_size in the update, and an unknown file_id', async () => {
    const said = telegram.sendUserMedia({ kind: 'voice', fileSize: BOT_DOWNLOAD_LIMIT_BYTES + 1 });
    expect((said.message!.voice as { file_size: number }).file_size).toBe(BOT_DOWNLOAD_LIMIT_BYTES + 1);
    const unsaid = telegram.sendUserMedia({ kind: 'audio', fileSize: BOT_DOWNLOAD_LIMIT_BYTES + 1, omitFileSize: true });
    expect(unsaid.message!.audio).not.toHaveProperty('file_size');
    for (const update of [said, unsaid]) {
      const fileId = ((update.message!.voice ?? update.message!.audio) as { file_id: string }).file_id;
      expect(await bot('getFile', { file_id: fileId })).toEqual({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: file is too big' } });
    }
    expect((await bot('getFile', { file_id: 'nope' })).body.description).toBe('Bad Request: invalid file_id');
  });

  it('keeps its faults: failNext on getFile and on the download', async () => {
    const update = telegram.sendUserMedia({ kind: 'voice', says: 'x' });
    const fileId = (update.message!.voice as { file_id: string }).file_id;
    await fetch(`${telegram.url}/_control/failNext`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'getFile', errorCode: 500, description: 'Internal Server Error' }) });
    expect((await bot('getFile', { file_id: fileId })).status).toBe(500);
    const file = await bot('getFile', { file_id: fileId });
    await fetch(`${telegram.url}/_control/failNext`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'download', errorCode: 502, description: 'Bad Gateway' }) });
    expect((await fetch(`${telegram.url}/file/bot${telegram.token}/${file.body.result!.file_path}`)).status).toBe(502);
    expect((await fetch(`${telegram.url}/file/bot${telegram.token}/${file.body.result!.file_path}`)).status).toBe(200);
  });
});
