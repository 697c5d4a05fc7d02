// The conversations every deployment must get right, written once and run by the regular suite
// (assistant.test.ts, one n8n) and the queue-mode suite (queueMode.test.ts, a main and two
// workers). Each function registers its tests in the describe block that calls it; they run in
// order on one stack and count on the users having said nothing before scenario 1.
import type { UserSpec } from '../../emulators/telegram';
import { buttonsOf, hasDraftButtons, type Conversation, draftIdOf, sleep } from './conversation';

export interface ScenarioContext {
  chat: Conversation;
  /** Two users on the allowlist. */
  owner: UserSpec;
  friend: UserSpec;
  /** How long a card may take to lose its buttons (after Cancel, or when a revision replaces it). */
  cardUpdateTimeoutMs: number;
}

/** 1–4: a draft with subtasks confirmed, a clarification, an edit, a cancel. */
export function conversationScenarios({ chat, owner: OWNER, friend: FRIEND, cardUpdateTimeoutMs }: ScenarioContext): void {
  const stack = () => chat.stack();
  const cardOnceButtonsGone = (card: { message_id: number }) =>
    stack().telegram.waitFor(() => {
      const message = chat.history(OWNER).find((m) => m.message_id === card.message_id)!;
      return buttonsOf(message).length === 0 ? message : undefined;
    }, cardUpdateTimeoutMs);

  it('1. a birthday party becomes a draft with subtasks, and Confirm creates exactly that task with its subtasks in order', async () => {
    const lastSeen = Math.max(0, ...chat.history(OWNER).map((m) => m.message_id));
    const sinceCall = Math.max(0, ...stack().telegram.callsSince().map((c) => c.seq));
    const card = await chat.sayAndGetCard(OWNER, "Plan Sam's birthday party next Saturday");
    // One bubble: the "Got it!" acknowledgement, edited into the card.
    const sent = stack().telegram.callsSince(sinceCall, 'sendMessage').filter((c) => String(c.params.chat_id) === String(OWNER.userId));
    expect(sent.map((c) => c.params.text)).toEqual(['Got it! Working on it... ⚙️']);
    expect(card.message_id).toBe((sent[0].response as { result: { message_id: number } }).result.message_id);
    expect(chat.botMessages(OWNER).filter((m) => m.message_id > lastSeen).map((m) => m.message_id)).toEqual([card.message_id]);
    expect(card.text).toContain("Plan Sam's birthday party");
    const draftId = draftIdOf(card);
    const draft = JSON.parse((await chat.draftRow(draftId))!.draft_json) as { title: string; subtasks: { title: string }[]; due_date: string };
    expect(draft.subtasks.length).toBeGreaterThanOrEqual(3);
    expect(chat.tasksTitled(draft.title)).toHaveLength(0); // nothing exists before Confirm

    chat.press(OWNER, card, 'confirm');
    const success = await chat.waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? ''), 'confirming the task');
    expect(success.text).toContain(`with ${draft.subtasks.length} subtasks`);
    await chat.settled();

    const [task] = chat.tasksTitled(draft.title);
    expect(chat.tasksTitled(draft.title)).toHaveLength(1);
    expect(task.due).toBe(`${draft.due_date}T00:00:00.000Z`);
    const children = stack()
      .tasks.allTasks()
      .filter((t) => t.parent === task.id)
      .sort((a, b) => a.position.localeCompare(b.position));
    expect(children.map((c) => c.title)).toEqual(draft.subtasks.map((s) => s.title));

    // The card lost its buttons and says what happened.
    const updatedCard = chat.history(OWNER).find((m) => m.message_id === card.message_id)!;
    expect(buttonsOf(updatedCard)).toEqual([]);
    expect(updatedCard.text).toContain('task created in Google Tasks');

    expect((await chat.draftRow(draftId))!.status).toBe('executed');
    const commands = await chat.commandsOf(OWNER);
    expect(commands.map((c) => [c.type, c.status])).toEqual([
      ['draft_task_from_text', 'completed'],
      ['confirm_draft', 'completed'],
    ]);
    const actions = (await chat.store().all<{ action: string }>('SELECT action FROM audit_log ORDER BY id')).map((r) => r.action);
    for (const action of ['command_created', 'command_claimed', 'command_executed', 'draft_created', 'draft_confirmed', 'draft_executed']) {
      expect(actions).toContain(action);
    }
  });

  it('2. a vague request gets a clarification question, and the answer produces a draft', async () => {
    stack().telegram.sendUserText({ ...FRIEND, text: 'stuff' });
    const question = await chat.waitForBot(FRIEND, (m) => (m.text ?? '').startsWith('❓'), 'asking a question');
    expect(buttonsOf(question)).toEqual([]);
    const card = await chat.sayAndGetCard(FRIEND, 'buy a birthday present for mum by Friday');
    expect(card.text).toMatch(/present/i);
    await chat.settled();
    expect((await chat.commandsOf(FRIEND)).map((c) => c.type)).toEqual(['draft_task_from_text', 'answer_clarification']);
  });

  it('3. Edit, then an instruction, yields a revised draft; Confirm creates only the revised task', async () => {
    const first = await chat.sayAndGetCard(OWNER, 'buy oat milk tomorrow');
    chat.press(OWNER, first, 'edit');
    await chat.waitForBot(OWNER, (m) => /What should I change/.test(m.text ?? ''), 'asking what to change');
    const lastSeen = Math.max(0, ...chat.history(OWNER).map((m) => m.message_id));
    // The old card becomes the revised draft in place; the instruction's "Got it!" points to it.
    const revised = await chat.reviseAndGetCard(OWNER, first, 'rename to Buy oat milk and bananas');
    expect(revised.message_id).toBe(first.message_id);
    expect(revised.text).toContain('Buy oat milk and bananas');
    expect((await chat.draftRow(draftIdOf(first)))!.status).toBe('superseded');
    await chat.waitForBot(OWNER, (m) => m.message_id > lastSeen && /Updated the draft above/.test(m.text ?? ''), 'pointing to the revised card');
    await chat.settled();
    expect(chat.botMessages(OWNER).filter((m) => m.message_id > lastSeen).map((m) => m.text)).toEqual(['✏️ Updated the draft above.']);

    chat.press(OWNER, revised, 'confirm');
    await chat.waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && /bananas/.test(m.text ?? ''), 'confirming the revision');
    await chat.settled();
    expect(chat.tasksTitled('Buy oat milk and bananas')).toHaveLength(1);
    expect(chat.botMessages(OWNER).filter((m) => /Task created successfully/.test(m.text ?? '') && /bananas/.test(m.text ?? ''))).toHaveLength(1);
    expect(chat.tasksTitled('Buy oat milk')).toHaveLength(0);
  });

  it('4. Cancel creates nothing and removes the buttons', async () => {
    const card = await chat.sayAndGetCard(OWNER, 'water the plants tomorrow');
    chat.press(OWNER, card, 'cancel');
    expect((await cardOnceButtonsGone(card))?.text).toContain('Cancelled');
    await chat.settled();
    expect((await chat.draftRow(draftIdOf(card)))!.status).toBe('cancelled');
    expect(chat.tasksTitled('Water the plants')).toHaveLength(0);
  });
}

