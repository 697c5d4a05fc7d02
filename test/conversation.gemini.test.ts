// The conversation around a draft on the Gemini path: the rules the prompts state, the
// post-checks that send a reply breaking them back for repair, and the scripted assistant
// (which answers with the offline rules) holding the same conversation over HTTP.
import { createGenerate } from '../nodes/shared/gemini/adapter';
import { classifyIntent } from '../nodes/shared/gemini/intent';
import type { IntentInput } from '../nodes/shared/gemini/intent';
import { planTask } from '../nodes/shared/gemini/planner';
import type { PlannerInput } from '../nodes/shared/gemini/planner';
import { INTENT_SYSTEM_INSTRUCTION, PLANNER_SYSTEM_INSTRUCTION } from '../nodes/shared/gemini/prompts';
import { INTENTS } from '../nodes/shared/gemini/schemas';
import { GREETING_REPLY, THANKS_REPLY } from '../nodes/shared/messages/assistant';
import { GeminiEmulator, geminiResponses } from '../emulators/gemini';
import { scriptedAssistantResponder } from '../emulators/geminiScripted';

let gemini: GeminiEmulator;
beforeAll(async () => {
  gemini = await new GeminiEmulator({ apiKey: 'test-key' }).start();
});
afterAll(() => gemini.stop());
beforeEach(() => gemini.reset());

const fastRetries = { baseDelayMs: 1, maxDelayMs: 2, retryBudgetMs: 20 };
const generate = () => createGenerate({ apiKey: 'test-key', host: gemini.url });
const classify = (input: Partial<IntentInput>) =>
  classifyIntent({ text: '', awaitingEdit: false, pendingQuestion: '', model: 'gemini-3.1-flash-lite', temperature: 0.1, minConfidence: 0.6, fallback: 'off', ...input }, { generate: generate(), policy: fastRetries });
const plan = (input: Partial<PlannerInput>) =>
  planTask({ mode: 'create', text: '', currentDate: '2026-12-01', timeZone: 'UTC', model: 'gemini-3.1-flash-lite', temperature: 0.3, maxSubtasks: 10, fallback: 'off', ...input }, { generate: generate(), policy: fastRetries });
const geminiSays = (intent: string, confidence = 0.9, parameters: Record<string, string | null> = {}) =>
  geminiResponses.json({ intent, confidence, parameters: { task_description: null, instruction: null, answer: null, ...parameters } });
const draftReply = (fields: Record<string, unknown>) =>
  geminiResponses.json({ title: 'Buy milk', due_date: null, due_date_reasoning: 'No date.', notes: '', subtasks: [], clarification_needed: false, clarification_question: null, ...fields });

const previous = { title: 'Buy milk', due_date: '2026-12-03', due_date_reasoning: '"Thursday" → Thu 3 Dec.', notes: 'Semi-skimmed', subtasks: [] };

describe('the prompts state the conversation rules', () => {
  it('intent: a standalone request during edit mode is a new task, with examples of both', () => {
    expect(INTENT_SYSTEM_INSTRUCTION).toMatch(/standalone request.*own action and object.*create_task/is);
    expect(INTENT_SYSTEM_INSTRUCTION).toContain('"buy eggs and bread tomorrow"');
    expect(INTENT_SYSTEM_INSTRUCTION).toContain('"call mum on Sunday"');
    for (const edit of ['"make it due Friday"', '"tomorrow instead"', '"no subtasks"', '"add a subtask to buy candles"']) expect(INTENT_SYSTEM_INSTRUCTION).toContain(edit);
  });

  it('intent: small talk gets a brief friendly reply; list and undo are intents', () => {
    expect(INTENT_SYSTEM_INSTRUCTION).toMatch(/small_talk:.*brief friendly reply/i);
    expect(INTENT_SYSTEM_INSTRUCTION).toMatch(/list_tasks:/);
    expect(INTENT_SYSTEM_INSTRUCTION).toMatch(/undo_last:/);
    expect(INTENTS).toEqual(expect.arrayContaining(['small_talk', 'list_tasks', 'undo_last']));
  });

  it('planner: the answer\'s own date wins, and the reasoning quotes the user', () => {
    expect(PLANNER_SYSTEM_INSTRUCTION).toMatch(/answer_clarification:.*date in the answer wins/i);
    expect(PLANNER_SYSTEM_INSTRUCTION).toMatch(/quote the words the user wrote/i);
  });

  it('planner: a change it cannot apply is asked about, never put in the notes', () => {
    expect(PLANNER_SYSTEM_INSTRUCTION).toMatch(/revise_draft:.*cannot apply.*clarification_needed true.*never.*notes/is);
  });
});

