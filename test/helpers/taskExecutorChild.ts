// A separate process that executes one draft, for the multi-process tests:
//   node -r ./test/helpers/register-ts-cached.js test/helpers/taskExecutorChild.ts '<json options>'
// Prints { outcome, startedAt, finishedAt } as one JSON line. With killAt it SIGKILLs itself at that executor step,
// the way a crashed or OOM-killed n8n worker stops: no cleanup, no rollback of what committed.
import { openStore } from '../../nodes/shared/store/db';
import { executeDraft, type ExecutorStep } from '../../nodes/shared/tasks/executor';
import { emulatorClient } from './taskExecutorFixtures';

interface ChildOptions {
  dbFile: string;
  emulatorUrl: string;
  draftId: number;
  userId: string;
  leaseMs?: number;
  renewLeaseEveryMs?: number;
  /** Print "ready" once loaded, then wait for "go" on stdin, so sibling processes really overlap. */
  waitForGo?: boolean;
  killAt?: { step: ExecutorStep; occurrence: number };
}

async function main() {
  const options = JSON.parse(process.argv[2]) as ChildOptions;
  const store = await openStore({ backend: 'sqlite', file: options.dbFile });
  if (options.waitForGo) {
    process.stdout.write('ready\n');
    await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
    process.stdin.pause();
  }
  let seen = 0;
  const startedAt = Date.now();
  const outcome = await executeDraft(store, emulatorClient(options.emulatorUrl), {
    draftId: options.draftId,
    userId: options.userId,
    leaseMs: options.leaseMs,
    renewLeaseEveryMs: options.renewLeaseEveryMs,
    onStep: (step) => {
      if (options.killAt && step === options.killAt.step && ++seen === options.killAt.occurrence) process.kill(process.pid, 'SIGKILL');
    },
  });
  const finishedAt = Date.now();
  await store.close();
  process.stdout.write(`${JSON.stringify({ outcome, startedAt, finishedAt })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
