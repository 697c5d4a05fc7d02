// Workflow C · Event Drafting in real n8n 2.40.7, driven as a Telegram user: an event in words
// becomes an event card, Confirm creates exactly one Google Calendar event (in the emulator), an
// overlap shows ⚠️ and "Move to …" moves it, 📅 Event turns a task draft with a time into an
// event draft, an edit revises the event in its card, a link to a page with a schema.org Event
// drafts that event, and /calendar picks the calendar new events go to.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import type { ChatHistoryEntry, UserSpec } from '../../emulators/telegram';
import { LINK_LOOPBACK_ENV } from '../../nodes/EventExecutor/actions/draftFromLink.operation';
import { addDays, resolveWeekday, todayIn } from '../../nodes/shared/gemini/dates';
import { buttonsOf, Conversation, draftIdOf, hasDraftButtons } from './conversation';
import { useStack } from './useStack';
import { geminiResponses } from '../../emulators/gemini';

jest.setTimeout(240_000);

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const FRIEND: UserSpec = { userId: 434343, firstName: 'Sam' };

// Test-only: the event page below is served on 127.0.0.1, which Draft From Link refuses by default.
const e2e = useStack({ name: 'events', allowedUserIds: [OWNER.userId!, FRIEND.userId!], extraN8nEnv: { [LINK_LOOPBACK_ENV]: 'loopback' } });
const chat = new Conversation(() => e2e.stack, () => e2e.store, () => e2e.stack.n8n.logTail(40), 45_000);

const lastSeen = (user: UserSpec) => Math.max(0, ...chat.history(user).map((m) => m.message_id));
const isEventCard = (m: ChatHistoryEntry) => /Event Draft/.test(m.text ?? '') && hasDraftButtons(m);
const liveEvents = (title: string) => e2e.stack.calendar.events().filter((e) => e.status !== 'cancelled' && e.summary === title);
const messageNow = (user: UserSpec, id: number) => chat.history(user).find((m) => m.message_id === id)!;

async function sayAndGetEventCard(user: UserSpec, text: string): Promise<ChatHistoryEntry> {
  const after = lastSeen(user);
  e2e.stack.telegram.sendUserText({ ...user, text });
  return chat.waitForBot(user, (m) => m.message_id > after && isEventCard(m), `with an event card after "${text}"`);
}

/** The same message, once it shows another draft (a revision, a move, a switch). */
function cardReplaced(user: UserSpec, card: ChatHistoryEntry, what: string, matches: (m: ChatHistoryEntry) => boolean = () => true) {
  const before = draftIdOf(card);
  return chat.waitForBot(user, (m) => m.message_id === card.message_id && hasDraftButtons(m) && draftIdOf(m) !== before && matches(m), what);
}

async function confirmAndWait(user: UserSpec, card: ChatHistoryEntry): Promise<ChatHistoryEntry> {
  const after = lastSeen(user);
  chat.press(user, card, 'confirm');
  return chat.waitForBot(user, (m) => m.message_id > after && /Event created/.test(m.text ?? ''), 'with "✅ Event created"');
}

const today = () => todayIn('UTC', new Date());

let pageServer: http.Server;
let pageUrl = '';

