// Randomized fault injection: 1,000 seeded schedules of API faults (503, 500, 429, rate-limit
// 403, dropped connections before and after the commit) at any call, and simulated process
// deaths at any step (between the remote call and its record included). A "death" throws out
// of the executor; the next run is a fresh call that resumes from the database only.
// Whatever happens, each planned item must exist exactly once remotely, in order, with nothing
// in its notes but the draft's own, and the draft must end executed.
import * as fs from 'node:fs';
import type { Store } from '../nodes/shared/store/db';
import { getDraft } from '../nodes/shared/draft/drafts';
import { executeDraft, getExecutionsForDraft, type ExecutionResult } from '../nodes/shared/tasks/executor';
import { GoogleTasksEmulator, type FaultKind } from '../emulators/googleTasks';
import { confirmedDraft, emulatorClient, noSleep, openTempStore, type TempStore } from './helpers/taskExecutorFixtures';

const SCHEDULES = 1000;
const USER = 'telegram:1000';
const FAULT_KINDS: FaultKind[] = ['status503', 'status500', 'status429', 'rateLimit403', 'commitThenDrop', 'dropBeforeCommit'];

class SimulatedDeath extends Error {}

/** mulberry32: small, seedable, good enough to spread schedules. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const emulator = new GoogleTasksEmulator();
let temp: TempStore;
let store: Store;

beforeAll(async () => {
  await emulator.start();
  // tmpfs when the machine has one: the schedules run ~25 000 committed transactions.
  temp = await openTempStore('task-executor-faults-', fs.existsSync('/dev/shm') ? '/dev/shm' : undefined);
  store = temp.store;
});
afterAll(async () => {
  await temp.cleanup();
  await emulator.stop();
});

interface ScheduleReport {
  runs: number;
  deaths: number;
  faults: number;
  failures: number;
}

async function runSchedule(seed: number): Promise<ScheduleReport> {
  const random = prng(seed);
  emulator.reset();
  const subtaskCount = Math.floor(random() * 5);
  const subtasks = Array.from({ length: subtaskCount }, (_, i) => ({ title: `s${seed}-${i}` }));
  const notes = `notes of ${seed}`;
  const draft = await confirmedDraft(store, USER, { title: `task ${seed}`, notes, due_date: '2027-01-15', subtasks });

  // Faults on API calls by number; calls beyond these succeed, so every schedule can finish.
  // One schedule in ten faults every one of its first 12 calls (several runs in a row fail).
  const faultEveryCall = random() < 0.1;
  const faultProbability = 0.15 + random() * 0.35;
  let faults = 0;
  for (let call = 1; call <= 40; call++) {
    if ((faultEveryCall && call <= 12) || random() < faultProbability) {
      emulator.injectFaults([{ kind: FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)], onCall: call }]);
      faults++;
    }
  }
  // Deaths at step occurrences, counted across runs.
  const deathAt = new Set<number>();
  const deathProbability = random() * 0.3;
  for (let step = 1; step <= 40; step++) if (random() < deathProbability) deathAt.add(step);

  let steps = 0;
  let deaths = 0;
  let failures = 0;
  let result: ExecutionResult | undefined;
  let runs = 0;
  while (!result) {
    if (++runs > 60) throw new Error(`seed ${seed}: no result after 60 runs`);
    try {
      // A new client per run: nothing survives a death but the database.
      const outcome = await executeDraft(store, emulatorClient(emulator.url, { timeoutMs: 2_000 }), {
        draftId: draft.id,
        userId: USER,
        leaseMs: 0, // a dead run's lease must not block the next one
        retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
        sleep: noSleep,
        random,
        onStep: () => {
          if (deathAt.has(++steps)) {
            deaths++;
            throw new SimulatedDeath(`death at step ${steps}`);
          }
        },
      });
      if (outcome.ok) result = outcome;
      else if (outcome.failure.retryable) failures++;
      else throw new Error(`seed ${seed}: non-retryable failure ${JSON.stringify(outcome.failure)}`);
    } catch (error) {
      if (!(error instanceof SimulatedDeath)) throw error;
    }
  }

  const live = emulator.allTasks().filter((t) => !t.deleted);
  const context = `seed ${seed}, ${subtaskCount} subtasks, calls: ${JSON.stringify(emulator.callLog.map((c) => [c.method, c.status, c.fault]))}`;
  // Exactly one remote task per planned item (subtask titles are unique per schedule), and
  // nothing in any task but the draft's own text.
  if (live.length !== subtaskCount + 1) throw new Error(`${context}: ${live.length} live tasks`);
  const mains = live.filter((t) => !t.parent);
  if (mains.length !== 1 || mains[0].title !== `task ${seed}` || mains[0].notes !== notes) throw new Error(`${context}: tasks ${JSON.stringify(mains)}`);
  const main = mains[0];
  for (const subtask of subtasks) {
    const copies = live.filter((t) => t.parent === main.id && t.title === subtask.title);
    if (copies.length !== 1) throw new Error(`${context}: subtask ${subtask.title} exists ${copies.length} times`);
    if (copies[0].notes !== undefined) throw new Error(`${context}: subtask ${subtask.title} has notes ${copies[0].notes}`);
  }
  const order = live
    .filter((t) => t.parent === main.id)
    .sort((a, b) => a.position.localeCompare(b.position))
    .map((t) => t.title);
  if (JSON.stringify(order) !== JSON.stringify(subtasks.map((s) => s.title))) throw new Error(`${context}: order ${order}`);
  if (result.task.id !== main.id || result.subtasks.map((s) => s.id).join() !== live.filter((t) => t.parent).sort((a, b) => a.position.localeCompare(b.position)).map((t) => t.id).join()) {
    throw new Error(`${context}: result does not name the remote tasks`);
  }
  const stored = await getDraft(store, draft.id);
  if (stored!.status !== 'executed') throw new Error(`${context}: draft is ${stored!.status}`);
  const executions = await getExecutionsForDraft(store, draft.id);
  if (executions.length !== 1 || executions[0].status !== 'success') throw new Error(`${context}: executions ${JSON.stringify(executions)}`);
  return { runs, deaths, faults, failures };
}

it(`keeps exactly one remote task per planned item over ${SCHEDULES} random fault and death schedules`, async () => {
  const totals = { runs: 0, deaths: 0, faults: 0, failures: 0, resumedSchedules: 0 };
  for (let seed = 1; seed <= SCHEDULES; seed++) {
    const report = await runSchedule(seed);
    totals.runs += report.runs;
    totals.deaths += report.deaths;
    totals.faults += report.faults;
    totals.failures += report.failures;
    if (report.runs > 1) totals.resumedSchedules++;
  }
  // The schedules must actually have exercised deaths, faults and resumptions.
  expect(totals.deaths).toBeGreaterThan(SCHEDULES / 2);
  expect(totals.faults).toBeGreaterThan(SCHEDULES * 5);
  expect(totals.resumedSchedules).toBeGreaterThan(SCHEDULES / 3);
  expect(totals.failures).toBeGreaterThan(0);
}, 120_000);
