// The whole assistant in real n8n 2.40.7: the packed package installed as n8n installs
// community packages, the shipped workflows imported and published, conversations driven
// through the Telegram emulator. Asserts what the user sees, what Google Tasks holds, and what
// the store recorded. One stack (one n8n) for the whole file.
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import { geminiResponses } from '../../emulators/gemini';
import type { UserSpec } from '../../emulators/telegram';
import { buttonsOf, hasDraftButtons, Conversation, draftIdOf, sleep } from './conversation';
import { conversationScenarios, exactlyOnceScenarios } from './scenarios';
import { useStack } from './useStack';

jest.setTimeout(240_000);

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const FRIEND: UserSpec = { userId: 434343, firstName: 'Sam' }; // also on the allowlist
const STRANGER: UserSpec = { userId: 999001, firstName: 'Mallory' }; // not on the allowlist
const TRAVELLER: UserSpec = { userId: 454545, firstName: 'Kiri' }; // on the allowlist

const e2e = useStack({ name: 'e2e', allowedUserIds: [OWNER.userId!, FRIEND.userId!, TRAVELLER.userId!] });

// ---------------------------------------------------------------- helpers

const chat = new Conversation(() => e2e.stack, () => e2e.store, () => e2e.stack.n8n.logTail(30));
const botMessages = (user: UserSpec) => chat.botMessages(user);
const waitForBot = chat.waitForBot.bind(chat);
const sayAndGetCard = chat.sayAndGetCard.bind(chat);
const press = chat.press.bind(chat);
const tasksTitled = chat.tasksTitled.bind(chat);
const draftRow = chat.draftRow.bind(chat);
const commandsOf = chat.commandsOf.bind(chat);
const commandsArrive = chat.commandsArrive.bind(chat);
const settled = chat.settled.bind(chat);
const history = (user: UserSpec) => chat.history(user);

/** The emulator's own view, through its control API (what a second process would use too). */
async function control<T>(route: string): Promise<T> {
  const response = await fetch(`${e2e.stack.telegram.url}/_control/${route}`);
  return (await response.json()) as T;
}

const lastMessageId = (user: UserSpec) => Math.max(0, ...history(user).map((m) => m.message_id));

async function failedExecutions() {
  const all = await e2e.n8n.listExecutions();
  return all.filter((e) => e.status !== 'success' && e.status !== 'running' && e.status !== 'waiting');
}

// ---------------------------------------------------------------- the package in n8n

describe('the package in n8n 2.40.7', () => {
  it('registers all five nodes and the database credential', async () => {
    const types = (await e2e.n8n.nodeTypes()).map((t) => t.name);
    for (const node of ['commandQueue', 'draftStore', 'geminiIntent', 'geminiPlanner', 'taskExecutor']) {
      expect(types).toContain(`n8n-nodes-draft-assistant.${node}`);
    }
    expect((await e2e.n8n.credentialTypes()).map((c) => c.name)).toContain('draftAssistantDatabase');
  });

  it('has every shipped workflow published, and each node type and version it uses is known to n8n', async () => {
    const known = new Map((await e2e.n8n.nodeTypes()).map((t) => [`${t.name}@${JSON.stringify(t.version)}`, t]));
    const versionsOf = (name: string) =>
      [...known.values()].filter((t) => t.name === name).flatMap((t) => (Array.isArray(t.version) ? t.version : [t.version]));
    for (const id of Object.values(e2e.stack.workflowIds)) {
      const workflow = await e2e.n8n.getWorkflow(id);
      expect({ id, active: workflow.active }).toEqual({ id, active: true });
      for (const node of workflow.nodes as { type: string; typeVersion: number }[]) {
        expect({ type: node.type, version: node.typeVersion, known: versionsOf(node.type).includes(node.typeVersion) }).toEqual({
          type: node.type,
          version: node.typeVersion,
          known: true,
        });
      }
    }
  });
});