describe('Gemini replies that break the rules go back for repair', () => {
  it('an answer-mode draft that took the original\'s date instead of the answer\'s', async () => {
    // Wed 2 Dec: "tomorrow" is Thu 3 Dec, "next wednesday" Wed 9 Dec.
    gemini.enqueue(
      draftReply({ title: 'Book the car service', due_date: '2026-12-03', due_date_reasoning: '"next wednesday tomorrow" counted from Wed 2 Dec.' }),
      draftReply({ title: 'Book the car service', due_date: '2026-12-09', due_date_reasoning: '"next wednesday" → Wed 9 Dec.' }),
    );
    const outcome = await plan({ mode: 'answer', currentDate: '2026-12-02', originalText: 'something tomorrow', question: 'What should I put on your list for Thu 3 Dec?', text: 'book the car service for next wednesday' });
    expect(gemini.requests).toHaveLength(2);
    expect(gemini.requests[1].promptText).toMatch(/due_date must come from the answer \("next wednesday" → 2026-12-09\)/);
    expect(outcome).toMatchObject({ ok: true, repaired: true, draft: { due_date: '2026-12-09' } });
  });

  it('an answer without a date of its own keeps the original\'s day unquestioned', async () => {
    gemini.enqueue(draftReply({ title: 'Book the car service', due_date: '2026-12-03' }));
    const outcome = await plan({ mode: 'answer', currentDate: '2026-12-02', originalText: 'something tomorrow', question: 'What?', text: 'book the car service' });
    expect(outcome).toMatchObject({ ok: true, repaired: false, draft: { due_date: '2026-12-03' } });
  });

  it('a revision whose notes merely carry the instruction', async () => {
    gemini.enqueue(
      draftReply({ due_date: '2026-12-03', notes: 'Semi-skimmed\nRequested change: make it due the 18th' }),
      draftReply({ due_date: '2026-12-18', notes: 'Semi-skimmed' }),
    );
    const outcome = await plan({ mode: 'revise', previousDraft: previous, text: 'make it due the 18th' });
    expect(gemini.requests[1].promptText).toMatch(/notes must not carry the edit instruction/);
    expect(outcome).toMatchObject({ ok: true, repaired: true, draft: { due_date: '2026-12-18', notes: 'Semi-skimmed' } });
  });

  it('a revision note the user asked for is kept', async () => {
    gemini.enqueue(draftReply({ due_date: '2026-12-03', notes: 'Semi-skimmed\nThe shop closes at 6' }));
    const outcome = await plan({ mode: 'revise', previousDraft: previous, text: 'add a note: the shop closes at 6' });
    expect(outcome).toMatchObject({ ok: true, repaired: false, draft: { notes: 'Semi-skimmed\nThe shop closes at 6' } });
  });
});

describe('Gemini intents for small talk, the list and undo', () => {
  it.each([
    ['bonjour !', GREETING_REPLY],
    ['how are you?', GREETING_REPLY],
    ['merci beaucoup', THANKS_REPLY],
    ['thanks a lot', THANKS_REPLY],
  ])('small_talk "%s" gets our friendly reply', async (text, reply) => {
    gemini.enqueue(geminiSays('small_talk', 0.95));
    expect(await classify({ text })).toMatchObject({ ok: true, intent: 'small_talk', commandType: 'unknown', reply, parameters: {} });
  });

  it.each([
    ['list_tasks', 'list_tasks', "what's on my list?"],
    ['undo_last', 'undo_last', 'undo that'],
  ])('%s → the %s command', async (intent, commandType, text) => {
    gemini.enqueue(geminiSays(intent));
    expect(await classify({ text })).toMatchObject({ ok: true, intent, commandType, reply: null, parameters: {} });
  });

  it.each([
    ['/list', 'list_tasks'],
    ['/undo', 'undo_last'],
  ])('%s needs no model', async (text, intent) => {
    expect(await classify({ text })).toMatchObject({ ok: true, intent, source: 'rules' });
    expect(gemini.requests).toHaveLength(0);
  });
});

describe('the scripted assistant holds the same conversation', () => {
  beforeEach(() => gemini.setHandler(scriptedAssistantResponder()));

  it.each([
    ['buy eggs and bread tomorrow', 'create_task'],
    ['call mum on Sunday', 'create_task'],
    ['make it due Friday', 'revise_draft'],
    ['tomorrow instead', 'revise_draft'],
    ['thanks', 'small_talk'],
    ['show my tasks', 'list_tasks'],
    ['undo that', 'undo_last'],
  ])('in edit mode "%s" → %s', async (text, intent) => {
    expect(await classify({ text, awaitingEdit: true })).toMatchObject({ ok: true, intent, source: 'gemini' });
  });

  it('an edit it cannot apply comes back as a question, the draft unchanged', async () => {
    expect(await plan({ mode: 'revise', previousDraft: previous, text: 'make it sound friendlier' })).toMatchObject({ ok: true, outcome: 'clarification_needed', draft: null });
  });

  it('"add a subtask to buy candles" adds "Buy candles"', async () => {
    expect(await plan({ mode: 'revise', previousDraft: previous, text: 'add a subtask to buy candles' })).toMatchObject({ ok: true, draft: { subtasks: [{ title: 'Buy candles' }] } });
  });

  it('the answer\'s date wins', async () => {
    const outcome = await plan({ mode: 'answer', currentDate: '2026-12-02', originalText: 'something tomorrow', question: 'What?', text: 'book the car service for next wednesday' });
    expect(outcome).toMatchObject({ ok: true, repaired: false, draft: { title: 'Book the car service', due_date: '2026-12-09' } });
  });
});
