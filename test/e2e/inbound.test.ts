// Trust at the front door, in real n8n 2.40.7: a button press counts only from its draft's own
// card, nothing reaches Gemini before the cheap checks (length, rate limit counted per attempt),
// relative dates count from when the message was sent, and the owner's error alert names the
// workflow that failed, also after n8n was killed and recovered its executions.
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import type { ChatHistoryEntry, UserSpec } from '../../emulators/telegram';
import { hasDraftButtons, Conversation, draftIdOf, sleep } from './conversation';
import { useStack } from './useStack';

jest.setTimeout(240_000);

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' }; // gets the error alerts
const CARD_USER: UserSpec = { userId: 515151, firstName: 'Cato' };
const LONG_USER: UserSpec = { userId: 525252, firstName: 'Lena' };
const FLOOD_USER: UserSpec = { userId: 535353, firstName: 'Flo' };
const LATE_USER: UserSpec = { userId: 545454, firstName: 'Kiri' };
const ELSEWHERE_CHAT = 777777; // a chat that is not the draft's

const e2e = useStack({ name: 'inbound', allowedUserIds: [OWNER.userId!, CARD_USER.userId!, LONG_USER.userId!, FLOOD_USER.userId!, LATE_USER.userId!] });

const chat = new Conversation(() => e2e.stack, () => e2e.store, () => e2e.stack.n8n.logTail(40), 60_000);
const botMessages = (user: UserSpec) => chat.botMessages(user);
const waitForBot = chat.waitForBot.bind(chat);

async function draftStatus(id: number): Promise<string | undefined> {
  return (await e2e.store.get<{ status: string }>('SELECT status FROM drafts WHERE id = ?', [id]))?.status;
}

async function commandCount(user: UserSpec): Promise<number> {
  return (await chat.commandsOf(user)).length;
}

/** Messages the bot sent to a chat with no emulated user behind it (recorded bot API calls). */
function sentToChat(chatId: number): string[] {
  return e2e.stack.telegram
    .callsSince(0, 'sendMessage')
    .filter((call) => String(call.params.chat_id) === String(chatId))
    .map((call) => String(call.params.text ?? ''));
}

function cardOf(user: UserSpec, id: number): ChatHistoryEntry {
  return chat.history(user).find((m) => m.message_id === id)!;
}

describe('a button press counts only from its own card', () => {
  it('refuses a Confirm sent from another message of the same chat, and one naming another chat; changes nothing; replies only in the draft\'s chat', async () => {
    const card = await chat.sayAndGetCard(CARD_USER, 'return the drill to Pat tomorrow');
    const draftId = draftIdOf(card);
    const otherMessage = card.message_id - 1; // the user's own text message, not the card
    const before = botMessages(CARD_USER).length;

    expect(await chat.forgedPress(CARD_USER, `confirm:${draftId}`, { messageId: otherMessage, chatId: CARD_USER.userId! })).toBe(200);
    await waitForBot(CARD_USER, (m) => /not on the card of this draft/i.test(m.text ?? ''), 'refusing a press from another message');
    await chat.settled();
    expect(await draftStatus(draftId)).toBe('drafted');

    expect(await chat.forgedPress(CARD_USER, `cancel:${draftId}`, { messageId: card.message_id, chatId: ELSEWHERE_CHAT })).toBe(200);
    expect(await chat.forgedPress(CARD_USER, `edit:${draftId}`, { messageId: card.message_id, chatId: ELSEWHERE_CHAT })).toBe(200);
    await chat.commandsArrive(CARD_USER, 4); // the draft and three presses
    await chat.settled();
    await sleep(1000);
    expect(await draftStatus(draftId)).toBe('drafted');
    expect(sentToChat(ELSEWHERE_CHAT)).toEqual([]);
    const refusals = botMessages(CARD_USER).slice(before).filter((m) => /not on the card of this draft/i.test(m.text ?? ''));
    expect(refusals.length).toBe(3);
    expect(hasDraftButtons(cardOf(CARD_USER, card.message_id))).toBe(true); // the real card still works

    chat.press(CARD_USER, card, 'confirm');
    await waitForBot(CARD_USER, (m) => /Task created successfully/.test(m.text ?? ''), 'confirming from the real card');
    await chat.settled();
    expect(await draftStatus(draftId)).toBe('executed');
  });
});

