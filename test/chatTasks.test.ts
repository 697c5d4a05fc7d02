// /list, ✓ Done and /undo in the core (tasks/chatTasks.ts, tasks/undo.ts) against the Google
// Tasks emulator: list entries behind the buttons, ownership, exactly-once, the undo question.
import { callbackData, parseCallbackData, parseTaskCallbackData, taskCallbackData } from '../nodes/shared/contracts';
import type { Store } from '../nodes/shared/store/db';
import { completeListedTask, dueText, findUndoable, listTasksForChat } from '../nodes/shared/tasks/chatTasks';
import type { ExecutionResult } from '../nodes/shared/tasks/executor';
import { executeDraft } from '../nodes/shared/tasks/executor';
import { undoExecution } from '../nodes/shared/tasks/undo';
import { parseTelegramUpdate } from '../nodes/shared/telegram/update';
import { GoogleTasksEmulator } from '../emulators/googleTasks';
import { confirmedDraft, emulatorClient, FAST_RETRY, noSleep, openTempStore, type TempStore } from './helpers/taskExecutorFixtures';

const ALICE = 'telegram:11';
const BOB = 'telegram:12';
const emulator = new GoogleTasksEmulator();
let temp: TempStore;
let store: Store;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.reset();
  temp = await openTempStore('chat-tasks-');
  store = temp.store;
});
afterEach(() => temp.cleanup());

const client = () => emulatorClient(emulator.url);
const patches = () => emulator.callLog.filter((c) => c.method === 'PATCH').length;

async function created(userId: string, task: { title: string; due_date?: string | null; subtasks?: { title: string }[] }): Promise<ExecutionResult> {
  const draft = await confirmedDraft(store, userId, task);
  const result = await executeDraft(store, client(), { draftId: draft.id, userId, retry: FAST_RETRY, sleep: noSleep });
  if (!result.ok) throw new Error(result.failure.message);
  return result;
}

describe('button data', () => {
  it('task buttons parse back to their action and number; draft buttons stay draft buttons', () => {
    expect(parseTaskCallbackData(taskCallbackData('done', 7))).toEqual({ action: 'done', target: 7 });
    expect(parseTaskCallbackData('undo:12')).toEqual({ action: 'undo', target: 12 });
    expect(parseTaskCallbackData('keep:12')).toEqual({ action: 'keep', target: 12 });
    for (const bad of ['done:', 'done:x', 'done:-1', 'done:1234567890123456', 'confirm:4', 'done:4:5', 'DONE:4', 42, null]) expect(parseTaskCallbackData(bad)).toBeNull();
    expect(parseCallbackData('done:4')).toBeNull();
    expect(parseCallbackData(callbackData('confirm', 4))).toEqual({ action: 'confirm', draftId: 4 });
    expect(() => taskCallbackData('done', 0)).toThrow();
  });

  it('a press on a task button becomes its command, naming its number and no draft', () => {
    const press = (data: string) =>
      parseTelegramUpdate(
        { update_id: 5, callback_query: { id: 'q', from: { id: 11 }, data, message: { message_id: 9, chat: { id: 11 } } } },
        { allowlist: '11', workflowId: 'A' },
      );
    expect(press('done:7')).toMatchObject({ kind: 'button', action: 'done', commandType: 'complete_task', target: 7, draftId: null, cardMessageId: 9 });
    expect(press('undo:3')).toMatchObject({ kind: 'button', commandType: 'confirm_undo', target: 3 });
    expect(press('keep:3')).toMatchObject({ kind: 'button', commandType: 'cancel_undo', target: 3 });
    expect(press('confirm:3')).toMatchObject({ kind: 'button', commandType: 'confirm_draft', draftId: 3, target: null });
    expect(press('done:abc')).toMatchObject({ kind: 'bad_button', commandType: null });
  });
});

describe('/list', () => {
  it('lists every open top-level task of the list with its due date in words and a ✓ Done button of its own', async () => {
    await created(ALICE, { title: 'Dentist', due_date: '2026-03-03', subtasks: [{ title: 'Find card' }] });
    await client().insertTask('@default', { title: 'Made in Google Tasks' });
    const listed = await listTasksForChat(store, client(), { userId: ALICE, now: new Date('2026-03-02T12:00:00Z') });
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    const dentist = listed.tasks.find((t) => t.title === 'Dentist')!;
    expect(dentist).toMatchObject({ due: '2026-03-03', dueText: 'due tomorrow', openSubtasks: 1, doneData: `done:${dentist.entryId}` });
    expect(listed.tasks.map((t) => t.title)).not.toContain('Find card');
    expect(listed.tasks.map((t) => t.title)).toContain('Made in Google Tasks');
    expect(listed.heading).toMatch(/Your open tasks/);
    const row = await store.get<{ user_id: string; status: string }>('SELECT user_id, status FROM listed_tasks WHERE id = ?', [dentist.entryId]);
    expect(row).toEqual({ user_id: ALICE, status: 'open' });
  });

  it('says so when nothing is open', async () => {
    const listed = await listTasksForChat(store, client(), { userId: ALICE });
    expect(listed).toMatchObject({ ok: true, tasks: [], heading: expect.stringContaining('No open tasks') });
  });

  it('counts due dates from today in the user\'s time zone', () => {
    const now = new Date('2026-03-02T23:30:00Z');
    expect(dueText('2026-03-02', 'UTC', now)).toBe('due today');
    expect(dueText('2026-03-02', 'Asia/Tokyo', now)).toBe('overdue since yesterday');
    expect(dueText('2026-02-20', 'UTC', now)).toBe('overdue since Fri 20 Feb');
    expect(dueText('2026-03-10', 'UTC', now)).toBe('due Tue 10 Mar');
    expect(dueText(null, 'UTC', now)).toBeNull();
  });
});

