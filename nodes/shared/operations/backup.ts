// Online backup of the SQLite store (disaster recovery: with daily backups at most 24 hours are lost).
//
// VACUUM INTO writes a consistent snapshot (one read transaction) to a new, self-contained file
// while other processes keep writing: in WAL mode readers and writers do not block each other.
// The file is written under a temporary name and renamed when complete, so the folder only ever
// holds whole backups; the newest `keep` are kept. Restore: docs/operations.md.
// PostgreSQL is backed up with its own tools (pg_dump), not through the node.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordAudit } from '../store/audit';
import type { Store } from '../store/db';
import { InputError } from '../errors';

export const DEFAULT_BACKUPS_KEPT = 7;
export const BACKUP_FOLDER_NAME = 'draft-assistant-backups';
const BACKUP_NAME = /^draft-assistant-(\d{8}T\d{9}Z)\.sqlite$/;

/** `<n8n user folder>/.n8n/draft-assistant-backups`, beside the default database file. */
export function defaultBackupFolder(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.N8N_USER_FOLDER || os.homedir(), '.n8n', BACKUP_FOLDER_NAME);
}

/** draft-assistant-20261125T030000123Z.sqlite: sorts by time as text. */
export function backupFileName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `draft-assistant-${stamp}.sqlite`;
}

export interface BackupInput {
  folder?: string;
  /** How many backups to keep, newest first; older ones are deleted. */
  keep?: number;
}

export interface BackupResult {
  file: string;
  sizeBytes: number;
  createdAt: string;
  /** Backups in the folder after rotation, newest first. */
  kept: string[];
  deleted: string[];
}

function requireKeep(value: unknown): number {
  const keep = Number(value);
  if (!Number.isInteger(keep) || keep < 1) throw new InputError(`Backups to keep must be a whole number of at least 1 (got "${String(value)}")`);
  return keep;
}

/** The backups in a folder, newest first (by the time in their names). */
export function listBackups(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((name) => BACKUP_NAME.test(name))
    .sort()
    .reverse()
    .map((name) => path.join(folder, name));
}

function fsyncPath(target: string) {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function backupStore(store: Store, input: BackupInput = {}): Promise<BackupResult> {
  if (store.dialect !== 'sqlite') {
    throw new InputError(
      'Back Up Database works with the SQLite store only; back up PostgreSQL with pg_dump',
      'For example: pg_dump --format=custom --file=draft-assistant.dump draft_assistant (see docs/operations.md).',
    );
  }
  const keep = requireKeep(input.keep ?? DEFAULT_BACKUPS_KEPT);
  const folder = path.resolve(input.folder?.trim() || defaultBackupFolder());
  fs.mkdirSync(folder, { recursive: true, mode: 0o770 });

  let createdAt = new Date();
  // Two backups within one millisecond get distinct names.
  while (fs.existsSync(path.join(folder, backupFileName(createdAt)))) createdAt = new Date(createdAt.getTime() + 1);
  const file = path.join(folder, backupFileName(createdAt));
  const partial = `${file}.partial`;
  // The backup holds chat text like the store: owner and group only (mode 660).
  // VACUUM INTO needs the target to be missing or empty; 'wx' also refuses to reuse a name.
  fs.closeSync(fs.openSync(partial, 'wx', 0o660));
  fs.chmodSync(partial, 0o660);
  try {
    await store.run('VACUUM INTO ?', [partial]);
    fsyncPath(partial);
    fs.renameSync(partial, file);
    fsyncPath(folder);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }

  const all = listBackups(folder);
  const deleted = all.slice(keep);
  for (const old of deleted) fs.rmSync(old, { force: true });
  const result: BackupResult = {
    file,
    sizeBytes: fs.statSync(file).size,
    createdAt: createdAt.toISOString(),
    kept: all.slice(0, keep),
    deleted,
  };
  await store.transaction((tx) =>
    recordAudit(tx, { action: 'database_backed_up', entityType: 'database', details: { file, sizeBytes: result.sizeBytes, deleted: deleted.length } }),
  );
  return result;
}
