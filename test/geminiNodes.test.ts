// Both nodes as n8n runs them (via the node harness): parameters, the googlePalmApi
// credential, output items, and which problems throw versus come back as {ok: false}.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';
import { GeminiIntent } from '../nodes/GeminiIntent/GeminiIntent.node';
import { GeminiPlanner } from '../nodes/GeminiPlanner/GeminiPlanner.node';
import { parsePrompt } from '../nodes/shared/gemini/prompts';
import { GeminiEmulator, geminiResponses } from '../emulators/gemini';
import { scriptedAssistantResponder } from '../emulators/geminiScripted';
import { quotaDay } from '../nodes/shared/gemini/usage';
import { runNode } from './helpers/nodeHarness';
import { useNodeDatabase } from './helpers/nodeStore';

let gemini: GeminiEmulator;
let credentials: Record<string, IDataObject>;
beforeAll(async () => {
  gemini = await new GeminiEmulator({ apiKey: 'test-key' }).start();
  credentials = { googlePalmApi: { host: `${gemini.url}/`, apiKey: 'test-key' } };
});
afterAll(() => gemini.stop());
beforeEach(() => gemini.reset().setHandler(scriptedAssistantResponder()));

const intentNode = new GeminiIntent();
const plannerNode = new GeminiPlanner();
const jsonOf = (result: Awaited<ReturnType<typeof runNode>>) => result[0].map((item) => item.json);

describe('node descriptions', () => {
  it.each([
    [intentNode, 'geminiIntent', 'GeminiIntent'],
    [plannerNode, 'geminiPlanner', 'GeminiPlanner'],
  ] as const)('%#: %s has its codex, both icons and the optional Gemini credential', (node, name, folder) => {
    const { description } = node;
    expect(description.name).toBe(name);
    expect(description.icon).toEqual({ light: `file:${name}.svg`, dark: `file:${name}.dark.svg` });
    expect(description.subtitle).toBeTruthy();
    expect(description.credentials).toEqual([
      expect.objectContaining({ name: 'googlePalmApi', required: false }),
      expect.objectContaining({ name: 'draftAssistantDatabase', required: false }),
    ]);
    expect(description).toMatchObject({ version: [1, 2], defaultVersion: 2 });
    const dir = path.join(__dirname, '..', 'nodes', folder);
    const codex = JSON.parse(fs.readFileSync(path.join(dir, `${folder}.node.json`), 'utf8'));
    expect(codex).toMatchObject({ node: `n8n-nodes-draft-assistant.${name}`, nodeVersion: '1.0', codexVersion: '1.0', categories: expect.any(Array), resources: expect.any(Object) });
    for (const icon of [`${name}.svg`, `${name}.dark.svg`]) expect(fs.readFileSync(path.join(dir, icon), 'utf8')).toMatch(/^<svg /);
  });

  it('GeminiIntent parameters have the agreed names and defaults', () => {
    const defaults = Object.fromEntries(intentNode.description.properties.map((p) => [p.name, p.default]));
    // "operation" came with Read Media; saved workflows without it classify (its default).
    expect(defaults).toEqual({
      operation: 'classify',
      text: '={{ $json.text }}',
      awaitingEdit: false,
      pendingQuestion: '',
      minConfidence: 0.6,
      mediaKind: 'voice',
      binaryPropertyName: 'data',
      mimeType: '',
      caption: '',
      languageCode: '',
      model: 'gemini-3.1-flash-lite',
      thinkingLevel: 'minimal',
      temperature: 0.1,
      setTemperature: false,
      fallback: 'off',
      usageUserId: '',
    });
  });

  it('GeminiPlanner parameters have the agreed names and defaults', () => {
    const defaults = Object.fromEntries(plannerNode.description.properties.map((p) => [p.name, p.default]));
    expect(defaults).toEqual({ mode: 'create', text: '', currentDate: '', referenceTime: '', timezone: 'UTC', previousDraft: '', question: '', originalText: '', model: 'gemini-3.5-flash-lite', thinkingLevel: 'low', temperature: 0.3, setTemperature: false, maxSubtasks: 10, fallback: 'off', usageUserId: '' });
  });
});

