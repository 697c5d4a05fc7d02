// The draft state machine on a real database, once per backend:
// drafted → confirmed → executed; drafted → cancelled; drafted → superseded.
import type { Store } from '../nodes/shared/store/db';
import {
  attachDraftMessage,
  cancelDraft,
  clearChatState,
  confirmDraft,
  createDraft,
  getChatContext,
  getDraftForUser,
  rememberQuestion,
  startEdit,
  supersedeDraft,
  type Draft,
  type DraftStatus,
} from '../nodes/shared/draft/drafts';
import { InputError, StateError } from '../nodes/shared/errors';
import { draftCard } from '../nodes/shared/telegram/draftCard';
import { backends, useCleanStore } from './helpers/backends';
import { auditActions, markDraftExecutedDirectly, rawRow, rowCounts } from './helpers/rows';

const ALICE = 'telegram:1';
const BOB = 'telegram:2';
const task = (title: string) => ({ title, due_date: '2026-12-01', subtasks: [{ title: 'step one' }] });

/** One draft in each state, built through the public API, plus their stored rows. */
async function makeSelectionOfDrafts(store: Store) {
  const make = (title: string, userId = ALICE) => createDraft(store, { userId, task: task(title), chatId: 10, sourceMessageId: 77 });
  const drafted = await make('drafted');
  const confirmed = await make('confirmed');
  await confirmDraft(store, confirmed.id, ALICE);
  const executed = await make('executed');
  await confirmDraft(store, executed.id, ALICE);
  await markDraftExecutedDirectly(store, executed.id, ALICE);
  const cancelled = await make('cancelled');
  await cancelDraft(store, cancelled.id, ALICE);
  const superseded = await make('superseded');
  await supersedeDraft(store, superseded.id, ALICE);
  const bobs = await make('bobs', BOB);

  const ids = { drafted: drafted.id, confirmed: confirmed.id, executed: executed.id, cancelled: cancelled.id, superseded: superseded.id, bobs: bobs.id };
  const rows = {} as Record<keyof typeof ids, unknown>;
  for (const [name, id] of Object.entries(ids)) rows[name as keyof typeof ids] = await rawRow(store, 'drafts', id);
  return { ids, rows };
}

type Selection = Awaited<ReturnType<typeof makeSelectionOfDrafts>>;

async function expectUnchanged(store: Store, selection: Selection, names: (keyof Selection['ids'])[]) {
  for (const name of names) {
    expect([name, await rawRow(store, 'drafts', selection.ids[name])]).toEqual([name, selection.rows[name]]);
  }
}

const ALL = ['drafted', 'confirmed', 'executed', 'cancelled', 'superseded', 'bobs'] as const;
const others = (...except: string[]) => ALL.filter((n) => !except.includes(n));
const NOT_DRAFTED: DraftStatus[] = ['confirmed', 'executed', 'cancelled', 'superseded'];

