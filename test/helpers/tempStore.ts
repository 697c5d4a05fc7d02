// A fresh, migrated SQLite store in its own temp folder, for tests that need a real database.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Store } from '../../nodes/shared/store/db';

export interface TempStore {
  store: Store;
  file: string;
  dir: string;
  cleanup(): Promise<void>;
}

export async function tempSqliteStore(prefix = 'draft-assistant-'): Promise<TempStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'store.sqlite');
  const store = await openStore({ backend: 'sqlite', file });
  return {
    store,
    file,
    dir,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
