// Reminders in real n8n through the emulators (Workflow G, and L's buttons): a task drafted with a
// time carries its reminder on the card, the reminder arrives once at its time with ✓ Done /
// 💤 1 hour / ➡️ Tomorrow, ✓ Done completes the task, a snooze moves it once, and a task completed
// in Google Tasks meanwhile is not reminded of. The checker runs every 3 s here (every minute as
// shipped), and a reminder's time is brought forward in the store instead of waiting for it.
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import type { ChatHistoryEntry, UserSpec } from '../../emulators/telegram';
import { emulatorClient } from '../helpers/taskExecutorFixtures';
import { buttonsOf, Conversation, sleep } from './conversation';
import { useStack } from './useStack';

jest.setTimeout(240_000);

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const FRIEND: UserSpec = { userId: 434343, firstName: 'Sam' };
const CHECK_SECONDS = 3;

const e2e = useStack({ name: 'reminders', allowedUserIds: [OWNER.userId!, FRIEND.userId!], checkEverySeconds: CHECK_SECONDS });
const chat = new Conversation(() => e2e.stack, () => e2e.store, () => e2e.stack.n8n.logTail(40));

async function say(user: UserSpec, text: string, matches: (m: ChatHistoryEntry) => boolean, what: string): Promise<ChatHistoryEntry> {
  const lastSeen = Math.max(0, ...chat.history(user).map((m) => m.message_id));
  e2e.stack.telegram.sendUserText({ ...user, text });
  return chat.waitForBot(user, (m) => m.message_id > lastSeen && matches(m), what);
}

/** Drafts and confirms; resolves with the draft id once the task exists. */
async function createTask(user: UserSpec, text: string): Promise<{ draftId: number; card: ChatHistoryEntry }> {
  const card = await chat.sayAndGetCard(user, text);
  await chat.press(user, card, 'confirm');
  await chat.waitForBot(user, (m) => /Task created successfully/.test(m.text ?? '') && m.message_id > card.message_id, `confirming "${text}"`);
  await chat.settled();
  return { draftId: Number(buttonsOf(card)[0].split(':')[1]), card };
}

async function reminderOf(draftId: number) {
  return e2e.store.get<{ id: number; status: string; due_at: number }>("SELECT id, status, due_at FROM notifications WHERE kind = 'reminder' AND draft_id = ? ORDER BY id", [draftId]);
}

/** The reminder's time, brought to now: the checker's next run finds it due. */
async function bringForward(notificationId: number) {
  await e2e.store.run(`UPDATE notifications SET due_at = ${e2e.store.nowMs} WHERE id = ?`, [notificationId]);
}

/** The reminder messages themselves (with their buttons; /reminders' list starts with ⏰ too). */
const isReminder = (m: ChatHistoryEntry) => /^⏰ /.test(m.text ?? '') && !/Your reminders/.test(m.text ?? '');
const reminders = (user: UserSpec, title: RegExp) => chat.botMessages(user).filter((m) => isReminder(m) && title.test(m.text ?? ''));
const buttonTexts = (m: ChatHistoryEntry) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b?.text);

function pressData(user: UserSpec, message: ChatHistoryEntry, prefix: string) {
  const data = buttonsOf(message).find((d) => d.startsWith(prefix));
  if (!data) throw new Error(`message #${message.message_id} has no ${prefix} button`);
  return e2e.stack.telegram.pressButton({ ...user, messageId: message.message_id, data });
}

