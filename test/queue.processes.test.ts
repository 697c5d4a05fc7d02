// The queue under several real processes on one SQLite file (and one PostgreSQL database for
// idempotency): concurrent claims, workers killed with SIGKILL, a paused worker, and the same
// idempotency key enqueued at once.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Store, type StoreConfig } from '../nodes/shared/store/db';
import { claimCommands, completeCommand, enqueueCommand } from '../nodes/shared/queue/commands';
import { type BackendName, backends } from './helpers/backends';
import { createThrowawayDatabase, type ThrowawayDatabase } from './helpers/pgDatabase';
import { seedCommands } from './helpers/seed';
import { auditActions, sleep } from './helpers/rows';
import { allSucceed, spawnWorker } from './helpers/spawnWorker';

jest.setTimeout(60_000);

async function statusCounts(store: Store) {
  const rows = await store.all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM commands GROUP BY status ORDER BY status');
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

// Processes share the file through the page cache; tmpfs spares these tests thousands of fsyncs
// they do not need (a SIGKILL does not lose what reached the kernel). Durability of the real
// setup (synchronous FULL on disk) is what bench/queue.bench.ts measures.
const FAST_TMP = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

/**
 * SIGSTOPs a worker at a moment it holds no SQLite write lock: a renewing worker writes every
 * few milliseconds, and stopped inside a transaction it would lock everyone out of the file.
 */
async function stopOutsideWriteTransaction(child: ChildProcess, file: string) {
  const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
  const probe = new DatabaseSync(file, { timeout: 0 });
  try {
    for (;;) {
      child.kill('SIGSTOP');
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
        return;
      } catch {
        child.kill('SIGCONT');
        await sleep(3);
      }
    }
  } finally {
    probe.close();
  }
}

const readLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

