// The daily briefing in the core against the Google Tasks emulator: one per user and local day
// however often and wherever the checker runs, a missed one late once with its date, nothing on
// a day with nothing to say unless "always", and its content and buttons.
import type { Store } from '../nodes/shared/store/db';
import { createDraft } from '../nodes/shared/draft/drafts';
import { parseTaskCallbackData } from '../nodes/shared/contracts';
import { briefingKey, composeBriefing, scheduleDueBriefings } from '../nodes/shared/notify/briefing';
import { claimDueNotifications } from '../nodes/shared/notify/notifications';
import { setBriefing } from '../nodes/shared/notify/reminders';
import { ensureUser } from '../nodes/shared/users';
import { completeListedTask } from '../nodes/shared/tasks/chatTasks';
import { GoogleTasksEmulator } from '../emulators/googleTasks';
import { emulatorClient, openTempStore, type TempStore } from './helpers/taskExecutorFixtures';

const ALICE = 'telegram:31';
const emulator = new GoogleTasksEmulator();
let temp: TempStore;
let store: Store;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.reset();
  temp = await openTempStore('briefing-');
  store = temp.store;
  await store.transaction((tx) => ensureUser(tx, { userId: ALICE, telegramChatId: '31', timezone: 'Europe/Berlin' }));
});
afterEach(() => temp.cleanup());

const client = () => emulatorClient(emulator.url);
/** /briefing at `time`, as if set weeks ago (so today's is due once its time has come). */
async function briefingAt(time: string, always = false) {
  await setBriefing(store, { userId: ALICE, text: `/briefing ${time}${always ? ' always' : ''}` });
  await store.run('UPDATE users SET briefing_since = ? WHERE user_id = ?', [Date.parse('2026-11-01T00:00:00Z'), ALICE]);
}
const briefings = () => store.all<{ dedupe_key: string; due_at: number; status: string }>("SELECT dedupe_key, due_at, status FROM notifications WHERE kind = 'briefing' ORDER BY id");

describe('scheduling', () => {
  it('makes one briefing per user and local day, from its local time on, however often it runs', async () => {
    await briefingAt('07:30');
    expect((await scheduleDueBriefings(store, new Date('2026-12-01T06:29:00Z'))).scheduled).toBe(1); // yesterday's, missed
    await store.run("DELETE FROM notifications");
    expect((await scheduleDueBriefings(store, new Date('2026-12-01T06:29:00Z'))).scheduled).toBe(1);
    expect((await briefings())[0].dedupe_key).toBe(briefingKey(ALICE, '2026-11-30'));
    await store.run("DELETE FROM notifications");
    const at = new Date('2026-12-01T06:30:00Z'); // 07:30 in Berlin
    expect((await scheduleDueBriefings(store, at)).scheduled).toBe(1);
    for (const later of [at, new Date('2026-12-01T06:31:00Z'), new Date('2026-12-01T15:00:00Z')]) expect((await scheduleDueBriefings(store, later)).scheduled).toBe(0);
    expect(await briefings()).toEqual([{ dedupe_key: briefingKey(ALICE, '2026-12-01'), due_at: at.getTime(), status: 'scheduled' }]);
    // A new time the same day sends no second one.
    await setBriefing(store, { userId: ALICE, text: '/briefing 16:00' });
    expect((await scheduleDueBriefings(store, new Date('2026-12-01T15:30:00Z'))).scheduled).toBe(0);
  });

  it('a time set today after its moment starts tomorrow; off makes none', async () => {
    await setBriefing(store, { userId: ALICE, text: '/briefing 07:30' });
    expect((await scheduleDueBriefings(store, new Date(Date.now() + 60_000))).scheduled).toBeLessThanOrEqual(1);
    await store.run('DELETE FROM notifications');
    await setBriefing(store, { userId: ALICE, text: '/briefing off' });
    expect((await scheduleDueBriefings(store, new Date(Date.now() + 86_400_000))).scheduled).toBe(0);
  });
});

/** Today's briefing, scheduled and claimed at `now`. */
async function claimed(now: Date) {
  await scheduleDueBriefings(store, now);
  const [notification] = await claimDueNotifications(store, { owner: 'f', kinds: ['briefing'] });
  return notification;
}

