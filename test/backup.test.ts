// Online backup of the SQLite store and the documented restore (docs/operations.md): back up
// while another process writes, destroy the database, copy the backup into place, reopen, and
// the queue carries on from where the backup was taken.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupFileName, backupStore, defaultBackupFolder, listBackups } from '../nodes/shared/operations/backup';
import { openStore, type Store } from '../nodes/shared/store/db';
import { confirmDraft, createDraft, getDraft } from '../nodes/shared/draft/drafts';
import { InputError } from '../nodes/shared/errors';
import { migrate } from '../nodes/shared/store/migrate';
import { claimCommands, completeCommand, enqueueCommand } from '../nodes/shared/queue/commands';
import { useCleanStore } from './helpers/backends';
import { skipPostgres } from './helpers/pgDatabase';
import { sleep } from './helpers/rows';

const ROOT = path.resolve(__dirname, '..');
const NODE_BIN = path.join(ROOT, 'node_modules', '.bin', 'node');
const USER = 'telegram:4001';
const task = (title: string) => ({ title, due_date: null, subtasks: [{ title: 'first step' }] });

let dir: string;
let file: string;
let folder: string;
const stores: Store[] = [];

async function open(): Promise<Store> {
  const store = await openStore({ backend: 'sqlite', file });
  stores.push(store);
  return store;
}

async function closeAll() {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-backup-'));
  file = path.join(dir, 'store.sqlite');
  folder = path.join(dir, 'backups');
});

afterEach(async () => {
  await closeAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A process that enqueues commands until told to stop; resolves with the ids it committed. */
function startWriter(stop: string) {
  const child = spawn(
    NODE_BIN,
    ['--no-warnings', '-r', './test/helpers/register-ts-cached.js', 'test/helpers/enqueueLoopChild.ts', JSON.stringify({ dbFile: file, stop, keyPrefix: 'writer' })],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ids: number[] = [];
  let firstWrite: () => void;
  const wrote = new Promise<void>((resolve) => (firstWrite = resolve));
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      ids.push((JSON.parse(buffer.slice(0, newline)) as { id: number }).id);
      buffer = buffer.slice(newline + 1);
      firstWrite();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<number[]>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(ids) : reject(new Error(`writer exited with ${code}: ${stderr}`)))),
  );
  return { wrote, done, ids };
}

/** Commands and drafts mid-flight: pending, leased by a worker that will never finish, completed; drafts drafted and confirmed. */
async function makeWorkInFlight(store: Store) {
  for (let i = 0; i < 6; i++) {
    await enqueueCommand(store, { type: 'draft_task_from_text', userId: USER, payload: { text: `before ${i}` }, dedupeKey: `before:${i}` });
  }
  const [done] = await claimCommands(store, { owner: 'finished-worker', limit: 1 });
  await completeCommand(store, { id: done.id, leaseToken: done.leaseToken, result: { ok: true } });
  // The worker holding these dies with the original database: short leases, so they expire soon after the restore.
  const leased = await claimCommands(store, { owner: 'doomed-worker', limit: 2, leaseMs: 50 });
  const drafted = await createDraft(store, { userId: USER, task: task('drafted, awaiting a decision') });
  const confirmed = await createDraft(store, { userId: USER, task: task('confirmed, not yet created') });
  await confirmDraft(store, confirmed.id, USER);
  return { done, leased, drafted, confirmed };
}

const tableRows = (store: Store, table: string) => store.all(`SELECT * FROM ${table} ORDER BY 1`);

