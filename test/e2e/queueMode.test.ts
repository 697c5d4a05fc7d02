// The assistant on n8n 2.40.7 in queue mode: EXECUTIONS_MODE=queue with Redis, PostgreSQL as
// n8n's own database, one `n8n start` main and two `n8n worker` processes (each loading the
// package from the shared user folder), and the assistant's store on PostgreSQL. The main
// conversations of assistant.test.ts, then a worker SIGKILLed in the middle of a confirmation.
// Starts its own stack (playground/stack.ts `queueMode`), not the e2e project's shared one.
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379;
// SKIP_POSTGRES_TESTS=1 or SKIP_QUEUE_MODE_TESTS=1 skips the file. About 6–7 minutes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Store } from '../../nodes/shared/store/db';
import { startStack, OWNER_TELEGRAM_ID, type Stack } from '../../playground/stack';
import type { UserSpec } from '../../emulators/telegram';
import { buttonsOf, Conversation, draftIdOf, sleep } from './conversation';
import type { N8nClient } from './n8n';
import { enqueuedExecutions, type N8nWorkers } from './n8nWorkers';

jest.setTimeout(300_000);

const skip = process.env.SKIP_POSTGRES_TESTS === '1' || process.env.SKIP_QUEUE_MODE_TESTS === '1';
const describeQueue = skip ? describe.skip : describe;

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const FRIEND: UserSpec = { userId: 434343, firstName: 'Sam' };

let stack: Stack;
let workers: N8nWorkers;
let store: Store;
let n8n: N8nClient;
let dataDir: string;

beforeAll(async () => {
  if (skip) return;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-queue-'));
  stack = await startStack({ dataDir, allowedUserIds: [OWNER.userId!, FRIEND.userId!], queueMode: { workers: 2 } });
  workers = stack.workers!;
  store = await openStore(stack.storeConfig);
  n8n = stack.n8n.client();
  await n8n.login();
}, 400_000);

