// Migrations and the SQLite file's setup: applied on first use, exactly once, even when two
// processes open a fresh file at the same moment.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Queryable, type Store } from '../nodes/shared/store/db';
import { loadMigrations, migrate, schemaVersion } from '../nodes/shared/store/migrate';
import { createThrowawayDatabase, skipPostgres, type ThrowawayDatabase } from './helpers/pgDatabase';
import { allSucceed, spawnWorker } from './helpers/spawnWorker';

jest.setTimeout(30_000); // the tests that start processes

const shipped = loadMigrations();
const latest = Math.max(...shipped.map((m) => m.version));

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-migrate-'));
}

async function sqliteSchema(db: Queryable) {
  return db.all("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name");
}

async function recordedVersions(db: Queryable) {
  return (await db.all<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).map((r) => ({
    version: Number(r.version),
    name: r.name,
  }));
}

describe('SQLite migrations', () => {
  let dir: string;
  let store: Store | undefined;
  beforeEach(() => (dir = tempDir()));
  afterEach(async () => {
    await store?.close();
    store = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies every shipped migration on first open and records the schema version', async () => {
    store = await openStore({ backend: 'sqlite', file: path.join(dir, 'nested', 'new.sqlite') });
    expect(await recordedVersions(store)).toEqual(shipped.map((m) => ({ version: m.version, name: m.name })));
    expect(await schemaVersion(store)).toBe(latest);
    const tables = (await sqliteSchema(store)).filter((o) => o.type === 'table').map((o) => o.name);
    expect(tables).toEqual(expect.arrayContaining(['users', 'commands', 'drafts', 'chat_state', 'executions', 'audit_log', 'schema_migrations']));
  });

  it('migrating twice changes nothing', async () => {
    const file = path.join(dir, 'twice.sqlite');
    store = await openStore({ backend: 'sqlite', file });
    const schema = await sqliteSchema(store);
    const versions = await store.all('SELECT * FROM schema_migrations ORDER BY version');
    expect(await migrate(store)).toEqual([]);
    await store.close();
    // Reopening runs the migration check again.
    store = await openStore({ backend: 'sqlite', file });
    expect(await sqliteSchema(store)).toEqual(schema);
    expect(await store.all('SELECT * FROM schema_migrations ORDER BY version')).toEqual(versions);
  });

  it('rolls back a failing migration and does not record it', async () => {
    store = await openStore({ backend: 'sqlite', file: path.join(dir, 'bad.sqlite') });
    const schema = await sqliteSchema(store);
    const broken = [{ version: 9999, name: '9999_broken', sql: 'CREATE TABLE half_done (id INTEGER); SELECT * FROM no_such_table;' }];
    await expect(migrate(store, broken)).rejects.toThrow('no such table');
    expect(await sqliteSchema(store)).toEqual(schema);
    expect(await schemaVersion(store)).toBe(latest);
  });

  it('creates the file with mode 0660 whatever the umask, and the WAL beside it too', async () => {
    const file = path.join(dir, 'private.sqlite');
    const opener = spawnWorker({ mode: 'open', config: { backend: 'sqlite', file } }, { umask: '077' });
    await allSucceed([opener]);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('660');
    store = await openStore({ backend: 'sqlite', file });
    await store.run("INSERT INTO users (user_id, created_at, updated_at) VALUES ('u', 0, 0)");
    expect((fs.statSync(`${file}-wal`).mode & 0o777).toString(8)).toBe('660');
  });

  it('opens with WAL, busy_timeout, foreign keys on and synchronous FULL', async () => {
    const opener = spawnWorker({ mode: 'open', config: { backend: 'sqlite', file: path.join(dir, 'pragmas.sqlite') } });
    const [{ reports }] = await allSucceed([opener]);
    expect(reports[0]).toEqual({ journalMode: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 10_000 });
  });

  it('lets several processes open a fresh file at the same moment: all succeed, each migration applied once', async () => {
    const file = path.join(dir, 'race.sqlite');
    const startAt = Date.now() + 1_500; // after every child has loaded its code
    const openers = Array.from({ length: 6 }, () => spawnWorker({ mode: 'open', config: { backend: 'sqlite', file }, startAt }));
    await allSucceed(openers);
    store = await openStore({ backend: 'sqlite', file });
    // A second application would have failed on CREATE TABLE, and would show as a second row here.
    expect(await recordedVersions(store)).toEqual(shipped.map((m) => ({ version: m.version, name: m.name })));
    expect(await store.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
  });
});

(skipPostgres ? describe.skip : describe)('PostgreSQL migrations', () => {
  let db: ThrowawayDatabase;
  const stores: Store[] = [];
  beforeAll(async () => (db = await createThrowawayDatabase()));
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await db?.drop();
  });

  it('lets several stores migrate a fresh database at the same moment, each migration applied once, and migrating twice changes nothing', async () => {
    // Separate pools: the advisory lock is what keeps them apart.
    stores.push(...(await Promise.all([openStore(db.config), openStore(db.config), openStore(db.config)])));
    const [store] = stores;
    expect(await recordedVersions(store)).toEqual(shipped.map((m) => ({ version: m.version, name: m.name })));
    expect(await schemaVersion(store)).toBe(latest);
    const columns = () =>
      store.all("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name");
    const before = await columns();
    expect(await migrate(store)).toEqual([]);
    expect(await columns()).toEqual(before);
  });
});
