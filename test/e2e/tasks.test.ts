// /list, ✓ Done and /undo in real n8n through the emulators (Workflow L): what the user sees,
// what Google Tasks holds, and what the store recorded.
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import type { ChatHistoryEntry, UserSpec } from '../../emulators/telegram';
import { buttonsOf, Conversation } from './conversation';
import { useStack } from './useStack';

jest.setTimeout(240_000);

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const FRIEND: UserSpec = { userId: 434343, firstName: 'Sam' }; // also on the allowlist
const NEWCOMER: UserSpec = { userId: 464646, firstName: 'Noa' }; // on the allowlist, never made a task

const e2e = useStack({ name: 'tasks', allowedUserIds: [OWNER.userId!, FRIEND.userId!, NEWCOMER.userId!] });
const chat = new Conversation(() => e2e.stack, () => e2e.store, () => e2e.stack.n8n.logTail(30));

/** The user writes; resolves with the first bot message after it that matches. */
async function say(user: UserSpec, text: string, matches: (m: ChatHistoryEntry) => boolean, what: string): Promise<ChatHistoryEntry> {
  const lastSeen = Math.max(0, ...chat.history(user).map((m) => m.message_id));
  e2e.stack.telegram.sendUserText({ ...user, text });
  return chat.waitForBot(user, (m) => m.message_id > lastSeen && matches(m), what);
}

async function createTask(user: UserSpec, text: string): Promise<void> {
  const card = await chat.sayAndGetCard(user, text);
  await chat.press(user, card, 'confirm');
  await chat.waitForBot(user, (m) => /Task created successfully/.test(m.text ?? '') && m.message_id > card.message_id, `confirming "${text}"`);
  await chat.settled();
}

function pressData(user: UserSpec, message: ChatHistoryEntry, prefix: string) {
  const data = buttonsOf(message).find((d) => d.startsWith(prefix));
  if (!data) throw new Error(`message #${message.message_id} has no ${prefix} button`);
  return e2e.stack.telegram.pressButton({ ...user, messageId: message.message_id, data });
}

const buttonTexts = (m: ChatHistoryEntry) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b?.text);
const completePatches = () => e2e.stack.tasks.callLog.filter((c) => c.method === 'PATCH').length;

describe('/list and ✓ Done', () => {
  let milkListing: ChatHistoryEntry;

  it('/list shows the open tasks with due dates, each with a ✓ Done button', async () => {
    await createTask(OWNER, 'buy milk tomorrow');
    await createTask(OWNER, 'call the plumber');
    const heading = await say(OWNER, '/list', (m) => /Your open tasks/.test(m.text ?? ''), 'with the list heading');
    const milk = await chat.waitForBot(OWNER, (m) => m.message_id > heading.message_id && /milk/i.test(m.text ?? ''), 'listing the milk task');
    const plumber = await chat.waitForBot(OWNER, (m) => m.message_id > heading.message_id && /plumber/i.test(m.text ?? ''), 'listing the plumber task');
    expect(milk.text).toMatch(/due tomorrow/);
    for (const message of [milk, plumber]) {
      expect(buttonTexts(message)).toEqual(['✓ Done']);
      expect(buttonsOf(message)[0]).toMatch(/^done:\d+$/);
    }
    await chat.settled();
    milkListing = milk;
  });

  it("another user's ✓ Done press is refused and changes nothing", async () => {
    // The bot can only write to someone who has written to it: Sam says hello first.
    await say(FRIEND, '/help', () => true, 'answering /help');
    await chat.settled();
    const patches = completePatches();
    expect(await chat.forgedPress(FRIEND, buttonsOf(milkListing)[0], { messageId: 1 })).toBe(200);
    await chat.waitForBot(FRIEND, (m) => /belongs to someone else/.test(m.text ?? ''), 'refusing the foreign button');
    await chat.settled();
    expect(completePatches()).toBe(patches);
    expect(chat.tasksTitled(e2e.stack.tasks.allTasks().find((t) => /milk/i.test(t.title))!.title)[0].status).toBe('needsAction');
  });

  it('✓ Done completes the task in Google Tasks once, however often it is pressed', async () => {
    const patches = completePatches();
    pressData(OWNER, milkListing, 'done:');
    pressData(OWNER, milkListing, 'done:');
    await chat.waitForBot(OWNER, (m) => m.message_id === milkListing.message_id && /done/.test(m.text ?? '') && !m.reply_markup?.inline_keyboard?.length, 'marking the listing done');
    await chat.settled();
    const milk = e2e.stack.tasks.allTasks().find((t) => /milk/i.test(t.title))!;
    expect(milk).toMatchObject({ status: 'completed', completed: expect.any(String) });
    expect(completePatches() - patches).toBe(1);
    const audit = await e2e.store.all<{ action: string }>("SELECT action FROM audit_log WHERE action = 'task_completed'");
    expect(audit).toHaveLength(1);
    // The completed task is no longer listed.
    const heading = await say(OWNER, "what's on my list?", (m) => /Your open tasks/.test(m.text ?? ''), 'with the list heading again');
    await chat.settled();
    const listed = chat.botMessages(OWNER).filter((m) => m.message_id > heading.message_id);
    expect(listed.map((m) => m.text).join('\n')).not.toMatch(/milk/i);
    expect(listed.map((m) => m.text).join('\n')).toMatch(/plumber/i);
  });
});

