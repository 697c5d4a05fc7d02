// The numbered turns of the conversation around a draft, end to end through real n8n: what the
// user sees in the Telegram emulator and what Google Tasks (emulator) gets after Confirm. Each
// turn runs twice, on a stack of its own each: with the scripted Gemini (the emulator answering
// as Gemini would) and with Gemini off, where the nodes' offline fallback drafts (the
// playground's setting without a key). The two stacks run one after the other.
import { OWNER_TELEGRAM_ID, type StackOptions } from '../../playground/stack';
import type { ChatHistoryEntry, UserSpec } from '../../emulators/telegram';
import { OFFLINE_MARK } from '../../nodes/shared/messages/planning';
import { buttonsOf, Conversation, draftIdOf } from './conversation';
import { useStack } from './useStack';

jest.setTimeout(240_000);

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;

/** Today's date (YYYY-MM-DD) in a time zone, by the machine's clock, which n8n shares. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

const weekdayOf = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
const plusDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** "next <weekday>": the first such day after today (WEEKDAY_RULE), so a week ahead on that weekday itself. */
function nextWeekday(today: string, weekday: number): string {
  return plusDays(today, (weekday - weekdayOf(today) + 7) % 7 || 7);
}

/** The first date on or after today with this day of the month (every month has an 18th). */
function nextDayOfMonth(today: string, day: number): string {
  const [year, month, todayDay] = today.split('-').map(Number);
  const target = todayDay <= day ? new Date(Date.UTC(year, month - 1, day)) : new Date(Date.UTC(year, month, day));
  return target.toISOString().slice(0, 10);
}

/** The first date on or after today with this month and day. */
function nextMonthDay(today: string, month: number, day: number): string {
  const year = Number(today.slice(0, 4));
  const thisYear = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return thisYear >= today ? thisYear : `${year + 1}${thisYear.slice(4)}`;
}

