// Two workers racing for one draft while Google Tasks answers slower than the execution lease.
// Whoever holds the lease may write; a worker whose lease was taken over must not send an insert,
// not even the one it was about to send after a search. One task, never two.
import { listAudit } from '../nodes/shared/store/audit';
import type { Store } from '../nodes/shared/store/db';
import { getDraft } from '../nodes/shared/draft/drafts';
import { executeDraft, getExecutionsForDraft, type ExecuteDraftInput, type ExecuteDraftOutcome, type ExecutionResult } from '../nodes/shared/tasks/executor';
import { GoogleTasksEmulator } from '../emulators/googleTasks';
import { backends, useCleanStore } from './helpers/backends';
import { FAST_RETRY, confirmedDraft, emulatorClient, noSleep } from './helpers/taskExecutorFixtures';

const USER = 'telegram:43';
const LEASE_MS = 400;
/** Far longer than the lease: a search (a read) that comes back after another worker took over. */
const SLOW_ANSWER_MS = 1_500;
const emulator = new GoogleTasksEmulator();
let store: Store;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const draftTask = { title: 'Renew the lease', notes: 'Before it runs out', due_date: '2027-03-01', subtasks: [{ title: 'Read it' }, { title: 'Sign it' }, { title: 'Send it' }] };

async function until(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; calls: ${JSON.stringify(emulator.callLog)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function liveTasks() {
  return emulator.allTasks().filter((t) => !t.deleted);
}

describe.each(backends)('on %s', (backend) => {
  const database = useCleanStore(backend);
  beforeEach(() => {
    emulator.reset();
    store = database.store;
  });

  /** Worker A starts; worker B starts once A is inside its slow search after an insert of unknown outcome. */
  async function race(options: Partial<ExecuteDraftInput>): Promise<{ draftId: number; outcomes: PromiseSettledResult<ExecuteDraftOutcome>[] }> {
    const draft = await confirmedDraft(store, USER, draftTask);
    const input = { draftId: draft.id, userId: USER, leaseMs: LEASE_MS, retry: FAST_RETRY, sleep: noSleep, ...options };
    const a = executeDraft(store, emulatorClient(emulator.url), input);
    await until(() => emulator.callLog.some((c) => c.method === 'GET'), "worker A's search");
    const b = executeDraft(store, emulatorClient(emulator.url), input);
    return { draftId: draft.id, outcomes: await Promise.allSettled([a, b]) };
  }

  function expectOneTaskFor(outcomes: PromiseSettledResult<ExecuteDraftOutcome>[]) {
    const mains = liveTasks().filter((t) => t.title === draftTask.title);
    expect(mains).toHaveLength(1);
    expect(liveTasks()).toHaveLength(4);
    expect(liveTasks().filter((t) => t.parent === mains[0].id).map((t) => t.title).sort()).toEqual(['Read it', 'Send it', 'Sign it']);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    const results = outcomes.map((o) => (o as PromiseFulfilledResult<ExecutionResult>).value);
    expect(results.every((r) => r.ok && r.task.id === mains[0].id)).toBe(true);
    // Exactly one of them created it; the other reports what exists, so the user is told once.
    expect(results.map((r) => r.alreadyExecuted).sort()).toEqual([false, true]);
    return results;
  }

  it('a worker that lost its lease during a slow search does not insert afterwards; the new holder creates the task once', async () => {
    emulator.injectFaults([
      { kind: 'dropBeforeCommit', method: 'POST' }, // A's first insert: nobody knows whether it landed
      { kind: 'slowAnswer', method: 'GET', latencyMs: SLOW_ANSWER_MS, times: 2 }, // A's and B's searches outlast the lease
    ]);
    // No renewal while a request is in flight: A looks dead (a paused process), so B takes over.
    const { draftId, outcomes } = await race({ renewLeaseEveryMs: 0 });
    expectOneTaskFor(outcomes);
    const posts = emulator.callLog.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(5); // the dropped insert, then the task and its 3 subtasks once
    expect((await getDraft(store, draftId))!.status).toBe('executed');
    const [execution] = await getExecutionsForDraft(store, draftId);
    expect(Number(execution.runs)).toBeGreaterThanOrEqual(2); // it really was taken over
    const actions = (await listAudit(store, { entityType: 'execution', entityId: Number(execution.id) })).map((a) => a.action);
    expect(actions).toContain('task_execution_lease_lost');
  });

  it('a live worker keeps its lease through requests slower than the lease: no takeover, one task', async () => {
    emulator.injectFaults([
      { kind: 'dropBeforeCommit', method: 'POST' },
      { kind: 'slowAnswer', method: 'GET', latencyMs: SLOW_ANSWER_MS, times: 20 }, // every search
    ]);
    const { draftId, outcomes } = await race({});
    expectOneTaskFor(outcomes);
    const [execution] = await getExecutionsForDraft(store, draftId);
    expect(Number(execution.runs)).toBe(1);
    expect(emulator.callLog.filter((c) => c.method === 'POST')).toHaveLength(5);
  });
});
