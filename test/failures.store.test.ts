// Issue 10 and 8 in the store, once per backend: a command that waits for the owner keeps its
// attempts, the owner is told at most once per interval, the Draft Store refuses what the
// executor would refuse, and a confirmed draft whose command died is given back to the user.
import type { Store } from '../nodes/shared/store/db';
import { cancelDraft, confirmDraft, createDraft, reopenDraft, startEdit } from '../nodes/shared/draft/drafts';
import { InputError } from '../nodes/shared/errors';
import { claimOwnerNotice } from '../nodes/shared/operations/ownerNotices';
import { claimCommands, enqueueCommand, failCommand, getCommand } from '../nodes/shared/queue/commands';
import { MAX_SUBTASKS, NOTES_MAX_CHARS, TITLE_MAX_CHARS } from '../nodes/shared/draft/taskDraft';
import { executeDraft } from '../nodes/shared/tasks/executor';
import { GoogleTasksEmulator } from '../emulators/googleTasks';
import { backends, useCleanStore } from './helpers/backends';
import { FAST_RETRY, confirmedDraft, emulatorClient, noSleep } from './helpers/taskExecutorFixtures';
import { auditActions } from './helpers/rows';

const USER = 'telegram:2001';

async function claimOne(store: Store) {
  const [command] = await claimCommands(store, { owner: 'w', limit: 1, leaseMs: 60_000 });
  if (!command) throw new Error('expected a ready command');
  return command;
}

