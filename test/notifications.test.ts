// The notifications queue on a real database, once per backend: a notification is claimed under
// a lease with a fencing token, its intent to send is recorded before it goes out, and no retry,
// restart or second worker sends it twice.
import type { Store } from '../nodes/shared/store/db';
import {
  beginSending,
  cancelScheduled,
  claimDueNotifications,
  failNotification,
  getNotification,
  markSent,
  scheduleNotification,
  skipNotification,
  snoozeReminder,
  upcomingReminders,
  type ScheduleInput,
} from '../nodes/shared/notify/notifications';
import { purgeOldRecords } from '../nodes/shared/operations/retention';
import { backends, useCleanStore } from './helpers/backends';
import { auditActions } from './helpers/rows';

const USER = 'telegram:5001';
const OTHER = 'telegram:5002';
const DAY_MS = 24 * 60 * 60_000;

function schedule(store: Store, key: string, extra: Partial<ScheduleInput> = {}) {
  return scheduleNotification(store, { userId: USER, kind: 'reminder', dedupeKey: key, chatId: '5001', dueAt: Date.now() - 1_000, payload: { title: key }, ...extra });
}

/** Moves a claim's lease into the past, as if its worker had stopped. */
async function expireLease(store: Store, id: number) {
  await store.run('UPDATE notifications SET lease_expires_at = lease_expires_at - 10000000 WHERE id = ?', [id]);
}

