// Google Tasks slower than the Task Executor's lease, in real n8n 2.40.7: the first insert's
// connection drops (nobody knows whether it landed), the search for it answers later than the
// lease lasts, and a second tap on Confirm starts a second execution of the same draft meanwhile.
// Exactly one task, and the user is told once. Starts its own stack (playground/e2e.stack.ts) because
// the lease is shortened on the n8n process (DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS).
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import type { UserSpec } from '../../emulators/telegram';
import { Conversation, draftIdOf, sleep } from './conversation';
import { useStack } from './useStack';

jest.setTimeout(400_000);

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const LEASE_SECONDS = 3;
/** Each search of the list answers this late: twice the lease. */
const SLOW_ANSWER_MS = 2 * LEASE_SECONDS * 1000;

const e2e = useStack({ name: 'slow-google', extraN8nEnv: { DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS: String(LEASE_SECONDS) }, startTimeoutMs: 400_000 });

const chat = new Conversation(() => e2e.stack, () => e2e.store, () => e2e.stack.n8n.logTail(40), 120_000);

/** The Telegram emulator's view of the webhook and its deliveries, for a failure message. */
async function deliveries(): Promise<string> {
  const control = (route: string) => fetch(`${e2e.stack.telegram.url}/_control/${route}`).then((r) => r.json());
  const webhookCalls = e2e.stack.telegram.callsSince(0).filter((c) => /webhook/i.test(c.method)).map((c) => [c.at, c.method, c.params.drop_pending_updates]);
  return JSON.stringify({ webhook: await control('webhook'), updates: await control('updates'), webhookCalls }).slice(0, 3000);
}

it('Google Tasks answering slower than the executor\'s lease, Confirm tapped again meanwhile: exactly one task, the user told once', async () => {
  const card = await chat.sayAndGetCard(OWNER, 'renew the car insurance next Friday').catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await deliveries()}`);
  });
  const draftId = draftIdOf(card);
  const title = JSON.parse((await chat.draftRow(draftId))!.draft_json).title as string;
  const commandsBefore = (await chat.commandsOf(OWNER)).length;
  const callsBefore = e2e.stack.tasks.state().calls.length;
  e2e.stack.tasks.injectFaults([
    { kind: 'dropBeforeCommit', method: 'POST', pathIncludes: '/tasks' },
    { kind: 'slowAnswer', method: 'GET', pathIncludes: '/tasks', latencyMs: SLOW_ANSWER_MS, times: 10 },
  ]);

  chat.press(OWNER, card, 'confirm');
  // The executor is inside its slow search for the insert that may have landed...
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !e2e.stack.tasks.state().calls.slice(callsBefore).some((c) => c.method === 'GET')) await sleep(50);
  expect(e2e.stack.tasks.state().calls.slice(callsBefore).map((c) => [c.method, c.fault])).toEqual([
    ['POST', 'dropBeforeCommit'],
    ['GET', 'slowAnswer'],
  ]);
  // ...and outlasts its lease before a second execution of the same draft starts.
  await sleep(LEASE_SECONDS * 1000 + 500);
  chat.press(OWNER, card, 'confirm');
  await chat.commandsArrive(OWNER, commandsBefore + 2);

  const isSuccess = (text: string | undefined) => /Task created successfully/.test(text ?? '') && (text ?? '').includes(title);
  await chat.waitForBot(OWNER, (m) => isSuccess(m.text), 'confirming the task', 120_000);
  await chat.settled(120_000);
  await sleep(2_000); // anything late (a second confirmation) would arrive now

  expect(chat.tasksTitled(title)).toHaveLength(1);
  expect(chat.botMessages(OWNER).filter((m) => isSuccess(m.text))).toHaveLength(1);
  expect((await chat.draftRow(draftId))!.status).toBe('executed');
  const commands = (await chat.commandsOf(OWNER)).slice(-2);
  expect(commands.map((c) => [c.type, c.status])).toEqual([
    ['confirm_draft', 'completed'],
    ['confirm_draft', 'completed'],
  ]);
  // Nothing but the draft's own text in the user's Google Tasks.
  const [task] = chat.tasksTitled(title);
  const draft = JSON.parse((await chat.draftRow(draftId))!.draft_json) as { notes?: string | null };
  expect(task.notes ?? null).toBe(draft.notes || null);
});