// ---------------------------------------------------------------- conversations

describe('conversations', () => {
  conversationScenarios({ chat, owner: OWNER, friend: FRIEND, cardUpdateTimeoutMs: 20_000 });
});

describe('edits', () => {
  it('13. an edit that is not understood asks and changes nothing; the answer is again an edit of the same draft', async () => {
    const card = await sayAndGetCard(OWNER, 'repaint the fence on Saturday');
    const draftId = draftIdOf(card);
    const before = (await draftRow(draftId))!.draft_json;
    press(OWNER, card, 'edit');
    await waitForBot(OWNER, (m) => m.message_id > card.message_id && /What should I change/.test(m.text ?? ''), 'asking what to change');
    await settled();
    e2e.stack.telegram.sendUserText({ ...OWNER, text: 'make it sparkle' });
    await waitForBot(OWNER, (m) => (m.text ?? '').startsWith('❓'), 'asking about the edit');
    await settled();
    expect((await draftRow(draftId))!).toMatchObject({ status: 'drafted', draft_json: before });
    expect(history(OWNER).find((m) => m.message_id === card.message_id)!.text).toBe(card.text);
    const revised = await chat.reviseAndGetCard(OWNER, card, 'rename to Repaint the garden fence');
    expect(revised.text).toContain('Repaint the garden fence');
    await settled();
    expect((await draftRow(draftId))!.status).toBe('superseded');
    expect((await commandsOf(OWNER)).slice(-2).map((c) => c.type)).toEqual(['revise_draft', 'revise_draft']);
  });

  it('14. a new request while an edit is pending becomes its own draft and leaves the other draft alone', async () => {
    const card = await sayAndGetCard(OWNER, 'book the dentist on Monday');
    const draftId = draftIdOf(card);
    const before = (await draftRow(draftId))!.draft_json;
    press(OWNER, card, 'edit');
    await waitForBot(OWNER, (m) => m.message_id > card.message_id && /What should I change/.test(m.text ?? ''), 'asking what to change');
    await settled();
    const fresh = await sayAndGetCard(OWNER, 'buy eggs and bread tomorrow');
    expect(fresh.message_id).not.toBe(card.message_id);
    expect(draftIdOf(fresh)).not.toBe(draftId);
    expect(fresh.text).toMatch(/eggs and bread/i);
    await settled();
    expect((await draftRow(draftId))!).toMatchObject({ status: 'drafted', draft_json: before });
    expect(hasDraftButtons(history(OWNER).find((m) => m.message_id === card.message_id)!)).toBe(true);
  });
});

