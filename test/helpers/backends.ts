// The core's tests run once per backend (describe.each(backends)). Each test starts from an
// empty, migrated schema: a new SQLite file per test, or one PostgreSQL database per suite
// that is truncated before each test (creating a database per test would cost seconds).
import { openStore, type Store } from '../../nodes/shared/store/db';
import { createThrowawayDatabase, skipPostgres, type ThrowawayDatabase } from './pgDatabase';
import { tempSqliteStore, type TempStore } from './tempStore';

export type BackendName = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL unless SKIP_POSTGRES_TESTS=1 (an unreachable server fails the tests). */
export const backends: BackendName[] = skipPostgres ? ['sqlite'] : ['sqlite', 'postgres'];

export interface BackendContext {
  readonly store: Store;
}

/** Registers the jest hooks that give every test in the calling describe a clean store. */
export function useCleanStore(backend: BackendName): BackendContext {
  let store: Store | undefined;
  let sqlite: TempStore | undefined;
  let pgDb: ThrowawayDatabase | undefined;

  if (backend === 'postgres') {
    beforeAll(async () => {
      pgDb = await createThrowawayDatabase();
      store = await openStore(pgDb.config);
    });
    beforeEach(async () => {
      // CASCADE empties every table that references users (commands, drafts, chat_state, …).
      await store!.exec('TRUNCATE users, audit_log RESTART IDENTITY CASCADE');
    });
    afterAll(async () => {
      await store?.close();
      await pgDb?.drop();
    });
  } else {
    beforeEach(async () => {
      sqlite = await tempSqliteStore();
      store = sqlite.store;
    });
    afterEach(async () => {
      await sqlite?.cleanup();
    });
  }

  return {
    get store() {
      if (!store) throw new Error(`No ${backend} store: see the error of the suite's beforeAll`);
      return store;
    },
  };
}