describe('SQLite backup and restore', () => {
  it('restores a backup taken while another process writes, and the queue continues from it with nothing lost', async () => {
    const store = await open();
    const work = await makeWorkInFlight(store);
    const before = {
      commands: await tableRows(store, 'commands'),
      drafts: await tableRows(store, 'drafts'),
      users: await tableRows(store, 'users'),
      migrations: await tableRows(store, 'schema_migrations'),
    };

    const stop = path.join(dir, 'stop');
    const writer = startWriter(stop);
    await writer.wrote;
    const backup = await backupStore(store, { folder, keep: 7 });
    const writtenBeforeBackupEnded = writer.ids.length;
    fs.writeFileSync(stop, '');
    const writerIds = await writer.done;
    expect(writtenBeforeBackupEnded).toBeGreaterThan(0);

    // Disaster: the database and its WAL are gone.
    await closeAll();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
    expect(fs.existsSync(file)).toBe(false);

    // Restore, as docs/operations.md says: copy the newest backup into place, then start n8n again.
    const [newest] = listBackups(folder);
    expect(newest).toBe(backup.file);
    fs.copyFileSync(newest, file);
    fs.chmodSync(file, 0o660);
    const restored = await open();

    expect(await restored.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(await restored.all('PRAGMA foreign_key_check')).toEqual([]);
    // The backup's schema is current: reopening applied nothing.
    expect(await tableRows(restored, 'schema_migrations')).toEqual(before.migrations);
    expect(await migrate(restored)).toEqual([]);

    // Everything committed before the backup is there as it was, leases included.
    const restoredCommands = await tableRows(restored, 'commands');
    expect(restoredCommands.slice(0, before.commands.length)).toEqual(before.commands);
    expect(await tableRows(restored, 'drafts')).toEqual(before.drafts);
    expect(await tableRows(restored, 'users')).toEqual(expect.arrayContaining(before.users));
    // The other process's writes are a consistent prefix: whole commands, each with its audit row.
    const fromWriter = restoredCommands.slice(before.commands.length).map((row) => Number(row.id));
    expect(fromWriter).toEqual(writerIds.slice(0, fromWriter.length));
    expect(fromWriter.length).toBeGreaterThanOrEqual(1);
    const created = await restored.all<{ entity_id: string }>("SELECT entity_id FROM audit_log WHERE action = 'command_created' ORDER BY id");
    expect(created.map((r) => Number(r.entity_id))).toEqual(restoredCommands.map((row) => Number(row.id)));

    // The queue continues: once the dead worker's leases expire they are claimed again, and every command completes.
    await sleep(60);
    const claimed = await claimCommands(restored, { owner: 'after-restore', limit: 1000, leaseMs: 60_000 });
    const open_ = restoredCommands.filter((row) => row.status !== 'completed').map((row) => Number(row.id));
    expect(claimed.map((c) => c.id)).toEqual(open_);
    for (const id of work.leased.map((c) => c.id)) expect(claimed.find((c) => c.id === id)).toMatchObject({ attempts: 2, leaseOwner: 'after-restore' });
    for (const command of claimed) expect((await completeCommand(restored, { id: command.id, leaseToken: command.leaseToken })).applied).toBe(true);
    const statuses = await restored.all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM commands GROUP BY status');
    expect(statuses.map((s) => [s.status, Number(s.n)])).toEqual([['completed', restoredCommands.length]]);

    // The drafts continue too.
    expect((await confirmDraft(restored, work.drafted.id, USER)).ok).toBe(true);
    expect((await getDraft(restored, work.confirmed.id))!.status).toBe('confirmed');
    await enqueueCommand(restored, { type: 'help', userId: USER, payload: {}, dedupeKey: 'after-restore' });
  });

  it('writes a self-contained file readable by owner and group only, and records it in the audit log', async () => {
    const store = await open();
    await makeWorkInFlight(store);
    const result = await backupStore(store, { folder });
    expect(path.dirname(result.file)).toBe(folder);
    expect(path.basename(result.file)).toMatch(/^draft-assistant-\d{8}T\d{9}Z\.sqlite$/);
    expect(fs.statSync(result.file).mode & 0o777).toBe(0o660);
    expect(result.sizeBytes).toBe(fs.statSync(result.file).size);
    expect(fs.readdirSync(folder)).toEqual([path.basename(result.file)]);
    const audit = await store.get<{ details_json: string }>("SELECT details_json FROM audit_log WHERE action = 'database_backed_up'");
    expect(JSON.parse(audit!.details_json)).toEqual({ file: result.file, sizeBytes: result.sizeBytes, deleted: 0 });
  });

  it('keeps the newest backups and deletes older ones, leaving other files alone', async () => {
    const store = await open();
    fs.mkdirSync(folder);
    const older = [1, 2, 3].map((day) => path.join(folder, backupFileName(new Date(Date.UTC(2026, 0, day)))));
    for (const old of older) fs.writeFileSync(old, 'an old backup');
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a backup');

    const result = await backupStore(store, { folder, keep: 2 });
    expect(result.kept).toEqual([result.file, older[2]]);
    expect(result.deleted).toEqual([older[1], older[0]]);
    expect(fs.readdirSync(folder).sort()).toEqual([path.basename(older[2]), path.basename(result.file), 'notes.txt'].sort());

    const second = await backupStore(store, { folder, keep: 2 });
    expect(second.kept).toEqual([second.file, result.file]);
    expect(listBackups(folder)).toEqual([second.file, result.file]);
  });

  it('defaults to draft-assistant-backups in the n8n user folder', () => {
    expect(defaultBackupFolder({ N8N_USER_FOLDER: '/data/n8n' })).toBe(path.join('/data/n8n', '.n8n', 'draft-assistant-backups'));
  });

  it.each([
    ['zero backups to keep', 0],
    ['a fractional number of backups', 1.5],
  ])('refuses %s and writes nothing', async (_name, keep) => {
    const store = await open();
    const attempt = backupStore(store, { folder, keep });
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(/^Backups to keep must be a whole number of at least 1/);
    expect(fs.existsSync(folder)).toBe(false);
  });
});

(skipPostgres ? describe.skip : describe)('PostgreSQL backup', () => {
  const ctx = useCleanStore('postgres');

  it('is refused with a pointer to pg_dump, writing nothing', async () => {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-pg-backup-'));
    try {
      const attempt = backupStore(ctx.store, { folder: path.join(target, 'backups') });
      await expect(attempt).rejects.toThrow(InputError);
      await expect(attempt).rejects.toThrow('Back Up Database works with the SQLite store only; back up PostgreSQL with pg_dump');
      expect(fs.readdirSync(target)).toEqual([]);
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  });
});
