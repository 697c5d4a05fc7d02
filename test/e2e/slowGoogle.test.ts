// Google Tasks slower than the Task Executor's lease, in real n8n 2.40.7: the first insert's
// connection drops (nobody knows whether it landed), the search for it answers later than the
// lease lasts, and a second tap on Confirm starts a second execution of the same draft meanwhile.
// Exactly one task, and the user is told once. Starts its own stack (playground/stack.ts) because
// the lease is shortened on the n8n process (DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Store } from '../../nodes/shared/store/db';
import { startStack, OWNER_TELEGRAM_ID, type Stack } from '../../playground/stack';
import type { UserSpec } from '../../emulators/telegram';
import { Conversation, draftIdOf, sleep } from './conversation';

jest.setTimeout(400_000);

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const LEASE_SECONDS = 3;
/** Each search of the list answers this late: twice the lease. */
const SLOW_ANSWER_MS = 2 * LEASE_SECONDS * 1000;

let stack: Stack;
let store: Store;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-slow-google-'));
  stack = await startStack({ dataDir, extraN8nEnv: { DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS: String(LEASE_SECONDS) } });
  store = await openStore({ backend: 'sqlite', file: stack.storeFile });
}, 400_000);

afterAll(async () => {
  await store?.close();
  await stack?.stop();
  if (dataDir && !process.env.E2E_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
});

const chat = new Conversation(() => stack, () => store, () => stack.n8n.logTail(40), 120_000);

/** The Telegram emulator's view of the webhook and its deliveries, for a failure message. */
async function deliveries(): Promise<string> {
  const control = (route: string) => fetch(`${stack.telegram.url}/_control/${route}`).then((r) => r.json());
  const webhookCalls = stack.telegram.callsSince(0).filter((c) => /webhook/i.test(c.method)).map((c) => [c.at, c.method, c.params.drop_pending_updates]);
  return JSON.stringify({ webhook: await control('webhook'), updates: await control('updates'), webhookCalls }).slice(0, 3000);
}

it('Google Tasks answering slower than the executor\'s lease, Confirm tapped again meanwhile: exactly one task, the user told once', async () => {
  const card = await chat.sayAndGetCard(OWNER, 'renew the car insurance next Friday').catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await deliveries()}`);
  });
  const draftId = draftIdOf(card);
  const title = JSON.parse((await chat.draftRow(draftId))!.draft_json).title as string;
  const commandsBefore = (await chat.commandsOf(OWNER)).length;
  const callsBefore = stack.tasks.state().calls.length;
  stack.tasks.injectFaults([
    { kind: 'dropBeforeCommit', method: 'POST', pathIncludes: '/tasks' },
    { kind: 'slowAnswer', method: 'GET', pathIncludes: '/tasks', latencyMs: SLOW_ANSWER_MS, times: 10 },
  ]);

  chat.press(OWNER, card, 'confirm');
  // The executor is inside its slow search for the insert that may have landed...
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !stack.tasks.state().calls.slice(callsBefore).some((c) => c.method === 'GET')) await sleep(50);
  expect(stack.tasks.state().calls.slice(callsBefore).map((c) => [c.method, c.fault])).toEqual([
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
