// The assistant on n8n 2.40.7 in queue mode: EXECUTIONS_MODE=queue with Redis, PostgreSQL as
// n8n's own database, one `n8n start` main and two `n8n worker` processes (each loading the
// package from the shared user folder), and the assistant's store on PostgreSQL. The conversations
// assistant.test.ts holds too (scenarios.ts), then a worker SIGKILLed in the middle of a confirmation.
// Starts its own stack (playground/stack.ts `queueMode`), not the e2e project's shared one.
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379;
// SKIP_POSTGRES_TESTS=1 or SKIP_QUEUE_MODE_TESTS=1 skips the file. About 6–7 minutes.
import * as fs from 'node:fs';
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import type { UserSpec } from '../../emulators/telegram';
import { Conversation, draftIdOf, sleep } from './conversation';
import { enqueuedExecutions } from '../../n8n/workers';
import { conversationScenarios, exactlyOnceScenarios } from './scenarios';
import { useStack } from './useStack';

jest.setTimeout(300_000);

const skip = process.env.SKIP_POSTGRES_TESTS === '1' || process.env.SKIP_QUEUE_MODE_TESTS === '1';
const describeQueue = skip ? describe.skip : describe;

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const FRIEND: UserSpec = { userId: 434343, firstName: 'Sam' };

const e2e = useStack({ name: 'queue', allowedUserIds: [OWNER.userId!, FRIEND.userId!], queueMode: { workers: 2 }, startTimeoutMs: 400_000, skip });
const workers = () => e2e.stack.workers!;

// ---------------------------------------------------------------- helpers

function logs(): string {
  return [e2e.stack.n8n.logTail(30), ...workers().workers.map((w) => workers().logTail(w.index, 20))].join('\n');
}

const chat = new Conversation(() => e2e.stack, () => e2e.store, logs, 45_000);

/** Executions a worker's log shows started but not finished (what it is running now). */
function openExecutions(index: number): string[] {
  const log = workers().log(index);
  const started = [...log.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
  const finished = new Set([...log.matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]));
  return started.filter((id) => !finished.has(id));
}

// ---------------------------------------------------------------- the deployment

describeQueue('queue mode deployment', () => {
  it('runs PostgreSQL for n8n and the store, with two healthy workers', async () => {
    expect(e2e.stack.storeConfig.backend).toBe('postgres');
    expect(workers().pids()).toHaveLength(2);
    for (const id of Object.values(e2e.stack.workflowIds)) expect((await e2e.n8n.getWorkflow(id)).active).toBe(true);
    expect((await e2e.n8n.nodeTypes()).map((t) => t.name)).toContain('n8n-nodes-draft-assistant.taskExecutor');
  });
});

// ---------------------------------------------------------------- conversations

describeQueue('conversations in queue mode', () => {
  conversationScenarios({ chat, owner: OWNER, friend: FRIEND, cardUpdateTimeoutMs: 30_000 });
  exactlyOnceScenarios({ chat, owner: OWNER, friend: FRIEND, cardUpdateTimeoutMs: 30_000 });

  it('every execution was enqueued (webhooks and schedules by the main) and run by a worker', async () => {
    const mainEnqueued = enqueuedExecutions(fs.readFileSync(e2e.stack.n8n.logFile, 'utf8'));
    // Error-workflow runs are enqueued by the worker whose execution failed; none are expected here.
    const workerEnqueued = workers().workers.flatMap((w) => enqueuedExecutions(workers().log(w.index)));
    const started = [...workers().startedExecutions().values()].flat();
    expect(mainEnqueued.length).toBeGreaterThan(10);
    expect(workerEnqueued).toEqual([]);
    for (const id of mainEnqueued) expect({ id, startedByAWorker: started.includes(id) }).toEqual({ id, startedByAWorker: true });
    for (const id of started) expect({ id, enqueuedByMain: mainEnqueued.includes(id) }).toEqual({ id, enqueuedByMain: true });
    // The router's executions (one per Telegram update) are among them: the main only took the webhook.
    const routerRuns = await e2e.n8n.listExecutions(e2e.stack.workflowIds.router);
    expect(routerRuns.length).toBeGreaterThan(5);
    for (const run of routerRuns) expect(mainEnqueued).toContain(String(run.id));
    // Both workers took work.
    expect([...workers().startedExecutions().values()].every((ids) => ids.length > 0)).toBe(true);
    expect(fs.readFileSync(e2e.stack.n8n.logFile, 'utf8')).not.toMatch(/Worker started execution/);
  });
});

// ---------------------------------------------------------------- crash

describeQueue('a worker killed mid-confirmation', () => {
  it('SIGKILL of the worker running the Confirm: the task exists exactly once and the draft ends executed', async () => {
    const card = await chat.sayAndGetCard(OWNER, 'service the bike on Saturday');
    const draftId = draftIdOf(card);
    const title = JSON.parse((await chat.draftRow(draftId))!.draft_json).title as string;
    await chat.settled();
    e2e.stack.tasks.setLatency(1500);
    const callsBefore = e2e.stack.tasks.state().calls.length;
    chat.press(OWNER, card, 'confirm');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !e2e.stack.tasks.state().calls.slice(callsBefore).some((c) => c.method === 'POST')) await sleep(50);
    expect(e2e.stack.tasks.state().calls.slice(callsBefore).some((c) => c.method === 'POST')).toBe(true);
    // The first insert is in flight: kill whichever worker has an execution open (both, if both do).
    const busy = workers().workers.map((w) => w.index).filter((index) => openExecutions(index).length > 0);
    const victims = busy.length > 0 ? busy : workers().workers.map((w) => w.index);
    await Promise.all(victims.map((index) => workers().kill(index, 'SIGKILL')));
    e2e.stack.tasks.setLatency(0);
    expect((await chat.draftRow(draftId))!.status).toBe('confirmed');
    expect(workers().pids().length).toBe(2 - victims.length);
    // Restart in the background: the lease wait below overlaps with the workers' boot.
    const restarted = Promise.all(victims.map((index) => workers().start(index)));

    // The command's lease (60 s from a router call, 180 s from the poll) runs out, then a worker's Executor resumes it.
    await chat.waitForBot(OWNER, (m) => /Task created successfully/.test(m.text ?? '') && m.text!.includes(title), 'finishing after the kill', 240_000);
    await chat.settled(60_000);
    await sleep(1000);
    expect(chat.tasksTitled(title)).toHaveLength(1);
    expect((await chat.draftRow(draftId))!.status).toBe('executed');
    expect(chat.botMessages(OWNER).filter((m) => /Task created successfully/.test(m.text ?? '') && m.text!.includes(title))).toHaveLength(1);
    const lost = await e2e.store.all("SELECT id, type, status FROM commands WHERE status IN ('failed', 'dead', 'pending', 'processing')");
    expect(lost).toEqual([]);
    await restarted;
    expect(workers().pids()).toHaveLength(2);
  });
});