describe('/cancel typed in the chat', () => {
  it('10. cancels the draft being edited: card shows cancelled, buttons gone, the edit is dropped, a later Confirm press creates nothing', async () => {
    const card = await sayAndGetCard(OWNER, 'clean the gutters on Sunday');
    const draftId = draftIdOf(card);
    const title = JSON.parse((await draftRow(draftId))!.draft_json).title as string;
    press(OWNER, card, 'edit');
    await waitForBot(OWNER, (m) => m.message_id > card.message_id && /What should I change/.test(m.text ?? '') && /\/cancel/.test(m.text ?? ''), 'asking what to change');
    await settled();
    e2e.stack.telegram.sendUserText({ ...OWNER, text: '/cancel' });
    await waitForBot(OWNER, (m) => /Draft cancelled/.test(m.text ?? ''), 'saying the draft was cancelled');
    await settled();
    const shown = history(OWNER).find((m) => m.message_id === card.message_id)!;
    expect(shown.text).toContain('Cancelled');
    expect(buttonsOf(shown)).toEqual([]);
    expect((await draftRow(draftId))!.status).toBe('cancelled');
    expect(await e2e.store.all('SELECT user_id FROM chat_state WHERE user_id = ?', [`telegram:${OWNER.userId}`])).toEqual([]);

    // The Confirm button as a client that has not refreshed the card still shows it.
    expect(await chat.forgedPress(OWNER, `confirm:${draftId}`, { messageId: card.message_id })).toBe(200);
    await waitForBot(OWNER, (m) => /was cancelled/.test(m.text ?? ''), 'refusing the cancelled draft');
    await settled();
    expect((await draftRow(draftId))!.status).toBe('cancelled');
    expect(tasksTitled(title)).toHaveLength(0);
  });

  it("11. cancels the user's open draft when no edit is pending", async () => {
    const card = await sayAndGetCard(FRIEND, 'oil the garden gate on Sunday');
    e2e.stack.telegram.sendUserText({ ...FRIEND, text: '/cancel' });
    await waitForBot(FRIEND, (m) => /Draft cancelled/.test(m.text ?? ''), 'saying the draft was cancelled');
    await settled();
    expect((await draftRow(draftIdOf(card)))!.status).toBe('cancelled');
    expect(buttonsOf(history(FRIEND).find((m) => m.message_id === card.message_id)!)).toEqual([]);
  });

  it('12. with no open draft says there is nothing to cancel, and changes nothing', async () => {
    const openDrafts = "SELECT id FROM drafts WHERE user_id = ? AND status = 'drafted'";
    for (const { id } of await e2e.store.all<{ id: number }>(openDrafts, [`telegram:${OWNER.userId}`])) {
      await e2e.store.run("UPDATE drafts SET status = 'cancelled' WHERE id = ?", [id]); // earlier tests' leftovers, if any
    }
    const before = await e2e.store.all('SELECT id, status FROM drafts ORDER BY id');
    const lastSeen = lastMessageId(OWNER);
    e2e.stack.telegram.sendUserText({ ...OWNER, text: '/cancel' });
    await waitForBot(OWNER, (m) => m.message_id > lastSeen && m.text === 'There is no open draft to cancel.', 'saying there is nothing to cancel');
    await settled();
    expect(botMessages(OWNER).filter((m) => m.message_id > lastSeen)).toHaveLength(1);
    expect(await e2e.store.all('SELECT id, status FROM drafts ORDER BY id')).toEqual(before);
  });
});

describe('exactly one outcome', () => {
  exactlyOnceScenarios({ chat, owner: OWNER, friend: FRIEND, cardUpdateTimeoutMs: 20_000 });

  it('5c. Confirm racing Cancel has exactly one outcome', async () => {
    const card = await sayAndGetCard(FRIEND, 'book the dentist next Tuesday');
    const title = JSON.parse((await draftRow(draftIdOf(card)))!.draft_json).title as string;
    const before = (await commandsOf(FRIEND)).length;
    press(FRIEND, card, 'confirm');
    press(FRIEND, card, 'cancel');
    await commandsArrive(FRIEND, before + 2);
    await settled();
    await sleep(1000);
    const status = (await draftRow(draftIdOf(card)))!.status;
    expect(['executed', 'cancelled']).toContain(status);
    expect(tasksTitled(title)).toHaveLength(status === 'executed' ? 1 : 0);
  });
});

