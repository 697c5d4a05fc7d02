// Nothing of ours in the user's Google Tasks: a created task carries the draft's notes and nothing
// else, yet a task created before a crash (or before a lost answer) is adopted, not created again.
// Adoption matches what the draft fixes (list, parent, title, notes, due) among tasks updated since
// the first send, never one already recorded, and prefers the newest.
import type { Store } from '../nodes/shared/store/db';
import { executeDraft, getExecutionsForDraft, type ExecuteDraftInput, type ExecutionResult, type ExecutorStep } from '../nodes/shared/tasks/executor';
import { undoExecution } from '../nodes/shared/tasks/undo';
import { GoogleTasksEmulator } from '../emulators/googleTasks';
import { backends, useCleanStore } from './helpers/backends';
import { FAST_RETRY, confirmedDraft, emulatorClient, noSleep } from './helpers/taskExecutorFixtures';

const USER = 'telegram:44';
const emulator = new GoogleTasksEmulator();
let store: Store;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const tripDraft = {
  title: 'Plan Lisbon trip',
  due_date: '2026-12-01',
  notes: 'Budget 900 EUR\nWindow seat',
  subtasks: [{ title: 'Book flights' }, { title: 'Book hotel' }, { title: 'Buy travel insurance', suggested: true }],
};

class SimulatedCrash extends Error {}

function liveTasks() {
  return emulator.allTasks().filter((t) => !t.deleted);
}

/** What the user sees in Google Tasks: title, notes and due of every task, nothing else. */
function expectOnlyTheDraftsOwnText(draft: typeof tripDraft) {
  for (const task of liveTasks()) {
    if (task.parent) {
      expect({ title: task.title, notes: task.notes, due: task.due }).toEqual({ title: expect.any(String), notes: undefined, due: undefined });
      expect(draft.subtasks.map((s) => s.title)).toContain(task.title);
    } else {
      expect({ title: task.title, notes: task.notes, due: task.due }).toEqual({ title: draft.title, notes: draft.notes, due: `${draft.due_date}T00:00:00.000Z` });
    }
  }
}

