// The assistant's store: one backend-neutral interface over node:sqlite and PostgreSQL.
//
// SQL is written once, with `?` or named (`:name`) placeholders and times as integer
// milliseconds since the epoch, so the same statements run on both backends. The few dialect
// differences (the clock, row locking, a change with its audit rows in one statement) are
// exposed on the handle, as SQL fragments or as a method.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SQLITE_FILENAME, SQLITE_BUSY_TIMEOUT_MS } from '../constants';
import { migrate } from './migrate';
import type { Queryable, Row, SqlParams, SqlValue, Store } from './queryable';

/** How many compiled SQLite statements one connection keeps. */
const SQLITE_STATEMENT_CACHE_SIZE = 200;
/** How long a transaction waiting for another process's write lock retries every SQLITE_LOCK_POLL_US before it polls every millisecond. */
const SQLITE_LOCK_SPIN_MS = 5;
/** The pause between two tries for the write lock in that first phase: a sleep, not a spin, so the waiter leaves the CPU to the holder. */
const SQLITE_LOCK_POLL_US = 50;
/**
 * How long after its commit a connection that has met another process at the lock waits before
 * it takes the lock again: long enough for a peer polling every SQLITE_LOCK_POLL_US to get it.
 */
const SQLITE_LOCK_HANDOFF_US = 100;
/** How long a connection goes on handing the lock over after it last had to wait for it. */
const SQLITE_CONTENDED_MS = 1_000;
/** Atomics.wait needs a shared cell; nothing ever wakes it, so each wait lasts its timeout. */
const SLEEP_CELL = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number) => Atomics.wait(SLEEP_CELL, 0, 0, ms);
/** How many translations of named-parameter SQL each dialect keeps. */
const NAMED_SQL_CACHE_SIZE = 200;

export type { Queryable, Row, SqlParams, SqlValue, Store } from './queryable';

// ---------------------------------------------------------------- named parameters

/** A string literal (skipped, so its text may hold colons) or a `:name` that is not part of `::type`. */
const NAMED_PARAMETER = /'(?:[^']|'')*'|(?<![:\w]):([A-Za-z_]\w*)/g;

interface PositionalSql {
  text: string;
  /** The name of each numbered placeholder, in order: `names[0]` is `?1` or `$1`. */
  names: string[];
}

/** A small most-recently-used map: the same few statements are translated over and over. */
class BoundedCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string, make: () => V): V {
    let value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
    } else {
      value = make();
      if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, value);
    return value;
  }
}

/**
 * `:name` placeholders become numbered ones (`?1` on SQLite, `$1` on PostgreSQL), one number
 * per distinct name, so a name used twice is bound once.
 */
export function toNumberedPlaceholders(sql: string, dialect: 'sqlite' | 'postgres'): PositionalSql {
  const names: string[] = [];
  const text = sql.replace(NAMED_PARAMETER, (match: string, name: string | undefined) => {
    if (name === undefined) return match;
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `${dialect === 'sqlite' ? '?' : '$'}${index + 1}`;
  });
  return { text, names };
}

function namedValues(sql: string, names: readonly string[], params: Readonly<Record<string, SqlValue>>): SqlValue[] {
  return names.map((name) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined) throw new Error(`No value for :${name} in ${sql.replace(/\s+/g, ' ').slice(0, 80)}`);
    return value;
  });
}

/** Statement text and positional values for either kind of parameters. */
function positional(
  cache: BoundedCache<PositionalSql>,
  dialect: 'sqlite' | 'postgres',
  sql: string,
  params: SqlParams | undefined,
  translatePositional: (sql: string) => string,
): { text: string; values: SqlValue[] } {
  if (params === undefined || Array.isArray(params)) return { text: translatePositional(sql), values: (params ?? []) as SqlValue[] };
  const translated = cache.get(sql, () => toNumberedPlaceholders(sql, dialect));
  return { text: translated.text, values: namedValues(sql, translated.names, params as Readonly<Record<string, SqlValue>>) };
}

/** The ids of the changed rows, as SQLite reads them back for changeWithRecord. */
const CHANGED_IDS_PARAM = 'changed_ids';

export type StoreConfig =
  | { backend: 'sqlite'; file?: string }
  | {
      backend: 'postgres';
      host: string;
      port: number;
      database: string;
      user: string;
      password?: string;
      ssl?: boolean;
      /** Verify the server certificate when ssl is on. */
      sslRejectUnauthorized?: boolean;
    };

/** Where the SQLite file lives when the credential leaves the path empty: inside n8n's user folder. */
export function defaultSqlitePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(homeFolder(env), '.n8n', DEFAULT_SQLITE_FILENAME);
}