describe('who may use the bot', () => {
  it('6a. a user not on the allowlist causes no command, no Gemini call and no reply', async () => {
    const geminiCalls = e2e.stack.gemini!.requests.length;
    e2e.stack.telegram.sendUserText({ ...STRANGER, text: 'buy milk for Mallory' });
    const deadline = Date.now() + 10_000;
    const deliveredToN8n = async () =>
      (await control<{ updates: { update: { message?: { from: { id: number } } }; lastStatus?: number }[] }>('updates')).updates.some(
        (d) => d.update.message?.from.id === STRANGER.userId && d.lastStatus === 200,
      );
    while (Date.now() < deadline && !(await deliveredToN8n())) await sleep(100);
    expect(await deliveredToN8n()).toBe(true);
    await sleep(1500);
    expect(botMessages(STRANGER)).toEqual([]);
    expect(e2e.stack.gemini!.requests.slice(geminiCalls).some((r) => r.promptText.includes('Mallory'))).toBe(false);
    expect(await commandsOf(STRANGER)).toEqual([]);
    expect(await e2e.store.get('SELECT user_id FROM users WHERE user_id = ?', [`telegram:${STRANGER.userId}`])).toBeUndefined();
  });

  it("6b. a button press for another user's draft is refused and changes nothing", async () => {
    const card = await sayAndGetCard(OWNER, 'pick up the dry cleaning tomorrow');
    const draftId = draftIdOf(card);
    // Telegram only delivers presses of buttons the bot showed that user; a forged update with
    // the webhook secret is the only way to get here, so send one.
    const status = await chat.deliverForged({
      update_id: 990000001,
      callback_query: {
        id: '990000001',
        from: { id: FRIEND.userId, is_bot: false, first_name: 'Sam' },
        chat_instance: '1',
        data: `confirm:${draftId}`,
        message: { message_id: 1, date: 0, chat: { id: FRIEND.userId, type: 'private' }, text: 'forged' },
      },
    });
    expect(status).toBe(200);
    await waitForBot(FRIEND, (m) => /belongs to someone else/.test(m.text ?? ''), 'refusing the foreign draft');
    await settled();
    expect((await draftRow(draftId))!.status).toBe('drafted');
  });
});

describe('each user', () => {
  it('sets their own time zone with /timezone, and "tomorrow" is counted in it', async () => {
    e2e.stack.telegram.sendUserText({ ...TRAVELLER, text: '/timezone Mars/Olympus_Mons' });
    await waitForBot(TRAVELLER, (m) => /not a time zone I know/.test(m.text ?? ''), 'refusing an unknown zone');
    e2e.stack.telegram.sendUserText({ ...TRAVELLER, text: '/timezone Pacific/Kiritimati' });
    await waitForBot(TRAVELLER, (m) => /Time zone set to Pacific\/Kiritimati/.test(m.text ?? ''), 'confirming the zone');
    const card = await sayAndGetCard(TRAVELLER, 'buy bread tomorrow');
    // Kiritimati is UTC+14: its "today" is usually a day ahead of UTC's.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(JSON.parse((await draftRow(draftIdOf(card)))!.draft_json).due_date).toBe(tomorrow);
    const user = await e2e.store.get<{ timezone: string }>('SELECT timezone FROM users WHERE user_id = ?', [`telegram:${TRAVELLER.userId}`]);
    expect(user?.timezone).toBe('Pacific/Kiritimati');
  });

  it('is asked to slow down past 20 commands a minute, and nothing is queued for that message', async () => {
    const start = (await commandsOf(TRAVELLER)).length;
    for (let i = start; i < 20; i++) e2e.stack.telegram.sendUserText({ ...TRAVELLER, text: `note number ${i}` });
    await commandsArrive(TRAVELLER, 20, 60_000);
    e2e.stack.telegram.sendUserText({ ...TRAVELLER, text: 'one more note' });
    await waitForBot(TRAVELLER, (m) => /faster than I can draft/.test(m.text ?? ''), 'asking to slow down');
    await settled(60_000);
    expect((await commandsOf(TRAVELLER)).length).toBe(20);
  });
});

