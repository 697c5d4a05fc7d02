// The store's interface, apart from its backends (db.ts) so that the migrations runner, which
// db.ts calls on open, can use it without importing db.ts back.

export type SqlValue = string | number | bigint | null;
export type Row = Record<string, unknown>;
/**
 * Values for a statement: a list for `?` placeholders, or an object for named ones (`:name`,
 * each name as often as needed). A name without a value is an error; values no name uses are ignored.
 */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface Queryable {
  readonly dialect: 'sqlite' | 'postgres';
  /** SQL expression for "now" in epoch milliseconds, read from the database's clock. */
  readonly nowMs: string;
  /** Row-lock suffix for a claim subquery: empty on SQLite (writers are serialized anyway). */
  readonly skipLocked: string;
  /** Row-lock suffix for a SELECT whose answer decides a write: empty on SQLite (a transaction holds the write lock from its start). */
  readonly forUpdate: string;
  all<T = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: SqlParams): Promise<number>;
  /**
   * A change and what it implies, atomically, returning the changed rows: `change` is an UPDATE
   * (or INSERT) of `table` … RETURNING *, and `record` a statement that reads those rows as the
   * table `changed` (e.g. their audit rows: INSERT INTO audit_log … SELECT … FROM changed).
   * Both take their named parameters from `params`. PostgreSQL runs them as one statement (a
   * data-modifying WITH): one round trip, no transaction around it. SQLite has no
   * data-modifying WITH: the two statements in one transaction, `changed` being the returned
   * rows read back by `id`.
   */
  changeWithRecord<T = Row>(table: string, change: string, record: string, params: Readonly<Record<string, SqlValue>>): Promise<T[]>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Store extends Queryable {
  /**
   * Runs fn in one write transaction; commits when it resolves, rolls back when it throws.
   * Inside fn use only `tx`: the store itself waits for the transaction to end.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