afterAll(async () => {
  await store?.close();
  await stack?.stop();
  if (dataDir && !process.env.E2E_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers (shared with assistant.test.ts)

function logs(): string {
  return [stack.n8n.logTail(30), ...workers.workers.map((w) => workers.logTail(w.index, 20))].join('\n');
}

const chat = new Conversation(() => stack, () => store, logs, 45_000);
const history = (user: UserSpec) => chat.history(user);
const botMessages = (user: UserSpec) => chat.botMessages(user);
const waitForBot = chat.waitForBot.bind(chat);
const sayAndGetCard = chat.sayAndGetCard.bind(chat);
const press = chat.press.bind(chat);
const tasksTitled = chat.tasksTitled.bind(chat);
const draftRow = chat.draftRow.bind(chat);
const commandsOf = chat.commandsOf.bind(chat);
const commandsArrive = chat.commandsArrive.bind(chat);
const settled = chat.settled.bind(chat);

/** Executions a worker's log shows started but not finished (what it is running now). */
function openExecutions(index: number): string[] {
  const log = workers.log(index);
  const started = [...log.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
  const finished = new Set([...log.matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]));
  return started.filter((id) => !finished.has(id));
}

// ---------------------------------------------------------------- the deployment

describeQueue('queue mode deployment', () => {
  it('runs PostgreSQL for n8n and the store, with two healthy workers', async () => {
    expect(stack.storeConfig.backend).toBe('postgres');
    expect(workers.pids()).toHaveLength(2);
    for (const id of Object.values(stack.workflowIds)) expect((await n8n.getWorkflow(id)).active).toBe(true);
    expect((await n8n.nodeTypes()).map((t) => t.name)).toContain('n8n-nodes-draft-assistant.taskExecutor');
  });
});

// ---------------------------------------------------------------- conversations

describeQueue('conversations in queue mode', () => {
  it('1. a draft with subtasks; Confirm creates exactly that task with its subtasks in order', async () => {
    const card = await sayAndGetCard(OWNER, "Plan Sam's birthday party next Saturday");
    const draftId = draftIdOf(card);
    const draft = JSON.parse((await draftRow(draftId))!.draft_json) as { title: string; subtasks: { title: string }[]; due_date: string };
    expect(draft.subtasks.length).toBeGreaterThanOrEqual(3);
    expect(tasksTitled(draft.title)).toHaveLength(0);

    press(OWNER, card, 'confirm');
    const success = await waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? ''), 'confirming the task');
    expect(success.text).toContain(`with ${draft.subtasks.length} subtasks`);
    await settled();
    const [task] = tasksTitled(draft.title);
    expect(tasksTitled(draft.title)).toHaveLength(1);
    expect(task.due).toBe(`${draft.due_date}T00:00:00.000Z`);
    const children = stack.tasks
      .allTasks()
      .filter((t) => t.parent === task.id)
      .sort((a, b) => a.position.localeCompare(b.position));
    expect(children.map((c) => c.title)).toEqual(draft.subtasks.map((s) => s.title));
    expect((await draftRow(draftId))!.status).toBe('executed');
    expect((await commandsOf(OWNER)).map((c) => [c.type, c.status])).toEqual([
      ['draft_task_from_text', 'completed'],
      ['confirm_draft', 'completed'],
    ]);
  });

  it('2. a vague request gets a clarification question, and the answer produces a draft', async () => {
    stack.telegram.sendUserText({ ...FRIEND, text: 'stuff' });
    const question = await waitForBot(FRIEND, (m) => (m.text ?? '').startsWith('❓'), 'asking a question');
    expect(buttonsOf(question)).toEqual([]);
    const card = await sayAndGetCard(FRIEND, 'buy a birthday present for mum by Friday');
    expect(card.text).toMatch(/present/i);
    await settled();
    expect((await commandsOf(FRIEND)).map((c) => c.type)).toEqual(['draft_task_from_text', 'answer_clarification']);
  });

  it('3. Edit, then an instruction, yields a revised draft; Confirm creates only the revised task', async () => {
    const first = await sayAndGetCard(OWNER, 'buy oat milk tomorrow');
    press(OWNER, first, 'edit');
    await waitForBot(OWNER, (m) => /What should I change/.test(m.text ?? ''), 'asking what to change');
    const revised = await chat.reviseAndGetCard(OWNER, first, 'rename to Buy oat milk and bananas');
    expect(revised.text).toContain('Buy oat milk and bananas');
    press(OWNER, revised, 'confirm');
    await waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && /bananas/.test(m.text ?? ''), 'confirming the revision');
    await settled();
    expect((await draftRow(draftIdOf(first)))!.status).toBe('superseded');
    expect(tasksTitled('Buy oat milk and bananas')).toHaveLength(1);
    expect(tasksTitled('Buy oat milk')).toHaveLength(0);
  });

  it('4. Cancel creates nothing and removes the buttons', async () => {
    const card = await sayAndGetCard(OWNER, 'water the plants tomorrow');
    press(OWNER, card, 'cancel');
    const updated = await stack.telegram.waitFor(() => {
      const message = history(OWNER).find((m) => m.message_id === card.message_id)!;
      return buttonsOf(message).length === 0 ? message : undefined;
    }, 30_000);
    expect(updated?.text).toContain('Cancelled');
    await settled();
    expect((await draftRow(draftIdOf(card)))!.status).toBe('cancelled');
    expect(tasksTitled('Water the plants')).toHaveLength(0);
  });

  it('5a. the same update delivered twice makes one command and one draft', async () => {
    const before = (await commandsOf(FRIEND)).length;
    const update = stack.telegram.sendUserText({ ...FRIEND, text: 'call the plumber tomorrow' });
    await waitForBot(FRIEND, (m) => /call the plumber/i.test(m.text ?? '') && buttonsOf(m).length === 3, 'with the plumber draft');
    stack.telegram.redeliver(update.update_id);
    await waitForBot(FRIEND, (m) => /Already processing/.test(m.text ?? ''), 'saying it is already processing');
    await settled();
    expect((await commandsOf(FRIEND)).slice(before)).toHaveLength(1);
    expect(botMessages(FRIEND).filter((m) => /call the plumber/i.test(m.text ?? '') && /Task Draft/.test(m.text ?? ''))).toHaveLength(1);
  });

  it('5b. Confirm tapped twice quickly creates one task (the presses may run on different workers)', async () => {
    const card = await sayAndGetCard(OWNER, 'renew the passport next Monday');
    const before = (await commandsOf(OWNER)).length;
    press(OWNER, card, 'confirm');
    press(OWNER, card, 'confirm');
    await commandsArrive(OWNER, before + 2);
    await waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && /passport/i.test(m.text ?? ''), 'confirming');
    await settled();
    await sleep(500);
    expect(tasksTitled(JSON.parse((await draftRow(draftIdOf(card)))!.draft_json).title)).toHaveLength(1);
    expect(botMessages(OWNER).filter((m) => /Task created successfully/.test(m.text ?? '') && /passport/i.test(m.text ?? ''))).toHaveLength(1);
  });

  it('every execution was enqueued (webhooks and schedules by the main) and run by a worker', async () => {
    const mainEnqueued = enqueuedExecutions(fs.readFileSync(stack.n8n.logFile, 'utf8'));
    // Error-workflow runs are enqueued by the worker whose execution failed; none are expected here.
    const workerEnqueued = workers.workers.flatMap((w) => enqueuedExecutions(workers.log(w.index)));
    const started = [...workers.startedExecutions().values()].flat();
    expect(mainEnqueued.length).toBeGreaterThan(10);
    expect(workerEnqueued).toEqual([]);
    for (const id of mainEnqueued) expect({ id, startedByAWorker: started.includes(id) }).toEqual({ id, startedByAWorker: true });
    for (const id of started) expect({ id, enqueuedByMain: mainEnqueued.includes(id) }).toEqual({ id, enqueuedByMain: true });
    // The router's executions (one per Telegram update) are among them: the main only took the webhook.
    const routerRuns = await n8n.listExecutions(stack.workflowIds.router);
    expect(routerRuns.length).toBeGreaterThan(5);
    for (const run of routerRuns) expect(mainEnqueued).toContain(String(run.id));
    // Both workers took work.
    expect([...workers.startedExecutions().values()].every((ids) => ids.length > 0)).toBe(true);
    expect(fs.readFileSync(stack.n8n.logFile, 'utf8')).not.toMatch(/Worker started execution/);
  });
});

