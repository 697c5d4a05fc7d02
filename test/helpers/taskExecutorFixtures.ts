// Shared set-up for the TaskExecutor tests, benchmark and child processes: a migrated SQLite
// file in a temp dir, confirmed drafts made through the real draft functions, and a Tasks
// client wired to the local emulator through the OAuth fetch transport.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Store } from '../../nodes/shared/store/db';
import type { TaskDraft } from '../../nodes/shared/draft/taskDraft';
import { confirmDraft, createDraft, type Draft } from '../../nodes/shared/draft/drafts';
import { createTasksClient, type TasksClient } from '../../nodes/shared/tasks/client';
import { OAuthFetchTransport } from './oauthTransport';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, INITIAL_ACCESS_TOKEN, INITIAL_REFRESH_TOKEN } from '../../emulators/googleTasks';

export interface TempStore {
  store: Store;
  file: string;
  dir: string;
  cleanup(): Promise<void>;
}

export async function openTempStore(prefix = 'task-executor-', baseDir = os.tmpdir()): Promise<TempStore> {
  const dir = fs.mkdtempSync(path.join(baseDir, prefix));
  const file = path.join(dir, 'assistant.sqlite');
  const store = await openStore({ backend: 'sqlite', file });
  return {
    store,
    file,
    dir,
    async cleanup() {
      await store.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function confirmedDraft(store: Store, userId: string, task: Partial<TaskDraft> & { title: string }): Promise<Draft> {
  const draft = await createDraft(store, { userId, task: { due_date: null, subtasks: [], ...task } });
  const confirmed = await confirmDraft(store, draft.id, userId);
  if (!confirmed.ok) throw new Error(`could not confirm draft ${draft.id}: ${confirmed.reason}`);
  return confirmed.draft;
}

/** A confirmed draft whose stored JSON breaks the rules createDraft enforces (for validation tests). */
export async function confirmedDraftWithRawTask(store: Store, userId: string, task: Record<string, unknown>): Promise<number> {
  const draft = await confirmedDraft(store, userId, { title: 'placeholder' });
  await store.run('UPDATE drafts SET draft_json = ? WHERE id = ?', [JSON.stringify(task), draft.id]);
  return draft.id;
}

export function emulatorTransport(emulatorUrl: string, accessToken = INITIAL_ACCESS_TOKEN): OAuthFetchTransport {
  return new OAuthFetchTransport({
    accessToken,
    refreshToken: INITIAL_REFRESH_TOKEN,
    tokenUrl: `${emulatorUrl}/token`,
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
  });
}

export function emulatorClient(emulatorUrl: string, options: { timeoutMs?: number; transport?: OAuthFetchTransport } = {}): TasksClient {
  const transport = options.transport ?? emulatorTransport(emulatorUrl);
  return createTasksClient({ transport: transport.send, rootUrl: emulatorUrl, timeoutMs: options.timeoutMs ?? 5_000 });
}

/** Retry settings that keep fault tests fast: same attempts, millisecond delays. */
export const FAST_RETRY = { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 };
export const noSleep = async () => undefined;
