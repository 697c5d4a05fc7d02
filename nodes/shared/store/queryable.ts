// The store's interface, apart from its backends (db.ts) so that the migrations runner, which
// db.ts calls on open, can use it without importing db.ts back.

export type SqlValue = string | number | bigint | null;
export type Row = Record<string, unknown>;

export interface Queryable {
  readonly dialect: 'sqlite' | 'postgres';
  /** SQL expression for "now" in epoch milliseconds, read from the database's clock. */
  readonly nowMs: string;
  /** Row-lock suffix for a claim subquery: empty on SQLite (writers are serialized anyway). */
  readonly skipLocked: string;
  all<T = Row>(sql: string, params?: SqlValue[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
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
