// Reminders in the core against the Google Tasks emulator: the draft's reminder is read from
// the message and shown on its card, scheduled once its task exists, checked against Google
// Tasks before it is sent (a task completed or deleted meanwhile is not reminded of), and its
// buttons name our own rows, checked against the presser. /briefing sets the daily briefing.
import type { Store } from '../nodes/shared/store/db';
import { confirmDraft, createDraftOnce } from '../nodes/shared/draft/drafts';
import { parseTaskCallbackData } from '../nodes/shared/contracts';
import { executeDraft } from '../nodes/shared/tasks/executor';
import { completeListedTask } from '../nodes/shared/tasks/chatTasks';
import { beginSending, claimDueNotifications, getNotification, markSent, scheduleNotification } from '../nodes/shared/notify/notifications';
import { checkReminder, listReminders, parseBriefingCommand, scheduleDraftReminder, setBriefing, snoozeFromButton } from '../nodes/shared/notify/reminders';
import { draftCard } from '../nodes/shared/telegram/draftCard';
import { changeTimezone } from '../nodes/shared/users';
import { parseTelegramUpdate } from '../nodes/shared/telegram/update';
import { GoogleTasksEmulator } from '../emulators/googleTasks';
import { emulatorClient, FAST_RETRY, noSleep, openTempStore, type TempStore } from './helpers/taskExecutorFixtures';

const ALICE = 'telegram:21';
const BOB = 'telegram:22';
const emulator = new GoogleTasksEmulator();
let temp: TempStore;
let store: Store;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.reset();
  temp = await openTempStore('reminders-');
  store = temp.store;
});
afterEach(() => temp.cleanup());

const client = () => emulatorClient(emulator.url);

/** A task drafted from `text` (sent now, in Berlin), confirmed and created. */
async function createdWithReminder(text: string, task: { title: string; due_date: string | null }) {
  const { draft } = await createDraftOnce(store, {
    userId: ALICE,
    chatId: '21',
    task: { ...task, subtasks: [] },
    reminderFrom: { text, timezone: 'Europe/Berlin', sentAt: new Date() },
  });
  await confirmDraft(store, draft.id, ALICE);
  const executed = await executeDraft(store, client(), { draftId: draft.id, userId: ALICE, retry: FAST_RETRY, sleep: noSleep });
  if (!executed.ok) throw new Error(executed.failure.message);
  return draft;
}

/** Makes the reminder due now and claims it, as the checker does at its time. */
async function dueAndClaimed(notificationId: number) {
  await store.run('UPDATE notifications SET due_at = 0 WHERE id = ?', [notificationId]);
  const [claim] = await claimDueNotifications(store, { owner: 'g' });
  expect(claim.id).toBe(notificationId);
  return claim;
}

