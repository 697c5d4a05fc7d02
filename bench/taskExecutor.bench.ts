// TaskExecutor throughput against the local Google Tasks emulator with zero latency:
// executions per second and API calls per draft (goal: 1 + subtasks when nothing fails).
//
// Run: node -r ./test/helpers/register-ts-cached.js bench/taskExecutor.bench.ts [drafts=300] [subtasks=3] [concurrency=1]
// Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { executeDraft } from '../nodes/shared/tasks/executor';
import { GoogleTasksEmulator } from '../emulators/googleTasks';
import { confirmedDraft, emulatorClient, openTempStore } from '../test/helpers/taskExecutorFixtures';

async function main() {
  const [drafts = 300, subtaskCount = 3, concurrency = 1] = process.argv.slice(2).map(Number);
  const emulator = new GoogleTasksEmulator();
  await emulator.start();
  const temp = await openTempStore('task-executor-bench-');
  try {
    const client = emulatorClient(emulator.url);
    const subtasks = Array.from({ length: subtaskCount }, (_, i) => ({ title: `Step ${i + 1}` }));
    const ids: number[] = [];
    for (let i = 0; i < drafts; i++) ids.push((await confirmedDraft(temp.store, `telegram:${i % 20}`, { title: `Task ${i}`, due_date: '2027-03-01', subtasks })).id);
    const userOf = (i: number) => `telegram:${i % 20}`;

    // Warm-up: connection, JIT, googleapis internals.
    const warm = await confirmedDraft(temp.store, 'telegram:warm', { title: 'warm-up', subtasks });
    await executeDraft(temp.store, client, { draftId: warm.id, userId: 'telegram:warm' });
    const callsBefore = emulator.callLog.length;

    let next = 0;
    let apiCalls = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < ids.length) {
          const index = next++;
          const outcome = await executeDraft(temp.store, client, { draftId: ids[index], userId: userOf(index) });
          if (outcome.ok) apiCalls += outcome.apiCalls;
          else failures++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const remoteTasks = emulator.allTasks().length - (subtaskCount + 1);
    console.log(
      JSON.stringify({
        benchmark: 'taskExecutor',
        drafts,
        subtasksPerDraft: subtaskCount,
        concurrency,
        seconds: Number(seconds.toFixed(3)),
        executionsPerSecond: Number((drafts / seconds).toFixed(1)),
        apiCallsPerDraft: Number((apiCalls / drafts).toFixed(3)),
        emulatorCallsPerDraft: Number(((emulator.callLog.length - callsBefore) / drafts).toFixed(3)),
        expectedCallsPerDraft: 1 + subtaskCount,
        remoteTasksCreated: remoteTasks,
        failures,
      }),
    );
  } finally {
    await temp.cleanup();
    await emulator.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
