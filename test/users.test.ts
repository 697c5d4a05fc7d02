// Users: created on first contact, a time zone of their own, and a per-user rate limit.
import { enqueueCommand } from '../nodes/shared/queue/commands';
import { recordAttemptAgainstRateLimit } from '../nodes/shared/queue/rateLimit';
import { changeTimezone, getUser } from '../nodes/shared/users';
import { listAudit } from '../nodes/shared/store/audit';
import { tempSqliteStore, type TempStore } from './helpers/tempStore';
import { backends, useCleanStore } from './helpers/backends';
import { getChatContext } from '../nodes/shared/draft/drafts';

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

describe('per-user rate limit (every attempt counts)', () => {
  /** `count` messages reaching the check, as the router's lookup makes them (one key per update). */
  async function attempts(user: string, count: number, limit = 3) {
    const results = [];
    for (let i = 0; i < count; i++) results.push(await recordAttemptAgainstRateLimit(t.store, user, limit, `${user}:${i}`));
    return results;
  }

  it('limits a user past the allowed attempts in the last minute, queued or not, and only that user', async () => {
    expect((await attempts('telegram:fast', 4)).map((r) => [r.recentAttempts, r.limited])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(await recordAttemptAgainstRateLimit(t.store, 'telegram:calm', 3, 'calm:1')).toEqual({ recentAttempts: 1, limitPerMinute: 3, limited: false });
  });

  it('does not count queued commands that never reached the check (button presses)', async () => {
    for (let i = 0; i < 5; i++) {
      await enqueueCommand(t.store, { type: 'confirm_draft', userId: 'telegram:fast', payload: { draftId: i + 1 }, dedupeKey: `press:${i}` });
    }
    expect(await recordAttemptAgainstRateLimit(t.store, 'telegram:fast', 3, 'text:1')).toMatchObject({ recentAttempts: 1, limited: false });
  });

  it('forgets attempts older than a minute', async () => {
    await attempts('telegram:fast', 4);
    await t.store.run('UPDATE rate_attempts SET attempted_at = attempted_at - 61000');
    expect(await recordAttemptAgainstRateLimit(t.store, 'telegram:fast', 3, 'later')).toMatchObject({ recentAttempts: 1, limited: false });
  });

  it('is off at 0 and refuses a negative or fractional limit', async () => {
    await attempts('telegram:fast', 4);
    expect((await recordAttemptAgainstRateLimit(t.store, 'telegram:fast', 0)).limited).toBe(false);
    await expect(recordAttemptAgainstRateLimit(t.store, 'telegram:fast', -1)).rejects.toThrow('whole number');
    await expect(recordAttemptAgainstRateLimit(t.store, 'telegram:fast', 1.5)).rejects.toThrow('whole number');
  });
});

describe.each(backends)('a returning user (%s)', (backend) => {
  const ctx = useCleanStore(backend);
  const later = () => new Promise((resolve) => setTimeout(resolve, 5));
  const contact = (details: { telegramChatId?: string; displayName?: string } = {}) =>
    getChatContext(ctx.store, { userId: 'telegram:7', telegramChatId: '7', telegramUserId: '7', displayName: 'Ada', ...details });

  it('is not rewritten when nothing about them changed (a message costs no write for it), and is when something did', async () => {
    await contact();
    const first = (await getUser(ctx.store, 'telegram:7'))!;
    await later();
    await contact();
    expect(await getUser(ctx.store, 'telegram:7')).toEqual(first);
    await later();
    const context = await contact({ telegramChatId: '8', displayName: 'Ada L.' });
    const changed = (await getUser(ctx.store, 'telegram:7'))!;
    expect(changed).toMatchObject({ telegramChatId: '8', displayName: 'Ada L.', timezone: first.timezone, createdAt: first.createdAt });
    expect(changed.updatedAt! > first.updatedAt!).toBe(true);
    expect(context).toMatchObject({ userId: 'telegram:7', timezone: 'UTC' });
  });
});
