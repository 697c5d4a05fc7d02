// The command queue's state machine on a real database, once per backend:
// pending → processing → completed | failed → (claimed again) | dead.
import { RETRY_BASE_DELAY_MS, MAX_PAYLOAD_BYTES } from '../nodes/shared/constants';
import type { Store } from '../nodes/shared/store/db';
import { InputError } from '../nodes/shared/errors';
import {
  claimCommands,
  commandStats,
  completeCommand,
  enqueueCommand,
  failCommand,
  findCommandByKey,
  getCommand,
  type Command,
  type EnqueueInput,
} from '../nodes/shared/queue/commands';
import { backends, useCleanStore } from './helpers/backends';
import { auditActions, rawRow, rowCounts, sleep } from './helpers/rows';

const USER = 'telegram:1001';
const LONG_LEASE_MS = 60_000;

function enqueue(store: Store, key: string, extra: Partial<EnqueueInput> = {}) {
  return enqueueCommand(store, { type: 'draft_task_from_text', userId: USER, payload: { text: key }, dedupeKey: key, ...extra });
}

async function claimOne(store: Store, owner = 'worker-a', leaseMs = LONG_LEASE_MS): Promise<Command> {
  const [command] = await claimCommands(store, { owner, limit: 1, leaseMs });
  if (!command) throw new Error('expected a ready command');
  return command;
}

/** Moves a failed command's retry time into the past, as if its backoff had elapsed. */
async function makeDue(store: Store, id: number) {
  await store.run('UPDATE commands SET run_after = run_after - 10000000 WHERE id = ?', [id]);
}

/** One command in each state, built through the public API, plus their stored rows. */
async function makeSelectionOfCommands(store: Store) {
  const completed = (await enqueue(store, 'sel-completed')).command;
  const c = await claimOne(store);
  await completeCommand(store, { id: c.id, leaseToken: c.leaseToken, result: { ok: 1 } });

  const failed = (await enqueue(store, 'sel-failed')).command;
  const f = await claimOne(store);
  await failCommand(store, { id: f.id, leaseToken: f.leaseToken, error: 'boom', retryable: true, jitter: 0 });

  const dead = (await enqueue(store, 'sel-dead')).command;
  const d = await claimOne(store);
  await failCommand(store, { id: d.id, leaseToken: d.leaseToken, error: 'bad request', retryable: false });

  const leasedByOther = await (async () => {
    await enqueue(store, 'sel-leased');
    return claimOne(store, 'worker-other');
  })();
  const pending = (await enqueue(store, 'sel-pending')).command;
  const notDue = (await enqueue(store, 'sel-not-due', { delayMs: 3_600_000 })).command;

  const ids = { completed: completed.id, failed: failed.id, dead: dead.id, leasedByOther: leasedByOther.id, pending: pending.id, notDue: notDue.id };
  const rows: Record<keyof typeof ids, unknown> = {} as never;
  for (const [name, id] of Object.entries(ids)) rows[name as keyof typeof ids] = await rawRow(store, 'commands', id);
  return { ids, rows, leasedByOther };
}