describe('✓ Done', () => {
  async function listedDentist(): Promise<number> {
    await created(ALICE, { title: 'Dentist' });
    const listed = await listTasksForChat(store, client(), { userId: ALICE });
    if (!listed.ok) throw new Error('not listed');
    return listed.tasks[0].entryId;
  }

  it('marks the task completed in Google Tasks once; a second press reports it done and calls Google no more', async () => {
    const entryId = await listedDentist();
    const first = await completeListedTask(store, client(), { entryId, userId: ALICE });
    expect(first).toMatchObject({ ok: true, outcome: 'completed', title: 'Dentist', apiCalls: 1 });
    expect(emulator.allTasks()[0]).toMatchObject({ status: 'completed', completed: expect.any(String) });
    const before = patches();
    const second = await completeListedTask(store, client(), { entryId, userId: ALICE });
    expect(second).toMatchObject({ ok: true, outcome: 'already_done', message: expect.stringContaining('already done') });
    expect(patches()).toBe(before);
    expect((await store.all("SELECT id FROM audit_log WHERE action = 'task_completed'")).length).toBe(1);
  });

  it('two presses at the same moment complete it once and record it once', async () => {
    const entryId = await listedDentist();
    const outcomes = await Promise.all([1, 2].map(() => completeListedTask(store, client(), { entryId, userId: ALICE })));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_done', 'completed']);
    expect(patches()).toBeLessThanOrEqual(2);
    expect((await store.all("SELECT id FROM audit_log WHERE action = 'task_completed'")).length).toBe(1);
  });

  it("refuses another user's press, and an entry that does not exist, without calling Google", async () => {
    const entryId = await listedDentist();
    expect(await completeListedTask(store, client(), { entryId, userId: BOB })).toMatchObject({ ok: true, outcome: 'refused', reason: 'not_owner', replyChatId: '12' });
    expect(await completeListedTask(store, client(), { entryId: 999, userId: BOB })).toMatchObject({ outcome: 'refused', reason: 'not_found' });
    expect(patches()).toBe(0);
    expect(emulator.allTasks()[0].status).toBe('needsAction');
  });

  it('a task deleted in Google Tasks meanwhile is reported gone', async () => {
    const entryId = await listedDentist();
    await client().deleteTask('@default', emulator.allTasks()[0].id);
    expect(await completeListedTask(store, client(), { entryId, userId: ALICE })).toMatchObject({ ok: true, outcome: 'gone' });
  });
});

describe('/undo', () => {
  it('finds the task created last and not undone, with its subtasks, and says when there is none', async () => {
    expect(await findUndoable(store, { userId: ALICE })).toMatchObject({ ok: true, found: false, message: expect.stringContaining('Nothing to undo') });
    await created(ALICE, { title: 'First' });
    const last = await created(ALICE, { title: 'Buy milk', subtasks: [{ title: 'Check fridge' }, { title: 'Find bag' }] });
    await created(BOB, { title: "Bob's" });
    const found = await findUndoable(store, { userId: ALICE });
    expect(found).toMatchObject({ found: true, undoable: true, executionId: last.executionId, title: 'Buy milk', subtasks: 2, removeData: `undo:${last.executionId}`, keepData: `keep:${last.executionId}` });
    expect((found as { message: string }).message).toBe('↩️ Remove <b>Buy milk</b> and its 2 subtasks from Google Tasks?');
    await undoExecution(store, client(), { executionId: last.executionId, userId: ALICE, sleep: noSleep });
    expect(await findUndoable(store, { userId: ALICE })).toMatchObject({ found: true, title: 'First' });
    expect(await findUndoable(store, { userId: BOB, executionId: last.executionId })).toMatchObject({ refused: true, reason: 'not_owner' });
  });

  it('past the window it says it is too late', async () => {
    const result = await created(ALICE, { title: 'Old' });
    await store.run('UPDATE executions SET executed_at = executed_at - 7200000 WHERE id = ?', [result.executionId]);
    expect(await findUndoable(store, { userId: ALICE })).toMatchObject({ found: true, undoable: false, message: expect.stringContaining('too late') });
  });

  it('a double tap removes once: one audit row, the draft records when', async () => {
    const result = await created(ALICE, { title: 'Party', subtasks: [{ title: 'Lanterns' }] });
    const outcomes = await Promise.all([1, 2].map(() => undoExecution(store, client(), { executionId: result.executionId, userId: ALICE, sleep: noSleep })));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_undone', 'undone']);
    expect(emulator.allTasks().every((t) => t.deleted)).toBe(true);
    expect((await store.all("SELECT id FROM audit_log WHERE action = 'task_execution_undone'")).length).toBe(1);
    expect((await store.all("SELECT id FROM audit_log WHERE action = 'task_item_deleted'")).length).toBe(2);
    const draft = await store.get<{ status: string; undone_at: number | null }>('SELECT status, undone_at FROM drafts WHERE id = ?', [result.draftId]);
    expect(draft).toMatchObject({ status: 'executed', undone_at: expect.any(Number) });
    expect(outcomes.find((o) => o.outcome === 'undone')).toMatchObject({ message: '🗑 Removed <b>Party</b> and its 1 subtask from Google Tasks.' });
  });
});
