// Every result a workflow branches on carries `outcome`, one name per case of its operation
// (nodes/shared/outcome.ts), next to the older fields it summarises.
import type { IDataObject } from 'n8n-workflow';
import { enqueueOutcome, lookupOutcome, refusalOutcome, taskCreationOutcome } from '../nodes/shared/outcome';
import { attachDraftMessage, cancelDraft, confirmDraft, createDraft, createDraftOnce, markDraftExecuted, startEdit } from '../nodes/shared/draft/drafts';
import { classifyIntent, type IntentInput } from '../nodes/shared/gemini/intent';
import { planTask, type PlannerInput } from '../nodes/shared/gemini/planner';
import { GeminiHttpError, type GenerateFn } from '../nodes/shared/gemini/adapter';
import { executeDraft } from '../nodes/shared/tasks/executor';
import { enqueueCommand } from '../nodes/shared/queue/commands';
import { undoExecution } from '../nodes/shared/tasks/undo';
import type { TasksClient } from '../nodes/shared/tasks/client';
import { closeAllStores, type Store } from '../nodes/shared/store/db';
import { CommandQueue } from '../nodes/CommandQueue/CommandQueue.node';
import { runNode } from './helpers/nodeHarness';
import { useNodeDatabase } from './helpers/nodeStore';
import { confirmedDraftWithRawTask, openTempStore, type TempStore } from './helpers/taskExecutorFixtures';

const ALICE = 'telegram:1';
const BOB = 'telegram:2';
const task = { title: 'Buy milk', due_date: null, subtasks: [] };

describe('outcome from the older fields', () => {
  it('lookup: a known key is a duplicate (even when also too fast), else rate_limited or new', () => {
    expect(lookupOutcome({ found: true, rateLimited: true })).toBe('duplicate');
    expect(lookupOutcome({ found: true, rateLimited: false })).toBe('duplicate');
    expect(lookupOutcome({ found: false, rateLimited: true })).toBe('rate_limited');
    expect(lookupOutcome({ found: false, rateLimited: false })).toBe('new');
  });

  it('enqueue: queued or duplicate', () => {
    expect(enqueueOutcome({ duplicate: false })).toBe('queued');
    expect(enqueueOutcome({ duplicate: true })).toBe('duplicate');
  });

  it('a refused decision: already_<status> for a draft that moved on, the reason itself otherwise', () => {
    expect(['not_found', 'not_owner', 'wrong_card', 'confirmed', 'executed', 'cancelled', 'superseded', 'drafted'].map(refusalOutcome)).toEqual([
      'not_found',
      'not_owner',
      'wrong_card',
      'already_confirmed',
      'already_executed',
      'already_cancelled',
      'already_superseded',
      'changed_meanwhile',
    ]);
    expect(() => refusalOutcome('misplaced')).toThrow('misplaced');
  });

  it('execute draft: created, already_created or failed', () => {
    expect(taskCreationOutcome({ ok: true, alreadyExecuted: false })).toBe('created');
    expect(taskCreationOutcome({ ok: true, alreadyExecuted: true })).toBe('already_created');
    expect(taskCreationOutcome({ ok: false })).toBe('failed');
  });
});

describe('outcome in the core results', () => {
  let temp: TempStore;
  let store: Store;
  beforeEach(async () => {
    temp = await openTempStore('outcome-');
    store = temp.store;
  });
  afterEach(async () => {
    await closeAllStores();
    await temp.cleanup();
  });

  it('create draft: created, then existing for the same command', async () => {
    const { command } = await enqueueCommand(store, { type: 'draft_task_from_text', userId: ALICE, dedupeKey: 'telegram:bot:7', payload: {} });
    const first = await createDraftOnce(store, { userId: ALICE, task, commandId: command.id });
    expect(first).toMatchObject({ outcome: 'created', existing: false });
    expect(await createDraftOnce(store, { userId: ALICE, task, commandId: command.id })).toMatchObject({ outcome: 'existing', existing: true, draft: { id: first.draft.id } });
  });

  it('confirm: confirmed, then already_confirmed; already_executed once the task exists', async () => {
    const draft = await createDraft(store, { userId: ALICE, task });
    expect(await confirmDraft(store, draft.id, ALICE)).toMatchObject({ ok: true, outcome: 'confirmed' });
    expect(await confirmDraft(store, draft.id, ALICE)).toMatchObject({ ok: false, outcome: 'already_confirmed', reason: 'confirmed' });
    expect(await cancelDraft(store, draft.id, ALICE)).toMatchObject({ ok: false, outcome: 'already_confirmed' });
    await store.transaction((tx) => markDraftExecuted(tx, draft.id, ALICE));
    expect(await confirmDraft(store, draft.id, ALICE)).toMatchObject({ ok: false, outcome: 'already_executed', reason: 'executed' });
  });

  it('cancel: cancelled, then already_cancelled for every decision', async () => {
    const draft = await createDraft(store, { userId: ALICE, task });
    expect(await cancelDraft(store, draft.id, ALICE)).toMatchObject({ ok: true, outcome: 'cancelled' });
    expect(await cancelDraft(store, draft.id, ALICE)).toMatchObject({ ok: false, outcome: 'already_cancelled', reason: 'cancelled' });
    expect(await confirmDraft(store, draft.id, ALICE)).toMatchObject({ ok: false, outcome: 'already_cancelled' });
    expect(await startEdit(store, draft.id, ALICE)).toMatchObject({ ok: false, outcome: 'already_cancelled' });
  });

  it('start edit: editing; a replaced draft is already_superseded', async () => {
    const draft = await createDraft(store, { userId: ALICE, task });
    expect(await startEdit(store, draft.id, ALICE)).toMatchObject({ ok: true, outcome: 'editing' });
    await createDraft(store, { userId: ALICE, task: { ...task, title: 'Buy oat milk' }, supersedesId: draft.id });
    expect(await startEdit(store, draft.id, ALICE)).toMatchObject({ ok: false, outcome: 'already_superseded', reason: 'superseded' });
  });

  it('a decision on no draft, on another user\'s, or from another card', async () => {
    const draft = await createDraft(store, { userId: ALICE, task, chatId: 10 });
    await attachDraftMessage(store, draft.id, ALICE, 5);
    expect(await confirmDraft(store, draft.id + 100, ALICE)).toMatchObject({ ok: false, outcome: 'not_found' });
    expect(await confirmDraft(store, draft.id, BOB)).toMatchObject({ ok: false, outcome: 'not_owner' });
    expect(await confirmDraft(store, draft.id, ALICE, { chatId: 10, messageId: 6 })).toMatchObject({ ok: false, outcome: 'wrong_card', reason: 'wrong_card' });
  });

  it('execute draft and undo report failed with their failure', async () => {
    const unusedClient = new Proxy({}, { get: () => () => Promise.reject(new Error('Google must not be called')) }) as TasksClient;
    const draft = await createDraft(store, { userId: ALICE, task });
    const notConfirmed = await executeDraft(store, unusedClient, { draftId: draft.id, userId: ALICE });
    expect(notConfirmed).toMatchObject({ ok: false, failure: { kind: 'draft_not_confirmed' } });
    expect(taskCreationOutcome(notConfirmed)).toBe('failed');

    const invalid = await confirmedDraftWithRawTask(store, ALICE, { title: '', due_date: null, subtasks: [] });
    const refused = await executeDraft(store, unusedClient, { draftId: invalid, userId: ALICE });
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'invalid_draft' } });
    const undo = await undoExecution(store, unusedClient, { executionId: (refused as { executionId: number }).executionId, userId: ALICE });
    expect(undo).toMatchObject({ ok: false, outcome: 'failed', failure: { kind: 'not_undoable' } });
  });
});