describe.each(backends)('failures in the store (%s)', (backend) => {
  const ctx = useCleanStore(backend);

  describe('a command that waits for the owner to fix the setup', () => {
    it('keeps its attempts, however often it waits, and runs again after the wait', async () => {
      const { command } = await enqueueCommand(ctx.store, { type: 'draft_task_from_text', userId: USER, payload: { text: 'x' }, dedupeKey: 'k1', maxAttempts: 2 });
      for (let round = 0; round < 4; round++) {
        const claimed = await claimOne(ctx.store);
        const failed = await failCommand(ctx.store, { id: claimed.id, leaseToken: claimed.leaseToken, error: 'Gemini rejected the API key', retryable: true, retryAfterMs: 15 * 60_000, keepAttempt: true });
        expect(failed).toMatchObject({ applied: true, command: { status: 'failed', attempts: 0 } });
        // The long wait is honoured as given, not capped by the backoff.
        expect(Date.parse(failed.command!.runAfter!) - Date.now()).toBeGreaterThan(14 * 60_000);
        expect(await claimCommands(ctx.store, { owner: 'w', limit: 1 })).toEqual([]);
        await ctx.store.run('UPDATE commands SET run_after = 0 WHERE id = ?', [command.id]);
      }
      // Once the setup works, the command still has all its attempts.
      const claimed = await claimOne(ctx.store);
      expect(claimed.attempts).toBe(1);
    });

    it('a final failure is dead after one attempt, even when keepAttempt is asked for', async () => {
      await enqueueCommand(ctx.store, { type: 'revise_draft', userId: USER, payload: { text: 'x' }, dedupeKey: 'k2' });
      const claimed = await claimOne(ctx.store);
      const failed = await failCommand(ctx.store, { id: claimed.id, leaseToken: claimed.leaseToken, error: 'no draft', retryable: false, keepAttempt: true });
      expect(failed).toMatchObject({ applied: true, command: { status: 'dead', attempts: 1 } });
      expect((await getCommand(ctx.store, claimed.id))!.status).toBe('dead');
    });
  });

  describe('the owner notice', () => {
    beforeEach(() => ctx.store.run('DELETE FROM owner_notices'));
    it('is due once per interval for the same problem, and separately for another one', async () => {
      expect(await claimOwnerNotice(ctx.store, { key: 'gemini_not_configured', intervalMs: 3_600_000 })).toMatchObject({ due: true, suppressed: 0 });
      for (let i = 0; i < 5; i++) expect((await claimOwnerNotice(ctx.store, { key: 'gemini_not_configured', intervalMs: 3_600_000 })).due).toBe(false);
      expect(await claimOwnerNotice(ctx.store, { key: 'other', intervalMs: 3_600_000 })).toMatchObject({ due: true });
      // After the interval the next one is due again and says how many were held back.
      await ctx.store.run('UPDATE owner_notices SET notified_at = notified_at - 3600001');
      expect(await claimOwnerNotice(ctx.store, { key: 'gemini_not_configured', intervalMs: 3_600_000 })).toMatchObject({ due: true, suppressed: 5 });
    });

    it('concurrent claims let exactly one through', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => claimOwnerNotice(ctx.store, { key: 'race', intervalMs: 3_600_000 })));
      expect(results.filter((r) => r.due)).toHaveLength(1);
    });

    it('refuses a missing key or interval', async () => {
      await expect(claimOwnerNotice(ctx.store, { key: '', intervalMs: 1000 })).rejects.toThrow(InputError);
      await expect(claimOwnerNotice(ctx.store, { key: 'k', intervalMs: 0 })).rejects.toThrow(InputError);
    });
  });

  describe("the Draft Store applies the executor's rules", () => {
    it.each([
      ['notes the executor would refuse', { title: 'ok', due_date: null, notes: 'n'.repeat(NOTES_MAX_CHARS + 1), subtasks: [] }, /notes/],
      ['a subtask title over the limit', { title: 'ok', due_date: null, subtasks: [{ title: 's'.repeat(TITLE_MAX_CHARS + 1) }] }, /subtask 1/],
      ['too many subtasks', { title: 'ok', due_date: null, subtasks: Array.from({ length: MAX_SUBTASKS + 1 }, (_, i) => ({ title: `s${i}` })) }, /subtasks/],
      ['an impossible date', { title: 'ok', due_date: '2026-02-30', subtasks: [] }, /date/],
    ])('refuses %s when the draft is created, not after Confirm', async (_what, task, problem) => {
      const error = await createDraft(ctx.store, { userId: USER, task }).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(problem);
      expect(await ctx.store.get('SELECT id FROM drafts')).toBeUndefined();
    });

    it('accepts a draft at the limits', async () => {
      const draft = await createDraft(ctx.store, {
        userId: USER,
        task: { title: 't'.repeat(TITLE_MAX_CHARS), due_date: '2026-12-01', notes: 'n'.repeat(NOTES_MAX_CHARS), subtasks: [{ title: 's'.repeat(TITLE_MAX_CHARS) }] },
      });
      expect(draft.status).toBe('drafted');
    });
  });

  describe('a confirmed draft whose command failed for good', () => {
    async function confirmed() {
      const draft = await createDraft(ctx.store, { userId: USER, task: { title: 'Pay rent', due_date: null, subtasks: [] }, chatId: 5 });
      expect((await confirmDraft(ctx.store, draft.id, USER)).ok).toBe(true);
      return draft;
    }

    it('is drafted again when its confirm command is buried (the worker stopped during the last attempt)', async () => {
      const draft = await confirmed();
      const { command } = await enqueueCommand(ctx.store, { type: 'confirm_draft', userId: USER, payload: { draftId: draft.id }, dedupeKey: 'bury-confirm', maxAttempts: 1 });
      const [claimed] = await claimCommands(ctx.store, { owner: 'dying', limit: 1, leaseMs: 1_000 });
      expect(claimed.id).toBe(command.id);
      // The lease ran out, and a further lease passed: the worker is gone.
      await ctx.store.run('UPDATE commands SET lease_expires_at = lease_expires_at - 10000 WHERE id = ?', [command.id]);
      expect(await claimCommands(ctx.store, { owner: 'w', limit: 1 })).toEqual([]);
      expect((await getCommand(ctx.store, command.id))!.status).toBe('dead');
      expect((await ctx.store.get<{ status: string }>('SELECT status FROM drafts WHERE id = ?', [draft.id]))!.status).toBe('drafted');
      expect(await auditActions(ctx.store, 'draft', draft.id)).toContain('draft_reopened');
    });

    it('is drafted again: the user can edit, cancel or confirm it once more', async () => {
      const draft = await confirmed();
      const reopened = await reopenDraft(ctx.store, draft.id, USER, { reason: 'Google Tasks refused the task' });
      expect(reopened).toMatchObject({ reopened: true, draft: { status: 'drafted' } });
      expect((await startEdit(ctx.store, draft.id, USER)).ok).toBe(true);
      expect((await cancelDraft(ctx.store, draft.id, USER)).ok).toBe(true);
      expect(await auditActions(ctx.store, 'draft', draft.id)).toContain('draft_reopened');
    });

    it('can be confirmed again after it was reopened', async () => {
      const draft = await confirmed();
      await reopenDraft(ctx.store, draft.id, USER, { reason: 'x' });
      expect((await confirmDraft(ctx.store, draft.id, USER)).ok).toBe(true);
    });

    it('leaves a draft that is not confirmed as it is (executed, cancelled, already reopened)', async () => {
      const draft = await confirmed();
      await ctx.store.run("UPDATE drafts SET status = 'executed' WHERE id = ?", [draft.id]);
      expect(await reopenDraft(ctx.store, draft.id, USER, { reason: 'x' })).toMatchObject({ reopened: false, draft: { status: 'executed' } });
      const other = await createDraft(ctx.store, { userId: USER, task: { title: 'Other', due_date: null, subtasks: [] } });
      expect(await reopenDraft(ctx.store, other.id, USER, { reason: 'x' })).toMatchObject({ reopened: false, draft: { status: 'drafted' } });
    });

    it('stays confirmed while another worker still holds a live lease on its execution, and is reopened once that lease is gone', async () => {
      const draft = await confirmed();
      await ctx.store.run(
        `INSERT INTO executions (draft_id, user_id, task_list_id, status, lease_token, lease_expires_at, created_at, updated_at)
         VALUES (?, ?, '@default', 'running', 'other-worker', ?, 0, 0)`,
        [draft.id, USER, Date.now() + 60_000],
      );
      expect(await reopenDraft(ctx.store, draft.id, USER, { reason: 'x' })).toMatchObject({ reopened: false, draft: { status: 'confirmed' } });
      await ctx.store.run('UPDATE executions SET lease_expires_at = ? WHERE draft_id = ?', [Date.now() - 1, draft.id]);
      expect(await reopenDraft(ctx.store, draft.id, USER, { reason: 'x' })).toMatchObject({ reopened: true, draft: { status: 'drafted' } });
    });

    it("refuses another user's draft", async () => {
      const draft = await confirmed();
      await expect(reopenDraft(ctx.store, draft.id, 'telegram:9', { reason: 'x' })).rejects.toThrow(InputError);
    });
  });
});