describe('failures on the way', () => {
  it('7. Gemini 429 then success, and Google Tasks 503 on the first insert: the user still gets the task, once', async () => {
    e2e.stack.gemini!.enqueue(geminiResponses.rateLimited('1s'));
    const card = await sayAndGetCard(OWNER, 'pay the electricity bill on Friday');
    const title = JSON.parse((await draftRow(draftIdOf(card)))!.draft_json).title as string;
    e2e.stack.tasks.injectFaults([{ kind: 'status503', method: 'POST', pathIncludes: '/tasks' }]);
    press(OWNER, card, 'confirm');
    await waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && m.text!.includes(title), 'confirming despite the 503');
    await settled();
    expect(tasksTitled(title)).toHaveLength(1);
  });

  it('9. bad input gets a clear reply or is ignored, never a crashed execution or a lost command', async () => {
    e2e.stack.telegram.sendUserMedia({ ...FRIEND, kind: 'sticker' });
    await waitForBot(FRIEND, (m) => /only read text/.test(m.text ?? ''), 'explaining it reads text only');
    e2e.stack.telegram.sendUserMedia({ ...FRIEND, kind: 'voice' });
    e2e.stack.telegram.sendUserMedia({ ...FRIEND, kind: 'photo' });

    const special = await sayAndGetCard(FRIEND, 'buy <b>milk</b> & eggs *now* _today_ `x` 🥛🥚 tomorrow');
    expect(special.text).toContain('<b>milk</b> & eggs');

    const long = `remember to ${'bring the very long list of things '.repeat(120)}`.slice(0, 4096);
    const longCard = await sayAndGetCard(FRIEND, long);
    expect(longCard.text!.length).toBeLessThanOrEqual(4096);

    const typed = e2e.stack.telegram.sendUserText({ ...FRIEND, text: 'feed the cat' });
    e2e.stack.telegram.editUserText({ ...FRIEND, messageId: typed.message!.message_id, text: 'feed the dog' });
    await waitForBot(FRIEND, (m) => /edited a message/.test(m.text ?? ''), 'explaining edits');

    // A pressed button of a draft that was already executed or cancelled.
    const done = await sayAndGetCard(FRIEND, 'return the library books tomorrow');
    press(FRIEND, done, 'cancel');
    await settled();
    for (const [updateId, data] of [
      [990000010, 'confirm:not-a-number'],
      [990000011, 'drop table drafts'],
      [990000012, `confirm:${draftIdOf(done)}`],
    ] as const) {
      await chat.deliverForged({
        update_id: updateId,
        callback_query: {
          id: String(updateId),
          from: { id: FRIEND.userId, is_bot: false, first_name: 'Sam' },
          chat_instance: '1',
          data,
          message: { message_id: done.message_id, date: 0, chat: { id: FRIEND.userId, type: 'private' } },
        },
      });
    }
    await waitForBot(FRIEND, (m) => /was cancelled/.test(m.text ?? ''), 'saying the draft was cancelled');
    await settled();
    const lost = await e2e.store.all("SELECT id, type, status, last_error FROM commands WHERE status IN ('failed', 'dead')");
    expect(lost).toEqual([]);
    expect(await failedExecutions()).toEqual([]);
  });
});

describe('crash', () => {
  it('8. n8n killed with SIGKILL while executing a confirmation: after a restart the task exists exactly once and the draft is executed', async () => {
    const card = await sayAndGetCard(OWNER, 'service the bike on Saturday');
    const draftId = draftIdOf(card);
    const title = JSON.parse((await draftRow(draftId))!.draft_json).title as string;
    // Slow Google down so n8n is inside the Task Executor when it dies.
    e2e.stack.tasks.setLatency(1500);
    const callsBefore = e2e.stack.tasks.state().calls.length;
    press(OWNER, card, 'confirm');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !e2e.stack.tasks.state().calls.slice(callsBefore).some((c) => c.method === 'POST')) await sleep(50);
    await sleep(200);
    await e2e.stack.n8n.kill('SIGKILL');
    e2e.stack.tasks.setLatency(0);
    expect((await draftRow(draftId))!.status).toBe('confirmed');

    await e2e.stack.n8n.start();
    await e2e.n8n.login();
    // The command's lease (60 s when the router started the executor, 180 s when the poll did) must
    // run out before the executor takes it over.
    await waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && m.text!.includes(title), 'finishing after the restart', 240_000);
    await settled(30_000);
    expect(tasksTitled(title)).toHaveLength(1);
    expect((await draftRow(draftId))!.status).toBe('executed');
  }, 330_000);
});
