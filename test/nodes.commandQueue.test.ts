// The Command Queue node run outside n8n against a real SQLite file: outputs, pairedItem,
// and bad input turned into NodeOperationErrors that carry the item index and change nothing.
import type { IDataObject } from 'n8n-workflow';
import { CommandQueue } from '../nodes/CommandQueue/CommandQueue.node';
import { MAX_PAYLOAD_BYTES } from '../nodes/shared/constants';
import { runNode } from './helpers/nodeHarness';
import { nodeOperationError, useNodeDatabase } from './helpers/nodeStore';
import { auditActions, rowCounts } from './helpers/rows';

const node = new CommandQueue();
const enqueue = (overrides: Record<string, unknown> = {}) => ({
  operation: 'enqueue',
  commandType: 'draft_task_from_text',
  userId: 'telegram:100',
  dedupeKey: 'telegram:bot:1',
  payload: '{"text":"buy milk","chat_id":100}',
  options: { sourceMessageId: '55', telegramChatId: '100' },
  ...overrides,
});
// A read-only first item, so the failing item has index 1 and the database must stay as it was.
const stats = { operation: 'stats', windowMinutes: 60 };

describe('Command Queue node', () => {
  const db = useNodeDatabase();

  it('enqueues one command per item with pairedItem, and reports a repeated key as duplicate', async () => {
    const [out] = await runNode(node, {
      parameters: [enqueue(), enqueue({ dedupeKey: 'telegram:bot:2' }), enqueue({ payload: '{"text":"other"}' })],
      items: [{}, {}, {}],
      credentials: db.credentials,
    });
    expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    expect(out.map((item) => [item.json.dedupeKey, item.json.duplicate])).toEqual([
      ['telegram:bot:1', false],
      ['telegram:bot:2', false],
      ['telegram:bot:1', true],
    ]);
    expect(out[0].json).toMatchObject({ status: 'pending', type: 'draft_task_from_text', payload: { text: 'buy milk' }, sourceMessageId: '55' });
    expect(out[2].json.id).toBe(out[0].json.id);
    expect((await rowCounts(db.store)).commands).toBe(2);
  });

  it.each([
    ['malformed payload JSON', { payload: '{"text": "buy milk"' }, /^Payload is not valid JSON/],
    ['a payload that is not an object', { payload: '"just text"' }, /^Payload must be a JSON object$/],
    ['an unknown command type', { commandType: 'order_pizza' }, /^Unknown command type "order_pizza"$/],
    ['a missing user id', { userId: '' }, /^User ID is empty$/],
    ['a missing idempotency key', { dedupeKey: '' }, /^Idempotency key is empty$/],
    ['an oversized payload', { payload: JSON.stringify({ text: 'x'.repeat(MAX_PAYLOAD_BYTES) }) }, new RegExp(`^Payload is \\d+ bytes; the limit is ${MAX_PAYLOAD_BYTES}$`)],
  ])('refuses to enqueue %s with a NodeOperationError for that item, and changes nothing', async (_name, bad, message) => {
    const before = await rowCounts(db.store);
    const error = await nodeOperationError(() => runNode(node, { parameters: [stats, enqueue(bad)], items: [{}, {}], credentials: db.credentials }));
    expect(error.message).toMatch(message);
    expect(error.context.itemIndex).toBe(1);
    expect(await rowCounts(db.store)).toEqual(before);
  });

  it('with continueOnFail, gives the bad item {error} and still runs the others', async () => {
    const [out] = await runNode(node, {
      parameters: [enqueue(), enqueue({ dedupeKey: 'k-bad', payload: '{oops' }), enqueue({ dedupeKey: 'telegram:bot:3' })],
      items: [{}, {}, {}],
      credentials: db.credentials,
      continueOnFail: true,
    });
    expect(out).toHaveLength(3);
    expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    expect(out[1].json).toEqual({ error: expect.stringMatching(/^Payload is not valid JSON/) });
    expect([out[0].json.dedupeKey, out[2].json.dedupeKey]).toEqual(['telegram:bot:1', 'telegram:bot:3']);
    const keys = await db.store.all<{ dedupe_key: string }>('SELECT dedupe_key FROM commands ORDER BY id');
    expect(keys.map((k) => k.dedupe_key)).toEqual(['telegram:bot:1', 'telegram:bot:3']);
  });

  it('claims ready commands as one item each, paired with the input item, and none from an empty queue', async () => {
    const claim = { operation: 'claim', limit: 10, leaseSeconds: 60, workerName: 'n8n-run-1' };
    expect(await runNode(node, { parameters: claim, credentials: db.credentials })).toEqual([[]]);
    await runNode(node, { parameters: [enqueue(), enqueue({ dedupeKey: 'telegram:bot:2' })], items: [{}, {}], credentials: db.credentials });
    const [out] = await runNode(node, { parameters: claim, credentials: db.credentials });
    expect(out).toHaveLength(2);
    for (const item of out) {
      expect(item.pairedItem).toEqual({ item: 0 });
      expect(item.json).toMatchObject({ status: 'processing', attempts: 1, leaseOwner: 'n8n-run-1', leaseToken: expect.any(String) });
    }
  });

  it('completes with the lease token, reports a lost lease as an item, and refuses a missing token or id', async () => {
    const [[queued]] = await runNode(node, { parameters: enqueue(), credentials: db.credentials });
    const [[claimed]] = await runNode(node, { parameters: { operation: 'claim', limit: 1, leaseSeconds: 60, workerName: 'w' }, credentials: db.credentials });
    const settle = (overrides: Record<string, unknown>) => ({ operation: 'complete', commandId: claimed.json.id, leaseToken: claimed.json.leaseToken, result: '{"taskId":"t1"}', ...overrides });

    const before = await rowCounts(db.store);
    for (const [bad, message] of [
      [{ leaseToken: '' }, 'Lease token is empty'],
      [{ commandId: '' }, 'Command ID must be a positive whole number (got "")'],
    ] as const) {
      const error = await nodeOperationError(() => runNode(node, { parameters: [stats, settle(bad)], items: [{}, {}], credentials: db.credentials }));
      expect([error.message, error.context.itemIndex]).toEqual([message, 1]);
    }
    const [[lost]] = await runNode(node, { parameters: settle({ leaseToken: 'stale-token' }), credentials: db.credentials });
    expect(lost.json).toMatchObject({ applied: false, reason: 'lease_lost', status: 'processing' });
    expect(await rowCounts(db.store)).toEqual(before);

    const [[done]] = await runNode(node, { parameters: settle({}), credentials: db.credentials });
    expect(done).toEqual({ json: expect.objectContaining({ applied: true, status: 'completed', result: { taskId: 't1' } }), pairedItem: { item: 0 } });
    expect(await auditActions(db.store, 'command', Number(queued.json.id))).toEqual(['command_created', 'command_claimed', 'command_executed']);
  });

  it('fails a claimed command for a retry, honouring the retry-after hint', async () => {
    await runNode(node, { parameters: enqueue(), credentials: db.credentials });
    const [[claimed]] = await runNode(node, { parameters: { operation: 'claim', limit: 1, leaseSeconds: 60, workerName: 'w' }, credentials: db.credentials });
    const [[failed]] = await runNode(node, {
      parameters: { operation: 'fail', commandId: claimed.json.id, leaseToken: claimed.json.leaseToken, error: 'HTTP 429', retryable: true, retryAfterSeconds: 600 },
      credentials: db.credentials,
    });
    expect(failed.json).toMatchObject({ applied: true, status: 'failed', lastError: 'HTTP 429' });
    const delay = Date.parse(String(failed.json.runAfter)) - Date.parse(String(failed.json.updatedAt));
    expect(delay).toBeGreaterThanOrEqual(600_000 - 2);
  });

  it('finds a command by idempotency key, and says so when there is none', async () => {
    await runNode(node, { parameters: enqueue(), credentials: db.credentials });
    const [out] = await runNode(node, {
      parameters: [
        { operation: 'lookup', dedupeKey: 'telegram:bot:1' },
        { operation: 'lookup', dedupeKey: 'telegram:bot:404' },
      ],
      items: [{}, {}],
      credentials: db.credentials,
    });
    const noLimit = { rateLimited: false, recentAttempts: null };
    expect(out[0]).toEqual({ json: { outcome: 'duplicate', found: true, command: expect.objectContaining({ dedupeKey: 'telegram:bot:1' }), ...noLimit }, pairedItem: { item: 0 } });
    expect(out[1]).toEqual({ json: { outcome: 'new', found: false, command: null, ...noLimit }, pairedItem: { item: 1 } });
  });

  describe('the per-user rate limit counts every attempt', () => {
    const lookup = (dedupeKey: string, userId = 'telegram:100', maxPerMinute = 2) => ({ operation: 'lookup', dedupeKey, rateLimit: { userId, maxPerMinute } });
    const check = async (...parameters: IDataObject[]) =>
      (await runNode(node, { parameters, items: parameters.map(() => ({})), credentials: db.credentials }))[0].map((item) => [item.json.rateLimited, item.json.recentAttempts]);

    it('limits a user whose messages were all refused (none enqueued) once the attempts pass the limit', async () => {
      expect(await check(lookup('telegram:bot:11'), lookup('telegram:bot:12'), lookup('telegram:bot:13'), lookup('telegram:bot:14'))).toEqual([
        [false, 1],
        [false, 2],
        [true, 3],
        [true, 4],
      ]);
      expect((await rowCounts(db.store)).commands).toBe(0);
    });

    it('counts a re-delivered update once, and each user on their own', async () => {
      expect(await check(lookup('telegram:bot:21'), lookup('telegram:bot:21'), lookup('telegram:bot:22', 'telegram:200'), lookup('telegram:bot:23'))).toEqual([
        [false, 1],
        [false, 1],
        [false, 1],
        [false, 2],
      ]);
    });

    it('forgets attempts older than a minute', async () => {
      await check(lookup('telegram:bot:31'));
      await db.store.run('UPDATE rate_attempts SET attempted_at = attempted_at - 61000');
      expect(await check(lookup('telegram:bot:32'), lookup('telegram:bot:33'))).toEqual([
        [false, 1],
        [false, 2],
      ]);
      expect(await db.store.all('SELECT attempt_key FROM rate_attempts ORDER BY attempt_key')).toEqual([{ attempt_key: 'telegram:bot:32' }, { attempt_key: 'telegram:bot:33' }]);
    });

    it('records nothing with the limit off', async () => {
      expect(await check(lookup('telegram:bot:41', 'telegram:100', 0))).toEqual([[false, null]]);
      expect(await db.store.all('SELECT * FROM rate_attempts')).toEqual([]);
    });
  });

  it('refuses an unknown operation with the item index', async () => {
    const error = await nodeOperationError(() => runNode(node, { parameters: [stats, { operation: 'launchRockets' }], items: [{}, {}], credentials: db.credentials }));
    expect([error.message, error.context.itemIndex]).toEqual(['The operation "launchRockets" is not supported', 1]);
  });
});