// ---------------------------------------------------------------- Google Tasks' daily limit through the executor

describe("the Task Executor on Google Tasks' daily limit", () => {
  const emulator = new GoogleTasksEmulator();
  beforeAll(() => emulator.start());
  afterAll(() => emulator.stop());
  const ctx = useCleanStore('sqlite');
  beforeEach(() => emulator.reset());

  it('reports a quota to retry after the reset, sends once, and the next run creates the task once', async () => {
    const draft = await confirmedDraft(ctx.store, USER, { title: 'File the taxes' });
    emulator.injectFaults([{ kind: 'dailyLimit403', method: 'POST', pathIncludes: '/tasks' }]);
    const client = emulatorClient(emulator.url);
    const first = await executeDraft(ctx.store, client, { draftId: draft.id, userId: USER, retry: FAST_RETRY, sleep: noSleep });
    expect(first).toMatchObject({ ok: false, failure: { kind: 'quota_exhausted', retryable: true } });
    if (first.ok) return;
    expect(first.failure.retryAfterMs).toBeGreaterThan(0);
    expect(first.failure.retryAfterMs).toBeLessThanOrEqual(25 * 3_600_000);
    expect(emulator.callLog.filter((c) => c.method === 'POST')).toHaveLength(1); // not hammered within the call
    const second = await executeDraft(ctx.store, client, { draftId: draft.id, userId: USER, retry: FAST_RETRY, sleep: noSleep });
    expect(second).toMatchObject({ ok: true });
    expect(emulator.allTasks().filter((t) => t.title === 'File the taxes' && !t.deleted)).toHaveLength(1);
  });
});