describe('outcome of the Gemini calls', () => {
  const answering =
    (reply: unknown): GenerateFn =>
    async () => ({ candidates: [{ content: { parts: [{ text: JSON.stringify(reply) }] }, finishReason: 'STOP' }] });
  const refusing: GenerateFn = async () => {
    throw new GeminiHttpError('Invalid JSON payload', 400);
  };
  const fast = { baseDelayMs: 1, maxDelayMs: 2, retryBudgetMs: 20 };
  const intentInput: IntentInput = { text: 'buy milk', awaitingEdit: false, pendingQuestion: '', model: 'gemini-3.1-flash-lite', temperature: 0.1, minConfidence: 0.6, fallback: 'off' };
  const planInput: PlannerInput = { mode: 'create', text: 'plan the party', currentDate: '2026-11-25', timeZone: 'Europe/Berlin', model: 'gemini-3.1-flash-lite', temperature: 0.3, maxSubtasks: 3, fallback: 'off' };

  it('intent: classified (rules or Gemini) or failed', async () => {
    expect(await classifyIntent({ ...intentInput, text: '/help' }, { generate: null })).toMatchObject({ ok: true, outcome: 'classified', intent: 'help' });
    const gemini = answering({ intent: 'create_task', confidence: 0.9, parameters: { task_description: 'buy milk', instruction: null, answer: null } });
    expect(await classifyIntent(intentInput, { generate: gemini, policy: fast })).toMatchObject({ ok: true, outcome: 'classified', intent: 'create_task' });
    expect(await classifyIntent(intentInput, { generate: refusing, policy: fast })).toMatchObject({ ok: false, outcome: 'failed', failure: { kind: 'invalid_request' } });
  });

  it('planner: drafted, clarification_needed or failed', async () => {
    const draft = { title: 'Plan the party', due_date: null, due_date_reasoning: 'No date given.', notes: '', subtasks: [], clarification_needed: false, clarification_question: null };
    expect(await planTask(planInput, { generate: answering(draft), policy: fast })).toMatchObject({ ok: true, outcome: 'drafted', draft: { title: 'Plan the party' } });
    const question = { ...draft, title: '', clarification_needed: true, clarification_question: 'Which party?' };
    expect(await planTask(planInput, { generate: answering(question), policy: fast })).toMatchObject({ ok: true, outcome: 'clarification_needed', clarification_question: 'Which party?' });
    expect(await planTask(planInput, { generate: refusing, policy: fast })).toMatchObject({ ok: false, outcome: 'failed' });
    expect(await planTask({ ...planInput, text: '  ' }, { generate: null })).toMatchObject({ ok: false, outcome: 'failed', failure: { kind: 'invalid_input' } });
  });
});

describe('outcome in the Command Queue node output', () => {
  const db = useNodeDatabase();
  const node = new CommandQueue();
  const run = async (...parameters: IDataObject[]) =>
    (await runNode(node, { parameters, items: parameters.map(() => ({})), credentials: db.credentials }))[0].map((item) => item.json.outcome);

  it('enqueue: queued, then duplicate; lookup: duplicate, new, rate_limited', async () => {
    const enqueue = { operation: 'enqueue', commandType: 'draft_task_from_text', userId: ALICE, dedupeKey: 'telegram:bot:1', payload: '{}' };
    expect(await run(enqueue, enqueue)).toEqual(['queued', 'duplicate']);
    const lookup = (dedupeKey: string) => ({ operation: 'lookup', dedupeKey, rateLimit: { userId: BOB, maxPerMinute: 2 } });
    expect(await run(lookup('telegram:bot:1'), lookup('telegram:bot:2'), lookup('telegram:bot:3'))).toEqual(['duplicate', 'new', 'rate_limited']);
  });
});
