// What each statement of the queue's hot path costs: one process, one command per claim,
// claim+complete for a few seconds on SQLite (WAL, synchronous FULL) and PostgreSQL, every
// statement timed by its SQL text, and each transaction's remainder (BEGIN, COMMIT, waiting for
// the lock, JavaScript) shown as "commit and overhead". A change with its audit rows
// (changeWithRecord) is timed as a whole.
//
//   node -r ./scripts/register-ts.js bench/queue.statements.bench.ts
//
// Figures only. Set SKIP_POSTGRES_TESTS=1 to leave PostgreSQL out.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Queryable, type Store, type StoreConfig } from '../nodes/shared/store/db';
import { claimCommands, completeCommand } from '../nodes/shared/queue/commands';
import { createThrowawayDatabase, skipPostgres } from '../test/helpers/pgDatabase';
import { seedCommands } from '../test/helpers/seed';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS || 3_000);
const SEED = Number(process.env.BENCH_SEED || 20_000);

interface Tally {
  count: number;
  ms: number;
}

class Timings {
  readonly byName = new Map<string, Tally>();
  add(name: string, ms: number) {
    const tally = this.byName.get(name) ?? { count: 0, ms: 0 };
    tally.count++;
    tally.ms += ms;
    this.byName.set(name, tally);
  }
}

/** A statement's name: its first words, enough to tell the queue's statements apart. */
function statementName(sql: string): string {
  const words = sql.replace(/\s+/g, ' ').trim();
  const set = /^UPDATE commands SET (\w+ = '?\w+'?)/.exec(words);
  if (set) return `UPDATE commands SET ${set[1]}`;
  return words.slice(0, 50);
}

async function timed<T>(timings: Timings, name: string, inTransaction: { ms: number } | undefined, fn: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    return await fn();
  } finally {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    timings.add(name, ms);
    if (inTransaction) inTransaction.ms += ms;
  }
}

function timedQueryable(inner: Queryable, timings: Timings, inTransaction?: { ms: number }): Queryable {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'all' || property === 'get' || property === 'run') {
        return (sql: string, params?: never) => timed(timings, statementName(sql), inTransaction, () => value.call(target, sql, params));
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function timedStore(store: Store, timings: Timings): Store {
  const outside = timedQueryable(store, timings);
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'transaction') {
        return <T>(fn: (tx: Queryable) => Promise<T>) => {
          const statements = { ms: 0 };
          const started = process.hrtime.bigint();
          return target.transaction((tx) => fn(timedQueryable(tx, timings, statements))).finally(() => {
            timings.add('  (commit and overhead)', Number(process.hrtime.bigint() - started) / 1e6 - statements.ms);
          });
        };
      }
      if (property === 'changeWithRecord') {
        // One statement on PostgreSQL, a transaction of two on SQLite: timed as a whole, commit included.
        return (table: string, change: string, record: string, params: never) =>
          timed(timings, `${statementName(change)} + audit rows, committed`, undefined, () => target.changeWithRecord(table, change, record, params));
      }
      return Reflect.get(outside, property, receiver);
    },
  });
}

async function profile(label: string, config: StoreConfig) {
  const setup = await openStore(config);
  await setup.exec('DELETE FROM audit_log; DELETE FROM commands');
  await seedCommands(setup, SEED, 5, `profile-${Date.now()}`);
  await setup.close();

  const store = await openStore(config);
  const timings = new Timings();
  const profiled = timedStore(store, timings);
  let cycles = 0;
  const end = Date.now() + DURATION_MS;
  const started = process.hrtime.bigint();
  while (Date.now() < end) {
    const [command] = await claimCommands(profiled, { owner: 'profile', limit: 1, leaseMs: 60_000 });
    if (!command) break;
    await completeCommand(profiled, { id: command.id, leaseToken: command.leaseToken });
    cycles++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();

  console.log(`\n${label}: ${Math.round(cycles / seconds).toLocaleString('en-US')} cycles/s (claim 1 + complete), µs per cycle:`);
  const rows = [...timings.byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
  for (const [name, tally] of rows) {
    console.log(`  ${((tally.ms * 1000) / cycles).toFixed(0).padStart(6)} µs  ${(tally.count / cycles).toFixed(2)}×  ${name}`);
  }
  console.log(`  ${((seconds * 1e6) / cycles).toFixed(0).padStart(6)} µs  per cycle in all`);
}

async function main() {
  console.log(`Queue statements: ${os.cpus().length} CPUs, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-profile-'));
  try {
    await profile('SQLite (WAL, synchronous FULL)', { backend: 'sqlite', file: path.join(dir, 'profile.sqlite') });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (skipPostgres) return;
  const db = await createThrowawayDatabase();
  try {
    await profile('PostgreSQL (127.0.0.1)', db.config);
  } finally {
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