describe.each(backends)('on %s', (backend) => {
  const database = useCleanStore(backend);
  beforeEach(() => {
    emulator.reset();
    store = database.store;
  });

  function run(draftId: number, extra: Partial<ExecuteDraftInput> = {}) {
    return executeDraft(store, emulatorClient(emulator.url), { draftId, userId: USER, retry: FAST_RETRY, sleep: noSleep, ...extra });
  }

  /** Runs once, dying at the given occurrence of a step; then a fresh run resumes from the database. */
  async function crashThenResume(draftId: number, step: ExecutorStep, occurrence: number): Promise<ExecutionResult> {
    let seen = 0;
    const crash = await run(draftId, {
      leaseMs: 0,
      onStep: (s) => {
        if (s === step && ++seen === occurrence) throw new SimulatedCrash(`crash at ${step} #${occurrence}`);
      },
    }).catch((e: Error) => e);
    expect(crash).toBeInstanceOf(SimulatedCrash);
    const result = (await run(draftId)) as ExecutionResult;
    expect(result).toMatchObject({ ok: true, resumed: true });
    return result;
  }

  it('no created task or subtask has anything in its notes beyond the draft\'s notes', async () => {
    const draft = await confirmedDraft(store, USER, tripDraft);
    const result = (await run(draft.id)) as ExecutionResult;
    expect(liveTasks()).toHaveLength(4);
    expectOnlyTheDraftsOwnText(tripDraft);
    const [execution] = await getExecutionsForDraft(store, draft.id);
    expect(execution.items.map((i) => i.notes)).toEqual([tripDraft.notes, null, null, null]);
    expect(execution.items[0].remote_id).toBe(result.task.id);
  });

  it('the database refuses to record one Google task for two items (two adopters racing on any backend)', async () => {
    const draft = await confirmedDraft(store, USER, tripDraft);
    const result = (await run(draft.id)) as ExecutionResult;
    await expect(
      store.run('UPDATE execution_items SET remote_id = ? WHERE execution_id = ? AND seq = 1', [result.task.id, result.executionId]),
    ).rejects.toThrow(/unique|UNIQUE/);
  });

  it('also not after a lost answer, a timeout or a crash: the task is adopted, exactly once', async () => {
    emulator.injectFaults([{ kind: 'commitThenDrop', method: 'POST' }, { kind: 'commitThenDrop', method: 'POST' }]);
    const draft = await confirmedDraft(store, USER, tripDraft);
    const result = (await run(draft.id)) as ExecutionResult;
    expect(liveTasks()).toHaveLength(4);
    expectOnlyTheDraftsOwnText(tripDraft);
    const [execution] = await getExecutionsForDraft(store, draft.id);
    expect(execution.items.map((i) => Number(i.adopted))).toEqual([1, 1, 0, 0]);
    expect(execution.items[0].remote_id).toBe(result.task.id);
  });

  it.each([
    ['the task', 1],
    ['a subtask', 3],
  ])('a crash between the insert of %s and its record adopts it on resume: exactly one copy, nothing extra in the notes', async (_what, occurrence) => {
    const draft = await confirmedDraft(store, USER, tripDraft);
    const result = await crashThenResume(draft.id, 'remote-call-returned', occurrence);
    expect(liveTasks()).toHaveLength(4);
    expectOnlyTheDraftsOwnText(tripDraft);
    const [execution] = await getExecutionsForDraft(store, draft.id);
    const adopted = execution.items.filter((i) => Number(i.adopted) === 1);
    expect(adopted.map((i) => Number(i.seq))).toEqual([occurrence - 1]);
    const ids = [result.task.id, ...result.subtasks.map((s) => s.id)];
    expect(new Set(ids).size).toBe(4);
    expect(liveTasks().map((t) => t.id).sort()).toEqual([...ids].sort());
  });

  it('with an identical task the user made just before, adopts the newest (ours) and leaves the user\'s alone, also on undo', async () => {
    const draft = await confirmedDraft(store, USER, { title: 'Buy milk', notes: 'Oat', subtasks: [] });
    const users = await emulatorClient(emulator.url).insertTask('@default', { title: 'Buy milk', notes: 'Oat' });
    await new Promise((r) => setTimeout(r, 5));
    const result = await crashThenResume(draft.id, 'remote-call-returned', 1);
    const milk = liveTasks().filter((t) => t.title === 'Buy milk');
    expect(milk).toHaveLength(2);
    expect(result.task.id).not.toBe(users.id);
    const undone = await undoExecution(store, emulatorClient(emulator.url), { executionId: result.executionId, userId: USER, sleep: noSleep });
    expect(undone.ok).toBe(true);
    expect(liveTasks().map((t) => t.id)).toEqual([users.id]);
  });

  it('never adopts a task that was last changed before the first send, even if it is identical', async () => {
    const draft = await confirmedDraft(store, USER, { title: 'Water the plants', subtasks: [] });
    const users = await emulatorClient(emulator.url).insertTask('@default', { title: 'Water the plants' });
    // The user's task is a day old.
    const saved = emulator.exportState();
    for (const [, tasks] of saved.tasks) for (const t of tasks) t.updated = new Date(Date.now() - 86_400_000).toISOString();
    emulator.importState(saved);
    // Dies after recording "sending", before the insert: nothing of ours exists.
    const result = await crashThenResume(draft.id, 'sending-committed', 1);
    expect(result.task.id).not.toBe(users.id);
    expect(liveTasks().filter((t) => t.title === 'Water the plants')).toHaveLength(2);
  });

  it('never adopts a task already recorded for another item: two identical subtasks stay two', async () => {
    const draft = await confirmedDraft(store, USER, { title: 'Calls', subtasks: [{ title: 'Call the bank' }, { title: 'Call the bank' }] });
    // Dies before the second subtask is sent: the only candidate is the first subtask, which is taken.
    const result = await crashThenResume(draft.id, 'sending-committed', 3);
    const calls = liveTasks().filter((t) => t.title === 'Call the bank');
    expect(calls).toHaveLength(2);
    expect(result.subtasks.map((s) => s.id).sort()).toEqual(calls.map((t) => t.id).sort());
  });

  it('a second identical draft that dies before its insert creates its own task instead of adopting the first one\'s', async () => {
    const first = await confirmedDraft(store, USER, { title: 'Take out the bins', subtasks: [] });
    const firstResult = (await run(first.id)) as ExecutionResult;
    const second = await confirmedDraft(store, USER, { title: 'Take out the bins', subtasks: [] });
    const secondResult = await crashThenResume(second.id, 'sending-committed', 1);
    expect(secondResult.task.id).not.toBe(firstResult.task.id);
    expect(liveTasks().filter((t) => t.title === 'Take out the bins')).toHaveLength(2);
  });
});
