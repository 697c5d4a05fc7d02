// Queue-mode benchmark (issue 7): the assistant on n8n 2.40.7 with EXECUTIONS_MODE=queue (Redis,
// PostgreSQL as n8n's database, our store on PostgreSQL) against zero-latency emulators. A burst
// of drafts (default 100 messages from 10 users) with 1 and with 2 `n8n worker` processes; prints
// drafts/s and the CPU time per draft spent in the main and in the workers, read from /proc.
//
//   npm run build && node -r ./scripts/register-ts.js bench/queueMode.bench.ts [--burst=100] [--users=10]
//        [--profiles=recommended,lazyIsolates]
//
// CPU per process = utime + stime of the process (/proc/<pid>/stat fields 14–15) + the same for
// every live descendant (n8n's task-runner launcher and JS runner) + cutime + cstime (children
// already reaped), read before and after the burst. "Idle" is the rate measured over a few quiet
// seconds before the burst (schedule triggers, Redis and PostgreSQL housekeeping); the per-draft
// figures are given raw and with that idle rate subtracted.
//
// One stack serves both runs: the 1-worker run stops worker 1 first, the 2-worker run starts it
// again. Different users in each run, so the router's per-user rate limit (20 commands a minute)
// never triggers. Needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379 (as the e2e test).
// Each profile (n8n settings) runs on its own fresh stack. Results: bench/results/queue-mode-latest.json,
// one entry per profile; a run replaces the entries of the profiles it ran and keeps the others. Claim+complete cycles/s of the store on
// PostgreSQL next to SQLite: bench/queue.bench.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Store } from '../nodes/shared/store/db';
import { ROOT, startStack, type Stack } from '../playground/stack';
import { enqueuedExecutions, processTreeCpuMs } from '../n8n/workers';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const BURST = arg('burst', 100);
const USERS = arg('users', 10);
const IDLE_MS = arg('idle-ms', 5_000);
const REFERENCE_MAIN_CPU_MS = 100; // docs: n8n's main, minimal Telegram pipeline, regular mode, vm expression engine
const FIRST_USER = 610_000;

