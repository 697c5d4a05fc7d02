// Real processes: two workers executing the same draft at once, and workers SIGKILLed between
// a remote call and its record. The database file and the emulator are all they share.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Store } from '../nodes/shared/store/db';
import { getDraft } from '../nodes/shared/draft/drafts';
import { executeDraft, getExecutionsForDraft, type ExecuteDraftOutcome, type ExecutionResult, type ExecutorStep } from '../nodes/shared/tasks/executor';
import { GoogleTasksEmulator } from '../emulators/googleTasks';
import { confirmedDraft, emulatorClient, openTempStore, type TempStore } from './helpers/taskExecutorFixtures';

const ROOT = path.resolve(__dirname, '..');
const USER = 'telegram:77';
const emulator = new GoogleTasksEmulator();
let temp: TempStore;
let store: Store;

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  outcome?: ExecuteDraftOutcome;
  startedAt?: number;
  finishedAt?: number;
  stderr: string;
}

/** Starts a child; with a barrier, it runs only once every child of the barrier has loaded. */
function runChild(options: Record<string, unknown>, barrier?: { expected: number; ready: (() => void)[] }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', path.join(ROOT, 'test/helpers/register-ts-cached.js'), path.join(ROOT, 'test/helpers/taskExecutorChild.ts'), JSON.stringify({ ...options, waitForGo: Boolean(barrier) })],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let released = !barrier;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!released && stdout.startsWith('ready\n')) {
        released = true;
        barrier!.ready.push(() => child.stdin.write('go\n'));
        if (barrier!.ready.length === barrier!.expected) for (const go of barrier!.ready) go();
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop();
      const printed = line ? (JSON.parse(line) as { outcome: ExecuteDraftOutcome; startedAt: number; finishedAt: number }) : undefined;
      resolve({ code, signal, stderr, ...printed });
    });
  });
}

const draftTask = (title: string) => ({ title, notes: `${title}: keys are with the neighbour`, due_date: '2027-02-01', subtasks: [{ title: `${title} / one` }, { title: `${title} / two` }, { title: `${title} / three` }] });

/** The draft's task and its subtasks as Google holds them (each draft's titles are its own). */
function liveTasksOf(title: string) {
  return emulator.allTasks().filter((t) => !t.deleted && t.title.startsWith(title));
}

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.reset();
  temp = await openTempStore('task-executor-processes-');
  store = temp.store;
});
afterEach(() => temp.cleanup());

it('two processes executing the same draft at the same moment create one task with one copy of each subtask', async () => {
  emulator.setLatency(25); // both are in flight at once
  const draft = await confirmedDraft(store, USER, draftTask('Move flat'));
  const common = { dbFile: temp.file, emulatorUrl: emulator.url, draftId: draft.id, userId: USER };
  const barrier = { expected: 2, ready: [] };
  const [a, b] = await Promise.all([runChild(common, barrier), runChild(common, barrier)]);
  expect([a.code, b.code]).toEqual([0, 0]);
  // They really ran at the same time: each started before the other finished.
  expect(a.startedAt!).toBeLessThan(b.finishedAt!);
  expect(b.startedAt!).toBeLessThan(a.finishedAt!);
  const outcomes = [a.outcome, b.outcome] as ExecutionResult[];
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(outcomes[0].task.id).toBe(outcomes[1].task.id);
  expect(outcomes.map((o) => o.alreadyExecuted).sort()).toEqual([false, true]);
  expect(emulator.allTasks().filter((t) => !t.deleted)).toHaveLength(4);
  expect(emulator.callLog.filter((c) => c.method === 'POST')).toHaveLength(4);
  expect((await getDraft(store, draft.id))!.status).toBe('executed');
}, 30_000);

it('two processes racing while Google answers slower than the lease: the one taken over never inserts again, one task', async () => {
  emulator.injectFaults([
    { kind: 'dropBeforeCommit', method: 'POST' }, // the first insert: nobody knows whether it landed
    { kind: 'slowAnswer', method: 'GET', latencyMs: 1_500, times: 2 }, // both searches outlast the 400 ms lease
  ]);
  const draft = await confirmedDraft(store, USER, draftTask('Slow Google'));
  // No renewal while a request is in flight: the first worker looks dead (a paused process).
  const common = { dbFile: temp.file, emulatorUrl: emulator.url, draftId: draft.id, userId: USER, leaseMs: 400, renewLeaseEveryMs: 0 };
  const barrier = { expected: 2, ready: [] };
  const [a, b] = await Promise.all([runChild(common, barrier), runChild(common, barrier)]);
  expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
  const outcomes = [a.outcome, b.outcome] as ExecutionResult[];
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(outcomes.map((o) => o.alreadyExecuted).sort()).toEqual([false, true]);
  const tasks = liveTasksOf('Slow Google');
  expect(tasks.filter((t) => t.title === 'Slow Google')).toHaveLength(1);
  expect(tasks).toHaveLength(4);
  expect(emulator.callLog.filter((c) => c.method === 'POST')).toHaveLength(5);
  const [execution] = await getExecutionsForDraft(store, draft.id);
  expect(Number(execution.runs)).toBeGreaterThanOrEqual(2);
}, 30_000);

const killPoints: ExecutorStep[] = ['sending-committed', 'remote-call-returned', 'created-committed'];
it(`a process SIGKILLed at ${killPoints.join(', ')} is resumed by another without duplicates`, async () => {
  const drafts = [];
  for (const point of killPoints) drafts.push({ point, draft: await confirmedDraft(store, USER, draftTask(`Killed at ${point}`)) });
  const children = await Promise.all(
    drafts.map(({ point, draft }) =>
      runChild({ dbFile: temp.file, emulatorUrl: emulator.url, draftId: draft.id, userId: USER, leaseMs: 500, killAt: { step: point, occurrence: 2 } }),
    ),
  );
  for (const child of children) {
    expect(child.signal).toBe('SIGKILL');
    expect(child.outcome).toBeUndefined();
  }
  for (const { point, draft } of drafts) {
    const [before] = await getExecutionsForDraft(store, draft.id);
    expect(before.status).toBe('running'); // the dead worker's lease simply runs out
    // A fresh worker waits out the dead one's lease, then resumes.
    const result = (await executeDraft(store, emulatorClient(emulator.url), { draftId: draft.id, userId: USER })) as ExecutionResult;
    expect(result).toMatchObject({ ok: true, resumed: true });
    const title = `Killed at ${point}`;
    const tasks = liveTasksOf(title);
    expect(tasks).toHaveLength(4);
    for (const name of [title, `${title} / one`, `${title} / two`, `${title} / three`]) expect(tasks.filter((t) => t.title === name)).toHaveLength(1);
    // Nothing of ours in what the user sees.
    expect(tasks.map((t) => t.notes)).toEqual([`${title}: keys are with the neighbour`, undefined, undefined, undefined]);
    expect(tasks.find((t) => !t.parent)!.id).toBe(result.task.id);
    const order = tasks.filter((t) => t.parent === result.task.id).sort((x, y) => x.position.localeCompare(y.position)).map((t) => t.title);
    expect(order).toEqual([`Killed at ${point} / one`, `Killed at ${point} / two`, `Killed at ${point} / three`]);
    expect((await getDraft(store, draft.id))!.status).toBe('executed');
  }
}, 30_000);