describe('composing', () => {
  it('lists overdue, due today and waiting, with ✓ Done per task and 💤 1 hour; late says so', async () => {
    const api = client();
    await api.insertTask('@default', { title: 'Pay rent', due: '2026-11-29T00:00:00.000Z' });
    await api.insertTask('@default', { title: 'Buy milk', due: '2026-12-01T00:00:00.000Z' });
    await api.insertTask('@default', { title: 'Someday', due: '2026-12-20T00:00:00.000Z' });
    await createDraft(store, { userId: ALICE, task: { title: 'Call mom', due_date: null, subtasks: [] } });
    await briefingAt('07:30');
    const now = new Date('2026-12-01T06:30:30Z');
    const notification = await claimed(now);
    const composed = await composeBriefing(store, api, { notificationId: notification.id, now });
    if (composed.outcome !== 'send') throw new Error(`expected send, got ${composed.outcome}`);
    expect(composed.text).toMatch(/^☀️ <b>Your briefing for Tue 1 Dec<\/b>\n/);
    expect(composed.text).toMatch(/Overdue<\/b>\n• Pay rent/);
    expect(composed.text).toMatch(/Due today<\/b>\n• Buy milk/);
    expect(composed.text).toMatch(/Call mom <i>\(a draft waiting/);
    expect(composed.text).not.toMatch(/Someday|late/);
    const rows = composed.keyboard.rows.map((r) => r.row.buttons[0]);
    expect(rows.map((b) => b.text)).toEqual(['✓ Pay rent', '✓ Buy milk', '💤 1 hour']);
    expect(parseTaskCallbackData(rows[0].additionalFields.callback_data)).toMatchObject({ action: 'done' });
    expect(parseTaskCallbackData(rows[2].additionalFields.callback_data)).toEqual({ action: 'snooze', target: notification.id });
    // ✓ Done under the briefing answers apart (the briefing lists more than that task).
    const done = await completeListedTask(store, api, { entryId: parseTaskCallbackData(rows[0].additionalFields.callback_data)!.target, userId: ALICE });
    expect(done).toMatchObject({ outcome: 'completed', editPressed: false });

    // Sent hours late (n8n was down at 07:30): it says so, once.
    const late = await composeBriefing(store, api, { notificationId: notification.id, now: new Date('2026-12-01T10:00:00Z') });
    expect(late.outcome === 'send' && late.text).toMatch(/late: it was due at 07:30/);
  });

  it('a day with nothing to say sends nothing, unless "always"', async () => {
    await briefingAt('07:30');
    const now = new Date('2026-12-01T06:31:00Z');
    const quiet = await claimed(now);
    expect(await composeBriefing(store, client(), { notificationId: quiet.id, now })).toMatchObject({ outcome: 'skip', reason: 'nothing_to_say' });
    await store.run('DELETE FROM notifications');
    await briefingAt('07:30', true);
    const always = await claimed(now);
    const composed = await composeBriefing(store, client(), { notificationId: always.id, now });
    expect(composed).toMatchObject({ outcome: 'send', text: expect.stringContaining('Nothing due today') });
  });
});

describe("today's events", () => {
  it('are listed first, in start order, with their times (all-day ones as such), and alone are something to say', async () => {
    await briefingAt('07:30');
    const now = new Date('2026-12-01T06:31:00Z');
    const notification = await claimed(now);
    const events = [
      { id: 'e2', title: 'Dinner with <Ana>', allDay: false, start: '2026-12-01T19:30', end: '2026-12-01T20:30', ours: true },
      { id: 'e1', title: "Sam's birthday", allDay: true, start: '2026-12-01', end: '2026-12-02', ours: false },
      { id: 'e3', title: 'Standup', allDay: false, start: '2026-12-01T09:00', end: '2026-12-01T09:15', ours: false },
    ];
    const composed = await composeBriefing(store, client(), { notificationId: notification.id, now, events });
    expect(composed).toMatchObject({ outcome: 'send' });
    const text = (composed as { text: string }).text;
    expect(text).toContain("📅 <b>Today's events</b>\n• All day · Sam's birthday\n• 09:00–09:15 · Standup\n• 19:30–20:30 · Dinner with &lt;Ana&gt;");
    // Events the calendar could not give (no credential, an outage) leave the rest of the briefing as it was.
    const without = await composeBriefing(store, client(), { notificationId: notification.id, now, events: null });
    expect(without).toMatchObject({ outcome: 'skip', reason: 'nothing_to_say' });
  });
});

describe('size', () => {
  it('a briefing with very many long tasks and drafts stays within Telegram\'s 4096 characters and says how many more there are', async () => {
    const api = client();
    const long = (i: number) => `Task ${i} <&> ${'x'.repeat(180)}`;
    for (let i = 0; i < 40; i++) await api.insertTask('@default', { title: long(i), due: '2026-11-20T00:00:00.000Z' });
    for (let i = 0; i < 15; i++) await api.insertTask('@default', { title: `Today ${long(i)}`, due: '2026-12-01T00:00:00.000Z' });
    for (let i = 0; i < 12; i++) await createDraft(store, { userId: ALICE, task: { title: `Draft ${long(i)}`, due_date: null, subtasks: [] } });
    await briefingAt('07:30');
    const now = new Date('2026-12-01T06:30:30Z');
    await scheduleDueBriefings(store, now);
    const [notification] = await claimDueNotifications(store, { owner: 'f', kinds: ['briefing'] });
    const composed = await composeBriefing(store, api, { notificationId: notification.id, now });
    if (composed.outcome !== 'send') throw new Error(`expected send, got ${composed.outcome}`);
    expect([...composed.text].length).toBeLessThanOrEqual(4096);
    expect(composed.text).toMatch(/Overdue<\/b>\n• Task \d+ &lt;&amp;&gt;/);
    expect(composed.text).toMatch(/and \d+ more/);
    // Every section still shows up, and no entity is cut in half.
    expect(composed.text).toMatch(/Due today/);
    expect(composed.text).toMatch(/Waiting for you/);
    expect(composed.text).not.toMatch(/&[a-z]*…/);
  });
});
