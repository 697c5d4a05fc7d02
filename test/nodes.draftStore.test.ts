// The Draft Store node run outside n8n against a real SQLite file: button presses as results,
// workflow transitions as errors naming the state, bad input as NodeOperationErrors with the
// item index that change nothing, pairedItem on every output item.
import type { IDataObject } from 'n8n-workflow';
import { DraftStore } from '../nodes/DraftStore/DraftStore.node';
import { getDraftForUser } from '../nodes/shared/draft/drafts';
import { runNode } from './helpers/nodeHarness';
import { nodeOperationError, useNodeDatabase } from './helpers/nodeStore';
import { rowCounts } from './helpers/rows';

const node = new DraftStore();
const ALICE = 'telegram:1';
const task = JSON.stringify({ title: 'Call the dentist', due_date: '2026-12-01', subtasks: [{ title: 'find the number' }] });
const create = (overrides: IDataObject = {}): IDataObject => ({ operation: 'create', userId: ALICE, task, options: { chatId: '1', sourceMessageId: '7' }, ...overrides });
// A read-only first item, so the failing item has index 1 and the database must stay as it was.
const context = { operation: 'getContext', userId: ALICE, contextOptions: {} };
const ON_CARD = { cardChatId: '1', cardMessageId: '50' };

describe('Draft Store node', () => {
  const db = useNodeDatabase();
  const run = (parameters: IDataObject | IDataObject[], continueOnFail = false) =>
    runNode(node, { parameters, items: Array.isArray(parameters) ? parameters.map(() => ({})) : [{}], credentials: db.credentials, continueOnFail });
  // Each draft is shown on its card: message 50 in chat 1. Presses name where they came from.
  const createOne = async () => {
    const draft = (await run(create()))[0][0].json;
    await run({ operation: 'attachMessage', draftId: draft.id, userId: ALICE, messageId: '50' });
    return draft;
  };

  it('creates a draft per item with pairedItem', async () => {
    const [out] = await run([create(), create({ userId: 'telegram:2' })]);
    expect(out.map((i) => [i.pairedItem, i.json.userId, i.json.status])).toEqual([
      [{ item: 0 }, ALICE, 'drafted'],
      [{ item: 1 }, 'telegram:2', 'drafted'],
    ]);
    expect(out[0].json).toMatchObject({ task: { title: 'Call the dentist' }, chatId: '1', sourceMessageId: '7' });
  });

  it.each([
    ['malformed draft JSON', { task: '{"title": "x"' }, /^Task draft is not valid JSON/],
    ['a draft without a title', { task: '{"due_date": null}' }, /^Task draft has no title$/],
    ['a draft with a bad due date', { task: '{"title": "x", "due_date": "next week"}' }, /^Task draft due_date must be YYYY-MM-DD or null/],
    ['a draft for a missing user id', { userId: '' }, /^User ID is empty$/],
  ])('refuses to create %s with a NodeOperationError for that item, and changes nothing', async (_name, bad, message) => {
    await run(context); // the user exists, so counts below compare like with like
    const before = await rowCounts(db.store);
    const error = await nodeOperationError(() => run([context, create(bad)]));
    expect(error.message).toMatch(message);
    expect(error.context.itemIndex).toBe(1);
    expect(await rowCounts(db.store)).toEqual(before);
  });

  it('with continueOnFail, gives the bad item {error} and still creates the others', async () => {
    const [out] = await run([create(), create({ task: 'not json' }), create()], true);
    expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    expect(out[1].json).toEqual({ error: expect.stringMatching(/^Task draft is not valid JSON/) });
    expect([out[0].json.status, out[2].json.status]).toEqual(['drafted', 'drafted']);
    expect((await rowCounts(db.store)).drafts).toBe(2);
  });

  it('confirms once; a second tap is a result saying it is already confirmed, not an error', async () => {
    const draft = await createOne();
    const [out] = await run([
      { operation: 'confirm', draftId: draft.id, userId: ALICE, ...ON_CARD },
      { operation: 'confirm', draftId: draft.id, userId: ALICE, ...ON_CARD },
      { operation: 'cancel', draftId: draft.id, userId: ALICE, ...ON_CARD },
    ]);
    expect(out.map((i) => [i.pairedItem, i.json.ok, i.json.reason ?? null])).toEqual([
      [{ item: 0 }, true, null],
      [{ item: 1 }, false, 'confirmed'],
      [{ item: 2 }, false, 'confirmed'],
    ]);
    expect(out[1].json.message).toBe('This draft is already confirmed.');
  });

  it.each([
    ['another message of the same chat', { cardChatId: '1', cardMessageId: '49' }],
    ['another chat', { cardChatId: '777', cardMessageId: '50' }],
  ])('refuses Confirm, Cancel and Edit pressed on %s, says so in the draft\'s own chat, and changes nothing', async (_where, pressedOn) => {
    const draft = await createOne();
    const before = await db.store.get('SELECT * FROM drafts WHERE id = ?', [Number(draft.id)]);
    const counts = await rowCounts(db.store);
    const [out] = await run(['confirm', 'cancel', 'startEdit'].map((operation) => ({ operation, draftId: draft.id, userId: ALICE, ...pressedOn })));
    for (const item of out) {
      expect(item.json).toMatchObject({ ok: false, reason: 'wrong_card', currentStatus: 'drafted', replyChatId: '1', message: expect.stringMatching(/not on the card of this draft/) });
    }
    expect(await db.store.get('SELECT * FROM drafts WHERE id = ?', [Number(draft.id)])).toEqual(before);
    expect((await rowCounts(db.store)).chat_state).toBe(counts.chat_state);
  });

  it('a /cancel typed in the draft\'s chat (no card message) cancels; the reply chat is the draft\'s', async () => {
    const draft = await createOne();
    const [[out]] = await run({ operation: 'cancel', draftId: draft.id, userId: ALICE, cardChatId: '1', cardMessageId: '' });
    expect(out.json).toMatchObject({ ok: true, replyChatId: '1', draft: { status: 'cancelled' } });
  });

  it("refuses another user's draft as a result, and changes nothing", async () => {
    const draft = await createOne();
    const before = await db.store.get('SELECT * FROM drafts WHERE id = ?', [Number(draft.id)]);
    const [[out]] = await run({ operation: 'cancel', draftId: draft.id, userId: 'telegram:666', ...ON_CARD });
    // Told in the presser's own private chat: the draft's chat is not theirs to write to.
    expect(out.json).toMatchObject({ ok: false, reason: 'not_owner', message: 'This draft belongs to someone else.', draft: null, replyChatId: '666' });
    expect(await db.store.get('SELECT * FROM drafts WHERE id = ?', [Number(draft.id)])).toEqual(before);
    const error = await nodeOperationError(() => run({ operation: 'get', draftId: draft.id, userId: 'telegram:666' }));
    expect(error.message).toBe(`Draft ${draft.id} belongs to another user`);
  });

  it('superseding a confirmed draft is an error naming its state, and changes nothing', async () => {
    const draft = await createOne();
    await run({ operation: 'confirm', draftId: draft.id, userId: ALICE, ...ON_CARD });
    const before = await rowCounts(db.store);
    const error = await nodeOperationError(() => run([context, { operation: 'supersede', draftId: draft.id, userId: ALICE }]));
    expect([error.message, error.context.itemIndex]).toEqual([`Cannot supersede draft ${draft.id}: it is confirmed, not drafted`, 1]);
    expect(error.description).toBe('Current state: confirmed');
    expect(await rowCounts(db.store)).toEqual(before);
  });

  it('offers no way to mark a draft executed outside the Task Executor (its ledger is the only path)', async () => {
    const draft = await createOne();
    await run({ operation: 'confirm', draftId: draft.id, userId: ALICE, ...ON_CARD });
    const error = await nodeOperationError(() => run({ operation: 'markExecuted', draftId: draft.id, userId: ALICE }));
    expect(error.message).toBe('The operation "markExecuted" is not supported');
    expect(new DraftStore().description.properties.find((p) => p.name === 'operation')?.options?.map((o) => ('value' in o ? o.value : null))).not.toContain('markExecuted');
    expect((await getDraftForUser(db.store, draft.id, ALICE)).status).toBe('confirmed');
  });

  it.each([
    ['a draft id that is not a number', { operation: 'confirm', draftId: 'abc', userId: ALICE, ...ON_CARD }, 'Draft ID must be a positive whole number (got "abc")'],
    ['a missing user id', { operation: 'cancel', draftId: 1, userId: '', ...ON_CARD }, 'User ID is empty'],
    ['a press without the chat it came from', { operation: 'confirm', draftId: 1, userId: ALICE, cardChatId: '', cardMessageId: '50' }, 'Card Chat ID is empty'],
    ['a Confirm without the message it came from', { operation: 'confirm', draftId: 1, userId: ALICE, cardChatId: '1', cardMessageId: '' }, 'Card Message ID is empty'],
    ['an Edit without the message it came from', { operation: 'startEdit', draftId: 1, userId: ALICE, cardChatId: '1', cardMessageId: '' }, 'Card Message ID is empty'],
    ['an empty Telegram message id', { operation: 'attachMessage', draftId: 1, userId: ALICE, messageId: '' }, 'Telegram message ID is empty'],
    ['an empty clarification question', { operation: 'rememberQuestion', userId: ALICE, question: ' ', originalText: '' }, 'Clarification question is empty'],
    ['an unknown operation', { operation: 'explode' }, 'The operation "explode" is not supported'],
  ])('refuses %s with a NodeOperationError for that item, and changes nothing', async (_name, bad, message) => {
    await createOne();
    const before = await rowCounts(db.store);
    const error = await nodeOperationError(() => run([context, bad]));
    expect([error.message, error.context.itemIndex]).toEqual([message, 1]);
    expect(await rowCounts(db.store)).toEqual(before);
  });

  it('start edit, then the chat context says the next message edits that draft', async () => {
    const draft = await createOne();
    const [[edit]] = await run({ operation: 'startEdit', draftId: draft.id, userId: ALICE, ...ON_CARD });
    expect(edit.json).toMatchObject({ ok: true, draftId: draft.id });
    const [[ctx]] = await run(context);
    expect(ctx).toEqual({ json: expect.objectContaining({ mode: 'awaiting_edit', awaitingEdit: true, draftId: draft.id }), pairedItem: { item: 0 } });
  });

  it('remembers a question, then clears it', async () => {
    const [[asked]] = await run({ operation: 'rememberQuestion', userId: ALICE, question: 'Which day?', originalText: 'dentist' });
    expect(asked.json).toMatchObject({ mode: 'awaiting_clarification', pendingQuestion: 'Which day?' });
    const [[cleared]] = await run({ operation: 'clearChatState', userId: ALICE });
    expect(cleared.json).toEqual({ userId: ALICE, cleared: true });
    expect((await rowCounts(db.store)).chat_state).toBe(0);
  });

  it('supersedes a drafted draft, and attaches the message showing a draft', async () => {
    const draft = await createOne();
    const [[attached]] = await run({ operation: 'attachMessage', draftId: draft.id, userId: ALICE, messageId: '901' });
    expect(attached.json).toMatchObject({ telegramMessageId: '901' });
    const [[superseded]] = await run({ operation: 'supersede', draftId: draft.id, userId: ALICE });
    expect(superseded.json).toMatchObject({ status: 'superseded' });
    const error = await nodeOperationError(() => run({ operation: 'supersede', draftId: draft.id, userId: ALICE }));
    expect(error.message).toBe(`Cannot supersede draft ${draft.id}: it is superseded, not drafted`);
  });
});