// ---------------------------------------------------------------- crash

describeQueue('a worker killed mid-confirmation', () => {
  it('SIGKILL of the worker running the Confirm: the task exists exactly once and the draft ends executed', async () => {
    const card = await sayAndGetCard(OWNER, 'service the bike on Saturday');
    const draftId = draftIdOf(card);
    const title = JSON.parse((await draftRow(draftId))!.draft_json).title as string;
    await settled();
    stack.tasks.setLatency(1500);
    const callsBefore = stack.tasks.state().calls.length;
    press(OWNER, card, 'confirm');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !stack.tasks.state().calls.slice(callsBefore).some((c) => c.method === 'POST')) await sleep(50);
    expect(stack.tasks.state().calls.slice(callsBefore).some((c) => c.method === 'POST')).toBe(true);
    // The first insert is in flight: kill whichever worker has an execution open (both, if both do).
    const busy = workers.workers.map((w) => w.index).filter((index) => openExecutions(index).length > 0);
    const victims = busy.length > 0 ? busy : workers.workers.map((w) => w.index);
    await Promise.all(victims.map((index) => workers.kill(index, 'SIGKILL')));
    stack.tasks.setLatency(0);
    expect((await draftRow(draftId))!.status).toBe('confirmed');
    expect(workers.pids().length).toBe(2 - victims.length);
    // Restart in the background: the lease wait below overlaps with the workers' boot.
    const restarted = Promise.all(victims.map((index) => workers.start(index)));

    // The command's lease (60 s from a router call, 180 s from the poll) runs out, then a worker's Executor resumes it.
    await waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && m.text!.includes(title), 'finishing after the kill', 240_000);
    await settled(60_000);
    await sleep(1000);
    expect(tasksTitled(title)).toHaveLength(1);
    expect((await draftRow(draftId))!.status).toBe('executed');
    expect(botMessages(OWNER).filter((m) => /Task created successfully/.test(m.text ?? '') && m.text!.includes(title))).toHaveLength(1);
    const lost = await store.all("SELECT id, type, status FROM commands WHERE status IN ('failed', 'dead', 'pending', 'processing')");
    expect(lost).toEqual([]);
    await restarted;
    expect(workers.pids()).toHaveLength(2);
  });
});