describe('nothing reaches Gemini before the cheap checks', () => {
  it('refuses a 5,000-character text with a clear reply, before any Gemini call, and queues nothing', async () => {
    const geminiCalls = e2e.stack.gemini!.requests.length;
    const text = `please remember ${'all of this '.repeat(500)}`.slice(0, 5000);
    expect(text.length).toBe(5000);
    e2e.stack.telegram.sendUserText({ ...LONG_USER, text });
    await waitForBot(LONG_USER, (m) => /too long/i.test(m.text ?? ''), 'refusing the long text');
    await sleep(1500);
    expect(e2e.stack.gemini!.requests.slice(geminiCalls).some((r) => r.promptText.includes('all of this all of this'))).toBe(false);
    expect(await commandCount(LONG_USER)).toBe(0);
  });

  it('counts every attempt for the rate limit: after a flood of refused messages the next one is told to slow down', async () => {
    const geminiCalls = e2e.stack.gemini!.requests.length;
    const tooLong = 'x'.repeat(4097);
    for (let i = 0; i < 20; i++) e2e.stack.telegram.sendUserText({ ...FLOOD_USER, text: `${i} ${tooLong}` });
    await e2e.stack.telegram.waitFor(() => (botMessages(FLOOD_USER).length >= 20 ? true : undefined), 90_000);
    e2e.stack.telegram.sendUserText({ ...FLOOD_USER, text: 'buy milk tomorrow' });
    await waitForBot(FLOOD_USER, (m) => /faster than I can draft/.test(m.text ?? ''), 'asking to slow down', 60_000);
    await chat.settled();
    expect(await commandCount(FLOOD_USER)).toBe(0);
    expect(e2e.stack.gemini!.requests.slice(geminiCalls).some((r) => r.promptText.includes('buy milk tomorrow'))).toBe(false);
  });
});

describe('relative dates', () => {
  it('count from when the message was sent: sent yesterday 23:30 in the user\'s zone, "tomorrow" is today', async () => {
    const zone = 'Pacific/Kiritimati'; // UTC+14, no daylight saving
    e2e.stack.telegram.sendUserText({ ...LATE_USER, text: `/timezone ${zone}` });
    await waitForBot(LATE_USER, (m) => /Time zone set to/.test(m.text ?? ''), 'setting the zone');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const sentAt = Math.floor((Date.parse(`${yesterday}T23:30:00Z`) - 14 * 3_600_000) / 1000);
    const lastSeen = Math.max(0, ...chat.history(LATE_USER).map((m) => m.message_id));
    e2e.stack.telegram.sendUserText({ ...LATE_USER, text: 'buy bread tomorrow', date: sentAt });
    const card = await waitForBot(LATE_USER, (m) => m.message_id > lastSeen && /Task Draft/.test(m.text ?? '') && hasDraftButtons(m), 'with the draft card');
    const draft = JSON.parse((await chat.draftRow(draftIdOf(card)))!.draft_json) as { due_date: string };
    expect(draft.due_date).toBe(today);
  });
});

describe('the error alert', () => {
  it('names the workflow that failed, also for executions n8n recovers after being killed', async () => {
    const card = await chat.sayAndGetCard(OWNER, 'service the bike on Saturday');
    e2e.stack.tasks.setLatency(3000);
    const callsBefore = e2e.stack.tasks.state().calls.length;
    chat.press(OWNER, card, 'confirm');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !e2e.stack.tasks.state().calls.slice(callsBefore).some((c) => c.method === 'POST')) await sleep(50);
    await sleep(200);
    const alertsBefore = botMessages(OWNER).filter((m) => /Something went wrong/.test(m.text ?? '')).length;
    await e2e.stack.n8n.kill('SIGKILL');
    e2e.stack.tasks.setLatency(0);
    await e2e.stack.n8n.start();
    await e2e.n8n.login();

    const alert = await waitForBot(
      OWNER,
      (m) => /Something went wrong/.test(m.text ?? '') && botMessages(OWNER).filter((x) => /Something went wrong/.test(x.text ?? '')).length > alertsBefore,
      'alerting the owner after the restart',
      120_000,
    );
    await sleep(3000); // every recovered execution's alert
    const alerts = botMessages(OWNER)
      .filter((m) => /Something went wrong/.test(m.text ?? ''))
      .slice(alertsBefore)
      .map((m) => m.text ?? '');
    // n8n recovers both the executor's run (B) and the confirmation it was inside (E).
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    for (const text of alerts) expect(text).toMatch(/went wrong in Draft Assistant · [A-Z][^:]* at step [^:]+: n8n stopped while it was running/);
    expect(alerts.some((text) => /Draft Assistant · E · Confirmation at step Create Google Task/.test(text))).toBe(true);
    expect(alert.text).not.toMatch(/in\s*:/);
  }, 330_000);
});
