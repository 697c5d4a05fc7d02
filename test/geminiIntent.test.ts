// GeminiIntent's core: rules for commands, Gemini for the rest, a question when unsure.
import { InputError } from '../nodes/shared/errors';
import { createGenerate } from '../nodes/shared/gemini/adapter';
import { classifyIntent, HELP_TEXT } from '../nodes/shared/gemini/intent';
import type { IntentInput } from '../nodes/shared/gemini/intent';
import { parsePrompt } from '../nodes/shared/gemini/prompts';
import { GeminiEmulator, geminiResponses } from '../emulators/gemini';
import { scriptedAssistantResponder } from '../emulators/geminiScripted';

let gemini: GeminiEmulator;
beforeAll(async () => {
  gemini = await new GeminiEmulator({ apiKey: 'test-key' }).start();
});
afterAll(() => gemini.stop());
beforeEach(() => gemini.reset());

const base: IntentInput = { text: '', awaitingEdit: false, pendingQuestion: '', model: 'gemini-3.1-flash-lite', temperature: 0.1, minConfidence: 0.6, fallback: 'off' };
const fastRetries = { baseDelayMs: 1, maxDelayMs: 2, retryBudgetMs: 20 };
const classify = (input: Partial<IntentInput>) =>
  classifyIntent({ ...base, ...input }, { generate: createGenerate({ apiKey: 'test-key', host: gemini.url }), policy: fastRetries });
const geminiSays = (intent: string, confidence: number, parameters: Record<string, string | null> = {}) =>
  geminiResponses.json({ intent, confidence, parameters: { task_description: null, instruction: null, answer: null, ...parameters } });