describe.each(backends)('draft state machine (%s)', (backend) => {
  const ctx = useCleanStore(backend);

  it('creates a drafted draft for the user and records draft_created', async () => {
    const draft = await createDraft(ctx.store, { userId: ALICE, task: JSON.stringify(task('Buy milk')), chatId: 5, sourceMessageId: 9 });
    expect(draft).toMatchObject({ userId: ALICE, status: 'drafted', chatId: '5', sourceMessageId: '9', task: { title: 'Buy milk', due_date: '2026-12-01' } });
    expect(await auditActions(ctx.store, 'draft', draft.id)).toEqual(['draft_created']);
  });

  it('keeps what a voice note or photo said with the draft (file_id and summary, no bytes), and its card shows it in every state', async () => {
    const media = { kind: 'voice', fileId: 'AwACfile', summary: 'buy <milk> tomorrow' };
    const draft = await createDraft(ctx.store, { userId: ALICE, task: task('Buy milk'), chatId: 5, media: JSON.stringify(media) });
    expect(draft.media).toEqual(media);
    expect(JSON.parse(String((await rawRow(ctx.store, 'drafts', draft.id))!.media_json))).toEqual(media);
    const audit = await ctx.store.get<{ details_json: string }>("SELECT details_json FROM audit_log WHERE action = 'draft_created' AND entity_id = ?", [String(draft.id)]);
    expect(JSON.parse(audit!.details_json)).toMatchObject({ media: 'voice' });
    const confirmed = await confirmDraft(ctx.store, draft.id, ALICE);
    expect(confirmed.ok && confirmed.draft.media).toEqual(media);
    expect(draftCard((await getDraftForUser(ctx.store, draft.id, ALICE))).text).toMatch(/^🎤 <i>buy &lt;milk&gt; tomorrow<\/i>\n\n📝 <b>Task Draft<\/b>/);
    // Typed text, or anything that is not a media note, has none.
    expect((await createDraft(ctx.store, { userId: ALICE, task: task('Typed'), media: 'null' })).media).toBeNull();
    expect((await createDraft(ctx.store, { userId: ALICE, task: task('Odd'), media: { kind: 'video', summary: 'x' } })).media).toBeNull();
  });

  it.each([
    ['malformed JSON', '{"title": ', 'Task draft is not valid JSON'],
    ['no title', { due_date: null }, 'Task draft has no title'],
    ['a bad due date', { title: 'x', due_date: 'tomorrow' }, 'due_date must be YYYY-MM-DD or null'],
    ['subtasks without titles', { title: 'x', subtasks: [{}] }, 'subtasks must be a list of objects with a title'],
  ])('refuses a draft with %s and writes nothing', async (_name, bad, message) => {
    const before = await rowCounts(ctx.store);
    const attempt = createDraft(ctx.store, { userId: ALICE, task: bad });
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(message);
    expect(await rowCounts(ctx.store)).toEqual(before);
  });

  describe('confirm and cancel (compare-and-set with a result)', () => {
    it.each([
      ['confirm', confirmDraft, 'confirmed', 'draft_confirmed'],
      ['cancel', cancelDraft, 'cancelled', 'draft_cancelled'],
    ] as const)('%s moves a drafted draft on and touches no other draft', async (_verb, decide, status, action) => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      const result = await decide(ctx.store, selection.ids.drafted, ALICE);
      expect(result).toMatchObject({ ok: true, draft: { id: selection.ids.drafted, status } });
      expect(await auditActions(ctx.store, 'draft', selection.ids.drafted)).toEqual(['draft_created', action]);
      await expectUnchanged(ctx.store, selection, others('drafted'));
    });

    it.each([
      ['confirm', confirmDraft, 'draft_confirmed_refused'],
      ['cancel', cancelDraft, 'draft_cancelled_refused'],
    ] as const)('%s of a draft that is no longer drafted reports its state and changes no draft', async (_verb, decide, refusal) => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      for (const status of NOT_DRAFTED) {
        const id = selection.ids[status as keyof Selection['ids']];
        const before = await auditActions(ctx.store, 'draft', id);
        expect(await decide(ctx.store, id, ALICE)).toMatchObject({ ok: false, reason: status, currentStatus: status, draft: { id, status } });
        // The refused tap is logged; the draft itself stays as it was.
        expect(await auditActions(ctx.store, 'draft', id)).toEqual([...before, refusal]);
      }
      await expectUnchanged(ctx.store, selection, [...ALL]);
    });

    it("refuses another user's draft as not_owner without revealing it", async () => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      expect(await confirmDraft(ctx.store, selection.ids.bobs, ALICE)).toEqual({ ok: false, outcome: 'not_owner', reason: 'not_owner', currentStatus: null, draft: null });
      expect(await cancelDraft(ctx.store, selection.ids.bobs, ALICE)).toEqual({ ok: false, outcome: 'not_owner', reason: 'not_owner', currentStatus: null, draft: null });
      expect(await startEdit(ctx.store, selection.ids.bobs, ALICE)).toEqual({ ok: false, outcome: 'not_owner', reason: 'not_owner', currentStatus: null, draft: null });
      await expect(getDraftForUser(ctx.store, selection.ids.bobs, ALICE)).rejects.toThrow(`Draft ${selection.ids.bobs} belongs to another user`);
      await expectUnchanged(ctx.store, selection, [...ALL]);
    });

    it('reports not_found for a draft that does not exist', async () => {
      expect(await confirmDraft(ctx.store, 4242, ALICE)).toMatchObject({ ok: false, reason: 'not_found' });
    });

    it('lets exactly one of a racing Confirm and Cancel win', async () => {
      const draft = await createDraft(ctx.store, { userId: ALICE, task: task('race') });
      const results = await Promise.all([confirmDraft(ctx.store, draft.id, ALICE), cancelDraft(ctx.store, draft.id, ALICE), confirmDraft(ctx.store, draft.id, ALICE)]);
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const final = (winners[0] as { draft: Draft }).draft.status;
      for (const loser of results.filter((r) => !r.ok)) expect(loser).toMatchObject({ ok: false, currentStatus: final });
      expect((await rawRow(ctx.store, 'drafts', draft.id))!.status).toBe(final);
    });
  });

  describe('a press counts only from the draft\'s own card', () => {
    // The card: message 300 in chat 10. A forged update can name any chat and message.
    async function draftOnCard() {
      const draft = await createDraft(ctx.store, { userId: ALICE, task: task('card'), chatId: 10, sourceMessageId: 77 });
      await attachDraftMessage(ctx.store, draft.id, ALICE, 300);
      return { draft, row: await rawRow(ctx.store, 'drafts', draft.id) };
    }

    it.each([
      ['confirm', confirmDraft, 'draft_confirmed_refused'],
      ['cancel', cancelDraft, 'draft_cancelled_refused'],
      ['edit', startEdit, null],
    ] as const)('%s from another message or another chat is refused as wrong_card and changes nothing', async (_verb, decide, refusal) => {
      const { draft, row } = await draftOnCard();
      const before = await rowCounts(ctx.store);
      for (const pressedOn of [
        { chatId: 10, messageId: 299 },
        { chatId: 11, messageId: 300 },
        { chatId: '10', messageId: '3000' },
      ]) {
        expect(await decide(ctx.store, draft.id, ALICE, pressedOn)).toMatchObject({ ok: false, reason: 'wrong_card', currentStatus: 'drafted', draft: { id: draft.id, chatId: '10' } });
      }
      expect(await rawRow(ctx.store, 'drafts', draft.id)).toEqual(row);
      expect((await rowCounts(ctx.store)).chat_state).toBe(before.chat_state);
      const audits = await auditActions(ctx.store, 'draft', draft.id);
      if (refusal) expect(audits).toEqual(['draft_created', refusal, refusal, refusal]);
    });

    it.each([
      ['confirm', confirmDraft, 'confirmed'],
      ['cancel', cancelDraft, 'cancelled'],
    ] as const)('%s from the card itself works (ids as numbers or text)', async (_verb, decide, status) => {
      const { draft } = await draftOnCard();
      expect(await decide(ctx.store, draft.id, ALICE, { chatId: '10', messageId: 300 })).toMatchObject({ ok: true, draft: { status } });
    });

    it('edit from the card itself starts the edit', async () => {
      const { draft } = await draftOnCard();
      expect(await startEdit(ctx.store, draft.id, ALICE, { chatId: 10, messageId: '300' })).toMatchObject({ ok: true, draft: { id: draft.id } });
      expect((await getChatContext(ctx.store, { userId: ALICE })).awaitingEdit).toBe(true);
    });

    it('a /cancel typed in the draft\'s chat names the chat only; typed elsewhere it is refused', async () => {
      const { draft } = await draftOnCard();
      expect(await cancelDraft(ctx.store, draft.id, ALICE, { chatId: 11 })).toMatchObject({ ok: false, reason: 'wrong_card' });
      expect(await cancelDraft(ctx.store, draft.id, ALICE, { chatId: 10 })).toMatchObject({ ok: true, draft: { status: 'cancelled' } });
    });

    it('a draft whose card was never recorded accepts no press from any message', async () => {
      const draft = await createDraft(ctx.store, { userId: ALICE, task: task('no card'), chatId: 10 });
      expect(await confirmDraft(ctx.store, draft.id, ALICE, { chatId: 10, messageId: 1 })).toMatchObject({ ok: false, reason: 'wrong_card' });
      expect((await rawRow(ctx.store, 'drafts', draft.id))!.status).toBe('drafted');
    });

    it('a wrong card wins over the state: a stale forged press learns nothing but that', async () => {
      const { draft } = await draftOnCard();
      await confirmDraft(ctx.store, draft.id, ALICE, { chatId: 10, messageId: 300 });
      expect(await cancelDraft(ctx.store, draft.id, ALICE, { chatId: 10, messageId: 1 })).toMatchObject({ ok: false, reason: 'wrong_card' });
      expect(await cancelDraft(ctx.store, draft.id, ALICE, { chatId: 10, messageId: 300 })).toMatchObject({ ok: false, reason: 'confirmed' });
    });

    it("another user's draft stays not_owner whatever card is named", async () => {
      const draft = await createDraft(ctx.store, { userId: BOB, task: task('bobs'), chatId: 20 });
      await attachDraftMessage(ctx.store, draft.id, BOB, 5);
      expect(await confirmDraft(ctx.store, draft.id, ALICE, { chatId: 20, messageId: 5 })).toEqual({ ok: false, outcome: 'not_owner', reason: 'not_owner', currentStatus: null, draft: null });
    });
  });

  describe('transitions the workflows drive (errors naming the current state)', () => {
    it('marks a confirmed draft executed and touches no other draft', async () => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      const executed = await markDraftExecutedDirectly(ctx.store, selection.ids.confirmed, ALICE, { taskId: 'g-1' });
      expect(executed).toMatchObject({ id: selection.ids.confirmed, status: 'executed' });
      expect(await auditActions(ctx.store, 'draft', executed.id)).toEqual(['draft_created', 'draft_confirmed', 'draft_executed']);
      await expectUnchanged(ctx.store, selection, others('confirmed'));
    });

    it.each(['drafted', 'executed', 'cancelled', 'superseded'] as const)('refuses to mark a draft that is %s executed, naming its state', async (status) => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      const id = selection.ids[status];
      const auditBefore = (await rowCounts(ctx.store)).audit_log;
      const attempt = markDraftExecutedDirectly(ctx.store, id, ALICE);
      await expect(attempt).rejects.toThrow(StateError);
      await expect(attempt).rejects.toThrow(`Cannot mark executed draft ${id}: it is ${status}, not confirmed`);
      await expectUnchanged(ctx.store, selection, [...ALL]);
      expect((await rowCounts(ctx.store)).audit_log).toBe(auditBefore);
    });

    it('supersedes a drafted draft and touches no other draft', async () => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      expect(await supersedeDraft(ctx.store, selection.ids.drafted, ALICE)).toMatchObject({ status: 'superseded' });
      expect(await auditActions(ctx.store, 'draft', selection.ids.drafted)).toEqual(['draft_created', 'draft_superseded']);
      await expectUnchanged(ctx.store, selection, others('drafted'));
    });

    it.each(NOT_DRAFTED)('refuses to supersede a draft that is %s, naming its state', async (status) => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      const id = selection.ids[status as keyof Selection['ids']];
      const auditBefore = (await rowCounts(ctx.store)).audit_log;
      await expect(supersedeDraft(ctx.store, id, ALICE)).rejects.toThrow(`Cannot supersede draft ${id}: it is ${status}, not drafted`);
      await expectUnchanged(ctx.store, selection, [...ALL]);
      expect((await rowCounts(ctx.store)).audit_log).toBe(auditBefore);
    });

    it("refuses to execute or supersede another user's draft", async () => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      await expect(supersedeDraft(ctx.store, selection.ids.bobs, ALICE)).rejects.toThrow('belongs to another user');
      await expect(markDraftExecutedDirectly(ctx.store, selection.ids.bobs, ALICE)).rejects.toThrow('belongs to another user');
      await expect(attachDraftMessage(ctx.store, selection.ids.bobs, ALICE, 555)).rejects.toThrow('belongs to another user');
      await expectUnchanged(ctx.store, selection, [...ALL]);
    });

    it('an edit creates the new draft and supersedes the old one in one transaction', async () => {
      const old = await createDraft(ctx.store, { userId: ALICE, task: task('v1') });
      const edited = await createDraft(ctx.store, { userId: ALICE, task: task('v2'), supersedesId: old.id });
      expect(edited).toMatchObject({ status: 'drafted', supersedesId: old.id });
      expect((await rawRow(ctx.store, 'drafts', old.id))!.status).toBe('superseded');
    });

    it('an edit of a draft that is no longer drafted creates nothing', async () => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      const before = await rowCounts(ctx.store);
      await expect(createDraft(ctx.store, { userId: ALICE, task: task('v2'), supersedesId: selection.ids.confirmed })).rejects.toThrow(
        `Cannot supersede draft ${selection.ids.confirmed}: it is confirmed, not drafted`,
      );
      expect(await rowCounts(ctx.store)).toEqual(before);
      await expectUnchanged(ctx.store, selection, [...ALL]);
    });

    it('attaches the Telegram message showing a draft', async () => {
      const draft = await createDraft(ctx.store, { userId: ALICE, task: task('card') });
      expect(await attachDraftMessage(ctx.store, draft.id, ALICE, 555)).toMatchObject({ telegramMessageId: '555', status: 'drafted' });
      await expect(attachDraftMessage(ctx.store, draft.id, ALICE, '')).rejects.toThrow('Telegram message ID is empty');
    });
  });

  describe('chat state', () => {
    it('start edit remembers which draft the next message edits, until the draft is confirmed', async () => {
      const draft = await createDraft(ctx.store, { userId: ALICE, task: task('editable') });
      expect(await startEdit(ctx.store, draft.id, ALICE)).toMatchObject({ ok: true, draft: { id: draft.id } });
      expect(await auditActions(ctx.store, 'draft', draft.id)).toEqual(['draft_created', 'draft_edit_requested']);
      expect(await getChatContext(ctx.store, { userId: ALICE })).toMatchObject({ mode: 'awaiting_edit', awaitingEdit: true, draftId: draft.id, draft: { id: draft.id } });
      await confirmDraft(ctx.store, draft.id, ALICE);
      expect(await getChatContext(ctx.store, { userId: ALICE })).toMatchObject({ mode: null, awaitingEdit: false, draftId: null });
    });

    it.each(NOT_DRAFTED)('start edit of a draft that is %s is refused and remembers nothing', async (status) => {
      const selection = await makeSelectionOfDrafts(ctx.store);
      const id = selection.ids[status as keyof Selection['ids']];
      const before = await rowCounts(ctx.store);
      expect(await startEdit(ctx.store, id, ALICE)).toMatchObject({ ok: false, reason: status, currentStatus: status });
      expect(await rowCounts(ctx.store)).toEqual(before);
      await expectUnchanged(ctx.store, selection, [...ALL]);
    });

    it('remembers a clarification question until a draft answers it, and forgets it on clear', async () => {
      const context = await rememberQuestion(ctx.store, { userId: ALICE, question: 'Which day?', originalText: 'call mum' });
      expect(context).toMatchObject({ mode: 'awaiting_clarification', pendingQuestion: 'Which day?', originalText: 'call mum' });
      await createDraft(ctx.store, { userId: ALICE, task: task('call mum') });
      expect(await getChatContext(ctx.store, { userId: ALICE })).toMatchObject({ mode: null, pendingQuestion: '' });
      await rememberQuestion(ctx.store, { userId: ALICE, question: 'Which day?', originalText: 'x' });
      await clearChatState(ctx.store, ALICE);
      expect((await getChatContext(ctx.store, { userId: ALICE })).mode).toBeNull();
    });

    it('a question about an edit keeps the edit pending: the reply is again an edit of the same draft, not a new task', async () => {
      const draft = await createDraft(ctx.store, { userId: ALICE, task: task('buy milk') });
      expect(await startEdit(ctx.store, draft.id, ALICE)).toMatchObject({ ok: true });
      const context = await rememberQuestion(ctx.store, { userId: ALICE, question: 'Which subtask?', originalText: 'remove it', editOfDraftId: draft.id });
      expect(context).toMatchObject({ mode: 'awaiting_edit', awaitingEdit: true, draftId: draft.id, pendingQuestion: '', question: 'Which subtask?' });
      // Once that draft is no longer open, the question stands on its own again.
      await cancelDraft(ctx.store, draft.id, ALICE);
      expect(await rememberQuestion(ctx.store, { userId: ALICE, question: 'Which day?', originalText: 'x', editOfDraftId: draft.id })).toMatchObject({
        mode: 'awaiting_clarification',
        pendingQuestion: 'Which day?',
      });
    });

    it("names the user's most recent draft still drafted in this chat, with its card: what a typed /cancel cancels", async () => {
      expect(await getChatContext(ctx.store, { userId: ALICE, telegramChatId: '10' })).toMatchObject({ openDraftId: null, openDraftMessageId: null });
      const older = await createDraft(ctx.store, { userId: ALICE, task: task('older'), chatId: 10 });
      const newest = await createDraft(ctx.store, { userId: ALICE, task: task('newest'), chatId: 10 });
      await attachDraftMessage(ctx.store, newest.id, ALICE, 301);
      await createDraft(ctx.store, { userId: ALICE, task: task('other chat'), chatId: 11 });
      await createDraft(ctx.store, { userId: BOB, task: task('bobs'), chatId: 10 });
      expect(await getChatContext(ctx.store, { userId: ALICE, telegramChatId: '10' })).toMatchObject({ openDraftId: newest.id, openDraftMessageId: '301' });
      // Typed, the cancel names the chat only; the draft must still be the user's own.
      expect(await cancelDraft(ctx.store, newest.id, BOB, { chatId: 10 })).toMatchObject({ ok: false, reason: 'not_owner' });
      expect(await cancelDraft(ctx.store, newest.id, ALICE, { chatId: 10 })).toMatchObject({ ok: true, outcome: 'cancelled' });
      expect(await getChatContext(ctx.store, { userId: ALICE, telegramChatId: '10' })).toMatchObject({ openDraftId: older.id, openDraftMessageId: null });
      await cancelDraft(ctx.store, older.id, ALICE, { chatId: 10 });
      expect(await getChatContext(ctx.store, { userId: ALICE, telegramChatId: '10' })).toMatchObject({ openDraftId: null });
    });

    it('ignores and removes an expired question', async () => {
      await rememberQuestion(ctx.store, { userId: ALICE, question: 'Old?', originalText: '' });
      await ctx.store.run('UPDATE chat_state SET expires_at = 0 WHERE user_id = ?', [ALICE]);
      expect((await getChatContext(ctx.store, { userId: ALICE })).mode).toBeNull();
      expect((await rowCounts(ctx.store)).chat_state).toBe(0);
    });

    it('creates the user on first contact with the default time zone and keeps it afterwards', async () => {
      expect(await getChatContext(ctx.store, { userId: BOB, defaultTimezone: 'Europe/Berlin', telegramChatId: '99' })).toMatchObject({ timezone: 'Europe/Berlin' });
      expect(await getChatContext(ctx.store, { userId: BOB, defaultTimezone: 'Asia/Tokyo' })).toMatchObject({ timezone: 'Europe/Berlin' });
      await expect(getChatContext(ctx.store, { userId: 'telegram:3', defaultTimezone: 'Mars/Olympus' })).rejects.toThrow('Unknown time zone "Mars/Olympus"');
      expect((await rowCounts(ctx.store)).users).toBe(1);
    });
  });
});