beforeAll(async () => {
  const concertDay = addDays(today(), 9);
  const page = `<!doctype html><html><head><title>Jazz night</title><script type="application/ld+json">${JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'MusicEvent',
    name: 'Jazz at the Harbour',
    startDate: `${concertDay}T20:00:00Z`,
    endDate: `${concertDay}T22:30:00Z`,
    location: { '@type': 'Place', name: 'Harbour Hall' },
  })}</script></head><body><h1>Jazz at the Harbour</h1></body></html>`;
  pageServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/events/jazz`;
});
afterAll(() => new Promise<void>((resolve) => pageServer.close(() => resolve())));

describe('an event in words', () => {
  it('"dinner with Ana on Friday at 7:30" → an event card → Confirm → exactly one event', async () => {
    const friday = resolveWeekday(today(), 5, 'this');
    const card = await sayAndGetEventCard(OWNER, 'dinner with Ana on Friday at 7:30');
    expect(card.text).toContain('Dinner with Ana');
    expect(card.text).toMatch(/19:30–20:30/);
    expect(card.text).toMatch(/1 hour: no end was given/);
    expect(buttonsOf(card)).toEqual([`confirm:${draftIdOf(card)}`, `edit:${draftIdOf(card)}`, `cancel:${draftIdOf(card)}`, `totask:${draftIdOf(card)}`]);
    const row = await chat.draftRow(draftIdOf(card));
    expect(JSON.parse(row!.draft_json)).toMatchObject({ title: 'Dinner with Ana', start: `${friday}T19:30`, end: `${friday}T20:30`, all_day: false });

    const done = await confirmAndWait(OWNER, card);
    expect(done.text).toMatch(/Dinner with Ana/);
    await chat.settled();
    expect(liveEvents('Dinner with Ana')).toHaveLength(1);
    expect(liveEvents('Dinner with Ana')[0].start).toMatchObject({ dateTime: expect.stringContaining(`${friday}T19:30`) });
    expect(buttonsOf(messageNow(OWNER, card.message_id))).toEqual([]);
  });

  it('a double-tapped Confirm creates one event and says so once', async () => {
    const card = await sayAndGetEventCard(FRIEND, 'lunch with Tom on Saturday at 12:30');
    const after = lastSeen(FRIEND);
    chat.press(FRIEND, card, 'confirm');
    chat.press(FRIEND, card, 'confirm');
    await chat.waitForBot(FRIEND, (m) => m.message_id > after && /Event created/.test(m.text ?? ''), 'with "✅ Event created"');
    await chat.settled();
    expect(liveEvents('Lunch with Tom')).toHaveLength(1);
    expect(chat.botMessages(FRIEND).filter((m) => m.message_id > after && /Event created/.test(m.text ?? ''))).toHaveLength(1);
  });

  it('an overlap shows ⚠️ and "Move to …" moves the draft to the next free slot', async () => {
    const day = addDays(today(), 2);
    e2e.stack.calendar.addEvent('primary', { summary: 'Dentist', start: { dateTime: `${day}T15:00:00Z` }, end: { dateTime: `${day}T16:00:00Z` } });
    const card = await sayAndGetEventCard(OWNER, `meeting with Bob on ${day} at 3pm`);
    expect(card.text).toMatch(/⚠️ Overlaps with 15:00–16:00 busy/);
    const move = card.reply_markup!.inline_keyboard!.flat().find((b) => b.callback_data?.startsWith('move:'));
    expect(move?.text).toBe('🕒 Move to 16:00–17:00');
    chat.press(OWNER, card, 'move');
    const moved = await cardReplaced(OWNER, card, 'with the moved event', (m) => /16:00–17:00/.test(m.text ?? ''));
    expect(moved.text).not.toMatch(/⚠️/);
    expect((await chat.draftRow(draftIdOf(card)))!.status).toBe('superseded');
    await confirmAndWait(OWNER, moved);
    await chat.settled();
    expect(liveEvents('Meeting with Bob')).toHaveLength(1);
    expect(liveEvents('Meeting with Bob')[0].start).toMatchObject({ dateTime: expect.stringContaining(`${day}T16:00`) });
  });

  it('an edit of an event revises it in its card', async () => {
    const card = await sayAndGetEventCard(FRIEND, 'dinner with Lea tomorrow at 7pm');
    const after = lastSeen(FRIEND);
    chat.press(FRIEND, card, 'edit');
    await chat.waitForBot(FRIEND, (m) => m.message_id > after && /What should I change/.test(m.text ?? ''), 'asking what to change');
    e2e.stack.telegram.sendUserText({ ...FRIEND, text: 'at 8pm' });
    const revised = await cardReplaced(FRIEND, card, 'with the revised event', (m) => /20:00–21:00/.test(m.text ?? ''));
    expect(revised.text).toMatch(/Event Draft/);
    expect(revised.text).toContain('Dinner with Lea');
  });

  it('an event without a day asks "When is it?", and the answer completes the event', async () => {
    // Gemini reads "dinner with Ana" as an event (the offline rules need a day to say so).
    e2e.stack.gemini!.enqueue(geminiResponses.json({ intent: 'create_event', confidence: 0.9, parameters: { task_description: 'dinner with Ana', instruction: null, answer: null } }));
    const after = lastSeen(OWNER);
    e2e.stack.telegram.sendUserText({ ...OWNER, text: 'dinner with Ana' });
    const question = await chat.waitForBot(OWNER, (m) => m.message_id > after && /When is it\?/.test(m.text ?? ''), 'asking when');
    expect(buttonsOf(question)).toEqual([]);
    const card = await sayAndGetEventCard(OWNER, 'on Saturday at 8');
    expect(card.text).toContain('Dinner with Ana');
    expect(card.text).toMatch(/20:00–21:00/);
  });
});

describe('buttons of an event draft', () => {
  it("another user's forged 🕒 Move / ✅ Task / 📅 Event press on my draft changes nothing and shows them nothing of it; a ✅ Task press after Confirm makes no draft", async () => {
    const card = await sayAndGetEventCard(OWNER, 'dinner with Jolene on Saturday at 7:30');
    const draftId = draftIdOf(card);
    const friendFrom = lastSeen(FRIEND);
    e2e.stack.telegram.sendUserText({ ...FRIEND, text: '/help' });
    await chat.waitForBot(FRIEND, (m) => m.message_id > friendFrom, 'with the help');
    await chat.settled();
    const draftsBefore = (await e2e.store.all('SELECT id FROM drafts')).length;
    for (const data of [`totask:${draftId}`, `move:${draftId}`, `toevent:${draftId}`]) {
      expect(await chat.forgedPress(FRIEND, data, { messageId: 1 })).toBe(200);
      expect(await chat.forgedPress(FRIEND, data, { messageId: card.message_id })).toBe(200);
    }
    await chat.waitForBot(FRIEND, (m) => m.message_id > friendFrom && /belongs to someone else/.test(m.text ?? ''), 'refusing the foreign draft');
    await chat.settled();
    // Refused in words, once per queued press, and not retried.
    const forged = await e2e.store.all<{ status: string; attempts: number }>("SELECT status, attempts FROM commands WHERE user_id = ? AND type IN ('move_event', 'switch_to_task', 'switch_to_event')", [`telegram:${FRIEND.userId}`]);
    expect(forged.length).toBeGreaterThan(0);
    expect(forged.map((c) => [c.status, c.attempts])).toEqual(Array(forged.length).fill(['completed', 1]));
    expect(chat.botMessages(FRIEND).filter((m) => /belongs to someone else/.test(m.text ?? ''))).toHaveLength(forged.length);
    expect((await e2e.store.get<{ status: string }>('SELECT status FROM drafts WHERE id = ?', [draftId]))!.status).toBe('drafted');
    expect((await e2e.store.all('SELECT id FROM drafts')).length).toBe(draftsBefore);
    expect(chat.history(FRIEND).some((m) => /Jolene/.test(m.text ?? ''))).toBe(false);
    expect(messageNow(OWNER, card.message_id).text).toBe(card.text);

    await confirmAndWait(OWNER, card);
    await chat.settled();
    const after = lastSeen(OWNER);
    // The confirmed card shows no buttons any more; a press that was already on its way (or a forged one) still arrives.
    for (const data of [`totask:${draftId}`, `move:${draftId}`, `toevent:${draftId}`]) expect(await chat.forgedPress(OWNER, data, { messageId: card.message_id })).toBe(200);
    await chat.settled();
    expect((await e2e.store.all('SELECT id FROM drafts')).length).toBe(draftsBefore);
    expect(chat.history(OWNER).some((m) => m.message_id > after && /Task Draft/.test(m.text ?? ''))).toBe(false);
    expect(liveEvents('Dinner with Jolene')).toHaveLength(1);
  });
});

describe('a double tap on ✅ Task', () => {
  it('makes one task draft in the card, and no error', async () => {
    const card = await sayAndGetEventCard(FRIEND, 'concert with Mo on Sunday at 8pm');
    const after = lastSeen(FRIEND);
    const draftsBefore = (await e2e.store.all('SELECT id FROM drafts')).length;
    chat.press(FRIEND, card, 'totask');
    chat.press(FRIEND, card, 'totask');
    await cardReplaced(FRIEND, card, 'with the task draft', (m) => /Task Draft/.test(m.text ?? ''));
    await chat.settled();
    expect((await e2e.store.all('SELECT id FROM drafts')).length).toBe(draftsBefore + 1);
    const since = chat.botMessages(FRIEND).filter((m) => m.message_id > after);
    expect(since.map((m) => m.text)).toEqual([]);
  });
});

describe('a task with a time', () => {
  it('stays a task draft, and 📅 Event turns it into an event draft (✅ Task turns it back)', async () => {
    const card = await chat.sayAndGetCard(OWNER, 'call mom at 9pm tomorrow');
    expect(card.reply_markup!.inline_keyboard!.flat().map((b) => b.text)).toContain('📅 Event');
    chat.press(OWNER, card, 'toevent');
    const event = await cardReplaced(OWNER, card, 'with the event draft', isEventCard);
    expect(event.text).toMatch(/21:00–22:00/);
    chat.press(OWNER, event, 'totask');
    const task = await cardReplaced(OWNER, event, 'with the task draft again', (m) => /Task Draft/.test(m.text ?? ''));
    chat.press(OWNER, task, 'toevent');
    const again = await cardReplaced(OWNER, task, 'with the event draft again', isEventCard);
    await confirmAndWait(OWNER, again);
    await chat.settled();
    expect(liveEvents('Call mom')).toHaveLength(1);
  });

  it('without a date, 📅 Event says the task needs a day first and changes nothing (no day is picked for it)', async () => {
    const card = await chat.sayAndGetCard(FRIEND, 'buy stamps');
    expect(card.text).toMatch(/Due: no date/);
    const after = lastSeen(FRIEND);
    chat.press(FRIEND, card, 'toevent');
    const told = await chat.waitForBot(FRIEND, (m) => m.message_id > after && /has no date/.test(m.text ?? ''), 'with the needs-a-day reply');
    expect(told.text).toContain('Buy stamps');
    await chat.settled();
    const now = chat.history(FRIEND).find((m) => m.message_id === card.message_id)!;
    expect(now.text).toMatch(/Task Draft/);
    expect(draftIdOf(now)).toBe(draftIdOf(card));
    expect(chat.history(FRIEND).some((m) => m.message_id > after && /Event Draft/.test(m.text ?? ''))).toBe(false);
  });
});

describe('a link to an event page', () => {
  it('drafts the page\'s schema.org Event', async () => {
    const card = await sayAndGetEventCard(FRIEND, pageUrl);
    expect(card.text).toContain('Jazz at the Harbour');
    expect(card.text).toMatch(/20:00–22:30/);
    expect(card.text).toContain('Harbour Hall');
  });
});

describe('/calendar', () => {
  it('lists the calendars with a button each, and a press picks that calendar for new events', async () => {
    const familyId = e2e.stack.calendar.createCalendar('Family').id;
    const after = lastSeen(OWNER);
    e2e.stack.telegram.sendUserText({ ...OWNER, text: '/calendar' });
    const family = await chat.waitForBot(OWNER, (m) => m.message_id > after && /Family/.test(m.text ?? '') && buttonsOf(m).length === 1, 'with the Family calendar');
    expect(chat.botMessages(OWNER).some((m) => m.message_id > after && /Your calendars/.test(m.text ?? ''))).toBe(true);
    const pressedAt = lastSeen(OWNER);
    await e2e.stack.telegram.pressButton({ ...OWNER, messageId: family.message_id, data: buttonsOf(family)[0] });
    await chat.waitForBot(OWNER, (m) => m.message_id > pressedAt && /New events now go to <b>Family<\/b>|New events now go to Family/.test(m.text ?? ''), 'confirming the calendar');
    const card = await sayAndGetEventCard(OWNER, 'birthday party at Kim\'s on Sunday at 4pm');
    await confirmAndWait(OWNER, card);
    await chat.settled();
    expect(e2e.stack.calendar.events(familyId).filter((e) => e.status !== 'cancelled')).toHaveLength(1);
  });
});
