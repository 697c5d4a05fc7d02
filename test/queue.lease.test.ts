// Command leases that outlive the work, once per backend: a worker that is alive keeps its
// commands (its lease is renewed while it runs them), a slow last attempt is not buried while
// it may still finish, and a worker that lost its lease cannot take it back.
import { keepLeases, heldLeaseIds, releaseAllLeases, releaseLease } from '../nodes/shared/queue/leaseKeeper';
import { claimCommands, completeCommand, enqueueCommand, getCommand, renewLeases } from '../nodes/shared/queue/commands';
import type { Store } from '../nodes/shared/store/db';
import { backends, useCleanStore } from './helpers/backends';
import { auditActions, sleep } from './helpers/rows';

const USER = 'telegram:2002';
const SHORT_LEASE_MS = 300;

function enqueue(store: Store, key: string, maxAttempts = 5) {
  return enqueueCommand(store, { type: 'draft_task_from_text', userId: USER, payload: { text: key }, dedupeKey: key, maxAttempts });
}

/** Another worker trying to take commands over, as the 10 s poll does. */
const otherWorkerClaims = (store: Store) => claimCommands(store, { owner: 'worker-b', limit: 10, leaseMs: 60_000 });

describe.each(backends)('command leases (%s)', (backend) => {
  const ctx = useCleanStore(backend);
  afterEach(() => releaseAllLeases());

  it('a last attempt still running past its lease is not marked dead while it runs and can still complete', async () => {
    const { command } = await enqueue(ctx.store, 'last-attempt', 1);
    // A longer lease here: the check must land inside the second lease even on a loaded machine.
    const leaseMs = 1_500;
    const [mine] = await claimCommands(ctx.store, { owner: 'worker-a', limit: 1, leaseMs });
    // Past the lease, within a further lease: the worker may be slow rather than gone.
    await sleep(leaseMs + 100);
    expect(await otherWorkerClaims(ctx.store)).toEqual([]);
    expect(await getCommand(ctx.store, command.id)).toMatchObject({ status: 'processing', leaseToken: mine.leaseToken, attempts: 1 });
    expect(await completeCommand(ctx.store, { id: command.id, leaseToken: mine.leaseToken, result: { done: true } })).toMatchObject({
      applied: true,
      command: { status: 'completed', attempts: 1 },
    });
    expect(await auditActions(ctx.store, 'command', command.id)).toEqual(['command_created', 'command_claimed', 'command_executed']);
  });

  it('buries an expired last attempt a further full lease after it expired, never running it again', async () => {
    const { command } = await enqueue(ctx.store, 'gone-worker', 1);
    const [mine] = await claimCommands(ctx.store, { owner: 'worker-a', limit: 1, leaseMs: SHORT_LEASE_MS });
    await sleep(2 * SHORT_LEASE_MS + 150);
    expect(await otherWorkerClaims(ctx.store)).toEqual([]);
    expect(await getCommand(ctx.store, command.id)).toMatchObject({ status: 'dead', attempts: 1, leaseToken: null });
    expect(await completeCommand(ctx.store, { id: command.id, leaseToken: mine.leaseToken })).toMatchObject({ applied: false, reason: 'lease_lost' });
    expect(await auditActions(ctx.store, 'command', command.id)).toEqual(['command_created', 'command_claimed', 'command_dead']);
  });

  it('an expired lease with attempts left is taken over at once, as before', async () => {
    const { command } = await enqueue(ctx.store, 'crashed-worker');
    await claimCommands(ctx.store, { owner: 'worker-a', limit: 1, leaseMs: SHORT_LEASE_MS });
    await sleep(SHORT_LEASE_MS + 100);
    expect(await otherWorkerClaims(ctx.store)).toMatchObject([{ id: command.id, attempts: 2, leaseOwner: 'worker-b' }]);
  });

  it('a renewed lease is not taken over while its worker runs, for many times its length, and then completes once', async () => {
    const { command } = await enqueue(ctx.store, 'slow-gemini');
    const claimed = await claimCommands(ctx.store, { owner: 'worker-a', limit: 1, leaseMs: SHORT_LEASE_MS });
    keepLeases(ctx.store, { ids: claimed.map((c) => c.id), leaseToken: claimed[0].leaseToken!, leaseMs: SHORT_LEASE_MS, holdMs: 60_000 });
    const runUntil = Date.now() + 5 * SHORT_LEASE_MS;
    while (Date.now() < runUntil) {
      expect(await otherWorkerClaims(ctx.store)).toEqual([]);
      await sleep(50);
    }
    expect(await completeCommand(ctx.store, { id: command.id, leaseToken: claimed[0].leaseToken })).toMatchObject({ applied: true, command: { attempts: 1 } });
    releaseLease(command.id, claimed[0].leaseToken);
    expect(heldLeaseIds()).toEqual([]);
    expect(await auditActions(ctx.store, 'command', command.id)).toEqual(['command_created', 'command_claimed', 'command_executed']);
  });

  it('renews every command of a claim until each is settled, and stops once all are', async () => {
    const ids = [(await enqueue(ctx.store, 'batch-1')).command.id, (await enqueue(ctx.store, 'batch-2')).command.id];
    const claimed = await claimCommands(ctx.store, { owner: 'worker-a', limit: 2, leaseMs: SHORT_LEASE_MS });
    const token = claimed[0].leaseToken!;
    keepLeases(ctx.store, { ids, leaseToken: token, leaseMs: SHORT_LEASE_MS, holdMs: 60_000 });
    await completeCommand(ctx.store, { id: ids[0], leaseToken: token });
    releaseLease(ids[0], token);
    expect(heldLeaseIds()).toEqual([ids[1]]);
    await sleep(3 * SHORT_LEASE_MS);
    expect(await otherWorkerClaims(ctx.store)).toEqual([]);
    await completeCommand(ctx.store, { id: ids[1], leaseToken: token });
    releaseLease(ids[1], token);
    expect(heldLeaseIds()).toEqual([]);
  });

  it('stops renewing after the hold bound, so a run that ended without settling gives its command up', async () => {
    const { command } = await enqueue(ctx.store, 'abandoned');
    const [mine] = await claimCommands(ctx.store, { owner: 'worker-a', limit: 1, leaseMs: SHORT_LEASE_MS });
    keepLeases(ctx.store, { ids: [command.id], leaseToken: mine.leaseToken!, leaseMs: SHORT_LEASE_MS, holdMs: 2 * SHORT_LEASE_MS });
    let taken: Awaited<ReturnType<typeof otherWorkerClaims>> = [];
    const giveUpAt = Date.now() + 10 * SHORT_LEASE_MS;
    while (taken.length === 0 && Date.now() < giveUpAt) {
      await sleep(50);
      taken = await otherWorkerClaims(ctx.store);
    }
    expect(taken).toMatchObject([{ id: command.id, attempts: 2, leaseOwner: 'worker-b' }]);
    expect(heldLeaseIds()).toEqual([]);
  });

  it('stops renewing when the run is cancelled, and the command is taken over one lease later', async () => {
    const { command } = await enqueue(ctx.store, 'cancelled-run');
    const [mine] = await claimCommands(ctx.store, { owner: 'worker-a', limit: 1, leaseMs: SHORT_LEASE_MS });
    const cancel = new AbortController();
    keepLeases(ctx.store, { ids: [command.id], leaseToken: mine.leaseToken!, leaseMs: SHORT_LEASE_MS, holdMs: 60_000, signal: cancel.signal });
    await sleep(2 * SHORT_LEASE_MS);
    expect(await otherWorkerClaims(ctx.store)).toEqual([]);
    cancel.abort();
    expect(heldLeaseIds()).toEqual([]);
    await sleep(SHORT_LEASE_MS + 100);
    expect(await otherWorkerClaims(ctx.store)).toMatchObject([{ id: command.id, attempts: 2 }]);
  });

  it('a worker whose lease was taken over renews nothing: the new holder keeps it', async () => {
    const { command } = await enqueue(ctx.store, 'taken-over');
    const [mine] = await claimCommands(ctx.store, { owner: 'worker-a', limit: 1, leaseMs: SHORT_LEASE_MS });
    await sleep(SHORT_LEASE_MS + 100);
    const [theirs] = await otherWorkerClaims(ctx.store);
    expect(theirs).toMatchObject({ id: command.id, attempts: 2 });
    expect(await renewLeases(ctx.store, { ids: [command.id], leaseToken: mine.leaseToken })).toEqual([]);
    expect(await renewLeases(ctx.store, { ids: [command.id], leaseToken: theirs.leaseToken })).toEqual([command.id]);
    expect(await getCommand(ctx.store, command.id)).toMatchObject({ leaseToken: theirs.leaseToken, leaseOwner: 'worker-b' });
  });
});