describe('a reminder', () => {
  let stretch: ChatHistoryEntry;

  it('is shown on the card, scheduled on Confirm, listed by /reminders, and arrives once at its time', async () => {
    const card = await chat.sayAndGetCard(OWNER, 'remind me to stretch in 20 minutes');
    expect(card.text).toMatch(/⏰ Reminder: .* · \d\d:\d\d/);
    await chat.press(OWNER, card, 'confirm');
    await chat.waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && m.message_id > card.message_id, 'confirming');
    await chat.settled();
    const draftId = Number(buttonsOf(card)[0].split(':')[1]);
    const row = await reminderOf(draftId);
    expect(row).toMatchObject({ status: 'scheduled' });
    expect(Number(row!.due_at) - Date.now()).toBeGreaterThan(18 * 60_000);

    const listed = await say(OWNER, '/reminders', (m) => /Your reminders/.test(m.text ?? ''), 'listing the reminders');
    expect(listed.text).toMatch(/stretch/i);
    await chat.settled();
    // Not before its time: a few checker runs send nothing.
    await sleep(CHECK_SECONDS * 2_000);
    expect(reminders(OWNER, /stretch/i)).toHaveLength(0);

    await bringForward(row!.id);
    stretch = await chat.waitForBot(OWNER, (m) => isReminder(m) && /stretch/i.test(m.text ?? ''), 'with the reminder', 30_000);
    expect(buttonTexts(stretch)).toEqual(['✓ Done', '💤 1 hour', '➡️ Tomorrow']);
    expect(buttonsOf(stretch)).toEqual([expect.stringMatching(/^done:\d+$/), `snooze:${row!.id}`, `tomorrow:${row!.id}`]);
    // Several more runs: still one message, and the store says sent.
    await sleep(CHECK_SECONDS * 3_000);
    expect(reminders(OWNER, /stretch/i)).toHaveLength(1);
    expect(await reminderOf(draftId)).toMatchObject({ status: 'sent' });
  });

  it('✓ Done completes the task in Google Tasks', async () => {
    pressData(OWNER, stretch, 'done:');
    await chat.waitForBot(OWNER, (m) => m.message_id === stretch.message_id && /done/.test(m.text ?? '') && !m.reply_markup?.inline_keyboard?.length, 'marking the reminder done');
    await chat.settled();
    expect(e2e.stack.tasks.allTasks().find((t) => /stretch/i.test(t.title))).toMatchObject({ status: 'completed' });
  });

  it('💤 1 hour moves it once; another user\'s press is refused', async () => {
    const { draftId } = await createTask(OWNER, 'call mom at 9pm tomorrow');
    const row = await reminderOf(draftId);
    await bringForward(row!.id);
    const message = await chat.waitForBot(OWNER, (m) => isReminder(m) && /mom/i.test(m.text ?? ''), 'with the reminder', 30_000);
    expect(message.text).toMatch(/· 21:00$/);
    await say(FRIEND, '/help', () => true, 'answering /help');
    expect(await chat.forgedPress(FRIEND, `snooze:${row!.id}`, { messageId: 1 })).toBe(200);
    await chat.waitForBot(FRIEND, (m) => /someone else’s reminder/.test(m.text ?? ''), 'refusing the foreign snooze');
    pressData(OWNER, message, 'snooze:');
    pressData(OWNER, message, 'snooze:');
    await chat.waitForBot(OWNER, (m) => m.message_id === message.message_id && /^💤 /.test(m.text ?? ''), 'saying it is snoozed');
    await chat.settled();
    const later = await e2e.store.all<{ status: string; due_at: number }>("SELECT status, due_at FROM notifications WHERE draft_id = ? ORDER BY id", [draftId]);
    expect(later.map((r) => r.status)).toEqual(['sent', 'scheduled']);
    expect(Number(later[1].due_at) - Date.now()).toBeGreaterThan(55 * 60_000);
  });

  it('is not sent when its task was completed in Google Tasks meanwhile', async () => {
    const { draftId } = await createTask(OWNER, 'water the plants in 30 minutes');
    const task = e2e.stack.tasks.allTasks().find((t) => /plants/i.test(t.title))!;
    await emulatorClient(e2e.stack.tasks.url).completeTask(e2e.stack.tasks.defaultListId, task.id);
    const row = await reminderOf(draftId);
    await bringForward(row!.id);
    for (let i = 0; i < 40 && (await reminderOf(draftId))?.status !== 'skipped'; i++) await sleep(500);
    expect(await reminderOf(draftId)).toMatchObject({ status: 'skipped' });
    expect(reminders(OWNER, /plants/i)).toHaveLength(0);
  });
});

/** Completes the open tasks whose title matches, so the briefing below lists only its own. */
async function completeTasks(title: RegExp) {
  for (const task of e2e.stack.tasks.allTasks().filter((t) => title.test(t.title) && !t.deleted && t.status !== 'completed')) {
    await emulatorClient(e2e.stack.tasks.url).completeTask(e2e.stack.tasks.defaultListId, task.id);
  }
}

describe('a reminder whose send lost its answer', () => {
  it('(delivered, but the connection dropped before Telegram answered) is not sent again: one message, unknown', async () => {
    const { draftId } = await createTask(OWNER, 'check the oven in 45 minutes');
    const row = await reminderOf(draftId);
    e2e.stack.telegram.loseAnswerNext('sendMessage');
    await bringForward(row!.id);
    await chat.waitForBot(OWNER, (m) => isReminder(m) && /oven/i.test(m.text ?? ''), 'with the reminder', 30_000);
    for (let i = 0; i < 60 && !['unknown', 'sent'].includes((await reminderOf(draftId))?.status ?? ''); i++) await sleep(500);
    // Well past the first retry's backoff (5 s): still the one message.
    await sleep(CHECK_SECONDS * 4_000);
    expect(reminders(OWNER, /oven/i)).toHaveLength(1);
    expect(await reminderOf(draftId)).toMatchObject({ status: 'unknown' });
    await completeTasks(/oven/i);
  });
});