describe('a reminder from the draft to the message', () => {
  it('is read from the message, shown on the card, scheduled once after the task exists, and sent with our own button data', async () => {
    const draft = await createdWithReminder('remind me to stretch in 20 minutes', { title: 'Stretch', due_date: null });
    expect(draft.task.reminder).toMatchObject({ time: expect.stringMatching(/^\d\d:\d\d$/) });
    expect(draftCard(draft).text).toContain('⏰ <b>Reminder:</b>');
    const scheduled = await scheduleDraftReminder(store, { draftId: draft.id, userId: ALICE });
    expect(scheduled).toMatchObject({ ok: true, outcome: 'scheduled' });
    expect(await scheduleDraftReminder(store, { draftId: draft.id, userId: ALICE })).toMatchObject({ outcome: 'duplicate' });
    if (scheduled.outcome === 'none') throw new Error('no reminder');
    expect(Date.parse(scheduled.at) - Date.now()).toBeGreaterThan(19 * 60_000);
    expect((await listReminders(store, { userId: ALICE })).message).toMatch(/Stretch.*at \d\d:\d\d/);
    expect((await listReminders(store, { userId: BOB })).count).toBe(0);

    const claim = await dueAndClaimed(scheduled.notificationId);
    const checked = await checkReminder(store, client(), { notificationId: claim.id });
    if (checked.outcome !== 'send') throw new Error(`expected send, got ${checked.outcome}`);
    expect(checked.text).toMatch(/^⏰ <b>Stretch<\/b> · \d\d:\d\d$/);
    expect(checked.chatId).toBe('21');
    expect(parseTaskCallbackData(checked.snoozeData)).toEqual({ action: 'snooze', target: claim.id });
    expect(parseTaskCallbackData(checked.tomorrowData)).toEqual({ action: 'tomorrow', target: claim.id });
    const press = (data: string) =>
      parseTelegramUpdate({ update_id: 9, callback_query: { id: 'q', from: { id: 21 }, data, message: { message_id: 5, chat: { id: 21 } } } }, { allowlist: '21', workflowId: 'A' });
    expect(press(checked.snoozeData)).toMatchObject({ kind: 'button', commandType: 'snooze_hour', target: claim.id });
    expect(press(checked.tomorrowData)).toMatchObject({ kind: 'button', commandType: 'snooze_tomorrow' });

    // ✓ Done is Workflow L's own: it completes the task in Google Tasks.
    const done = parseTaskCallbackData(checked.doneData)!;
    expect(await completeListedTask(store, client(), { entryId: done.target, userId: BOB })).toMatchObject({ outcome: 'refused' });
    expect(await completeListedTask(store, client(), { entryId: done.target, userId: ALICE })).toMatchObject({ outcome: 'completed', editPressed: true });
    expect(emulator.allTasks().find((t) => t.title === 'Stretch')?.status).toBe('completed');
  });

  it('is not sent when the task was completed or deleted in Google Tasks meanwhile, nor when it has no task', async () => {
    const draft = await createdWithReminder('call mom at 9pm tomorrow', { title: 'Call mom', due_date: null });
    expect(draft.task.reminder).toMatchObject({ time: '21:00' });
    const scheduled = await scheduleDraftReminder(store, { draftId: draft.id, userId: ALICE });
    if (scheduled.outcome === 'none') throw new Error('no reminder');
    const task = emulator.allTasks().find((t) => t.title === 'Call mom')!;
    await client().completeTask(emulator.defaultListId, task.id);
    const claim = await dueAndClaimed(scheduled.notificationId);
    expect(await checkReminder(store, client(), { notificationId: claim.id })).toMatchObject({ outcome: 'skip', reason: 'task_done_or_deleted' });
    // Deleted: the list no longer has it.
    const other = await createdWithReminder('water the plants at 8am tomorrow', { title: 'Water plants', due_date: null });
    const second = await scheduleDraftReminder(store, { draftId: other.id, userId: ALICE });
    if (second.outcome === 'none') throw new Error('no reminder');
    emulator.reset();
    const claim2 = await dueAndClaimed(second.notificationId);
    expect(await checkReminder(store, client(), { notificationId: claim2.id })).toMatchObject({ outcome: 'skip', reason: 'task_done_or_deleted' });
    // A draft without a time has no reminder.
    const { draft: plain } = await createDraftOnce(store, { userId: ALICE, task: { title: 'Buy milk', due_date: '2026-12-02', subtasks: [] }, reminderFrom: { text: 'buy milk tomorrow', timezone: 'UTC' } });
    expect(plain.task.reminder).toBeUndefined();
  });

  it('an edit that names no time keeps the reminder, on the new due date', async () => {
    const { draft } = await createDraftOnce(store, { userId: ALICE, task: { title: 'Call mom', due_date: '2026-12-02', subtasks: [] }, reminderFrom: { text: 'call mom at 9pm on Dec 2', timezone: 'Europe/Berlin', sentAt: new Date('2026-12-01T10:00:00Z') } });
    expect(draft.task.reminder).toEqual({ at: '2026-12-02T20:00:00.000Z', date: '2026-12-02', time: '21:00' });
    const { draft: revised } = await createDraftOnce(store, {
      userId: ALICE,
      task: { title: 'Call mom', due_date: '2026-12-03', subtasks: [] },
      supersedesId: draft.id,
      reminderFrom: { text: 'make it Thursday', timezone: 'Europe/Berlin', sentAt: new Date('2026-12-01T10:05:00Z') },
    });
    expect(revised.task.reminder).toEqual({ at: '2026-12-03T20:00:00.000Z', date: '2026-12-03', time: '21:00' });
  });
});