describe('GeminiIntent node', () => {
  it('classifies each item through the credential host and key, pairing outputs with inputs', async () => {
    // The harness does not evaluate expressions, so each item gets its text as a literal parameter.
    const withText = await runNode(intentNode, {
      parameters: [{ text: 'buy milk tomorrow' }, { text: '/help' }],
      items: [{}, {}],
      credentials,
    });
    const [create, help] = jsonOf(withText);
    expect(create).toMatchObject({ ok: true, outcome: 'classified', intent: 'create_task', commandType: 'draft_task_from_text', parameters: { task_description: 'buy milk tomorrow' }, source: 'gemini', reply: null, model: 'gemini-3.1-flash-lite', samplingDropped: false });
    expect(Object.keys(create).sort()).toEqual(['commandType', 'confidence', 'intent', 'latencyMs', 'model', 'ok', 'outcome', 'parameters', 'reply', 'samplingDropped', 'source', 'thinkingDropped', 'usage'].sort());
    expect(help).toMatchObject({ ok: true, intent: 'help', source: 'rules' });
    expect(withText[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    expect(gemini.requests.every((r) => r.apiKey === 'test-key' && r.model === 'gemini-3.1-flash-lite')).toBe(true);
  });

  it('works without a credential when the fallback is always', async () => {
    const [item] = jsonOf(await runNode(intentNode, { parameters: { text: 'call mom', fallback: 'always' } }));
    expect(item).toMatchObject({ ok: true, intent: 'create_task', source: 'offline' });
    expect(gemini.requests).toHaveLength(0);
  });

  it('says which credential to set when none is configured and the fallback is off', async () => {
    const error = await runNode(intentNode, { parameters: { text: 'call mom' } }).catch((e) => e);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toMatch(/No usable Gemini credential/);
    expect(error.description).toMatch(/Google Gemini\(PaLM\) Api/);
  });

  it.each([
    ['the Intent', intentNode],
    ['the Planner', plannerNode],
  ] as const)('%s node says the same about a credential without an API key, and runs offline with the fallback', async (_name, node) => {
    const noKey = { googlePalmApi: { host: gemini.url, apiKey: '  ' } };
    const error = await runNode(node, { parameters: { text: 'call mom' }, credentials: noKey }).catch((e) => e);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toBe('No usable Gemini credential: it has no API key');
    expect(error.description).toMatch(/Google Gemini\(PaLM\) Api/);
    const [item] = jsonOf(await runNode(node, { parameters: { text: 'call mom', fallback: 'whenUnavailable' }, credentials: noKey }));
    expect(item).toMatchObject({ ok: true, source: 'offline' });
    expect(gemini.requests).toHaveLength(0);
  });

  it('returns a gone model as an {ok: false} item that keeps the message and tells the owner to change "Model"', async () => {
    gemini.markModelGone('gemini-2.0-flash');
    const [item] = jsonOf(await runNode(intentNode, { parameters: { text: 'call mom', model: 'gemini-2.0-flash' }, credentials }));
    expect(item).toMatchObject({ ok: false, failure: { kind: 'gemini_not_configured', retryable: true, keepsAttempt: true } });
    expect((item.failure as IDataObject).message).toContain('gemini-2.0-flash');
    expect((item.failure as IDataObject).ownerMessage).toContain('"Model"');
  });

  it('returns a rejected key as an {ok: false} item that points the owner at the credential', async () => {
    const [item] = jsonOf(await runNode(intentNode, { parameters: { text: 'call mom' }, credentials: { googlePalmApi: { host: gemini.url, apiKey: 'nope' } } }));
    expect(item).toMatchObject({ ok: false, failure: { kind: 'gemini_not_configured', keepsAttempt: true } });
    expect((item.failure as IDataObject).ownerMessage).toMatch(/credential/);
  });

  it('returns a rate limit as an {ok: false} item the workflow can requeue', async () => {
    gemini.enqueue(geminiResponses.rateLimited('60s'));
    const [item] = jsonOf(await runNode(intentNode, { parameters: { text: 'call mom' }, credentials }));
    expect(item).toMatchObject({ ok: false, failure: { kind: 'rate_limited', retryable: true, retryAfterMs: 60_000, userMessage: expect.any(String) } });
  });

  it('reads awaitingEdit given as text by an expression', async () => {
    const run = async (awaitingEdit: string) => jsonOf(await runNode(intentNode, { parameters: { text: 'make it Friday', awaitingEdit }, credentials }))[0];
    expect(await run('true')).toMatchObject({ intent: 'revise_draft', commandType: 'revise_draft' });
    // Without a draft awaiting an edit, "make it Friday" is a guess: the user is asked.
    expect(await run('false')).toMatchObject({ intent: 'unknown', reply: expect.stringMatching(/change a draft/) });
    expect(parsePrompt(gemini.requests[1].promptText)?.awaitingEdit).toBe(false);
  });

  it('reports a dropped temperature', async () => {
    gemini.rejectSamplingFor('gemini-3.1-pro-preview');
    const [item] = jsonOf(await runNode(intentNode, { parameters: { text: 'call mom', model: 'gemini-3.1-pro-preview' }, credentials }));
    expect(item).toMatchObject({ ok: true, samplingDropped: true, model: 'gemini-3.1-pro-preview' });
  });
});

describe('GeminiPlanner node', () => {
  it('drafts a task with the agreed output fields', async () => {
    const [item] = jsonOf(
      await runNode(plannerNode, { parameters: { text: "Plan Sam's birthday party next Saturday", currentDate: '2026-11-25', timezone: 'Europe/Berlin' }, credentials }),
    );
    expect(Object.keys(item).sort()).toEqual(['clarification_needed', 'clarification_question', 'draft', 'latencyMs', 'model', 'offline', 'ok', 'outcome', 'repaired', 'samplingDropped', 'source', 'thinkingDropped', 'usage'].sort());
    expect(item).toMatchObject({ ok: true, outcome: 'drafted', clarification_needed: false, clarification_question: null, source: 'gemini', offline: false, repaired: false, samplingDropped: false });
    const draft = item.draft as IDataObject;
    expect(Object.keys(draft).sort()).toEqual(['due_date', 'due_date_reasoning', 'notes', 'subtasks', 'title']);
    // Wed 25 Nov: "next Saturday" is the first Saturday after today (WEEKDAY_RULE).
    expect(draft).toMatchObject({ title: "Plan Sam's birthday party", due_date: '2026-11-28' });
    expect((draft.subtasks as IDataObject[]).length).toBeGreaterThanOrEqual(3);
    expect(gemini.requests[0].generationConfig.temperature).toBe(0.3);
  });

  it('asks a question for a vague request', async () => {
    const [item] = jsonOf(await runNode(plannerNode, { parameters: { text: 'stuff' }, credentials }));
    expect(item).toMatchObject({ ok: true, clarification_needed: true, clarification_question: expect.stringMatching(/\?$/), draft: null });
  });

  it('revises a previous draft given as JSON text', async () => {
    const previousDraft = JSON.stringify({ title: 'Buy milk', due_date: '2026-11-26', due_date_reasoning: '', notes: '', subtasks: [] });
    const [item] = jsonOf(await runNode(plannerNode, { parameters: { mode: 'revise', text: 'rename to Buy oat milk', previousDraft, currentDate: '2026-11-25' }, credentials }));
    expect(item).toMatchObject({ ok: true, draft: { title: 'Buy oat milk', due_date: '2026-11-26' } });
  });

  it('drafts from a clarification answer', async () => {
    const [item] = jsonOf(
      await runNode(plannerNode, { parameters: { mode: 'answer', text: 'buy a present for Ana', question: 'What exactly?', originalText: 'stuff tomorrow', currentDate: '2026-11-25' }, credentials }),
    );
    expect(item).toMatchObject({ ok: true, draft: { title: expect.stringMatching(/^Buy a present for Ana/), due_date: '2026-11-26' } });
    expect(gemini.requests[0].promptText).toContain('Question we asked: "What exactly?"');
  });

  it('rejects an invalid time zone as an operation error on that item', async () => {
    const error = await runNode(plannerNode, { parameters: { text: 'buy milk', timezone: 'Europe/Atlantis' }, credentials }).catch((e) => e);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toContain('Europe/Atlantis');
    expect(error.context?.itemIndex).toBe(0);
  });

  it('reports bad input as an error item with continueOnFail', async () => {
    const result = await runNode(plannerNode, { parameters: [{ text: 'buy milk', timezone: 'Nowhere' }, { text: 'buy milk tomorrow', currentDate: '2026-11-25' }], items: [{}, {}], credentials, continueOnFail: true });
    const [bad, good] = jsonOf(result);
    expect(bad).toEqual({ error: expect.stringContaining('Nowhere') });
    expect(good).toMatchObject({ ok: true, draft: { due_date: '2026-11-26' } });
  });

  it('answers a revision without a previous draft with one final failure for the user', async () => {
    const [item] = jsonOf(await runNode(plannerNode, { parameters: { mode: 'revise', text: 'make it Friday' }, credentials }));
    expect(item).toMatchObject({ ok: false, failure: { kind: 'invalid_input', retryable: false } });
    expect((item.failure as IDataObject).userMessage).toMatch(/draft/);
  });

  it('counts "tomorrow" from its Reference Time (unix seconds, as Telegram sends message.date)', async () => {
    // Sent 23:30 in Berlin on 30 November 2026: "tomorrow" is 1 December whenever this runs.
    const referenceTime = String(Date.parse('2026-11-30T22:30:00Z') / 1000);
    const [item] = jsonOf(await runNode(plannerNode, { parameters: { text: 'buy milk tomorrow', referenceTime, timezone: 'Europe/Berlin', fallback: 'always' } }));
    expect(item).toMatchObject({ ok: true, draft: { due_date: '2026-12-01' } });
  });

  it('drafts offline, marked as such, when the fallback is always', async () => {
    const [item] = jsonOf(await runNode(plannerNode, { parameters: { text: 'buy milk tomorrow', currentDate: '2026-12-31', fallback: 'always' } }));
    expect(item).toMatchObject({ ok: true, source: 'offline', offline: true, usage: null, draft: { title: 'Buy milk', due_date: '2027-01-01' } });
    expect((item.draft as IDataObject).due_date_reasoning).toContain('Drafted offline without Gemini');
  });

  it('drafts offline without a credential when the fallback is whenUnavailable', async () => {
    const [item] = jsonOf(await runNode(plannerNode, { parameters: { text: 'buy milk tomorrow', fallback: 'whenUnavailable' } }));
    expect(item).toMatchObject({ ok: true, source: 'offline' });
  });

  it('tells the user about an exhausted daily quota and lets the command wait', async () => {
    gemini.enqueue(geminiResponses.quotaExhaustedPerDay());
    const [item] = jsonOf(await runNode(plannerNode, { parameters: { text: 'buy milk tomorrow' }, credentials }));
    expect(item).toMatchObject({ ok: false, failure: { kind: 'quota_exhausted', retryable: true, retryAfterMs: expect.any(Number), userMessage: expect.stringMatching(/quota/) } });
    expect(gemini.requests).toHaveLength(1);
  });
});

describe('a conversation against the scripted assistant', () => {
  it('goes from a vague request through a clarification to a draft, then revises it', async () => {
    const classify = async (text: string, context: IDataObject = {}) => jsonOf(await runNode(intentNode, { parameters: { text, ...context }, credentials }))[0];
    const plan = async (parameters: IDataObject) => jsonOf(await runNode(plannerNode, { parameters: { currentDate: '2026-11-25', timezone: 'Europe/Berlin', ...parameters }, credentials }))[0];

    const first = await classify('stuff for tomorrow');
    expect(first).toMatchObject({ intent: 'create_task', commandType: 'draft_task_from_text' });
    const question = await plan({ text: (first.parameters as IDataObject).task_description });
    expect(question).toMatchObject({ clarification_needed: true });

    const answer = await classify('buy a gift for Ana', { pendingQuestion: question.clarification_question });
    expect(answer).toMatchObject({ intent: 'answer_clarification', commandType: 'answer_clarification', parameters: { answer: 'buy a gift for Ana' } });
    const drafted = await plan({ mode: 'answer', text: 'buy a gift for Ana', question: question.clarification_question, originalText: 'stuff for tomorrow' });
    expect(drafted).toMatchObject({ clarification_needed: false, draft: { due_date: '2026-11-26' } });

    const edit = await classify('make it Saturday', { awaitingEdit: true });
    expect(edit).toMatchObject({ intent: 'revise_draft', commandType: 'revise_draft' });
    const revised = await plan({ mode: 'revise', text: 'make it Saturday', previousDraft: drafted.draft });
    expect(revised).toMatchObject({ draft: { title: (drafted.draft as IDataObject).title, due_date: '2026-11-28' } });
  });
});

describe('Gemini nodes version 2 and usage recording', () => {
  const db = useNodeDatabase();

  it('version 2 sends no temperature unless "Set Temperature" is on, and the step\'s thinking level', async () => {
    await runNode(plannerNode, { typeVersion: 2, parameters: { text: 'buy milk tomorrow', currentDate: '2026-11-25' }, credentials });
    await runNode(plannerNode, { typeVersion: 2, parameters: { text: 'buy milk tomorrow', currentDate: '2026-11-25', setTemperature: true, thinkingLevel: 'modelDefault' }, credentials });
    const [plain, opted] = gemini.requests;
    expect(plain.model).toBe('gemini-3.5-flash-lite');
    expect(plain.generationConfig).not.toHaveProperty('temperature');
    expect(plain.generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'LOW', includeThoughts: false });
    expect(opted.generationConfig.temperature).toBe(0.3);
    expect(opted.generationConfig).not.toHaveProperty('thinkingConfig');
  });

  it('records requests and tokens per user and quota day when the node has the database credential', async () => {
    gemini.enqueue(geminiResponses.rateLimited('1s'));
    const run = () =>
      runNode(intentNode, { typeVersion: 2, parameters: { text: 'buy milk tomorrow', usageUserId: '42' }, credentials: { ...credentials, ...db.credentials } });
    const [item] = jsonOf(await run());
    expect(item).toMatchObject({ ok: true, usage: { thoughtsTokens: 0 } });
    await run();
    const rows = await db.store.all<Record<string, unknown>>('SELECT * FROM gemini_usage');
    expect(rows).toEqual([
      expect.objectContaining({ day: quotaDay(new Date()), user_id: '42', step: 'intent', model: 'gemini-3.1-flash-lite' }),
    ]);
    // Three requests: the 429, its retry, and the second message; tokens only from the answers.
    expect(Number(rows[0].calls)).toBe(3);
    expect(Number(rows[0].rate_limited)).toBe(1);
    expect(Number(rows[0].total_tokens)).toBe(2 * Number((item.usage as IDataObject).totalTokens));
  });

  it('records nothing without the database credential', async () => {
    await runNode(intentNode, { typeVersion: 2, parameters: { text: 'buy milk tomorrow', usageUserId: '42' }, credentials });
    expect(await db.store.all('SELECT * FROM gemini_usage')).toEqual([]);
  });
});