describe.each(backends)('command queue state machine (%s)', (backend) => {
  const ctx = useCleanStore(backend);

  describe('enqueue', () => {
    it('enqueues a pending command with its payload and records command_created', async () => {
      const { command, duplicate } = await enqueue(ctx.store, 'k1', { sourceMessageId: 42 });
      expect(duplicate).toBe(false);
      expect(command).toMatchObject({ status: 'pending', attempts: 0, maxAttempts: 5, payload: { text: 'k1' }, sourceMessageId: '42', leaseToken: null });
      expect(await auditActions(ctx.store, 'command', command.id)).toEqual(['command_created']);
      expect(await findCommandByKey(ctx.store, 'k1')).toEqual(command);
    });

    it('returns the first command with duplicate:true for a repeated idempotency key and inserts nothing', async () => {
      const first = (await enqueue(ctx.store, 'same-key')).command;
      const second = await enqueue(ctx.store, 'same-key', { payload: { text: 'a different payload' } });
      expect(second.duplicate).toBe(true);
      expect(second.command).toEqual(first);
      expect((await rowCounts(ctx.store)).commands).toBe(1);
      expect(await auditActions(ctx.store, 'command', first.id)).toEqual(['command_created', 'command_duplicate_ignored']);
    });

    it.each([
      ['an unknown command type', { type: 'launch_rockets' }, 'Unknown command type "launch_rockets"'],
      ['an empty user id', { userId: '  ' }, 'User ID is empty'],
      ['an empty idempotency key', { dedupeKey: '' }, 'Idempotency key is empty'],
      ['malformed payload JSON', { payload: '{"text": ' }, 'Payload is not valid JSON'],
      ['a payload that is not an object', { payload: '[1,2]' }, 'Payload must be a JSON object'],
      ['an oversized payload', { payload: { text: 'x'.repeat(MAX_PAYLOAD_BYTES) } }, `the limit is ${MAX_PAYLOAD_BYTES}`],
      ['zero max attempts', { maxAttempts: 0 }, 'Max attempts must be between 1 and 100'],
      ['a delay that is not a number', { delayMs: NaN }, 'Delay must be a number of milliseconds (got "NaN")'],
      ['an endless delay', { delayMs: Infinity }, 'Delay must be a number of milliseconds (got "Infinity")'],
    ])('refuses %s and writes nothing', async (_name, override, message) => {
      const before = await rowCounts(ctx.store);
      const attempt = enqueue(ctx.store, 'bad', override as Partial<EnqueueInput>);
      await expect(attempt).rejects.toThrow(InputError);
      await expect(attempt).rejects.toThrow(message);
      expect(await rowCounts(ctx.store)).toEqual(before);
    });
  });

  describe('claim', () => {
    it('claims only ready commands and leaves every other state untouched', async () => {
      const { ids, rows } = await makeSelectionOfCommands(ctx.store);
      const claimed = await claimCommands(ctx.store, { owner: 'worker-b', limit: 10, leaseMs: LONG_LEASE_MS });
      expect(claimed.map((c) => c.id)).toEqual([ids.pending]);
      expect(claimed[0]).toMatchObject({ status: 'processing', attempts: 1, leaseOwner: 'worker-b' });
      expect(claimed[0].leaseToken).toEqual(expect.any(String));
      for (const name of ['completed', 'failed', 'dead', 'leasedByOther', 'notDue'] as const) {
        expect([name, await rawRow(ctx.store, 'commands', ids[name])]).toEqual([name, rows[name]]);
      }
      expect(await auditActions(ctx.store, 'command', ids.pending)).toEqual(['command_created', 'command_claimed']);
    });

    it('claims at most the limit, oldest first, and nothing from an empty queue', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await enqueue(ctx.store, `batch-${i}`)).command.id);
      const first = await claimCommands(ctx.store, { owner: 'w', limit: 3, leaseMs: LONG_LEASE_MS });
      const second = await claimCommands(ctx.store, { owner: 'w', limit: 3, leaseMs: LONG_LEASE_MS });
      expect(first.map((c) => c.id)).toEqual(ids.slice(0, 3));
      expect(second.map((c) => c.id)).toEqual(ids.slice(3));
      // One fencing token per claim, shared by the commands claimed together.
      expect(new Set(first.map((c) => c.leaseToken)).size).toBe(1);
      expect(first[0].leaseToken).not.toEqual(second[0].leaseToken);
      expect(await claimCommands(ctx.store, { owner: 'w', limit: 3 })).toEqual([]);
    });

    it('audits a batch in the order of its ids, also where they differ in digits', async () => {
      // PostgreSQL named CAST(id AS TEXT) "id", so ORDER BY id sorted the audit rows as text.
      const older = (await enqueue(ctx.store, 'digits-older')).command.id;
      const newer = (await enqueue(ctx.store, 'digits-newer')).command.id;
      await ctx.store.run('UPDATE commands SET id = ? WHERE id = ?', [999_999, older]);
      await ctx.store.run('UPDATE commands SET id = ? WHERE id = ?', [1_000_000, newer]);
      const claimed = await claimCommands(ctx.store, { owner: 'w', limit: 2, leaseMs: LONG_LEASE_MS });
      expect(claimed.map((c) => c.id)).toEqual([999_999, 1_000_000]);
      const audited = await ctx.store.all<{ entity_id: string }>(
        "SELECT entity_id FROM audit_log WHERE action = 'command_claimed' AND entity_id IN ('999999', '1000000') ORDER BY id",
      );
      expect(audited.map((row) => row.entity_id)).toEqual(['999999', '1000000']);
    });

    it('does not take over a lease that has not expired', async () => {
      await enqueue(ctx.store, 'held');
      const held = await claimOne(ctx.store, 'worker-a');
      expect(await claimCommands(ctx.store, { owner: 'worker-b', limit: 5 })).toEqual([]);
      expect(await getCommand(ctx.store, held.id)).toMatchObject({ leaseOwner: 'worker-a', leaseToken: held.leaseToken, attempts: 1 });
    });

    it('re-claims a command whose lease expired, with a new token that fences the old holder off', async () => {
      await enqueue(ctx.store, 'expiring');
      const stale = await claimOne(ctx.store, 'worker-a', 30);
      await sleep(60);
      const [taken] = await claimCommands(ctx.store, { owner: 'worker-b', limit: 5, leaseMs: LONG_LEASE_MS });
      expect(taken).toMatchObject({ id: stale.id, status: 'processing', attempts: 2, leaseOwner: 'worker-b' });
      expect(taken.leaseToken).not.toEqual(stale.leaseToken);

      const lost = await completeCommand(ctx.store, { id: stale.id, leaseToken: stale.leaseToken, result: 'stale' });
      expect(lost).toMatchObject({ applied: false, reason: 'lease_lost', command: { status: 'processing', leaseOwner: 'worker-b' } });
      const failLost = await failCommand(ctx.store, { id: stale.id, leaseToken: stale.leaseToken, error: 'stale', retryable: true });
      expect(failLost).toMatchObject({ applied: false, reason: 'lease_lost' });

      const done = await completeCommand(ctx.store, { id: taken.id, leaseToken: taken.leaseToken, result: 'fresh' });
      expect(done).toMatchObject({ applied: true, command: { status: 'completed', result: 'fresh', attempts: 2 } });
      expect(await auditActions(ctx.store, 'command', stale.id)).toEqual(['command_created', 'command_claimed', 'command_claimed', 'command_executed']);
    });

    it('buries a command whose lease expired on its last attempt as dead instead of running it again', async () => {
      const { command } = await enqueue(ctx.store, 'poison', { maxAttempts: 1 });
      await claimOne(ctx.store, 'worker-a', 20);
      await sleep(50);
      expect(await claimCommands(ctx.store, { owner: 'worker-b', limit: 5 })).toEqual([]);
      expect(await getCommand(ctx.store, command.id)).toMatchObject({
        status: 'dead',
        attempts: 1,
        leaseToken: null,
        leaseOwner: null,
        lastError: expect.stringContaining('Lease expired'),
        finishedAt: expect.any(String),
      });
      expect(await auditActions(ctx.store, 'command', command.id)).toEqual(['command_created', 'command_claimed', 'command_dead']);
    });

    it('refuses a claim limit outside 1..1000', async () => {
      await expect(claimCommands(ctx.store, { limit: 0 })).rejects.toThrow('Claim limit must be between 1 and 1000');
      await expect(claimCommands(ctx.store, { limit: 1001 })).rejects.toThrow(InputError);
    });
  });

  describe('complete', () => {
    it('completes a processing command for its lease holder, keeping the result and clearing the lease', async () => {
      const { ids, rows } = await makeSelectionOfCommands(ctx.store);
      const mine = await claimOne(ctx.store, 'worker-b');
      const result = await completeCommand(ctx.store, { id: mine.id, leaseToken: mine.leaseToken, result: { taskId: 't-1' } });
      expect(result).toMatchObject({
        applied: true,
        command: { id: ids.pending, status: 'completed', result: { taskId: 't-1' }, leaseToken: null, leaseOwner: null, leaseExpiresAt: null, finishedAt: expect.any(String) },
      });
      for (const name of ['completed', 'failed', 'dead', 'leasedByOther', 'notDue'] as const) {
        expect([name, await rawRow(ctx.store, 'commands', ids[name])]).toEqual([name, rows[name]]);
      }
      expect(await auditActions(ctx.store, 'command', mine.id)).toEqual(['command_created', 'command_claimed', 'command_executed']);
    });

    it('does not complete a command leased by another worker, nor a settled one, and changes nothing', async () => {
      const { ids, rows, leasedByOther } = await makeSelectionOfCommands(ctx.store);
      const auditBefore = (await rowCounts(ctx.store)).audit_log;
      for (const name of ['leasedByOther', 'completed', 'failed', 'dead', 'pending'] as const) {
        const result = await completeCommand(ctx.store, { id: ids[name], leaseToken: 'not-my-token', result: 'x' });
        expect([name, result.applied, !result.applied && result.reason]).toEqual([name, false, 'lease_lost']);
        expect([name, await rawRow(ctx.store, 'commands', ids[name])]).toEqual([name, rows[name]]);
      }
      // The right token of another command does not help either.
      const cross = await completeCommand(ctx.store, { id: ids.pending, leaseToken: leasedByOther.leaseToken });
      expect(cross).toMatchObject({ applied: false, reason: 'lease_lost' });
      expect((await rowCounts(ctx.store)).audit_log).toBe(auditBefore);
    });

    it('reports not_found for a command that does not exist', async () => {
      expect(await completeCommand(ctx.store, { id: 999, leaseToken: 'any' })).toEqual({ applied: false, reason: 'not_found', command: null });
      expect(await failCommand(ctx.store, { id: 999, leaseToken: 'any', error: 'x', retryable: true })).toEqual({ applied: false, reason: 'not_found', command: null });
    });

    it('refuses a missing lease token or command id before touching the database', async () => {
      await expect(completeCommand(ctx.store, { id: 1, leaseToken: '' })).rejects.toThrow('Lease token is empty');
      await expect(completeCommand(ctx.store, { id: 'abc', leaseToken: 't' })).rejects.toThrow('Command ID must be a positive whole number');
    });
  });

  describe('fail', () => {
    it('fails a processing command to failed with backoff, and it is claimed again once due', async () => {
      const { command } = await enqueue(ctx.store, 'flaky');
      const first = await claimOne(ctx.store);
      const failed = await failCommand(ctx.store, { id: first.id, leaseToken: first.leaseToken, error: 'HTTP 503', retryable: true, jitter: 0 });
      expect(failed).toMatchObject({ applied: true, command: { status: 'failed', attempts: 1, lastError: 'HTTP 503', leaseToken: null, finishedAt: null } });
      expect(await auditActions(ctx.store, 'command', command.id)).toEqual(['command_created', 'command_claimed', 'command_failed']);

      // Not before its retry time...
      expect(await claimCommands(ctx.store, { owner: 'w', limit: 5 })).toEqual([]);
      // ...but once due.
      await makeDue(ctx.store, command.id);
      const again = await claimOne(ctx.store, 'worker-b');
      expect(again).toMatchObject({ id: command.id, status: 'processing', attempts: 2, lastError: 'HTTP 503' });
      expect(again.leaseToken).not.toEqual(first.leaseToken);
    });

    it('grows the backoff with each attempt (base·2^(n-1), half of it fixed, half jitter)', async () => {
      const { command } = await enqueue(ctx.store, 'backoff', { maxAttempts: 10 });
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 4; attempt++) {
        const c = await claimOne(ctx.store);
        const row = (await failCommand(ctx.store, { id: c.id, leaseToken: c.leaseToken, error: 'e', retryable: true, jitter: 0 })) as { command: Command };
        delays.push(Date.parse(row.command.runAfter!) - Date.parse(row.command.updatedAt!));
        await makeDue(ctx.store, command.id);
      }
      // jitter 0 → exactly half the exponential step; the clock may tick by a millisecond in between.
      const expected = [1, 2, 4, 8].map((f) => (RETRY_BASE_DELAY_MS * f) / 2);
      delays.forEach((delay, i) => {
        expect(delay).toBeGreaterThanOrEqual(expected[i] - 2);
        expect(delay).toBeLessThanOrEqual(expected[i] + 2);
      });
      // Full jitter on the first attempt stays inside [base/2, base).
      const c = await claimOne(ctx.store);
      const withJitter = (await failCommand(ctx.store, { id: c.id, leaseToken: c.leaseToken, error: 'e', retryable: true, jitter: 0.999 })) as { command: Command };
      const jittered = Date.parse(withJitter.command.runAfter!) - Date.parse(withJitter.command.updatedAt!);
      expect(jittered).toBeGreaterThan(RETRY_BASE_DELAY_MS * 16 * 0.99);
    });

    it('honours a retry-after hint longer than the backoff, and ignores a shorter one', async () => {
      await enqueue(ctx.store, 'rate-limited');
      await enqueue(ctx.store, 'short-hint');
      const [long, short] = await claimCommands(ctx.store, { owner: 'w', limit: 2, leaseMs: LONG_LEASE_MS });
      const hinted = (await failCommand(ctx.store, { id: long.id, leaseToken: long.leaseToken, error: '429', retryable: true, retryAfterMs: 120_000, jitter: 0 })) as { command: Command };
      const ignored = (await failCommand(ctx.store, { id: short.id, leaseToken: short.leaseToken, error: '429', retryable: true, retryAfterMs: 10, jitter: 0 })) as { command: Command };
      const delayOf = (c: Command) => Date.parse(c.runAfter!) - Date.parse(c.updatedAt!);
      expect(Math.abs(delayOf(hinted.command) - 120_000)).toBeLessThanOrEqual(2);
      expect(Math.abs(delayOf(ignored.command) - RETRY_BASE_DELAY_MS / 2)).toBeLessThanOrEqual(2);
    });

    it('ignores a retry-after hint that is not a finite number and uses the backoff', async () => {
      await enqueue(ctx.store, 'odd-hint');
      const c = await claimOne(ctx.store);
      const failed = (await failCommand(ctx.store, { id: c.id, leaseToken: c.leaseToken, error: '429', retryable: true, retryAfterMs: Infinity, jitter: 0 })) as { applied: boolean; command: Command };
      expect(failed).toMatchObject({ applied: true, command: { status: 'failed' } });
      expect(Math.abs(Date.parse(failed.command.runAfter!) - Date.parse(failed.command.updatedAt!) - RETRY_BASE_DELAY_MS / 2)).toBeLessThanOrEqual(2);
    });

    it('makes a non-retryable failure dead at once, and never claims it again', async () => {
      const { ids, rows } = await makeSelectionOfCommands(ctx.store);
      const mine = await claimOne(ctx.store, 'worker-b');
      const result = await failCommand(ctx.store, { id: mine.id, leaseToken: mine.leaseToken, error: 'invalid draft', retryable: false });
      expect(result).toMatchObject({ applied: true, command: { id: ids.pending, status: 'dead', attempts: 1, lastError: 'invalid draft', finishedAt: expect.any(String), leaseToken: null } });
      expect(await auditActions(ctx.store, 'command', mine.id)).toEqual(['command_created', 'command_claimed', 'command_dead']);
      await makeDue(ctx.store, mine.id);
      expect(await claimCommands(ctx.store, { owner: 'w', limit: 10 })).toEqual([]);
      for (const name of ['completed', 'dead', 'leasedByOther', 'notDue'] as const) {
        expect([name, await rawRow(ctx.store, 'commands', ids[name])]).toEqual([name, rows[name]]);
      }
    });

    it('makes a retryable failure on the last allowed attempt dead', async () => {
      const { command } = await enqueue(ctx.store, 'two-tries', { maxAttempts: 2 });
      const first = await claimOne(ctx.store);
      expect(await failCommand(ctx.store, { id: first.id, leaseToken: first.leaseToken, error: 'e1', retryable: true })).toMatchObject({ command: { status: 'failed' } });
      await makeDue(ctx.store, command.id);
      const second = await claimOne(ctx.store);
      expect(await failCommand(ctx.store, { id: second.id, leaseToken: second.leaseToken, error: 'e2', retryable: true })).toMatchObject({
        applied: true,
        command: { status: 'dead', attempts: 2, lastError: 'e2' },
      });
      expect(await auditActions(ctx.store, 'command', command.id)).toEqual([
        'command_created',
        'command_claimed',
        'command_failed',
        'command_claimed',
        'command_dead',
      ]);
    });

    it('does not fail a command that is not processing under the given token, and changes nothing', async () => {
      const { ids, rows } = await makeSelectionOfCommands(ctx.store);
      const auditBefore = (await rowCounts(ctx.store)).audit_log;
      for (const name of ['completed', 'failed', 'dead', 'leasedByOther', 'pending'] as const) {
        const result = await failCommand(ctx.store, { id: ids[name], leaseToken: 'not-my-token', error: 'x', retryable: false });
        expect([name, result.applied]).toEqual([name, false]);
        expect([name, await rawRow(ctx.store, 'commands', ids[name])]).toEqual([name, rows[name]]);
      }
      expect((await rowCounts(ctx.store)).audit_log).toBe(auditBefore);
    });
  });

  it('reports counts by status and the success rate', async () => {
    await makeSelectionOfCommands(ctx.store);
    const stats = await commandStats(ctx.store);
    expect(stats.byStatus).toEqual({ pending: 2, processing: 1, completed: 1, failed: 1, dead: 1 });
    expect(stats).toMatchObject({ completedInWindow: 1, deadInWindow: 1, successRate: 0.5, failureRate: 0.5 });
    expect(stats.oldestPendingAgeMs).toEqual(expect.any(Number));
    expect(stats.averageProcessingMs).toEqual(expect.any(Number));
  });
});