describe('a reminder whose scheduling fails on Confirm', () => {
  it('is scheduled by the command\'s retry, once, and the task is created once', async () => {
    // The store refuses new notifications for a moment (an outage while E schedules the reminder).
    await e2e.store.run("CREATE TRIGGER review_outage BEFORE INSERT ON notifications BEGIN SELECT RAISE(ABORT, 'simulated outage'); END");
    try {
      const card = await chat.sayAndGetCard(OWNER, 'feed the cat in 40 minutes');
      await chat.press(OWNER, card, 'confirm');
      const draftId = Number(buttonsOf(card)[0].split(':')[1]);
      const failedOrCreated = async () =>
        (await e2e.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM commands WHERE type = 'confirm_draft' AND last_error LIKE '%simulated outage%'"))?.n ||
        chat.botMessages(OWNER).some((m) => /Task created successfully/.test(m.text ?? '') && /cat/i.test(m.text ?? ''));
      for (let i = 0; i < 120 && !(await failedOrCreated()); i++) await sleep(250);
      expect(await failedOrCreated()).toBeTruthy();
      await e2e.store.run('DROP TRIGGER review_outage');
      await chat.waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && m.message_id > card.message_id, 'confirming after the outage', 60_000);
      await chat.settled(60_000);
      expect(e2e.stack.tasks.allTasks().filter((t) => /cat/i.test(t.title) && !t.deleted)).toHaveLength(1);
      expect(chat.botMessages(OWNER).filter((m) => /Task created successfully/.test(m.text ?? '') && m.message_id > card.message_id)).toHaveLength(1);
      const rows = await e2e.store.all<{ status: string; due_at: number }>("SELECT status, due_at FROM notifications WHERE kind = 'reminder' AND draft_id = ?", [draftId]);
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe('scheduled');
      expect(Number(rows[0].due_at) - Date.now()).toBeGreaterThan(35 * 60_000);
    } finally {
      await e2e.store.run('DROP TRIGGER IF EXISTS review_outage');
      await completeTasks(/cat/i);
    }
  });
});

describe('the daily briefing', () => {
  const todayUtc = () => new Date().toISOString().slice(0, 10);
  const briefingsOf = (user: UserSpec) => chat.botMessages(user).filter((m) => /^☀️ Your briefing/.test(m.text ?? ''));

  it('at a time set just ahead arrives once, with today\'s events, the overdue tasks, the ones due today and the drafts waiting, and ✓ Done on each task', async () => {
    const api = emulatorClient(e2e.stack.tasks.url);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await api.insertTask('@default', { title: 'Pay the rent', due: `${yesterday}T00:00:00.000Z` });
    await api.insertTask('@default', { title: 'Buy bread', due: `${todayUtc()}T00:00:00.000Z` });
    e2e.stack.calendar.addEvent('primary', { summary: 'Team dinner', start: { dateTime: `${todayUtc()}T23:00:00Z` }, end: { dateTime: `${todayUtc()}T23:45:00Z` } });
    await chat.sayAndGetCard(FRIEND, 'repaint the fence next month');
    await chat.settled();
    // The users' time zone is UTC here: the next minute, in HH:MM.
    const next = new Date(Math.ceil((Date.now() + 1_000) / 60_000) * 60_000);
    const time = next.toISOString().slice(11, 16);
    await say(FRIEND, `/briefing ${time}`, (m) => /Daily briefing at/.test(m.text ?? ''), 'confirming the briefing time');
    await chat.settled();
    expect(briefingsOf(FRIEND)).toHaveLength(0);

    const briefing = await chat.waitForBot(FRIEND, (m) => /^☀️ Your briefing/.test(m.text ?? ''), 'with the briefing', 90_000);
    expect(Date.now()).toBeGreaterThanOrEqual(next.getTime());
    expect(briefing.text).toMatch(/Today's events\n• 23:00–23:45 · Team dinner/);
    expect(briefing.text).toMatch(/Overdue\n• Pay the rent/);
    expect(briefing.text).toMatch(/Due today\n• Buy bread/);
    expect(briefing.text).toMatch(/repaint the fence.*a draft waiting/i);
    expect(buttonTexts(briefing)).toEqual(['✓ Pay the rent', '✓ Buy bread', '💤 1 hour']);
    await sleep(CHECK_SECONDS * 3_000);
    expect(briefingsOf(FRIEND)).toHaveLength(1);
    expect(await e2e.store.all("SELECT status FROM notifications WHERE kind = 'briefing' AND user_id = ?", [`telegram:${FRIEND.userId}`])).toEqual([{ status: 'sent' }]);

    pressData(FRIEND, briefing, 'done:');
    // Said in a message of its own: the briefing, which lists more, stays as it was.
    await chat.waitForBot(FRIEND, (m) => m.message_id > briefing.message_id && /Pay the rent.*done/.test(m.text ?? ''), 'marking the rent done');
    await chat.settled();
    expect(chat.botMessages(FRIEND).find((m) => m.message_id === briefing.message_id)?.text).toBe(briefing.text);
    expect(e2e.stack.tasks.allTasks().find((t) => t.title === 'Pay the rent')).toMatchObject({ status: 'completed' });
  });
});
