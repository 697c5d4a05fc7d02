// In-process cost of our nodes on the message → draft → confirm hot path (issue 13): each node's
// execute() through the node harness (test/helpers/nodeHarness.ts) against a SQLite file, per
// call after a warm-up, with the size of what it hands to the next node (n8n copies and, with
// execution saving on, serializes every node's output). n8n's own cost per node (parameter
// resolution, expressions in the sandbox, credentials, execution bookkeeping) is not in here:
// bench/e2e.bench.ts --diagnose measures it inside real n8n.
//
// Run: node -r ./scripts/register-ts.js bench/nodes.bench.ts [--iterations=300]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IDataObject, INodeType } from 'n8n-workflow';
import type * as CommandQueueModule from '../nodes/CommandQueue/CommandQueue.node';
import type * as DraftStoreModule from '../nodes/DraftStore/DraftStore.node';
import type * as GeminiIntentModule from '../nodes/GeminiIntent/GeminiIntent.node';
import type * as GeminiPlannerModule from '../nodes/GeminiPlanner/GeminiPlanner.node';
import { closeAllStores } from '../nodes/shared/store/db';
import { runNode } from '../test/helpers/nodeHarness';

const ITERATIONS = Number(process.argv.find((a) => a.startsWith('--iterations='))?.split('=')[1] ?? 300);
const WARM_UP = 20;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-nodes-bench-'));
const credentials = { draftAssistantDatabase: { backend: 'sqlite', file: path.join(dir, 'store.sqlite') } };
// With the extension: "X.node" would resolve to the codex file X.node.json first.
const queue = new (require('../nodes/CommandQueue/CommandQueue.node.ts') as typeof CommandQueueModule).CommandQueue();
const drafts = new (require('../nodes/DraftStore/DraftStore.node.ts') as typeof DraftStoreModule).DraftStore();
const intent = new (require('../nodes/GeminiIntent/GeminiIntent.node.ts') as typeof GeminiIntentModule).GeminiIntent();
const planner = new (require('../nodes/GeminiPlanner/GeminiPlanner.node.ts') as typeof GeminiPlannerModule).GeminiPlanner();

const timings = new Map<string, number[]>();
const sizes = new Map<string, number>();

async function step(name: string, node: INodeType, parameters: IDataObject, items?: IDataObject[]): Promise<IDataObject> {
  const started = performance.now();
  const [[first]] = await runNode(node, { parameters, items, credentials });
  const ms = performance.now() - started;
  timings.set(name, [...(timings.get(name) ?? []), ms]);
  sizes.set(name, JSON.stringify(first?.json ?? {}).length);
  return first.json;
}

let updateId = 1;
async function oneMessage(userId: number) {
  const update = { update_id: updateId++, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), from: { id: userId, first_name: 'Ada' }, chat: { id: userId }, text: 'buy milk tomorrow' } };
  const parsed = await step('A Parse Update', queue, { operation: 'parseUpdate', update, allowlist: String(userId) });
  await step('A Already Seen?', queue, { operation: 'lookup', dedupeKey: parsed.dedupeKey as string, rateLimit: { userId: parsed.userId as string, maxPerMinute: 1_000_000 } });
  const context = await step('A Chat Context', drafts, {
    operation: 'getContext',
    userId: parsed.userId as string,
    contextOptions: { telegramChatId: String(parsed.chatId), telegramUserId: String(parsed.telegramUserId), displayName: 'Ada', defaultTimezone: 'UTC' },
  });
  const classified = await step('A Classify Intent', intent, { text: parsed.text as string, awaitingEdit: Boolean(context.awaitingEdit), pendingQuestion: String(context.pendingQuestion ?? ''), fallback: 'always' });
  await step('A Enqueue Command', queue, {
    operation: 'enqueue',
    commandType: (classified.commandType as string) || 'draft_task_from_text',
    userId: parsed.userId as string,
    dedupeKey: parsed.dedupeKey as string,
    payload: JSON.stringify({ text: parsed.text, chatId: parsed.chatId, messageId: parsed.messageId, sentAt: parsed.sentAt, timezone: context.timezone, draftId: context.draftId ?? null }),
    options: { sourceMessageId: String(parsed.messageId), telegramChatId: String(parsed.chatId) },
  });
  const command = await step('B Claim Commands', queue, { operation: 'claim', limit: 1, leaseSeconds: 60, renewWhileRunning: false });
  const payload = command.payload as IDataObject;
  const plan = await step('D Plan Task', planner, { mode: 'create', text: payload.text as string, referenceTime: String(payload.sentAt ?? ''), timezone: 'UTC', fallback: 'always' });
  const saved = await step('D Save Draft', drafts, {
    operation: 'create',
    userId: command.userId as string,
    task: JSON.stringify(plan.draft),
    options: { chatId: String(payload.chatId), commandId: command.id as number, sourceMessageId: String(payload.messageId) },
  });
  await step('D Remember Card', drafts, { operation: 'attachMessage', draftId: saved.id as number, userId: command.userId as string, messageId: String(updateId + 100_000) });
  await step('B Complete Command', queue, { operation: 'complete', commandId: command.id as number, leaseToken: command.leaseToken as string, result: JSON.stringify({ draftId: saved.id }) });
}

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];

async function main() {
  for (let i = 0; i < WARM_UP; i++) await oneMessage(9_000_000 + (i % 20));
  timings.clear();
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) await oneMessage(9_000_000 + (i % 20));
  const totalMs = performance.now() - started;
  const rows = [...timings].map(([name, values]) => ({ node: name, p50Ms: +pct(values, 50).toFixed(3), p95Ms: +pct(values, 95).toFixed(3), outputBytes: sizes.get(name) }));
  console.table(rows);
  const sum = rows.reduce((a, r) => a + r.p50Ms, 0);
  console.log(`${ITERATIONS} messages: ${(totalMs / ITERATIONS).toFixed(2)} ms per message in our nodes (sum of p50s ${sum.toFixed(2)} ms); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await closeAllStores();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