describe('queue across SQLite processes', () => {
  let dir: string;
  let file: string;
  let config: StoreConfig;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(FAST_TMP, 'draft-assistant-procs-'));
    file = path.join(dir, 'queue.sqlite');
    config = { backend: 'sqlite', file };
    store = await openStore(config);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing when workers are killed with SIGKILL while holding leases, and re-runs a command at most once per kill', async () => {
    const total = 1_000;
    const ids = await seedCommands(store, total, 100);
    const rounds = 10;
    const interruptedBy = new Map<number, number>(); // command → kills that interrupted it while running
    let started = 0;
    let killsHoldingLeases = 0;
    const starts = new Map<number, number>();
    const doneInLogs: number[] = [];

    for (let round = 0; round < rounds; round++) {
      const log = path.join(dir, `crashy-${round}.log`);
      const worker = spawnWorker({ mode: 'crashy', config, owner: `crashy-${round}`, log, batch: 5, leaseMs: 200, workMs: 3 });
      // Let it work a little, then kill it while it is inside a command (last line a "start").
      while (readLines(log).length < 3) await sleep(5);
      await sleep(20 + Math.random() * 100);
      while (!readLines(log).at(-1)?.startsWith('start')) await sleep(1);
      worker.child.kill('SIGKILL');
      const { signal } = await worker.exited;
      expect(signal).toBe('SIGKILL');

      const lines = readLines(log).map((l) => l.split(' ') as [string, string]);
      expect(lines.filter(([event]) => event === 'lost')).toEqual([]);
      for (const [event, id] of lines) {
        if (event === 'start') starts.set(Number(id), (starts.get(Number(id)) ?? 0) + 1);
        if (event === 'done') doneInLogs.push(Number(id));
      }
      started += lines.filter(([event]) => event === 'start').length;
      // The kill may land just after a "done"; then no command was mid-run, only claimed.
      const [lastEvent, lastId] = lines.at(-1)!;
      if (lastEvent === 'start') interruptedBy.set(Number(lastId), (interruptedBy.get(Number(lastId)) ?? 0) + 1);
      const held = await store.get<{ n: number }>("SELECT COUNT(*) AS n FROM commands WHERE status = 'processing' AND lease_owner = ?", [`crashy-${round}`]);
      if (Number(held!.n) > 0) killsHoldingLeases++;
    }
    expect(started).toBeGreaterThan(rounds * 3);
    // The kills really hit workers holding leases (nearly always; a kill between batches holds none).
    expect(killsHoldingLeases).toBeGreaterThanOrEqual(rounds / 2);

    // A survivor drains the rest once the dead workers' leases have expired.
    await sleep(250);
    let finalRuns = 0;
    for (let idle = 0; idle < 3; ) {
      const claimed = await claimCommands(store, { owner: 'survivor', limit: 50, leaseMs: 30_000 });
      if (claimed.length === 0) {
        idle++;
        await sleep(50);
        continue;
      }
      idle = 0;
      for (const c of claimed) {
        starts.set(c.id, (starts.get(c.id) ?? 0) + 1);
        finalRuns++;
        expect(await completeCommand(store, { id: c.id, leaseToken: c.leaseToken })).toMatchObject({ applied: true });
      }
    }
    expect(finalRuns).toBeGreaterThan(0);

    // Nothing lost: every command completed.
    expect(await statusCounts(store)).toEqual({ completed: total });
    expect(new Set(doneInLogs).size).toBe(doneInLogs.length);
    // Re-runs only where a kill interrupted the command: runs ≤ 1 + kills that hit it.
    const overRun = ids.filter((id) => (starts.get(id) ?? 0) > 1 + (interruptedBy.get(id) ?? 0));
    expect(overRun).toEqual([]);
    // Claims (attempts) exceed runs only by what the kills caught claimed but not yet started.
    const extraClaims = await store.get<{ n: number }>('SELECT SUM(attempts) - COUNT(*) AS n FROM commands');
    expect(Number(extraClaims!.n)).toBeLessThanOrEqual(rounds * 5);
    expect(await store.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
  });

  it('a paused worker that resumes after its lease was taken over cannot complete the command', async () => {
    const { command } = await enqueueCommand(store, { type: 'help', userId: 'telegram:5', payload: {}, dedupeKey: 'paused' });
    const go = path.join(dir, 'go');
    const paused = spawnWorker({ mode: 'pause', config, owner: 'paused-worker', leaseMs: 300, go });
    const { claimed } = (await paused.nextReport()) as { claimed: { id: number; leaseToken: string } };
    expect(claimed.id).toBe(command.id);
    paused.child.kill('SIGSTOP');
    try {
      await sleep(400);
      const [taken] = await claimCommands(store, { owner: 'worker-b', limit: 1, leaseMs: 60_000 });
      expect(taken).toMatchObject({ id: command.id, attempts: 2 });
      expect(await completeCommand(store, { id: taken.id, leaseToken: taken.leaseToken, result: { by: 'worker-b' } })).toMatchObject({ applied: true });
      fs.writeFileSync(go, '');
    } finally {
      paused.child.kill('SIGCONT');
    }
    const { result } = (await paused.nextReport()) as { result: { applied: boolean; reason: string } };
    expect(result).toMatchObject({ applied: false, reason: 'lease_lost', command: { status: 'completed', result: { by: 'worker-b' } } });
    await allSucceed([paused]);
    const row = await store.get('SELECT status, result_json, attempts, lease_token FROM commands WHERE id = ?', [command.id]);
    expect(row).toEqual({ status: 'completed', result_json: JSON.stringify({ by: 'worker-b' }), attempts: 2, lease_token: null });
    expect(await auditActions(store, 'command', command.id)).toEqual(['command_created', 'command_claimed', 'command_claimed', 'command_executed']);
  });

  it('a worker process that renews its lease keeps its command past many leases; stopped, it is taken over and cannot take it back', async () => {
    const { command } = await enqueueCommand(store, { type: 'help', userId: 'telegram:5', payload: {}, dedupeKey: 'renewing' });
    const go = path.join(dir, 'go');
    const renewing = spawnWorker({ mode: 'renewing', config, owner: 'renewing-worker', leaseMs: 300, go });
    const { claimed } = (await renewing.nextReport()) as { claimed: { id: number; leaseToken: string } };
    expect(claimed.id).toBe(command.id);
    let resumed = false;
    try {
      // Alive: however long it works, nobody takes the command over.
      const aliveUntil = Date.now() + 1_500;
      while (Date.now() < aliveUntil) {
        expect(await claimCommands(store, { owner: 'worker-b', limit: 1, leaseMs: 60_000 })).toEqual([]);
        await sleep(50);
      }
      // Stopped: it renews nothing, so the lease runs out and another worker takes over.
      await stopOutsideWriteTransaction(renewing.child, file);
      await sleep(500);
      const [taken] = await claimCommands(store, { owner: 'worker-b', limit: 1, leaseMs: 60_000 });
      expect(taken).toMatchObject({ id: command.id, attempts: 2 });
      renewing.child.kill('SIGCONT');
      resumed = true;
      // Resumed, its renewals find the lease gone and change nothing.
      await sleep(300);
      expect(await store.get('SELECT lease_token FROM commands WHERE id = ?', [command.id])).toEqual({ lease_token: taken.leaseToken });
      expect(await completeCommand(store, { id: taken.id, leaseToken: taken.leaseToken, result: { by: 'worker-b' } })).toMatchObject({ applied: true });
      fs.writeFileSync(go, '');
    } finally {
      if (!resumed) renewing.child.kill('SIGCONT');
    }
    const { result } = (await renewing.nextReport()) as { result: { applied: boolean; reason: string } };
    expect(result).toMatchObject({ applied: false, reason: 'lease_lost', command: { status: 'completed', result: { by: 'worker-b' } } });
    await allSucceed([renewing]);
  });

  it('a renewing worker killed with SIGKILL holds its command no longer than one lease', async () => {
    const { command } = await enqueueCommand(store, { type: 'help', userId: 'telegram:5', payload: {}, dedupeKey: 'renewing-killed' });
    const renewing = spawnWorker({ mode: 'renewing', config, owner: 'killed-worker', leaseMs: 300, go: path.join(dir, 'never') });
    const { claimed } = (await renewing.nextReport()) as { claimed: { id: number } };
    expect(claimed.id).toBe(command.id);
    await sleep(700);
    expect(await claimCommands(store, { owner: 'worker-b', limit: 1, leaseMs: 60_000 })).toEqual([]);
    renewing.child.kill('SIGKILL');
    await renewing.exited;
    await sleep(450);
    expect(await claimCommands(store, { owner: 'worker-b', limit: 1, leaseMs: 60_000 })).toMatchObject([{ id: command.id, attempts: 2 }]);
  });
});