/** README's recommended execution-data settings (no data saved for successful executions). */
const RECOMMENDED = {
  EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
  EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
  EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
  EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
};
const PROFILES: Record<string, { description: string; env: Record<string, string> }> = {
  recommended: { description: "README's execution-data settings, n8n's default (vm) expression engine", env: RECOMMENDED },
  lazyIsolates: {
    description:
      'recommended + N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true: the vm engine opens an isolate only when an expression is evaluated, ' +
      "so the main's webhook phase of a Telegram Trigger with static parameters builds none",
    env: { ...RECOMMENDED, N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
  },
};
const profileNames = (process.argv.find((a) => a.startsWith('--profiles='))?.split('=')[1] ?? 'recommended').split(',');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RunResult {
  workers: number;
  messages: number;
  drafts: number;
  seconds: number;
  draftsPerSecond: number;
  enqueuedExecutions: number;
  executionsPerDraft: number;
  cpuMs: { main: number; workers: number[]; idleMainPerSecond: number; idleWorkersPerSecond: number[] };
  cpuMsPerDraft: { main: number; mainIdleCorrected: number; workers: number; workersIdleCorrected: number; total: number };
  mainCpuMsPerExecution: number;
}

function cpuSnapshot(stack: Stack, workerIndexes: number[]): { main: number; workers: number[] } {
  return {
    main: processTreeCpuMs(stack.n8n.pid!),
    workers: workerIndexes.map((i) => processTreeCpuMs(stack.workers!.pid(i)!)),
  };
}

async function cardsFor(stack: Stack, users: number[]): Promise<number> {
  let count = 0;
  for (const user of users) {
    count += stack.telegram.history(user).filter((m) => m.sender === 'bot' && /Task Draft/.test(m.text ?? '')).length;
  }
  return count;
}

async function openCommands(store: Store): Promise<number> {
  const row = await store.get<{ n: number }>("SELECT COUNT(*) AS n FROM commands WHERE status IN ('pending', 'processing')");
  return Number(row?.n ?? 0);
}

async function burst(stack: Stack, store: Store, workerCount: number, users: number[], log: (line: string) => void): Promise<RunResult> {
  const workerIndexes = Array.from({ length: workerCount }, (_, i) => i);
  const mainLogBefore = enqueuedExecutions(fs.readFileSync(stack.n8n.logFile, 'utf8')).length;
  // Idle rate first, then the burst.
  const idleStart = cpuSnapshot(stack, workerIndexes);
  await sleep(IDLE_MS);
  const idleEnd = cpuSnapshot(stack, workerIndexes);
  const idleMainPerSecond = ((idleEnd.main - idleStart.main) * 1000) / IDLE_MS;
  const idleWorkersPerSecond = idleEnd.workers.map((w, i) => ((w - idleStart.workers[i]) * 1000) / IDLE_MS);

  const before = cpuSnapshot(stack, workerIndexes);
  const startedAt = Date.now();
  for (let i = 0; i < BURST; i++) {
    const user = users[i % users.length];
    stack.telegram.sendUserText({ userId: user, firstName: `U${user}`, text: `buy item ${i} tomorrow` });
  }
  const deadline = Date.now() + 600_000;
  let drafts = 0;
  let lastProgress = 0;
  while (Date.now() < deadline) {
    drafts = await cardsFor(stack, users);
    if (drafts >= BURST) break;
    if (Date.now() - lastProgress > 10_000) {
      log(`  ${drafts}/${BURST} drafts after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
      lastProgress = Date.now();
    }
    await sleep(50);
  }
  const seconds = (Date.now() - startedAt) / 1000;
  while (Date.now() < deadline && (await openCommands(store)) > 0) await sleep(100);
  const elapsedWithSettle = (Date.now() - startedAt) / 1000;
  const after = cpuSnapshot(stack, workerIndexes);
  const enqueued = enqueuedExecutions(fs.readFileSync(stack.n8n.logFile, 'utf8')).length - mainLogBefore;

  const main = after.main - before.main;
  const workers = after.workers.map((w, i) => w - before.workers[i]);
  const workersTotal = workers.reduce((a, b) => a + b, 0);
  const idleWorkers = idleWorkersPerSecond.reduce((a, b) => a + b, 0);
  const perDraft = (ms: number) => Math.round((ms / Math.max(1, drafts)) * 10) / 10;
  return {
    workers: workerCount,
    messages: BURST,
    drafts,
    seconds: Math.round(seconds * 100) / 100,
    draftsPerSecond: Math.round((drafts / seconds) * 100) / 100,
    enqueuedExecutions: enqueued,
    executionsPerDraft: Math.round((enqueued / Math.max(1, drafts)) * 100) / 100,
    cpuMs: { main: Math.round(main), workers: workers.map(Math.round), idleMainPerSecond: Math.round(idleMainPerSecond), idleWorkersPerSecond: idleWorkersPerSecond.map(Math.round) },
    cpuMsPerDraft: {
      main: perDraft(main),
      mainIdleCorrected: perDraft(main - idleMainPerSecond * elapsedWithSettle),
      workers: perDraft(workersTotal),
      workersIdleCorrected: perDraft(workersTotal - idleWorkers * elapsedWithSettle),
      total: perDraft(main + workersTotal),
    },
    mainCpuMsPerExecution: Math.round((main / Math.max(1, enqueued)) * 10) / 10,
  };
}

async function runProfile(name: string, log: (line: string) => void): Promise<RunResult[]> {
  const profile = PROFILES[name];
  if (!profile) throw new Error(`unknown profile ${name}; known: ${Object.keys(PROFILES).join(', ')}`);
  const N8N_ENV = profile.env;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-queue-bench-'));
  const userSets = [0, 1, 2].map((set) => Array.from({ length: USERS }, (_, i) => FIRST_USER + set * 1000 + i));
  const allowed = userSets.flat();
  log(`queue-mode bench: burst ${BURST} messages from ${USERS} users; n8n env ${JSON.stringify(N8N_ENV)}`);
  const t0 = Date.now();
  const stack = await startStack({ dataDir, allowedUserIds: allowed, queueMode: { workers: 2 }, extraN8nEnv: N8N_ENV, log });
  log(`stack up in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const store = await openStore(stack.storeConfig);
  const results: RunResult[] = [];
  try {
    // Warm-up on both workers (module loading, JIT, pools), not measured.
    for (let i = 0; i < 10; i++) stack.telegram.sendUserText({ userId: userSets[2][i % USERS], text: `warm up ${i} tomorrow` });
    const warmDeadline = Date.now() + 180_000;
    while (Date.now() < warmDeadline && (await cardsFor(stack, userSets[2])) < 10) await sleep(200);
    while (Date.now() < warmDeadline && (await openCommands(store)) > 0) await sleep(200);
    log(`warm-up done (${await cardsFor(stack, userSets[2])} drafts)`);

    await stack.workers!.stop(1);
    log('1 worker:');
    results.push(await burst(stack, store, 1, userSets[0], log));
    log(JSON.stringify(results[0]));
    await stack.workers!.start(1);
    await sleep(3_000);
    log('2 workers:');
    results.push(await burst(stack, store, 2, userSets[1], log));
    log(JSON.stringify(results[1]));
  } finally {
    await store.close();
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const outFile = path.join(ROOT, 'bench/results/queue-mode-latest.json');
  const report = (fs.existsSync(outFile) ? JSON.parse(fs.readFileSync(outFile, 'utf8')) : {}) as { profiles?: Record<string, unknown> } & Record<string, unknown>;
  const profiles = report.profiles ?? {};
  const ran: Record<string, RunResult[]> = {};
  for (const name of profileNames) {
    log(`profile ${name}: ${PROFILES[name]?.description}`);
    ran[name] = await runProfile(name, log);
    profiles[name] = {
      date: new Date().toISOString(),
      description: PROFILES[name].description,
      n8nEnv: PROFILES[name].env,
      loadavgAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
      runs: ran[name],
    };
  }
  Object.assign(report, {
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model },
    n8n: '2.40.7',
    setup: 'EXECUTIONS_MODE=queue, Redis, PostgreSQL for n8n and for the store, zero-latency emulators, one n8n start main; 1 worker = worker 1 stopped',
    burst: { messages: BURST, users: USERS },
    cpuIncludes: 'utime+stime of the process and of all its live descendants (task runner launcher and JS runner), plus cutime+cstime of reaped children, from /proc',
    referenceMainCpuMsPerMessage: { value: REFERENCE_MAIN_CPU_MS, what: "n8n's main, minimal Telegram pipeline (trigger → 1 community node → sub-workflow → reply), regular mode, vm expression engine (shared/n8n-notes.md)" },
    profiles,
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);

  console.log(`\nQueue mode, ${BURST} messages from ${USERS} users, zero-latency emulators (${os.cpus().length} cores)`);
  console.log('profile       workers  drafts/s  executions/draft  main CPU ms/draft (idle-corr.)  workers CPU ms/draft (idle-corr.)  main ms/execution');
  for (const [name, results] of Object.entries(ran)) {
    for (const r of results) {
      console.log(
        `${name.padEnd(12)}  ${String(r.workers).padStart(7)}  ${r.draftsPerSecond.toFixed(2).padStart(8)}  ${r.executionsPerDraft.toFixed(2).padStart(16)}  ` +
          `${`${r.cpuMsPerDraft.main} (${r.cpuMsPerDraft.mainIdleCorrected})`.padStart(29)}  ${`${r.cpuMsPerDraft.workers} (${r.cpuMsPerDraft.workersIdleCorrected})`.padStart(33)}  ${String(r.mainCpuMsPerExecution).padStart(17)}`,
      );
    }
  }
  console.log(`reference: ~${REFERENCE_MAIN_CPU_MS} ms of main CPU per message for n8n's minimal Telegram pipeline in regular mode`);
  console.log(`written to ${path.relative(ROOT, outFile)}; store claim+complete cycles/s on PostgreSQL vs SQLite: bench/queue.bench.ts`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