/** 5a–5b: a redelivered update and a double tap each have one outcome. */
export function exactlyOnceScenarios({ chat, owner: OWNER, friend: FRIEND }: ScenarioContext): void {
  it('5a. the same update delivered twice makes one command and one draft', async () => {
    const before = (await chat.commandsOf(FRIEND)).length;
    const update = chat.stack().telegram.sendUserText({ ...FRIEND, text: 'call the plumber tomorrow' });
    await chat.waitForBot(FRIEND, (m) => /call the plumber/i.test(m.text ?? '') && hasDraftButtons(m), 'with the plumber draft');
    chat.stack().telegram.redeliver(update.update_id);
    await chat.waitForBot(FRIEND, (m) => /Already processing/.test(m.text ?? ''), 'saying it is already processing');
    await chat.settled();
    expect((await chat.commandsOf(FRIEND)).slice(before)).toHaveLength(1);
    expect(chat.botMessages(FRIEND).filter((m) => /call the plumber/i.test(m.text ?? '') && /Task Draft/.test(m.text ?? ''))).toHaveLength(1);
  });

  // In queue mode the two presses may run on different workers.
  it('5b. Confirm tapped twice quickly creates one task', async () => {
    const card = await chat.sayAndGetCard(OWNER, 'renew the passport next Monday');
    const before = (await chat.commandsOf(OWNER)).length;
    chat.press(OWNER, card, 'confirm');
    chat.press(OWNER, card, 'confirm');
    await chat.commandsArrive(OWNER, before + 2);
    const confirmed = (m: { text?: string }) => /Task created successfully/.test(m.text ?? '') && /passport/i.test(m.text ?? '');
    await chat.waitForBot(OWNER, confirmed, 'confirming');
    await chat.settled();
    await sleep(500);
    expect(chat.tasksTitled(JSON.parse((await chat.draftRow(draftIdOf(card)))!.draft_json).title)).toHaveLength(1);
    expect(chat.botMessages(OWNER).filter(confirmed)).toHaveLength(1);
  });
}