describe('/undo', () => {
  it('with nothing created yet, says so', async () => {
    await say(NEWCOMER, '/undo', (m) => /Nothing to undo/.test(m.text ?? ''), 'saying there is nothing to undo');
    await chat.settled();
  });

  it('"undo that" asks, ✅ Remove deletes the task and its subtasks once, and the audit log and the draft record it', async () => {
    const card = await chat.sayAndGetCard(OWNER, 'plan the garden party on saturday with subtasks: buy lanterns, invite neighbours');
    const draftId = Number(buttonsOf(card)[0].split(':')[1]);
    await chat.press(OWNER, card, 'confirm');
    await chat.waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && m.message_id > card.message_id, 'confirming the party');
    await chat.settled();
    const execution = await e2e.store.get<{ id: number }>('SELECT id FROM executions WHERE draft_id = ?', [draftId]);
    const items = await e2e.store.all<{ remote_id: string }>('SELECT remote_id FROM execution_items WHERE execution_id = ?', [execution!.id]);
    expect(items.length).toBeGreaterThanOrEqual(1);

    const question = await say(OWNER, 'undo that', (m) => /^↩️ Remove/.test(m.text ?? ''), 'asking before removing');
    expect(buttonTexts(question)).toEqual(['✅ Remove', '❌ Keep']);
    expect(buttonsOf(question)).toEqual([`undo:${execution!.id}`, `keep:${execution!.id}`]);
    await chat.settled();

    // Someone else's ✅ Remove is refused.
    expect(await chat.forgedPress(FRIEND, `undo:${execution!.id}`, { messageId: 1 })).toBe(200);
    const refusals = chat.botMessages(FRIEND).filter((m) => /belongs to someone else/.test(m.text ?? '')).length;
    await e2e.stack.telegram.waitFor(() => chat.botMessages(FRIEND).filter((m) => /belongs to someone else/.test(m.text ?? '')).length > refusals || undefined, 30_000);
    expect(chat.botMessages(FRIEND).filter((m) => /belongs to someone else/.test(m.text ?? '')).length).toBe(refusals + 1);
    await chat.settled();
    const alive = (id: string) => e2e.stack.tasks.allTasks().some((t) => t.id === id && !t.deleted);
    expect(items.every((i) => alive(i.remote_id))).toBe(true);

    pressData(OWNER, question, 'undo:');
    pressData(OWNER, question, 'undo:');
    await chat.waitForBot(OWNER, (m) => m.message_id === question.message_id && /Removed/.test(m.text ?? ''), 'saying it was removed');
    await chat.settled();
    expect(items.some((i) => alive(i.remote_id))).toBe(false);
    const deletes = e2e.stack.tasks.callLog.filter((c) => c.method === 'DELETE' && items.some((i) => c.path.endsWith(`/${i.remote_id}`)));
    // Each item deleted once; a second tap may at most find one gone.
    expect(new Set(deletes.map((c) => c.path)).size).toBe(items.length);
    const undone = await e2e.store.all("SELECT id FROM audit_log WHERE action = 'task_execution_undone' AND entity_id = ?", [String(execution!.id)]);
    expect(undone).toHaveLength(1);
    const draft = await e2e.store.get<{ status: string; undone_at: number | null }>('SELECT status, undone_at FROM drafts WHERE id = ?', [draftId]);
    expect(draft).toMatchObject({ status: 'executed', undone_at: expect.any(Number) });
  });
});
