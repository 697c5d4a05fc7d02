// Reminders and briefings on n8n's queue mode: one main enqueues the checkers' runs (every 2 s
// here, every minute as shipped), two workers run them at the same time against the store on
// PostgreSQL, and every reminder and briefing reaches its user exactly once. Own stack; needs
// PostgreSQL and Redis like queueMode.test.ts (SKIP_POSTGRES_TESTS=1 or SKIP_QUEUE_MODE_TESTS=1 skips it).
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import type { ChatHistoryEntry, UserSpec } from '../../emulators/telegram';
import { buttonsOf, Conversation, sleep } from './conversation';
import { useStack } from './useStack';

jest.setTimeout(400_000);

const skip = process.env.SKIP_POSTGRES_TESTS === '1' || process.env.SKIP_QUEUE_MODE_TESTS === '1';
const describeQueue = skip ? describe.skip : describe;
const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const FRIEND: UserSpec = { userId: 434343, firstName: 'Sam' };
const CHECK_SECONDS = 2;

const e2e = useStack({ name: 'notify-queue', allowedUserIds: [OWNER.userId!, FRIEND.userId!], queueMode: { workers: 2 }, checkEverySeconds: CHECK_SECONDS, startTimeoutMs: 400_000, skip });
const logs = () => [e2e.stack.n8n.logTail(20), ...e2e.stack.workers!.workers.map((w) => e2e.stack.workers!.logTail(w.index, 20))].join('\n');
const chat = new Conversation(() => e2e.stack, () => e2e.store, logs, 45_000);

const isReminder = (m: ChatHistoryEntry) => /^⏰ /.test(m.text ?? '') && !/Your reminders/.test(m.text ?? '');

describeQueue('notifications in queue mode', () => {
  it('two workers deliver each reminder and each briefing once', async () => {
    const texts = ['stretch in 20 minutes', 'call the bank in 25 minutes', 'water the plants in 30 minutes'];
    const users = [OWNER, FRIEND, OWNER];
    for (const [index, text] of texts.entries()) {
      const user = users[index];
      const card = await chat.sayAndGetCard(user, text);
      await chat.press(user, card, 'confirm');
      await chat.waitForBot(user, (m) => /Task created successfully/.test(m.text ?? '') && m.message_id > card.message_id, `confirming "${text}"`);
    }
    await chat.settled();
    const scheduled = await e2e.store.all<{ id: number }>("SELECT id FROM notifications WHERE kind = 'reminder' AND status = 'scheduled'");
    expect(scheduled).toHaveLength(3);
    // Both users' briefings are due now ("always": sent even on a quiet day).
    for (const user of [OWNER, FRIEND]) {
      await e2e.store.run(
        `UPDATE users SET briefing_time = ?, briefing_always = 1, briefing_since = ${e2e.store.nowMs} - 3600000 WHERE user_id = ?`,
        [new Date(Date.now() - 60_000).toISOString().slice(11, 16), `telegram:${user.userId}`],
      );
    }
    await e2e.store.run(`UPDATE notifications SET due_at = ${e2e.store.nowMs} WHERE kind = 'reminder'`);

    const deadline = Date.now() + 90_000;
    const settled = async () => Number((await e2e.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM notifications WHERE status = 'sent'"))?.n);
    while (Date.now() < deadline && (await settled()) < 5) await sleep(500);
    // Many more runs on both workers: nothing is sent again.
    await sleep(CHECK_SECONDS * 5_000);
    const rows = await e2e.store.all<{ kind: string; status: string }>('SELECT kind, status FROM notifications ORDER BY id');
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(5);
    expect(rows.filter((r) => !['sent'].includes(r.status))).toEqual([]);
    expect(chat.botMessages(OWNER).filter(isReminder)).toHaveLength(2);
    expect(chat.botMessages(FRIEND).filter(isReminder)).toHaveLength(1);
    for (const user of [OWNER, FRIEND]) expect(chat.botMessages(user).filter((m) => /^☀️ Your briefing/.test(m.text ?? ''))).toHaveLength(1);
    for (const message of chat.botMessages(OWNER).filter(isReminder)) expect(buttonsOf(message)).toHaveLength(3);
    // The checkers ran on both workers.
    const started = [...e2e.stack.workers!.startedExecutions().values()];
    expect(started.every((ids) => ids.length > 0)).toBe(true);
  });
});
