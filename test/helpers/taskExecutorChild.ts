// A separate process that executes one draft, for the multi-process tests:
//   node -r ./test/helpers/register-ts.js test/helpers/taskExecutorChild.ts '<json options>'
// Prints the outcome as one JSON line. With killAt it SIGKILLs itself at that executor step,
// the way a crashed or OOM-killed n8n worker stops: no cleanup, no rollback of what committed.
import { openStore } from '../../nodes/shared/db';
import { executeDraft, type ExecutorStep } from '../../nodes/shared/tasks/executor';
import { emulatorClient } from './taskExecutorFixtures';

interface ChildOptions {
  dbFile: string;
  emulatorUrl: string;
  draftId: number;
  userId: string;
  leaseMs?: number;
  /** Start at this epoch ms, so that sibling processes really overlap. */
  startAt?: number;
  killAt?: { step: ExecutorStep; occurrence: number };
}

async function main() {
  const options = JSON.parse(process.argv[2]) as ChildOptions;
  const store = await openStore({ backend: 'sqlite', file: options.dbFile });
  if (options.startAt) await new Promise((r) => setTimeout(r, Math.max(0, options.startAt! - Date.now())));
  let seen = 0;
  const outcome = await executeDraft(store, emulatorClient(options.emulatorUrl), {
    draftId: options.draftId,
    userId: options.userId,
    leaseMs: options.leaseMs,
    onStep: (step) => {
      if (options.killAt && step === options.killAt.step && ++seen === options.killAt.occurrence) process.kill(process.pid, 'SIGKILL');
    },
  });
  await store.close();
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