/** How the card writes a date: "Sat, 5 Dec 2026". */
function cardDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${WEEKDAYS[weekdayOf(iso)]}, ${day} ${MONTHS[month - 1]} ${year}`;
}

const count = (text: string, part: string) => text.split(part).length - 1;

const GEMINI_WAYS: Array<{ way: string; options: Pick<StackOptions, 'geminiFallback'>; offline: boolean }> = [
  { way: 'with the scripted Gemini', options: {}, offline: false },
  { way: 'with Gemini off: the offline fallback drafts', options: { geminiFallback: 'always' }, offline: true },
];
/** A question names a day in words: "Wed 2 Dec" (with the year when it is not this year's). */
const DAY_IN_WORDS = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \\d{1,2} [A-Z][a-z]{2}(?: \\d{4})?';

describe.each(GEMINI_WAYS)('the turns of a conversation $way', ({ options: geminiOptions, offline }) => {
  const users = {
    vague: { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' },
    editor: { userId: 515101, firstName: 'Eda' },
    berliner: { userId: 515102, firstName: 'Bea' },
    planner: { userId: 515103, firstName: 'Pat' },
    chatty: { userId: 515104, firstName: 'Cy' },
  } satisfies Record<string, UserSpec>;
  const own = useStack({ name: offline ? 'turns-offline' : 'turns-gemini', allowedUserIds: Object.values(users).map((u) => u.userId), ...geminiOptions });
  const chat = new Conversation(() => own.stack, () => own.store, () => own.stack.n8n.logTail(30));

  const lastMessageId = (user: UserSpec) => Math.max(0, ...chat.history(user).map((m) => m.message_id));
  const draftOf = async (card: ChatHistoryEntry) =>
    JSON.parse((await chat.draftRow(draftIdOf(card)))!.draft_json) as { title: string; due_date: string | null; notes: string; subtasks: { title: string }[] };
  const childrenOf = (taskId: string) =>
    own.stack.tasks
      .allTasks()
      .filter((t) => t.parent === taskId && !t.deleted)
      .sort((a, b) => a.position.localeCompare(b.position));
  /** Sends text and resolves with the bot's clarification question that follows. */
  async function sayAndGetQuestion(user: UserSpec, text: string): Promise<ChatHistoryEntry> {
    const lastSeen = lastMessageId(user);
    own.stack.telegram.sendUserText({ ...user, text });
    const question = await chat.waitForBot(user, (m) => m.message_id > lastSeen && (m.text ?? '').startsWith('❓'), `asking a question after "${text}"`);
    await chat.settled();
    return question;
  }
  async function confirmAndGetTask(user: UserSpec, card: ChatHistoryEntry, title: string) {
    chat.press(user, card, 'confirm');
    await chat.waitForBot(user, (m) => /Task created successfully/.test(m.text ?? '') && (m.text ?? '').includes(title), `confirming "${title}"`);
    await chat.settled();
    const tasks = chat.tasksTitled(title);
    expect(tasks).toHaveLength(1);
    return tasks[0];
  }
  const offlineMarks = (card: ChatHistoryEntry) => count(card.text ?? '', OFFLINE_MARK);

  it('2. "something tomorrow" gets a question; the answer "book the car service for next wednesday" is due that Wednesday, and the reasoning quotes it', async () => {
    const user = users.vague;
    const question = await sayAndGetQuestion(user, 'something tomorrow');
    expect(buttonsOf(question)).toEqual([]);
    expect(question.text).toMatch(new RegExp(`^❓ What should I put on your list for ${DAY_IN_WORDS}\\?$`));
    expect(question.text).not.toMatch(ISO_DATE);

    const card = await chat.sayAndGetCard(user, 'book the car service for next wednesday');
    const wednesday = nextWeekday(todayIn('UTC'), 3);
    expect(card.text).toContain('Title: Book the car service');
    expect(card.text).toContain(`Due: ${cardDate(wednesday)}`);
    expect(card.text).toContain('"next wednesday"');
    expect(offlineMarks(card)).toBe(offline ? 1 : 0);
    await chat.settled();
    expect((await chat.commandsOf(user)).map((c) => c.type)).toEqual(['draft_task_from_text', 'answer_clarification']);
    // The two ways really differ: the scripted Gemini was asked, or there is no Gemini at all.
    if (offline) expect(own.stack.gemini).toBeNull();
    else expect(own.stack.gemini!.requests.some((r) => r.promptText.includes('next wednesday'))).toBe(true);

    const task = await confirmAndGetTask(user, card, 'Book the car service');
    expect(task.due).toBe(`${wednesday}T00:00:00.000Z`);
    expect(task.notes ?? '').not.toContain(OFFLINE_MARK);
  });

  it('4. Edit "make it due the 18th" moves the date to the 18th, Edit "add a subtask to buy candles" adds "Buy candles"; the instructions stay out of the notes, and Confirm creates exactly that', async () => {
    const user = users.editor;
    const first = await chat.sayAndGetCard(user, 'Plan the garden party next Saturday');
    const planned = await draftOf(first);
    expect(planned.subtasks.length).toBeGreaterThan(0);

    let lastSeen = lastMessageId(user);
    chat.press(user, first, 'edit');
    await chat.waitForBot(user, (m) => m.message_id > lastSeen && /What should I change/.test(m.text ?? ''), 'asking what to change');
    await chat.settled();
    const dated = await chat.reviseAndGetCard(user, first, 'make it due the 18th');
    const the18th = nextDayOfMonth(todayIn('UTC'), 18);
    expect(dated.text).toContain(`Due: ${cardDate(the18th)}`);
    expect(offlineMarks(dated)).toBe(offline ? 1 : 0);
    await chat.settled();

    lastSeen = lastMessageId(user);
    chat.press(user, dated, 'edit');
    await chat.waitForBot(user, (m) => m.message_id > lastSeen && /What should I change/.test(m.text ?? ''), 'asking what to change again');
    await chat.settled();
    const withCandles = await chat.reviseAndGetCard(user, dated, 'add a subtask to buy candles');
    expect(withCandles.text).toMatch(/• Buy candles$/m);
    expect(withCandles.text).toContain(`Due: ${cardDate(the18th)}`);
    expect(withCandles.text).not.toContain('Notes:');
    await chat.settled();

    const draft = await draftOf(withCandles);
    expect(draft).toMatchObject({ title: planned.title, due_date: the18th, notes: '' });
    expect(draft.subtasks.map((s) => s.title)).toEqual([...planned.subtasks.map((s) => s.title), 'Buy candles']);

    const task = await confirmAndGetTask(user, withCandles, planned.title);
    expect(task.due).toBe(`${the18th}T00:00:00.000Z`);
    expect(task.notes ?? '').toBe('');
    expect(childrenOf(task.id).map((c) => c.title)).toEqual(draft.subtasks.map((s) => s.title));
    expect(own.stack.tasks.allTasks().filter((t) => !t.deleted && /18th|candles|make it/i.test(t.notes ?? ''))).toEqual([]);
  });

  it('5. "remind me about that thing tomorrow" gets a question and no card; for a user in Europe/Berlin "12/03 at 3pm dentist" is 12 March, with the time in the notes as written', async () => {
    const user = users.berliner;
    own.stack.telegram.sendUserText({ ...user, text: '/timezone Europe/Berlin' });
    await chat.waitForBot(user, (m) => /Time zone set to Europe\/Berlin/.test(m.text ?? ''), 'confirming the zone');
    await chat.settled();

    const lastSeen = lastMessageId(user);
    const question = await sayAndGetQuestion(user, 'remind me about that thing tomorrow');
    expect(question.text).not.toMatch(ISO_DATE);
    expect(question.text).toMatch(new RegExp(`^❓ What should I put on your list for ${DAY_IN_WORDS}\\?$`));
    expect(chat.botMessages(user).filter((m) => m.message_id > lastSeen && /Task Draft/.test(m.text ?? ''))).toEqual([]);

    const card = await chat.sayAndGetCard(user, '12/03 at 3pm dentist');
    const march12 = nextMonthDay(todayIn('Europe/Berlin'), 3, 12);
    expect(card.text).toContain('Title: Dentist');
    expect(card.text).toContain(`Due: ${cardDate(march12)}`);
    expect(card.text).toContain('Notes: Time: 15:00 ("at 3pm").');
    await chat.settled();

    const task = await confirmAndGetTask(user, card, 'Dentist');
    expect(task.due).toBe(`${march12}T00:00:00.000Z`);
    expect(task.notes).toBe('Time: 15:00 ("at 3pm").');
  });

  it('6. "next Saturday" shows the weekday and the date plainly on the card', async () => {
    const user = users.planner;
    const card = await chat.sayAndGetCard(user, 'wash the car next Saturday');
    const saturday = nextWeekday(todayIn('UTC'), 6);
    expect(card.text).toMatch(new RegExp(`^Due: ${cardDate(saturday)} \\(.*"next Saturday".*\\)$`, 'm'));
    expect(card.text).not.toMatch(ISO_DATE);
    const task = await confirmAndGetTask(user, card, 'Wash the car');
    expect(task.due).toBe(`${saturday}T00:00:00.000Z`);
  });

  it(`8. the card carries the offline mark ${offline ? 'once' : 'not at all'} and Google Tasks never; "suggested" is said once for a list of subtasks`, async () => {
    const user = users.planner;
    const card = await chat.sayAndGetCard(user, "Plan Kim's birthday party next Saturday");
    expect(offlineMarks(card)).toBe(offline ? 1 : 0);
    const draft = await draftOf(card);
    expect(draft.subtasks.length).toBeGreaterThanOrEqual(3);
    expect(count((card.text ?? '').toLowerCase(), 'suggested')).toBe(1);
    expect(card.text).toContain(`Suggested subtasks:\n${draft.subtasks.map((s) => `• ${s.title}`).join('\n')}`);

    const task = await confirmAndGetTask(user, card, draft.title);
    const created = [task, ...childrenOf(task.id)];
    expect(created).toHaveLength(draft.subtasks.length + 1);
    for (const made of created) {
      expect(made.notes ?? '').not.toContain(OFFLINE_MARK);
      expect(made.notes ?? '').not.toMatch(/offline|gemini/i);
    }
  });

  it('8. "hi" and "thanks" get a friendly reply and no card; /help lists the commands', async () => {
    const user = users.chatty;
    const replies: string[] = [];
    for (const text of ['hi', 'thanks', '/help']) {
      const lastSeen = lastMessageId(user);
      own.stack.telegram.sendUserText({ ...user, text });
      const reply = await chat.waitForBot(user, (m) => m.message_id > lastSeen, `answering "${text}"`);
      await chat.settled();
      expect(buttonsOf(reply)).toEqual([]);
      expect(chat.botMessages(user).filter((m) => m.message_id > lastSeen)).toHaveLength(1);
      replies.push(reply.text ?? '');
    }
    const [hi, thanks, help] = replies;
    expect(hi).toMatch(/^Hi!/);
    expect(thanks).toBe("You're welcome!");
    for (const command of ['/help', '/cancel', '/timezone', '/list', '/undo']) expect(help).toContain(command);
    expect(replies.some((text) => /Task Draft/.test(text))).toBe(false);
    expect(await own.store.all("SELECT id FROM drafts WHERE user_id = ?", [`telegram:${user.userId}`])).toEqual([]);
    expect((await chat.commandsOf(user)).every((c) => c.type !== 'draft_task_from_text')).toBe(true);
  });
});