/** What "~" stands for: n8n's user folder when N8N_USER_FOLDER is set (it holds .n8n), else the home folder. */
function homeFolder(env: NodeJS.ProcessEnv): string {
  return env.N8N_USER_FOLDER || os.homedir();
}

/**
 * The absolute path of the SQLite file a credential names. No shell expands "~" for us, and the
 * credential's placeholder shows "~/.n8n/…": a leading "~/" is the home folder (as for the
 * default path), not a folder literally named "~". Empty means the default path.
 */
export function resolveSqlitePath(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const trimmed = (file ?? '').trim();
  if (trimmed === ':memory:') return trimmed;
  if (trimmed === '') return defaultSqlitePath(env);
  if (trimmed === '~' || trimmed.startsWith('~/')) return path.resolve(homeFolder(env), trimmed.slice(2));
  return path.resolve(trimmed);
}

// ---------------------------------------------------------------- SQLite

/** Serializes access to one shared connection so an open transaction never interleaves with another caller's statements. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

function plain<T>(row: unknown): T {
  return { ...(row as object) } as T;
}

const sqliteNamedSql = new BoundedCache<PositionalSql>(NAMED_SQL_CACHE_SIZE);
const samePositional = (sql: string) => sql;

class SqliteQueryable implements Queryable {
  readonly dialect = 'sqlite' as const;
  readonly nowMs = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
  readonly skipLocked = '';
  readonly forUpdate = '';
  /**
   * Compiled statements by SQL text. Compiling costs about as much as running a short
   * statement, and the queue runs the same few statements over and over. Bounded, because
   * some statements embed a count of placeholders (claims of n commands).
   */
  private readonly statements = new Map<string, any>();

  constructor(protected readonly db: any) {}

  private prepare(sql: string) {
    let statement = this.statements.get(sql);
    if (statement) {
      // Most recently used last, so the oldest entry is the first to go.
      this.statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.statements.size >= SQLITE_STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, statement);
    return statement;
  }
  private statement(sql: string, params: SqlParams | undefined) {
    const { text, values } = positional(sqliteNamedSql, 'sqlite', sql, params, samePositional);
    return { statement: this.prepare(text), values };
  }
  async all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const { statement, values } = this.statement(sql, params);
    return statement.all(...values).map((r: unknown) => plain<T>(r));
  }
  async get<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    const { statement, values } = this.statement(sql, params);
    const row = statement.get(...values);
    return row === undefined ? undefined : plain<T>(row);
  }
  async run(sql: string, params?: SqlParams): Promise<number> {
    const { statement, values } = this.statement(sql, params);
    return Number(statement.run(...values).changes);
  }
  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }
  /** Call inside a transaction (SqliteStore's own changeWithRecord opens one). */
  async changeWithRecord<T = Row>(table: string, change: string, record: string, params: Readonly<Record<string, SqlValue>>): Promise<T[]> {
    const rows = await this.all<T>(change, params);
    if (rows.length > 0) {
      const ids = JSON.stringify(rows.map((row) => (row as Row).id));
      await this.run(`WITH changed AS (SELECT * FROM ${table} WHERE id IN (SELECT value FROM json_each(:${CHANGED_IDS_PARAM}))) ${record}`, {
        ...params,
        [CHANGED_IDS_PARAM]: ids,
      });
    }
    return rows;
  }
}