describe('answered by rules, without Gemini', () => {
  it.each([
    ['/start', 'help', 'help', /^Hi! /],
    ['/help', 'help', 'help', /Confirm/],
    ['/start@DraftAssistantBot', 'help', 'help', /^Hi! /],
    ['', 'help', 'help', /only read text/],
    ['   ', 'help', 'help', /only read text/],
    ['/frobnicate', 'unknown', 'unknown', /\/frobnicate/],
  ])('%j → %s', async (text, intent, commandType, reply) => {
    const outcome = await classify({ text });
    expect(outcome).toMatchObject({ ok: true, intent, commandType, source: 'rules', usage: null, reply: expect.stringMatching(reply) });
    expect(gemini.requests).toHaveLength(0);
  });

  it('/cancel becomes cancel_draft with no reply', async () => {
    expect(await classify({ text: '/cancel' })).toMatchObject({ ok: true, intent: 'cancel', commandType: 'cancel_draft', reply: null });
    expect(gemini.requests).toHaveLength(0);
  });

  it('help text is HTML-safe plain text', () => {
    expect(HELP_TEXT).not.toMatch(/[<>*_`]/);
  });
});

describe('classified by Gemini', () => {
  it('sends the context and schema, and maps create_task to draft_task_from_text', async () => {
    gemini.enqueue(geminiSays('create_task', 0.93, { task_description: 'buy milk tomorrow' }));
    const outcome = await classify({ text: 'buy milk tomorrow', awaitingEdit: true, pendingQuestion: 'Which shop?' });
    expect(outcome).toEqual({
      ok: true,
      outcome: 'classified',
      intent: 'create_task',
      commandType: 'draft_task_from_text',
      parameters: { task_description: 'buy milk tomorrow' },
      confidence: 0.93,
      reply: null,
      source: 'gemini',
      usage: { promptTokens: expect.any(Number), outputTokens: expect.any(Number), thoughtsTokens: 0, totalTokens: expect.any(Number) },
      latencyMs: expect.any(Number),
      model: 'gemini-3.1-flash-lite',
      samplingDropped: false,
      thinkingDropped: false,
    });
    const [request] = gemini.requests;
    expect(parsePrompt(request.promptText)).toMatchObject({ request: 'classify_intent', awaitingEdit: true, pendingQuestion: 'Which shop?', userMessage: 'buy milk tomorrow' });
    expect(request.generationConfig.responseJsonSchema.properties.intent.enum).toEqual(['create_task', 'create_event', 'event_from_url', 'revise_draft', 'answer_clarification', 'cancel', 'help', 'small_talk', 'list_tasks', 'undo_last', 'list_calendars', 'list_reminders', 'set_briefing', 'unknown']);
    expect(request.generationConfig.temperature).toBe(0.1);
    expect(request.systemText).toMatch(/intent extractor/);
  });

  it.each([
    ['revise_draft', 'revise_draft', { instruction: 'move it to Friday' }, { instruction: 'move it to Friday' }],
    ['cancel', 'cancel_draft', {}, {}],
    ['unknown', 'unknown', {}, {}],
  ])('maps %s to the %s command with its parameter', async (intent, commandType, given, expected) => {
    gemini.enqueue(geminiSays(intent, 0.9, given));
    expect(await classify({ text: 'some message' })).toMatchObject({ ok: true, intent, commandType, parameters: expected, reply: null });
  });

  it('maps answer_clarification to its command when a question is pending', async () => {
    gemini.enqueue(geminiSays('answer_clarification', 0.9, { answer: 'the blue one' }));
    expect(await classify({ text: 'the blue one', pendingQuestion: 'Which bag?' })).toMatchObject({ intent: 'answer_clarification', commandType: 'answer_clarification', parameters: { answer: 'the blue one' } });
  });

  it('treats an "answer" with no pending question as a new task', async () => {
    gemini.enqueue(geminiSays('answer_clarification', 0.9, { answer: 'the blue bag' }));
    expect(await classify({ text: 'get the blue bag' })).toMatchObject({ intent: 'create_task', commandType: 'draft_task_from_text', parameters: { task_description: 'get the blue bag' } });
  });

  it('fills a parameter the model left empty with the whole message', async () => {
    gemini.enqueue(geminiSays('create_task', 0.9));
    expect(await classify({ text: 'water the plants' })).toMatchObject({ parameters: { task_description: 'water the plants' } });
  });

  it('answers help with the help text', async () => {
    gemini.enqueue(geminiSays('help', 0.95));
    expect(await classify({ text: 'what can you do for me?' })).toMatchObject({ intent: 'help', commandType: 'help', reply: HELP_TEXT });
  });

  it('turns low confidence into a clarifying question instead of a guess, escaping HTML', async () => {
    gemini.enqueue(geminiSays('create_task', 0.41, { task_description: '<b>milk</b> & bread' }));
    const outcome = await classify({ text: '<b>milk</b> & bread' });
    expect(outcome).toMatchObject({ ok: true, intent: 'unknown', commandType: 'unknown', confidence: 0.41, parameters: {} });
    if (outcome.ok) expect(outcome.reply).toBe('Should I make a task out of "&lt;b&gt;milk&lt;/b&gt; &amp; bread"? Send it again with a bit more detail, for example "Buy milk tomorrow".');
  });

  it('escapes the quotes of the user\'s text in the question as well, as every message sent as HTML', async () => {
    gemini.enqueue(geminiSays('unknown', 0.2));
    const outcome = await classify({ text: 'say "hi" <now>' });
    if (outcome.ok) expect(outcome.reply).toBe('I\'m not sure what you mean by "say &quot;hi&quot; &lt;now&gt;". Send me a task, for example "Buy milk tomorrow", or /help.');
    expect(outcome.ok).toBe(true);
  });

  it('respects a custom confidence threshold', async () => {
    gemini.enqueue(geminiSays('create_task', 0.41));
    expect(await classify({ text: 'milk', minConfidence: 0.4 })).toMatchObject({ intent: 'create_task' });
  });

  it('repairs an intent outside the schema', async () => {
    gemini.enqueue(geminiSays('order_pizza', 0.9), geminiSays('create_task', 0.8));
    expect(await classify({ text: 'order pizza at 7' })).toMatchObject({ ok: true, intent: 'create_task' });
    expect(gemini.requests[1].promptText).toContain('$.intent must be one of');
  });

  it('returns a retryable failure (not an exception) when Gemini stays unavailable', async () => {
    gemini.setHandler(() => geminiResponses.unavailable(503));
    const outcome = await classify({ text: 'buy milk' });
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'unavailable', retryable: true, userMessage: expect.any(String) } });
  });

  it('classifies locally when Gemini is unavailable and the fallback allows it', async () => {
    gemini.setHandler(() => geminiResponses.unavailable(503));
    expect(await classify({ text: 'buy milk', fallback: 'whenUnavailable' })).toMatchObject({ ok: true, intent: 'create_task', source: 'offline' });
  });

  it('never calls Gemini with fallback always', async () => {
    const outcome = await classifyIntent({ ...base, text: 'make it Friday', awaitingEdit: true, fallback: 'always' }, { generate: null });
    expect(outcome).toMatchObject({ ok: true, intent: 'revise_draft', commandType: 'revise_draft', parameters: { instruction: 'make it Friday' }, source: 'offline' });
  });

  it('requires a credential when the fallback is off', async () => {
    await expect(classifyIntent({ ...base, text: 'buy milk' }, { generate: null })).rejects.toBeInstanceOf(InputError);
    // In the words the nodes use for a credential they cannot use.
    await expect(classifyIntent({ ...base, text: 'buy milk' }, { generate: null })).rejects.toMatchObject({
      message: 'No usable Gemini credential: none is configured',
      hint: expect.stringMatching(/"Offline Fallback" to "Always"/),
    });
  });
});

describe('the scripted assistant classifies from the prompt context', () => {
  beforeEach(() => gemini.setHandler(scriptedAssistantResponder()));
  it.each([
    ["Plan Sam's birthday party next Saturday", false, '', 'create_task', { task_description: "Plan Sam's birthday party next Saturday" }],
    ['make it Sunday instead', true, '', 'revise_draft', { instruction: 'make it Sunday instead' }],
    ['for my sister', false, 'Who is the present for?', 'answer_clarification', { answer: 'for my sister' }],
    ['never mind', true, '', 'cancel', {}],
  ])('%s', async (text, awaitingEdit, pendingQuestion, intent, parameters) => {
    expect(await classify({ text, awaitingEdit, pendingQuestion })).toMatchObject({ ok: true, source: 'gemini', intent, parameters });
  });
});