describe('snoozes', () => {
  it('move a sent reminder once, for the user it was sent to', async () => {
    const draft = await createdWithReminder('call mom at 9pm tomorrow', { title: 'Call mom', due_date: null });
    const scheduled = await scheduleDraftReminder(store, { draftId: draft.id, userId: ALICE });
    if (scheduled.outcome === 'none') throw new Error('no reminder');
    const claim = await dueAndClaimed(scheduled.notificationId);
    await beginSending(store, { id: claim.id, leaseToken: claim.leaseToken });
    await markSent(store, { id: claim.id, leaseToken: claim.leaseToken, messageId: 5 });
    expect(await snoozeFromButton(store, { notificationId: claim.id, userId: BOB, choice: 'hour' })).toMatchObject({ outcome: 'refused', replyChatId: '22' });
    const now = new Date();
    const snoozed = await snoozeFromButton(store, { notificationId: claim.id, userId: ALICE, choice: 'hour', now });
    expect(snoozed).toMatchObject({ outcome: 'snoozed', message: expect.stringMatching(/^💤 <b>Call mom<\/b>: I'll remind you again (at|tomorrow at) \d\d:\d\d\.$/) });
    if (snoozed.outcome === 'refused') throw new Error('refused');
    expect(Date.parse(snoozed.at) - now.getTime()).toBeGreaterThanOrEqual(60 * 60_000);
    expect((await snoozeFromButton(store, { notificationId: claim.id, userId: ALICE, choice: 'tomorrow' })).outcome).toBe('already_snoozed');
    expect((await getNotification(store, snoozed.notificationId))?.status).toBe('scheduled');
  });
});

describe('a snooze racing the checker', () => {
  it('a press on a reminder whose run has not recorded "sent" yet (or died after sending) still moves it, once', async () => {
    const draft = await createdWithReminder('call mom at 9pm tomorrow', { title: 'Call mom', due_date: null });
    const scheduled = await scheduleDraftReminder(store, { draftId: draft.id, userId: ALICE });
    if (scheduled.outcome === 'none') throw new Error('no reminder');
    const claim = await dueAndClaimed(scheduled.notificationId);
    await beginSending(store, { id: claim.id, leaseToken: claim.leaseToken });
    // The message is out (its button was pressed), Mark Sent has not run yet.
    const snoozed = await snoozeFromButton(store, { notificationId: claim.id, userId: ALICE, choice: 'hour' });
    expect(snoozed).toMatchObject({ outcome: 'snoozed' });
    expect(await snoozeFromButton(store, { notificationId: claim.id, userId: ALICE, choice: 'hour' })).toMatchObject({ outcome: 'already_snoozed' });
    expect(await snoozeFromButton(store, { notificationId: claim.id, userId: BOB, choice: 'hour' })).toMatchObject({ outcome: 'refused' });
    expect(await markSent(store, { id: claim.id, leaseToken: claim.leaseToken, messageId: 5 })).toMatchObject({ applied: true });
    // A reminder not sent yet cannot be snoozed (nobody saw its buttons).
    const other = await createdWithReminder('water the plants at 8am tomorrow', { title: 'Water plants', due_date: null });
    const second = await scheduleDraftReminder(store, { draftId: other.id, userId: ALICE });
    if (second.outcome === 'none') throw new Error('no reminder');
    expect(await snoozeFromButton(store, { notificationId: second.notificationId, userId: ALICE, choice: 'hour' })).toMatchObject({ outcome: 'refused' });
  });
});

describe('✓ Done', () => {
  it('cancels the task\'s reminders still to come (a snoozed one), so /reminders no longer lists them; another task\'s stay', async () => {
    const draft = await createdWithReminder('call mom at 9pm tomorrow', { title: 'Call mom', due_date: null });
    const other = await createdWithReminder('water the plants at 8am tomorrow', { title: 'Water plants', due_date: null });
    const scheduled = await scheduleDraftReminder(store, { draftId: draft.id, userId: ALICE });
    await scheduleDraftReminder(store, { draftId: other.id, userId: ALICE });
    if (scheduled.outcome === 'none') throw new Error('no reminder');
    await store.run('UPDATE notifications SET due_at = 0 WHERE id = ?', [scheduled.notificationId]);
    const [claim] = await claimDueNotifications(store, { owner: 'g' });
    const checked = await checkReminder(store, client(), { notificationId: claim.id });
    if (checked.outcome !== 'send') throw new Error(`expected send, got ${checked.outcome}`);
    await beginSending(store, { id: claim.id, leaseToken: claim.leaseToken });
    await markSent(store, { id: claim.id, leaseToken: claim.leaseToken, messageId: 5 });
    await snoozeFromButton(store, { notificationId: claim.id, userId: ALICE, choice: 'tomorrow' });
    expect((await listReminders(store, { userId: ALICE })).count).toBe(2);
    const done = parseTaskCallbackData(checked.doneData)!;
    expect(await completeListedTask(store, client(), { entryId: done.target, userId: ALICE })).toMatchObject({ outcome: 'completed' });
    const left = await listReminders(store, { userId: ALICE });
    expect(left.reminders.map((r) => r.payload.title)).toEqual(['Water plants']);
    expect((await store.all<{ status: string }>("SELECT status FROM notifications WHERE draft_id = ? ORDER BY id", [draft.id])).map((r) => r.status)).toEqual(['sent', 'cancelled']);
  });
});

describe('/briefing', () => {
  it('a time that is not one (24:00, 7:5, 25:61) is named in the answer, and nothing changes', async () => {
    await setBriefing(store, { userId: ALICE, text: '/briefing 07:30' });
    for (const bad of ['24:00', '7:5', '25:61', '0730']) {
      const answer = await setBriefing(store, { userId: ALICE, text: `/briefing ${bad}` });
      expect(answer).toMatchObject({ outcome: 'usage' });
      expect(answer.message).toContain(`“${bad}”`);
      expect(answer.message).toContain('00:00 to 23:59');
    }
    const junk = await setBriefing(store, { userId: ALICE, text: '/briefing <b>soon</b>' });
    expect(junk.message).not.toContain('<b>soon');
    expect((await store.get<{ t: string }>('SELECT briefing_time AS t FROM users WHERE user_id = ?', [ALICE]))?.t).toBe('07:30');
  });

  it('reads a time, off and always', () => {
    expect(parseBriefingCommand('/briefing 07:30')).toEqual({ time: '07:30' });
    expect(parseBriefingCommand('/briefing 7.05 always')).toEqual({ time: '07:05', always: true });
    expect(parseBriefingCommand('/briefing off')).toEqual({ off: true });
    expect(parseBriefingCommand('/briefing')).toBeNull();
    expect(parseBriefingCommand('/briefing soon')).toBeNull();
  });

  it('sets, keeps the time for always, and turns off (default off)', async () => {
    expect((await setBriefing(store, { userId: ALICE, text: '/briefing always' })).outcome).toBe('usage');
    expect(await setBriefing(store, { userId: ALICE, text: '/briefing 07:30' })).toMatchObject({ outcome: 'set', message: expect.stringContaining('07:30') });
    expect(await setBriefing(store, { userId: ALICE, text: '/briefing always' })).toMatchObject({ outcome: 'set', message: expect.stringContaining('even when there is nothing') });
    expect(await store.get('SELECT briefing_time, briefing_always FROM users WHERE user_id = ?', [ALICE])).toMatchObject({ briefing_time: '07:30', briefing_always: 1 });
    expect((await setBriefing(store, { userId: ALICE, text: '/briefing off' })).outcome).toBe('off');
    expect(await store.get('SELECT briefing_time FROM users WHERE user_id = ?', [ALICE])).toMatchObject({ briefing_time: null });
    expect((await setBriefing(store, { userId: ALICE, text: '/briefing later' })).outcome).toBe('usage');
  });
});

describe('/reminders', () => {
  it('with very many long reminders stays within Telegram\'s 4096 characters and counts them all', async () => {
    for (let i = 0; i < 30; i++) {
      await scheduleNotification(store, {
        userId: ALICE,
        kind: 'reminder',
        dedupeKey: `reminder:long:${i}`,
        chatId: '21',
        dueAt: Date.now() + (i + 1) * 60 * 60_000,
        payload: { title: `Call <${i}> ${'y'.repeat(190)}` },
      });
    }
    const listed = await listReminders(store, { userId: ALICE });
    expect(listed.message.length).toBeLessThanOrEqual(4096);
    expect(listed.message).toMatch(/^⏰ <b>Your reminders<\/b> \(30\)/);
    expect(listed.message).toMatch(/• <b>Call &lt;0&gt; y+/);
    expect(listed.message).toMatch(/and \d+ more/);
  });
});

describe('a /timezone change after a reminder was set', () => {
  it('keeps the moment it was set for, and the reminder says its time in the user\'s zone now', async () => {
    const draft = await createdWithReminder('call mom at 9pm tomorrow', { title: 'Call mom', due_date: null });
    expect(draft.task.reminder).toMatchObject({ time: '21:00' });
    const scheduled = await scheduleDraftReminder(store, { draftId: draft.id, userId: ALICE });
    if (scheduled.outcome === 'none') throw new Error('no reminder');
    expect(await changeTimezone(store, ALICE, 'America/New_York')).toMatchObject({ ok: true });
    const claim = await dueAndClaimed(scheduled.notificationId);
    const checked = await checkReminder(store, client(), { notificationId: claim.id });
    if (checked.outcome !== 'send') throw new Error(`expected send, got ${checked.outcome}`);
    // 21:00 in Berlin is 15:00 in New York (both on standard time in December).
    expect(checked.text).toBe('⏰ <b>Call mom</b> · 15:00');
  });
});