/** One database shared by the test's processes: a SQLite file on tmpfs, or a throwaway PostgreSQL database. */
function useSharedStore(backend: BackendName) {
  const shared = {} as { config: StoreConfig; store: Store; dir: string };
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    shared.dir = fs.mkdtempSync(path.join(FAST_TMP, 'draft-assistant-shared-'));
    if (backend === 'postgres') {
      const db: ThrowawayDatabase = await createThrowawayDatabase();
      shared.config = db.config;
      cleanup = () => db.drop();
    } else {
      shared.config = { backend: 'sqlite', file: path.join(shared.dir, 'shared.sqlite') };
    }
    shared.store = await openStore(shared.config);
  });
  afterEach(async () => {
    await shared.store?.close();
    await cleanup?.();
    fs.rmSync(shared.dir, { recursive: true, force: true });
  });
  return shared;
}

// SQLite takes the full load; PostgreSQL (one fsync per commit, slower here) a smaller one.
const DRAIN_SIZE: Record<BackendName, number> = { sqlite: 12_000, postgres: 2_000 };

describe.each(backends)('4 worker processes claiming from one queue (%s)', (backend) => {
  const shared = useSharedStore(backend);

  it(`claim batches of 1–20 and complete every one of ${DRAIN_SIZE[backend].toLocaleString('en-US')} commands exactly once`, async () => {
    const { config, store, dir } = shared;
    const ids = await seedCommands(store, DRAIN_SIZE[backend]);
    const logs = [0, 1, 2, 3].map((i) => path.join(dir, `worker-${i}.log`));
    const startAt = Date.now() + 1_500;
    const workers = logs.map((log, i) =>
      spawnWorker({ mode: 'drain', config, owner: `worker-${i}`, log, batchMin: 1, batchMax: 20, leaseMs: 60_000, startAt }),
    );
    await allSucceed(workers);

    const perWorker = logs.map((log) => readLines(log).map(Number));
    const all = perWorker.flat();
    // Union = every command; no command in two logs or twice in one (intersection empty).
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => a - b)).toEqual(ids);
    // Every worker got a share: the claims really were concurrent.
    for (const done of perWorker) expect(done.length).toBeGreaterThan(0);

    // The database agrees: all completed on the first attempt, by the worker whose log has it.
    expect(await statusCounts(store)).toEqual({ completed: ids.length });
    const figures = await store.get<{ max: number; executed: number }>(
      "SELECT MAX(attempts) AS max, (SELECT COUNT(*) FROM audit_log WHERE action = 'command_executed') AS executed FROM commands",
    );
    expect({ max: Number(figures!.max), executed: Number(figures!.executed) }).toEqual({ max: 1, executed: ids.length });
    const rows = await store.all<{ id: number; result_json: string }>('SELECT id, result_json FROM commands');
    const ownerOf = new Map(rows.map((r) => [Number(r.id), (JSON.parse(r.result_json) as { by: string }).by]));
    perWorker.forEach((done, i) => expect(done.filter((id) => ownerOf.get(id) !== `worker-${i}`)).toEqual([]));
  });
});

describe.each(backends)('one idempotency key enqueued by several processes at once (%s)', (backend) => {
  const shared = useSharedStore(backend);

  it('stores exactly one command; every other process gets duplicate:true with the same id', async () => {
    const startAt = Date.now() + 1_500;
    const { config, store } = shared;
    const workers = Array.from({ length: 5 }, () => spawnWorker({ mode: 'enqueue', config, key: 'telegram:bot:update-1', startAt }));
    const results = (await allSucceed(workers)).map((r) => r.reports[0] as { id: number; duplicate: boolean });
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const rows = await store.all('SELECT id FROM commands WHERE dedupe_key = ?', ['telegram:bot:update-1']);
    expect(rows).toEqual([{ id: results[0].id }]);
    expect(await auditActions(store, 'command', results[0].id)).toEqual(['command_created', ...Array(4).fill('command_duplicate_ignored')]);
  });
});