describe.each(backends)('notifications queue (%s)', (backend) => {
  const ctx = useCleanStore(backend);

  it('schedules one notification per key, and claims only what is due', async () => {
    const first = await schedule(ctx.store, 'reminder:1');
    const again = await schedule(ctx.store, 'reminder:1', { dueAt: Date.now() + DAY_MS });
    expect(again.duplicate).toBe(true);
    expect(again.notification.id).toBe(first.notification.id);
    await schedule(ctx.store, 'reminder:later', { dueAt: Date.now() + 60 * 60_000 });
    const claimed = await claimDueNotifications(ctx.store, { owner: 'w1' });
    expect(claimed.map((n) => n.dedupeKey)).toEqual(['reminder:1']);
    expect(claimed[0]).toMatchObject({ status: 'claimed', attempts: 1, payload: { title: 'reminder:1' } });
    expect(await claimDueNotifications(ctx.store, { owner: 'w2' })).toEqual([]);
    expect((await upcomingReminders(ctx.store, USER)).map((n) => n.dedupeKey)).toEqual(['reminder:1', 'reminder:later']);
  });

  it('claim → sending → sent: the token fences every step, and a sent notification is never claimed again', async () => {
    const { notification } = await schedule(ctx.store, 'reminder:2');
    const [claim] = await claimDueNotifications(ctx.store, { owner: 'w1' });
    expect((await beginSending(ctx.store, { id: notification.id, leaseToken: 'forged' })).applied).toBe(false);
    expect((await beginSending(ctx.store, { id: notification.id, leaseToken: claim.leaseToken })).applied).toBe(true);
    // A retry of the same step (n8n re-running the node) changes nothing.
    expect(await beginSending(ctx.store, { id: notification.id, leaseToken: claim.leaseToken })).toMatchObject({ applied: false, reason: 'lease_lost' });
    const sent = await markSent(ctx.store, { id: notification.id, leaseToken: claim.leaseToken, messageId: 77 });
    expect(sent).toMatchObject({ applied: true, notification: { status: 'sent', telegramMessageId: '77' } });
    await expireLease(ctx.store, notification.id);
    expect(await claimDueNotifications(ctx.store, { owner: 'w2' })).toEqual([]);
    expect(await auditActions(ctx.store, 'notification', notification.id)).toEqual(['notification_scheduled', 'notification_claimed', 'notification_sending', 'notification_sent']);
  });

  it('a claim whose checker died before sending is claimed again with a new token; the old holder can no longer send', async () => {
    const { notification } = await schedule(ctx.store, 'reminder:3');
    const [first] = await claimDueNotifications(ctx.store, { owner: 'w1' });
    await expireLease(ctx.store, notification.id);
    // An expired claim may not start sending even before anyone took it over.
    expect((await beginSending(ctx.store, { id: notification.id, leaseToken: first.leaseToken })).applied).toBe(false);
    const [second] = await claimDueNotifications(ctx.store, { owner: 'w2' });
    expect(second.id).toBe(notification.id);
    expect(second.leaseToken).not.toBe(first.leaseToken);
    expect(second.attempts).toBe(2);
    expect((await beginSending(ctx.store, { id: notification.id, leaseToken: first.leaseToken })).applied).toBe(false);
    expect((await beginSending(ctx.store, { id: notification.id, leaseToken: second.leaseToken })).applied).toBe(true);
  });

  it('a worker that dies while sending leaves the notification unknown, never sent again (at most once); a late "sent" still settles it', async () => {
    const { notification } = await schedule(ctx.store, 'reminder:4');
    const [claim] = await claimDueNotifications(ctx.store, { owner: 'w1' });
    await beginSending(ctx.store, { id: notification.id, leaseToken: claim.leaseToken });
    await expireLease(ctx.store, notification.id);
    expect(await claimDueNotifications(ctx.store, { owner: 'w2' })).toEqual([]);
    expect(await getNotification(ctx.store, notification.id)).toMatchObject({ status: 'unknown' });
    expect(await auditActions(ctx.store, 'notification', notification.id)).toContain('notification_outcome_unknown');
    expect(await markSent(ctx.store, { id: notification.id, leaseToken: claim.leaseToken, messageId: 9 })).toMatchObject({ applied: true, notification: { status: 'sent' } });
  });

  it('a send Telegram refused is scheduled again after a backoff while attempts remain, then failed; a skip sends nothing', async () => {
    const { notification } = await schedule(ctx.store, 'reminder:5');
    const [claim] = await claimDueNotifications(ctx.store, { owner: 'w1' });
    await beginSending(ctx.store, { id: notification.id, leaseToken: claim.leaseToken });
    const retry = await failNotification(ctx.store, { id: notification.id, leaseToken: claim.leaseToken, error: 'Too Many Requests', retryable: true });
    expect(retry).toMatchObject({ applied: true, notification: { status: 'scheduled', outcome: 'Too Many Requests' } });
    expect(Date.parse(retry.notification!.dueAt)).toBeGreaterThan(Date.now());
    expect(await claimDueNotifications(ctx.store, { owner: 'w1' })).toEqual([]);
    await ctx.store.run('UPDATE notifications SET due_at = due_at - 10000000 WHERE id = ?', [notification.id]);
    const [again] = await claimDueNotifications(ctx.store, { owner: 'w1' });
    expect(await failNotification(ctx.store, { id: notification.id, leaseToken: again.leaseToken, error: 'chat not found', retryable: false })).toMatchObject({ notification: { status: 'failed' } });

    const skipped = (await schedule(ctx.store, 'reminder:6')).notification;
    const [claim6] = await claimDueNotifications(ctx.store, { owner: 'w1' });
    expect(await skipNotification(ctx.store, { id: skipped.id, leaseToken: claim6.leaseToken, reason: 'task_completed' })).toMatchObject({ notification: { status: 'skipped', outcome: 'task_completed' } });
    expect((await beginSending(ctx.store, { id: skipped.id, leaseToken: claim6.leaseToken })).applied).toBe(false);
  });

  it('a send whose answer was lost (a timeout, a dropped connection) is not sent again: unknown, audited; a late "sent" still settles it', async () => {
    const { notification } = await schedule(ctx.store, 'reminder:lost');
    const [claim] = await claimDueNotifications(ctx.store, { owner: 'w1' });
    await beginSending(ctx.store, { id: notification.id, leaseToken: claim.leaseToken });
    // What n8n's Telegram node says when the connection dropped after Telegram may have delivered it.
    const lost = await failNotification(ctx.store, {
      id: notification.id,
      leaseToken: claim.leaseToken,
      error: 'The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.',
      retryable: true,
    });
    expect(lost).toMatchObject({ applied: true, notification: { status: 'unknown' } });
    await ctx.store.run('UPDATE notifications SET due_at = due_at - 10000000 WHERE id = ?', [notification.id]);
    expect(await claimDueNotifications(ctx.store, { owner: 'w2' })).toEqual([]);
    // Telegram's own refusal (nothing delivered) is tried again, and so is a connection never made.
    for (const error of ['Bad Request: chat not found', 'Too Many Requests: retry after 5', 'The service refused the connection - perhaps it is offline']) {
      const { notification: other } = await schedule(ctx.store, `reminder:refused:${error}`);
      const [otherClaim] = await claimDueNotifications(ctx.store, { owner: 'w1' });
      await beginSending(ctx.store, { id: other.id, leaseToken: otherClaim.leaseToken });
      expect(await failNotification(ctx.store, { id: other.id, leaseToken: otherClaim.leaseToken, error, retryable: true })).toMatchObject({ notification: { status: 'scheduled' } });
    }
  });

  it('a check that fails before anything is sent (Google Tasks down for a while) keeps the reminder for a late send, far beyond 5 attempts', async () => {
    const { notification } = await schedule(ctx.store, 'reminder:outage');
    const failOnce = async () => {
      await ctx.store.run('UPDATE notifications SET due_at = 0 WHERE id = ?', [notification.id]);
      const [claim] = await claimDueNotifications(ctx.store, { owner: 'g' });
      expect(claim?.id).toBe(notification.id);
      return failNotification(ctx.store, { id: notification.id, leaseToken: claim.leaseToken, error: 'Google Tasks is unavailable (503)', retryable: true });
    };
    // Every minute for an hour and more: still there to be sent once Google is back.
    for (let i = 0; i < 12; i++) expect(await failOnce()).toMatchObject({ notification: { status: 'scheduled' } });
    // The backoff grows to its cap (30 minutes), not beyond.
    const last = await getNotification(ctx.store, notification.id);
    expect(Date.parse(last!.dueAt) - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    // Not forever: a failure that lasts all day ends it.
    let status = 'scheduled';
    for (let i = 0; i < 100 && status === 'scheduled'; i++) status = (await failOnce()).notification!.status;
    expect(status).toBe('failed');
  });

  it('cancels scheduled ones of a kind (and a draft), and leaves claimed and sent ones alone', async () => {
    const a = (await schedule(ctx.store, 'briefing:a', { kind: 'briefing', dueAt: Date.now() + DAY_MS })).notification;
    const b = (await schedule(ctx.store, 'reminder:b', { dueAt: Date.now() + DAY_MS })).notification;
    expect(await cancelScheduled(ctx.store, { userId: USER, kind: 'reminder', draftId: 999, reason: 'task done' })).toEqual([]);
    const cancelled = await cancelScheduled(ctx.store, { userId: USER, kind: 'briefing', reason: 'briefing off' });
    expect(cancelled.map((n) => n.id)).toEqual([a.id]);
    expect((await getNotification(ctx.store, b.id))?.status).toBe('scheduled');
    expect(await cancelScheduled(ctx.store, { userId: OTHER, kind: 'reminder', reason: 'x' })).toEqual([]);
  });

  it('a snooze makes one new reminder from a sent one of the presser\'s; a double tap makes none, another user\'s press is refused', async () => {
    const { notification } = await schedule(ctx.store, 'reminder:7');
    const [claim] = await claimDueNotifications(ctx.store, { owner: 'w1' });
    expect((await snoozeReminder(ctx.store, { id: notification.id, userId: USER, dueAt: Date.now() + 3_600_000, label: '1 hour' })).outcome).toBe('refused');
    await beginSending(ctx.store, { id: notification.id, leaseToken: claim.leaseToken });
    await markSent(ctx.store, { id: notification.id, leaseToken: claim.leaseToken, messageId: 1 });
    const dueAt = Date.now() + 3_600_000;
    const snoozed = await snoozeReminder(ctx.store, { id: notification.id, userId: USER, dueAt, label: '1 hour' });
    expect(snoozed).toMatchObject({ outcome: 'snoozed', notification: { status: 'scheduled', payload: { title: 'reminder:7' } } });
    expect(Date.parse(snoozed.notification!.dueAt)).toBe(dueAt);
    expect((await snoozeReminder(ctx.store, { id: notification.id, userId: USER, dueAt: dueAt + DAY_MS, label: 'tomorrow' })).outcome).toBe('already_snoozed');
    expect((await snoozeReminder(ctx.store, { id: notification.id, userId: OTHER, dueAt, label: '1 hour' })).outcome).toBe('refused');
    expect(Number((await ctx.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'reminder' AND status = 'scheduled'"))!.n)).toBe(1);
  });

  it('two workers claiming at once take different notifications, and each is sent once', async () => {
    for (let i = 0; i < 30; i++) await schedule(ctx.store, `reminder:many:${i}`);
    const claims = await Promise.all(['w1', 'w2', 'w3'].map((owner) => claimDueNotifications(ctx.store, { owner, limit: 12 })));
    const ids = claims.flat().map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sends = await Promise.all(claims.flat().map((n) => beginSending(ctx.store, { id: n.id, leaseToken: n.leaseToken })));
    expect(sends.every((s) => s.applied)).toBe(true);
    // Everything not yet claimed is claimed by the next round, by one worker.
    const rest = await Promise.all(['w1', 'w2'].map((owner) => claimDueNotifications(ctx.store, { owner, limit: 30 })));
    expect(ids.length + rest.flat().length).toBe(30);
    expect(new Set([...ids, ...rest.flat().map((n) => n.id)]).size).toBe(30);
  });

  it('retention deletes sent, skipped and cancelled notifications after 90 days, never a scheduled one', async () => {
    const old = (await schedule(ctx.store, 'reminder:old')).notification;
    const [claim] = await claimDueNotifications(ctx.store, { owner: 'w1' });
    await beginSending(ctx.store, { id: old.id, leaseToken: claim.leaseToken });
    await markSent(ctx.store, { id: old.id, leaseToken: claim.leaseToken });
    const future = (await schedule(ctx.store, 'reminder:far', { dueAt: Date.now() + 200 * DAY_MS })).notification;
    const recent = (await schedule(ctx.store, 'reminder:recent', { dueAt: Date.now() + DAY_MS })).notification;
    await cancelScheduled(ctx.store, { userId: USER, kind: 'reminder', draftId: undefined, reason: 'moved' });
    await ctx.store.run('UPDATE notifications SET updated_at = updated_at - ? WHERE id IN (?, ?)', [100 * DAY_MS, old.id, future.id]);
    await ctx.store.run("UPDATE notifications SET status = 'scheduled' WHERE id = ?", [future.id]);
    const result = await purgeOldRecords(ctx.store, { days: 90 });
    expect(result.notificationsDeleted).toBe(1);
    expect(await getNotification(ctx.store, old.id)).toBeUndefined();
    expect((await getNotification(ctx.store, future.id))?.status).toBe('scheduled');
    expect((await getNotification(ctx.store, recent.id))?.status).toBe('cancelled');
  });
});
