// Users: created on first contact, a time zone of their own, and a per-user rate limit.
import { enqueueCommand, checkRateLimit } from '../nodes/shared/queue';
import { changeTimezone, getUser } from '../nodes/shared/users';
import { listAudit } from '../nodes/shared/audit';
import { tempSqliteStore, type TempStore } from './helpers/tempStore';

let t: TempStore;
beforeEach(async () => {
  t = await tempSqliteStore();
});
afterEach(async () => {
  await t.cleanup();
});

describe('time zones', () => {
  it('sets a valid IANA zone for the user, creating the user on first contact, and audits it', async () => {
    const change = await changeTimezone(t.store, 'telegram:1', ' Europe/Berlin ');
    expect(change).toEqual({ ok: true, user: expect.objectContaining({ userId: 'telegram:1', timezone: 'Europe/Berlin' }) });
    expect((await getUser(t.store, 'telegram:1'))?.timezone).toBe('Europe/Berlin');
    expect((await listAudit(t.store, { entityType: 'user' })).map((a) => [a.action, a.details])).toEqual([
      ['timezone_changed', { timezone: 'Europe/Berlin' }],
    ]);
  });

  it('answers an unknown or missing zone with a message and changes nothing', async () => {
    await changeTimezone(t.store, 'telegram:1', 'Asia/Tokyo');
    expect(await changeTimezone(t.store, 'telegram:1', 'Mars/Base')).toEqual({ ok: false, message: expect.stringContaining('not a time zone I know') });
    expect(await changeTimezone(t.store, 'telegram:1', '')).toEqual({ ok: false, message: expect.stringContaining('/timezone Europe/Berlin') });
    expect((await getUser(t.store, 'telegram:1'))?.timezone).toBe('Asia/Tokyo');
  });
});

describe('per-user rate limit', () => {
  async function enqueueFor(user: string, count: number) {
    for (let i = 0; i < count; i++) {
      await enqueueCommand(t.store, { type: 'draft_task_from_text', userId: user, payload: { text: `n${i}` }, dedupeKey: `${user}:${i}` });
    }
  }

  it('limits a user who created the allowed number of commands in the last minute, and only that user', async () => {
    await enqueueFor('telegram:fast', 3);
    await enqueueFor('telegram:calm', 2);
    expect(await checkRateLimit(t.store, 'telegram:fast', 3)).toEqual({ recentCommands: 3, limitPerMinute: 3, limited: true });
    expect(await checkRateLimit(t.store, 'telegram:calm', 3)).toEqual({ recentCommands: 2, limitPerMinute: 3, limited: false });
  });

  it('forgets commands older than a minute', async () => {
    await enqueueFor('telegram:fast', 3);
    await t.store.run('UPDATE commands SET created_at = created_at - 61000');
    expect((await checkRateLimit(t.store, 'telegram:fast', 3)).limited).toBe(false);
  });

  it('is off at 0 and refuses a negative or fractional limit', async () => {
    await enqueueFor('telegram:fast', 3);
    expect((await checkRateLimit(t.store, 'telegram:fast', 0)).limited).toBe(false);
    await expect(checkRateLimit(t.store, 'telegram:fast', -1)).rejects.toThrow('whole number');
    await expect(checkRateLimit(t.store, 'telegram:fast', 1.5)).rejects.toThrow('whole number');
  });
});