class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly nowMs: string;
  readonly skipLocked = '';
  readonly forUpdate = '';
  private readonly inner: SqliteQueryable;
  private readonly mutex = new Mutex();
  /** When this connection last had to wait for the write lock, and last committed (performance.now()). */
  private contendedAt = -Infinity;
  private committedAt = -Infinity;
  /** The transaction's own statements, compiled once: each transaction runs all of them. */
  private readonly statements: Record<'noBusyWait' | 'busyWait' | 'beginImmediate' | 'commit', { run(): unknown }>;

  constructor(private readonly db: any) {
    this.inner = new SqliteQueryable(db);
    this.nowMs = this.inner.nowMs;
    this.statements = {
      noBusyWait: db.prepare('PRAGMA busy_timeout = 0'),
      busyWait: db.prepare(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`),
      beginImmediate: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
    };
  }
  all<T = Row>(sql: string, params?: SqlParams) {
    return this.mutex.lock(() => this.inner.all<T>(sql, params));
  }
  get<T = Row>(sql: string, params?: SqlParams) {
    return this.mutex.lock(() => this.inner.get<T>(sql, params));
  }
  run(sql: string, params?: SqlParams) {
    return this.mutex.lock(() => this.inner.run(sql, params));
  }
  exec(sql: string) {
    return this.mutex.lock(async () => this.db.exec(sql));
  }
  changeWithRecord<T = Row>(table: string, change: string, record: string, params: Readonly<Record<string, SqlValue>>): Promise<T[]> {
    return this.transaction((tx) => tx.changeWithRecord<T>(table, change, record, params));
  }
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      // IMMEDIATE takes the write lock up front, so a transaction never fails half-way
      // with SQLITE_BUSY when it upgrades from reading to writing.
      await this.beginImmediate();
      try {
        const result = await fn(this.inner);
        this.statements.commit.run();
        this.committedAt = performance.now();
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }
  /**
   * Waits for the write lock by polling instead of through SQLite's busy handler. The handler
   * sleeps synchronously (blocking n8n's event loop) with delays growing to 100 ms, so a waiting
   * process rarely catches the moment a busy writer releases the lock: under steady load one
   * worker starved for seconds and could hit the busy timeout. Another process's transaction
   * holds the lock for about a millisecond (a commit's fsync), so for the first
   * SQLITE_LOCK_SPIN_MS the waiter tries every SQLITE_LOCK_POLL_US, sleeping in between (a
   * spinning waiter took the CPU its holder needed: on two cores two processes were slower than
   * one) and letting the event loop turn after each try; after that every millisecond, so that
   * a long writer is not met with a busy core. Same overall limit: SQLITE_BUSY_TIMEOUT_MS.
   *
   * The holder would still win nearly every time: its next transaction starts a few
   * microseconds after its commit, before a waiter's next try. So a connection that has met a
   * peer at the lock lately hands it over: its next transaction waits until
   * SQLITE_LOCK_HANDOFF_US after its commit, in which the waiting peer takes the lock, and the
   * two alternate. A connection that never waits (one process) never pauses.
   */
  private async beginImmediate() {
    const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
    const now = performance.now();
    if (now - this.contendedAt < SQLITE_CONTENDED_MS) {
      const handoffLeft = this.committedAt + SQLITE_LOCK_HANDOFF_US / 1000 - now;
      if (handoffLeft > 0) sleepSync(handoffLeft);
    }
    const spinUntil = performance.now() + SQLITE_LOCK_SPIN_MS;
    this.statements.noBusyWait.run();
    try {
      for (let tries = 1; ; tries++) {
        try {
          this.statements.beginImmediate.run();
          if (tries > 1) this.contendedAt = performance.now();
          return;
        } catch (error) {
          if (!isSqliteBusy(error) || Date.now() >= deadline) throw error;
        }
        if (performance.now() < spinUntil) {
          sleepSync(SQLITE_LOCK_POLL_US / 1000);
          await new Promise((resolve) => setImmediate(resolve));
        } else {
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
    } finally {
      this.statements.busyWait.run();
    }
  }
  async close() {
    await this.mutex.lock(async () => this.db.close());
  }
}

function isSqliteBusy(error: unknown): boolean {
  const { errcode, message } = error as { errcode?: number; message?: string };
  // SQLITE_BUSY is 5; extended codes (e.g. SQLITE_BUSY_SNAPSHOT) keep it in the low byte.
  return (typeof errcode === 'number' && (errcode & 0xff) === 5) || /database is locked/.test(String(message));
}

/**
 * Switching a new file to WAL needs an exclusive lock, and when two connections race for it
 * SQLite answers SQLITE_BUSY at once, without its busy handler (waiting could deadlock).
 * So two processes opening a fresh file at the same moment could fail with "database is
 * locked". Retry with a short random pause, within the usual busy timeout.
 */
async function enableWal(db: { exec(sql: string): void }): Promise<void> {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10));
  }
}

async function openSqlite(file: string): Promise<Store> {
  // Loaded lazily: node:sqlite prints an experimental warning on some Node versions.
  const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // The store holds chat text: owner and group only (mode 660).
    fs.closeSync(fs.openSync(file, 'a', 0o660));
    fs.chmodSync(file, 0o660);
  }
  const db = new DatabaseSync(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    await enableWal(db);
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteStore(db);
}

// ---------------------------------------------------------------- PostgreSQL

/** `?` placeholders become `$1, $2, …`; our SQL never has `?` inside string literals. */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type PgQueryConfig = { name: string; text: string; values: unknown[] };
type PgClient = { query: (sql: string | PgQueryConfig, params?: unknown[]) => Promise<{ rows: any[]; rowCount: number | null }> };

const postgresNamedSql = new BoundedCache<PositionalSql>(NAMED_SQL_CACHE_SIZE);
const postgresStatementNames = new BoundedCache<string>(NAMED_SQL_CACHE_SIZE);

/**
 * A server-side prepared statement's name for a statement's text. Unnamed, every query is
 * parsed and planned again by the server: for the claim (three ordered, locking scans merged)
 * that cost more than running it. node-postgres prepares a named statement once per
 * connection and then only binds and executes it. Named by a hash of the text, so one name
 * never stands for two texts.
 */
function postgresStatementName(text: string): string {
  return postgresStatementNames.get(text, () => `q_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`);
}

/**
 * Statements that run unnamed from now on: a newer installation (a queue-mode worker upgraded
 * first) added a column to a table they read with `*`, and the server refuses a prepared
 * statement whose result type changed, on every connection that prepared it, until it is
 * deallocated. Rare (a migration), so running such a statement unplanned is the cheap way out.
 */
const unpreparedStatements = new Set<string>();

function isChangedResultType(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === '0A000' && /cached plan must not change result type/.test(String(message));
}

class PostgresQueryable implements Queryable {
  readonly dialect = 'postgres' as const;
  readonly nowMs = '(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint';
  readonly skipLocked = 'FOR UPDATE SKIP LOCKED';
  readonly forUpdate = 'FOR UPDATE';
  /** `inTransaction`: a failed statement aborts the transaction, so it is not retried here (transaction() retries the whole). */
  constructor(
    protected readonly client: PgClient,
    private readonly inTransaction = false,
  ) {}
  private async query(sql: string, params: SqlParams | undefined) {
    const { text, values } = positional(postgresNamedSql, 'postgres', sql, params, toPostgresPlaceholders);
    if (unpreparedStatements.has(text)) return this.client.query(text, values);
    try {
      return await this.client.query({ name: postgresStatementName(text), text, values });
    } catch (error) {
      if (!isChangedResultType(error)) throw error;
      unpreparedStatements.add(text);
      if (this.inTransaction) throw error;
      return this.client.query(text, values);
    }
  }
  async all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }
  async get<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
  async run(sql: string, params?: SqlParams): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
  /** One statement, atomic on its own: outside a transaction it needs no BEGIN and COMMIT round trips. */
  changeWithRecord<T = Row>(_table: string, change: string, record: string, params: Readonly<Record<string, SqlValue>>): Promise<T[]> {
    return this.all<T>(`WITH changed AS (${change}), recorded AS (${record}) SELECT * FROM changed`, params);
  }
}

class PostgresStore extends PostgresQueryable implements Store {
  constructor(private readonly pool: any) {
    super(pool);
  }
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.transactionOnce(fn);
    } catch (error) {
      // The statement now runs unnamed (see unpreparedStatements); nothing was committed.
      if (isChangedResultType(error)) return this.transactionOnce(fn);
      throw error;
    }
  }
  private async transactionOnce<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PostgresQueryable(client, true));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  async close() {
    await this.pool.end();
  }
}

function openPostgres(config: Extract<StoreConfig, { backend: 'postgres' }>): Store {
  const pg = require('pg') as typeof import('pg');
  // BIGINT (epoch ms, ids) as numbers: they stay far below 2^53.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password || undefined,
    ssl: config.ssl ? { rejectUnauthorized: config.sslRejectUnauthorized ?? true } : undefined,
    max: 10,
  });
  // A connection the server closes while idle in the pool (restart, failover, an admin's
  // pg_terminate_backend) is reported as an 'error' event on the pool; unheard, it crashes the
  // whole n8n process. The pool has already discarded that client, and the next query opens a
  // new one, so there is nothing else to do.
  pool.on('error', () => undefined);
  return new PostgresStore(pool);
}

// ---------------------------------------------------------------- opening, once per process

export function storeKey(config: StoreConfig): string {
  if (config.backend === 'sqlite') return `sqlite:${resolveSqlitePath(config.file)}`;
  return `postgres:${config.user}@${config.host}:${config.port}/${config.database}`;
}

/** Opens a store and applies pending migrations. Most callers want getStore(), which reuses connections. */
export async function openStore(config: StoreConfig): Promise<Store> {
  const store =
    config.backend === 'sqlite'
      ? await openSqlite(resolveSqlitePath(config.file))
      : openPostgres(config);
  try {
    await migrate(store);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

const openStores = new Map<string, Promise<Store>>();

/**
 * One connection (SQLite) or pool (PostgreSQL) per database per process, migrated on first use.
 * n8n runs many executions in one process; opening the file for each would repeat the pragmas
 * and the migration check on every item.
 */
export function getStore(config: StoreConfig): Promise<Store> {
  const key = storeKey(config);
  let store = openStores.get(key);
  if (!store) {
    store = openStore(config);
    openStores.set(key, store);
    store.catch(() => openStores.delete(key));
  }
  return store;
}

/** Closes every store getStore() opened (tests, shutdown). */
export async function closeAllStores(): Promise<void> {
  const stores = [...openStores.values()];
  openStores.clear();
  await Promise.all(stores.map(async (s) => (await s.catch(() => undefined))?.close()));
}
