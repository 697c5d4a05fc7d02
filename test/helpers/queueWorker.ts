// A worker process for the multi-process tests and the benchmark:
//   node -r ./scripts/register-ts.js test/helpers/queueWorker.ts '<json task>'
// It prints one JSON line per report on stdout and records what it did in a log file, one
// line per event, so that the parent can still read it after a SIGKILL.
import * as fs from 'node:fs';
import { openStore, type StoreConfig } from '../../nodes/shared/store/db';
import { keepLeases, releaseLease } from '../../nodes/shared/queue/leaseKeeper';
import { claimCommands, completeCommand, enqueueCommand } from '../../nodes/shared/queue/commands';

export type WorkerTask =
  /** Open (and migrate) the store, then report its pragmas. */
  | { mode: 'open'; config: StoreConfig; startAt?: number }
  /** Enqueue one command under the given key. */
  | { mode: 'enqueue'; config: StoreConfig; key: string; startAt?: number }
  /** Claim batches of random size until the queue stays empty; log every completion. */
  | { mode: 'drain'; config: StoreConfig; owner: string; log: string; batchMin: number; batchMax: number; leaseMs: number; startAt?: number; idleRounds?: number }
  /** Like drain, but slow (workMs per command), logging "start" and "done": the parent kills it. */
  | { mode: 'crashy'; config: StoreConfig; owner: string; log: string; batch: number; leaseMs: number; workMs: number }
  /** Claim one command, report it, wait until the file `go` exists, then try to complete it. */
  | { mode: 'pause'; config: StoreConfig; owner: string; leaseMs: number; go: string }
  /** Like pause, but renews its lease while it waits, as Claim Commands does with "Renew Lease While Running". */
  | { mode: 'renewing'; config: StoreConfig; owner: string; leaseMs: number; go: string }
  /** Benchmark: claim `batch` commands, complete each, for durationMs; a cycle is one command claimed and completed. */
  | { mode: 'bench'; config: StoreConfig; owner: string; durationMs: number; startAt: number; batch: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const report = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const waitUntil = async (at?: number) => {
  if (at) await sleep(Math.max(0, at - Date.now()));
};

async function main(task: WorkerTask) {
  await waitUntil('startAt' in task ? task.startAt : undefined);
  const store = await openStore(task.config);
  try {
    switch (task.mode) {
      case 'open': {
        const pragma = async (name: string) => Object.values((await store.get(`PRAGMA ${name}`))!)[0];
        report({
          journalMode: await pragma('journal_mode'),
          synchronous: await pragma('synchronous'),
          foreignKeys: await pragma('foreign_keys'),
          busyTimeout: await pragma('busy_timeout'),
        });
        break;
      }
      case 'enqueue': {
        const result = await enqueueCommand(store, { type: 'help', userId: 'telegram:7', payload: { pid: process.pid }, dedupeKey: task.key });
        report({ id: result.command.id, duplicate: result.duplicate });
        break;
      }
      case 'drain': {
        const fd = fs.openSync(task.log, 'a');
        let idle = 0;
        let completed = 0;
        while (idle < (task.idleRounds ?? 3)) {
          const limit = task.batchMin + Math.floor(Math.random() * (task.batchMax - task.batchMin + 1));
          const claimed = await claimCommands(store, { owner: task.owner, limit, leaseMs: task.leaseMs });
          if (claimed.length === 0) {
            idle++;
            await sleep(20);
            continue;
          }
          idle = 0;
          const done: number[] = [];
          for (const command of claimed) {
            const result = await completeCommand(store, { id: command.id, leaseToken: command.leaseToken, result: { by: task.owner } });
            if (result.applied) done.push(command.id);
          }
          if (done.length) fs.writeSync(fd, `${done.join('\n')}\n`);
          completed += done.length;
        }
        fs.closeSync(fd);
        report({ completed });
        break;
      }
      case 'crashy': {
        const fd = fs.openSync(task.log, 'a');
        for (;;) {
          const claimed = await claimCommands(store, { owner: task.owner, limit: task.batch, leaseMs: task.leaseMs });
          if (claimed.length === 0) {
            await sleep(10);
            continue;
          }
          for (const command of claimed) {
            // Written before the work starts, so a kill mid-command still shows it was running.
            fs.writeSync(fd, `start ${command.id}\n`);
            await sleep(task.workMs);
            const result = await completeCommand(store, { id: command.id, leaseToken: command.leaseToken });
            fs.writeSync(fd, `${result.applied ? 'done' : 'lost'} ${command.id}\n`);
          }
        }
      }
      case 'pause': {
        const [command] = await claimCommands(store, { owner: task.owner, limit: 1, leaseMs: task.leaseMs });
        report({ claimed: command ? { id: command.id, leaseToken: command.leaseToken } : null });
        while (!fs.existsSync(task.go)) await sleep(10);
        const result = command ? await completeCommand(store, { id: command.id, leaseToken: command.leaseToken, result: { by: task.owner } }) : null;
        report({ result });
        break;
      }
      case 'renewing': {
        const [command] = await claimCommands(store, { owner: task.owner, limit: 1, leaseMs: task.leaseMs });
        if (command) keepLeases(store, { ids: [command.id], leaseToken: command.leaseToken!, leaseMs: task.leaseMs, holdMs: 10 * 60_000 });
        report({ claimed: command ? { id: command.id, leaseToken: command.leaseToken } : null });
        while (!fs.existsSync(task.go)) await sleep(10);
        const result = command ? await completeCommand(store, { id: command.id, leaseToken: command.leaseToken, result: { by: task.owner } }) : null;
        if (command) releaseLease(command.id, command.leaseToken);
        report({ result });
        break;
      }
      case 'bench': {
        let cycles = 0;
        let emptyClaims = 0;
        const end = Date.now() + task.durationMs;
        const started = process.hrtime.bigint();
        const cpuBefore = process.cpuUsage();
        const ioBefore = processIo();
        while (Date.now() < end) {
          const claimed = await claimCommands(store, { owner: task.owner, limit: task.batch, leaseMs: 60_000 });
          if (claimed.length === 0) {
            emptyClaims++;
            await sleep(1);
            continue;
          }
          for (const command of claimed) {
            await completeCommand(store, { id: command.id, leaseToken: command.leaseToken });
            cycles++;
          }
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        // This process's own CPU time (user + system): a figure that the machine's other load
        // changes far less than the wall-clock rate.
        const cpu = process.cpuUsage(cpuBefore);
        const io = processIo();
        report({ cycles, seconds, emptyClaims, cpuSeconds: (cpu.user + cpu.system) / 1e6, readBytes: io.rchar - ioBefore.rchar, writtenBytes: io.wchar - ioBefore.wchar });
        break;
      }
    }
  } finally {
    await store.close();
  }
}

main(JSON.parse(process.argv[2]) as WorkerTask).catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});

/**
 * Bytes this process passed through read and write system calls so far (Linux /proc/self/io), page
 * cache hits included: what SQLite reads again after another process's commit shows here.
 */
function processIo(): { rchar: number; wchar: number } {
  try {
    const text = fs.readFileSync('/proc/self/io', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return { rchar: field('rchar'), wchar: field('wchar') };
  } catch {
    return { rchar: NaN, wchar: NaN };
  }
}
