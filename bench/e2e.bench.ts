// End-to-end benchmark (issue 5): the whole assistant in real n8n 2.40.7 against zero-latency
// emulators, next to two references measured or computed in the same run:
//   * the floor: what n8n itself costs on this machine for a minimal published pipeline
//     (Telegram Trigger → one community node → Execute Workflow (wait) of a published
//     sub-workflow → Telegram reply), on a second emulated bot in the same n8n instance;
//   * a literal 10-second poll: one command per poll (the simplest reading of the design).
// Prints message→draft p50/p95, confirm→task p50/p95, burst drafts/s (200 messages from 20
// users), CPU of n8n per message, zero-lost/zero-duplicated counts, and the goals as ratios.
//
// Run:   npm run bench:e2e                    (builds, then runs the 'recommended' n8n settings)
//        node -r ./scripts/register-ts.js bench/e2e.bench.ts [--profiles=recommended,defaults]
//             [--sequential=30] [--burst=200] [--users=20] [--diagnose] [--out=bench/results/e2e-latest.json]
//             [--prototype=claim-one,no-got-it,executor-in-router]   (proposed workflow changes, bench/e2e.workflows.ts)
//        (env: BENCH_E2E_PROFILES, BENCH_E2E_PROTOTYPE, BENCH_E2E_DIAGNOSE=1 do the same through npm; see bench/e2e.md)
// Profiles are n8n settings (environment); each runs on its own fresh n8n. --diagnose also lists
// the executions n8n saved (it needs a profile that saves successful executions, e.g. 'defaults').
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore, type Store } from '../nodes/shared/store/db';
// Before playground/stack: it wraps the workflow generator (--prototype).
import { appliedNotes, selectPrototypes } from './e2e.workflows';
import { OWNER_TELEGRAM_ID, ROOT, startStack, type Stack, type WorkflowIds } from '../playground/stack';

/** The workflows' ids in the stack this run started (setup gives them per installation). */
let WORKFLOW_IDS: WorkflowIds;
import { TelegramEmulator, type ChatHistoryEntry } from '../emulators/telegram';
import { type ExecutionSummary, freePort, type N8nClient, type WorkflowJson } from '../n8n/instance';
import { type CpuProfile, Inspector, type ProfileSummary, summarise, writeProfile } from './cpuProfile';

// ---------------------------------------------------------------- settings

/** n8n settings measured; 'recommended' is what the README recommends. */
const PROFILES: Record<string, { description: string; env: Record<string, string> }> = {
  defaults: { description: "n8n's defaults (every execution saved)", env: {} },
  lazy: {
    description: "n8n's defaults + N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (every execution saved, so --diagnose works)",
    env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
  },
  recommended: {
    description: 'README: no data saved for successful or manual executions, errors kept',
    env: {
      EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
      EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
      EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
      EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
    },
  },
  'recommended+lazy': {
    description: 'recommended + N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (an expression isolate only when an expression runs)',
    env: {
      EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
      EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
      EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
      EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
      N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
    },
  },
  'recommended+concurrency10': {
    description: 'recommended + N8N_CONCURRENCY_PRODUCTION_LIMIT=10',
    env: {
      EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
      EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
      EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
      EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
      N8N_CONCURRENCY_PRODUCTION_LIMIT: '10',
    },
  },
  'recommended+concurrency4': {
    description: 'recommended + N8N_CONCURRENCY_PRODUCTION_LIMIT=4',
    env: {
      EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
      EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
      EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
      EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
      N8N_CONCURRENCY_PRODUCTION_LIMIT: '4',
    },
  },
  'recommended+pool4': {
    description: 'recommended + DB_SQLITE_POOL_SIZE=4 (WAL, n8n database only)',
    env: {
      EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
      EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
      EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
      EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
      DB_SQLITE_POOL_SIZE: '4',
    },
  },
};

// A literal 10-second poll: a Schedule Trigger every 10 s that takes ONE command per run.
const LITERAL_POLL_SECONDS = 10;
const LITERAL_COMMANDS_PER_POLL = 1;

// The goals (issue 13), as ratios against the floor measured in the same run. Three executions
// per message (A → B → D) against the floor's two put the architecture's own limit near 1.5×.
const GOAL_P50_RATIO = 1.5; // p50 message→draft ≤ 1.5 × floor p50
const GOAL_CONFIRM_P50_RATIO = 1.5; // p50 confirm→"Task created" ≤ 1.5 × floor p50
const GOAL_THROUGHPUT_RATIO = 0.67; // burst drafts/s ≥ 0.67 × floor replies/s
const GOAL_CPU_RATIO = 1.5; // n8n main-process CPU per message (burst) ≤ 1.5 × the floor's

// ---------------------------------------------------------------- arguments

function argument(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const found = process.argv.slice(2).find((a) => a.startsWith(prefix));
  return found ? found.slice(prefix.length) : fallback;
}
const flag = (name: string) => process.argv.slice(2).includes(`--${name}`);

const profileNames = argument('profiles', process.env.BENCH_E2E_PROFILES ?? 'recommended').split(',').filter(Boolean);
const SEQUENTIAL = Number(argument('sequential', '30'));
const BURST = Number(argument('burst', '200'));
const USERS = Number(argument('users', '20'));
const DIAGNOSE = flag('diagnose') || process.env.BENCH_E2E_DIAGNOSE === '1';
// --cpu-profile=DIR: n8n runs with its inspector open, and each burst is CPU-profiled (raw profiles written to DIR).
const CPU_PROFILE_DIR = argument('cpu-profile', '');
const PROTOTYPE_NAMES = argument('prototype', process.env.BENCH_E2E_PROTOTYPE ?? '').split(',').filter(Boolean);
selectPrototypes(PROTOTYPE_NAMES);
const OUT = path.resolve(ROOT, argument('out', 'bench/results/e2e-latest.json'));
const WARM_UP = 5;
for (const name of profileNames) if (!PROFILES[name]) throw new Error(`unknown profile ${name}; known: ${Object.keys(PROFILES).join(', ')}`);

// Bench users: ours and the floor's bot use the same ids (different bots, so different chats).
// Workflow A limits each user to 20 commands a minute, so the sequential phase takes turns
// among SEQ_USERS users (a few messages each per minute), as would separate people.
const BURST_USERS = Array.from({ length: USERS }, (_, i) => 5_100_001 + i);
const SEQ_USERS = [OWNER_TELEGRAM_ID, ...Array.from({ length: 11 }, (_, i) => 5_200_001 + i)];
let seqTurn = 0;
const nextSeqUser = () => SEQ_USERS[seqTurn++ % SEQ_USERS.length];

// ---------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const stats = (values: number[]) => ({
  n: values.length,
  p50: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
  mean: round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)),
  max: round(Math.max(...values)),
});

const buttonsOf = (m: ChatHistoryEntry) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');
// A task card: Confirm / Edit / Cancel, and since Workflow C a second row with 📅 Event.
const isCard = (m: ChatHistoryEntry) => m.sender === 'bot' && /Task Draft/.test(m.text ?? '') && ['confirm:', 'edit:', 'cancel:'].every((prefix) => buttonsOf(m).some((d) => d.startsWith(prefix)));

// ---------------------------------------------------------------- CPU of n8n (main process and its children)

const CLOCK_TICKS = 100; // USER_HZ on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  ticks: number; // utime + stime
  childTicks: number; // cutime + cstime (reaped children)
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); utime is field 14 → index 11.
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), childTicks: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return undefined;
  }
}

/** CPU seconds of the n8n main process, and of it plus its live and reaped children (task runner). */
function n8nCpu(mainPid: number): { mainS: number; treeS: number } {
  const all = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readStat(Number(d))).filter((s): s is ProcStat => !!s);
  const byParent = new Map<number, ProcStat[]>();
  for (const s of all) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const main = all.find((s) => s.pid === mainPid);
  if (!main) return { mainS: NaN, treeS: NaN };
  let tree = main.ticks + main.childTicks;
  const stack = [...(byParent.get(mainPid) ?? [])];
  while (stack.length > 0) {
    const s = stack.pop()!;
    tree += s.ticks + s.childTicks;
    stack.push(...(byParent.get(s.pid) ?? []));
  }
  return { mainS: main.ticks / CLOCK_TICKS, treeS: tree / CLOCK_TICKS };
}

/**
 * Expression isolates n8n has taken from its pool so far: its Prometheus counter (every profile
 * turns on N8N_METRICS). Each costs the building of a new isolate, the largest single CPU cost of
 * an execution (bench/e2e.md); under lazy acquire only an execution that runs an expression takes one.
 */
async function isolatesAcquired(ctx: Ctx): Promise<number> {
  const text = await (await fetch(`${ctx.stack.n8n.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('n8n_expression_pool_acquired_total'));
  return line ? Number(line.trim().split(/\s+/).pop()) : NaN;
}

function mainPidOf(stack: Stack): number {
  const pid = (stack.n8n as unknown as { child?: { pid?: number } }).child?.pid;
  if (!pid) throw new Error('n8n main process id not found');
  return pid;
}

// ---------------------------------------------------------------- the floor fixture

/** Adds the floor bot's credential and the two floor workflows over REST, and publishes them. */
async function publishFloor(client: N8nClient, bot: TelegramEmulator, userIds: number[]): Promise<{ main: string; sub: string }> {
  const credentialId = await client.createCredential({ name: 'Telegram floor bot (bench)', type: 'telegramApi', data: { accessToken: bot.token, baseUrl: bot.url } });
  const load = (file: string) =>
    JSON.parse(
      fs
        .readFileSync(path.join(ROOT, 'bench', 'fixtures', file), 'utf8')
        .replaceAll('__BENCH_FLOOR_TELEGRAM__', credentialId)
        .replaceAll('__BENCH_USER_IDS__', userIds.join(',')),
    ) as WorkflowJson;
  const sub = load('floor-sub.json');
  const main = load('floor-main.json');
  // The sub-workflow first: n8n refuses to publish a workflow that calls an unpublished one.
  for (const workflow of [sub, main]) {
    await client.createWorkflow(workflow);
    await client.publishWorkflow(workflow.id);
  }
  // The trigger registers its webhook asynchronously after publishing, with drop_pending_updates.
  await waitOrThrow(bot, () => bot.callsSince(0, 'setWebhook').find((c) => c.status === 200), 30_000, 'the floor bot webhook');
  return { main: main.id, sub: sub.id };
}

// ---------------------------------------------------------------- measurements

interface Ctx {
  stack: Stack;
  floorBot: TelegramEmulator;
  store: Store;
  client: N8nClient;
  mainPid: number;
  seq: number;
  /** n8n's inspector, with --cpu-profile. */
  inspector?: Inspector;
  /** When the measured sequential phase and the bursts began (epoch ms): --diagnose samples each phase's executions. */
  sequentialStartedAt?: number;
  burstStartedAt?: number;
}

async function waitOrThrow<T>(bot: TelegramEmulator, matches: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const found = await bot.waitFor(matches, timeoutMs);
  if (!found) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  return found;
}

/** Until no command is pending or processing (the executor finished all work). */
async function settled(store: Store, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await store.get<{ n: number }>("SELECT COUNT(*) AS n FROM commands WHERE status IN ('pending', 'processing')");
    if (Number(open?.n) === 0) return;
    await sleep(50);
  }
  throw new Error('commands still open after the timeout');
}

/** One floor message: message → "Floor reply to <message_id>". Milliseconds. */
async function floorOnce(ctx: Ctx, userId: number): Promise<number> {
  const started = performance.now();
  const update = ctx.floorBot.sendUserText({ userId, text: `floor ${ctx.seq++}` });
  const want = `Floor reply to ${update.message!.message_id}`;
  await waitOrThrow(ctx.floorBot, () => ctx.floorBot.history(userId).find((m) => m.sender === 'bot' && m.text === want), 30_000, want);
  return performance.now() - started;
}

/** One message to the assistant: message → its draft card. Returns the latency and the card. */
async function draftOnce(ctx: Ctx, userId: number): Promise<{ ms: number; card: ChatHistoryEntry }> {
  const n = ctx.seq++;
  const telegram = ctx.stack.telegram;
  const started = performance.now();
  telegram.sendUserText({ userId, text: `bench task ${n}: buy milk tomorrow` });
  const title = `Bench task ${n}:`;
  const card = await waitOrThrow(telegram, () => telegram.history(userId).find((m) => isCard(m) && (m.text ?? '').includes(title)), 60_000, `draft card "${title}"`);
  return { ms: performance.now() - started, card };
}

/** Confirm on a card → "Task created successfully". Milliseconds. */
async function confirmOnce(ctx: Ctx, userId: number, card: ChatHistoryEntry): Promise<number> {
  const telegram = ctx.stack.telegram;
  const data = buttonsOf(card).find((d) => d.startsWith('confirm:'))!;
  const lastSeen = Math.max(0, ...telegram.history(userId).map((m) => m.message_id));
  const started = performance.now();
  telegram.pressButton({ userId, messageId: card.message_id, data });
  await waitOrThrow(
    telegram,
    () => telegram.history(userId).find((m) => m.sender === 'bot' && m.message_id > lastSeen && /Task created successfully/.test(m.text ?? '')),
    60_000,
    `"Task created" for card ${card.message_id}`,
  );
  return performance.now() - started;
}

async function sequential(ctx: Ctx) {
  log(`warm-up (${WARM_UP} floor messages, ${WARM_UP} drafts + confirms)`);
  for (let i = 0; i < WARM_UP; i++) await floorOnce(ctx, nextSeqUser());
  for (let i = 0; i < WARM_UP; i++) {
    const user = nextSeqUser();
    const { card } = await draftOnce(ctx, user);
    await settled(ctx.store);
    await confirmOnce(ctx, user, card);
    await settled(ctx.store);
  }
  await sleep(500);

  // Floor and draft samples alternate, so both see the same background load on the machine.
  log(`sequential: ${SEQUENTIAL} floor messages and ${SEQUENTIAL} drafts, alternating, one at a time`);
  ctx.sequentialStartedAt = Date.now();
  const floor: number[] = [];
  const drafts: number[] = [];
  const cards: { user: number; card: ChatHistoryEntry }[] = [];
  const cpuUsed = { floor: { mainS: 0, treeS: 0 }, draft: { mainS: 0, treeS: 0 } };
  const isolates = { floor: 0, draft: 0 };
  const addCpu = (into: { mainS: number; treeS: number }, before: { mainS: number; treeS: number }) => {
    const after = n8nCpu(ctx.mainPid);
    into.mainS += after.mainS - before.mainS;
    into.treeS += after.treeS - before.treeS;
  };
  for (let i = 0; i < SEQUENTIAL; i++) {
    let before = n8nCpu(ctx.mainPid);
    let isolatesBefore = await isolatesAcquired(ctx);
    floor.push(await floorOnce(ctx, nextSeqUser()));
    await sleep(100); // the execution finishes (and is saved) after the reply
    addCpu(cpuUsed.floor, before);
    isolates.floor += (await isolatesAcquired(ctx)) - isolatesBefore;
    const user = nextSeqUser();
    before = n8nCpu(ctx.mainPid);
    isolatesBefore = await isolatesAcquired(ctx);
    const { ms, card } = await draftOnce(ctx, user);
    drafts.push(ms);
    cards.push({ user, card });
    await settled(ctx.store); // the rest of the command's work (remember card, complete) is done
    addCpu(cpuUsed.draft, before);
    isolates.draft += (await isolatesAcquired(ctx)) - isolatesBefore;
  }
  const zero = { mainS: 0, treeS: 0 };
  const floorCpu = diffCpu(zero, cpuUsed.floor, SEQUENTIAL);
  const draftCpu = diffCpu(zero, cpuUsed.draft, SEQUENTIAL);
  log(`sequential: ${SEQUENTIAL} confirms, one at a time`);
  const confirms: number[] = [];
  const cpu = n8nCpu(ctx.mainPid);
  const isolatesBeforeConfirms = await isolatesAcquired(ctx);
  for (const { user, card } of cards) {
    confirms.push(await confirmOnce(ctx, user, card));
    await settled(ctx.store);
  }
  await sleep(100);
  const confirmCpu = diffCpu(cpu, n8nCpu(ctx.mainPid), SEQUENTIAL);
  const confirmIsolates = (await isolatesAcquired(ctx)) - isolatesBeforeConfirms;
  return {
    floorMs: stats(floor),
    draftMs: stats(drafts),
    confirmMs: stats(confirms),
    cpuPerMessageMs: { floor: floorCpu, draft: draftCpu, confirm: confirmCpu },
    isolatesPerMessage: { floor: round(isolates.floor / SEQUENTIAL, 2), draft: round(isolates.draft / SEQUENTIAL, 2), confirm: round(confirmIsolates / SEQUENTIAL, 2) },
  };
}

function diffCpu(before: { mainS: number; treeS: number }, after: { mainS: number; treeS: number }, messages: number) {
  return { main: round(((after.mainS - before.mainS) * 1000) / messages), withChildren: round(((after.treeS - before.treeS) * 1000) / messages) };
}

/** BURST messages from USERS users at once (Telegram delivers one update at a time per chat, chats in parallel). */
async function floorBurst(ctx: Ctx) {
  const bot = ctx.floorBot;
  const perUser = Math.ceil(BURST / USERS);
  const expected = new Map<string, { userId: number; sentAt: number }>();
  const cpu = n8nCpu(ctx.mainPid);
  const isolatesBefore = await isolatesAcquired(ctx);
  const started = performance.now();
  for (let round = 0; round < perUser; round++) {
    for (const userId of BURST_USERS) {
      if (expected.size >= BURST) break;
      const update = bot.sendUserText({ userId, text: `floor burst ${ctx.seq++}` });
      expected.set(`${userId}:Floor reply to ${update.message!.message_id}`, { userId, sentAt: performance.now() });
    }
  }
  const latencies = new Map<string, number>();
  const seen = () => {
    for (const userId of BURST_USERS) {
      for (const m of bot.history(userId)) {
        const key = `${userId}:${m.text}`;
        if (m.sender === 'bot' && expected.has(key) && !latencies.has(key)) latencies.set(key, performance.now() - expected.get(key)!.sentAt);
      }
    }
    return latencies.size >= expected.size ? true : undefined;
  };
  const complete = await bot.waitFor(seen, 240_000);
  const elapsedS = (performance.now() - started) / 1000;
  await sleep(1000); // executions finish after their reply
  const cpuPer = diffCpu(cpu, n8nCpu(ctx.mainPid), expected.size);
  const isolatesPerMessage = round(((await isolatesAcquired(ctx)) - isolatesBefore) / expected.size, 2);
  // Exactly one reply per message.
  let replies = 0;
  const counts = new Map<string, number>();
  for (const userId of BURST_USERS) {
    for (const m of bot.history(userId)) {
      if (m.sender !== 'bot' || !/^Floor reply to/.test(m.text ?? '')) continue;
      const key = `${userId}:${m.text}`;
      if (!expected.has(key)) continue;
      replies++;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return {
    messages: expected.size,
    users: USERS,
    completed: !!complete,
    seconds: round(elapsedS, 2),
    repliesPerSecond: round(expected.size / elapsedS, 2),
    latencyMs: stats([...latencies.values()]),
    replies,
    lost: expected.size - counts.size,
    duplicated: [...counts.values()].filter((c) => c > 1).length,
    cpuPerMessageMs: cpuPer,
    isolatesPerMessage,
  };
}

async function oursBurst(ctx: Ctx) {
  const telegram = ctx.stack.telegram;
  const perUser = Math.ceil(BURST / USERS);
  const sent = new Map<string, { userId: number; updateId: number; sentAt: number }>(); // by card title
  await settled(ctx.store);
  const cpu = n8nCpu(ctx.mainPid);
  const isolatesBefore = await isolatesAcquired(ctx);
  const started = performance.now();
  for (let round = 0; round < perUser; round++) {
    for (const userId of BURST_USERS) {
      if (sent.size >= BURST) break;
      const n = ctx.seq++;
      const update = telegram.sendUserText({ userId, text: `bench task ${n}: buy milk tomorrow` });
      sent.set(`Bench task ${n}:`, { userId, updateId: update.update_id, sentAt: performance.now() });
    }
  }
  const latencies = new Map<string, number>();
  const titleOf = (text: string) => /Bench task \d+:/.exec(text)?.[0];
  const seen = () => {
    for (const userId of BURST_USERS) {
      for (const m of telegram.history(userId)) {
        if (!isCard(m)) continue;
        const title = titleOf(m.text ?? '');
        if (title && sent.has(title) && !latencies.has(title)) latencies.set(title, performance.now() - sent.get(title)!.sentAt);
      }
    }
    return latencies.size >= sent.size ? true : undefined;
  };
  const complete = await telegram.waitFor(seen, 300_000);
  const elapsedS = (performance.now() - started) / 1000;
  await settled(ctx.store, 120_000);
  const settledS = (performance.now() - started) / 1000;
  await sleep(1000);
  const cpuPer = diffCpu(cpu, n8nCpu(ctx.mainPid), sent.size);
  const isolatesPerMessage = round(((await isolatesAcquired(ctx)) - isolatesBefore) / sent.size, 2);

  // Zero lost, zero duplicated: one command per update (dedupe key), one draft per command,
  // one card per message in the chat, one "Got it" per message.
  const keys = [...sent.values()].map((s) => `telegram:${WORKFLOW_IDS.router}:${s.updateId}`);
  const commands = await ctx.store.all<{ id: number; dedupe_key: string; status: string; type: string; attempts: number }>(
    `SELECT id, dedupe_key, status, type, attempts FROM commands WHERE dedupe_key IN (${keys.map(() => '?').join(',')})`,
    keys,
  );
  const commandsPerKey = new Map<string, number>();
  for (const c of commands) commandsPerKey.set(c.dedupe_key, (commandsPerKey.get(c.dedupe_key) ?? 0) + 1);
  const ids = commands.map((c) => c.id);
  const drafts = ids.length
    ? await ctx.store.all<{ command_id: number; n: number }>(
        `SELECT command_id, COUNT(*) AS n FROM drafts WHERE command_id IN (${ids.map(() => '?').join(',')}) GROUP BY command_id`,
        ids,
      )
    : [];
  const cardCounts = new Map<string, number>();
  let gotIt = 0;
  for (const userId of BURST_USERS) {
    for (const m of telegram.history(userId)) {
      if (m.sender === 'bot' && m.text === 'Got it! Working on it... ⚙️') gotIt++;
      if (!isCard(m)) continue;
      const title = titleOf(m.text ?? '');
      if (title && sent.has(title)) cardCounts.set(title, (cardCounts.get(title) ?? 0) + 1);
    }
  }
  const statusCounts: Record<string, number> = {};
  for (const c of commands) statusCounts[c.status] = (statusCounts[c.status] ?? 0) + 1;
  // More than one attempt means a claim's lease ran out and another executor claimed it again.
  const attemptCounts: Record<string, number> = {};
  for (const c of commands) attemptCounts[String(c.attempts)] = (attemptCounts[String(c.attempts)] ?? 0) + 1;
  // Per message: lost = no command, no draft or no card; duplicated = more than one of any.
  const draftsPerCommand = new Map(drafts.map((d) => [Number(d.command_id), Number(d.n)]));
  const commandIdByKey = new Map(commands.map((c) => [c.dedupe_key, Number(c.id)]));
  let messagesLost = 0;
  let messagesDuplicated = 0;
  for (const [title, s] of sent) {
    const key = `telegram:${WORKFLOW_IDS.router}:${s.updateId}`;
    const commandId = commandIdByKey.get(key);
    const draftCount = commandId === undefined ? 0 : (draftsPerCommand.get(commandId) ?? 0);
    const cardCount = cardCounts.get(title) ?? 0;
    if (commandId === undefined || draftCount === 0 || cardCount === 0) messagesLost++;
    else if ((commandsPerKey.get(key) ?? 0) > 1 || draftCount > 1 || cardCount > 1) messagesDuplicated++;
  }
  return {
    messages: sent.size,
    users: USERS,
    completed: !!complete,
    seconds: round(elapsedS, 2),
    draftsPerSecond: round(sent.size / elapsedS, 2),
    settledSeconds: round(settledS, 2),
    latencyMs: stats([...latencies.values()]),
    commands: commands.length,
    commandStatus: statusCounts,
    commandsByAttempts: attemptCounts,
    commandsLost: keys.filter((k) => !commandsPerKey.has(k)).length,
    commandsDuplicated: [...commandsPerKey.values()].filter((n) => n > 1).length,
    draftRows: drafts.reduce((a, d) => a + Number(d.n), 0),
    commandsWithoutDraft: ids.length - drafts.length,
    commandsWithSeveralDrafts: drafts.filter((d) => Number(d.n) > 1).length,
    cards: [...cardCounts.values()].reduce((a, b) => a + b, 0),
    messagesWithoutCard: sent.size - cardCounts.size,
    messagesWithSeveralCards: [...cardCounts.values()].filter((n) => n > 1).length,
    gotItReplies: gotIt,
    messagesLost,
    messagesDuplicated,
    cpuPerMessageMs: cpuPer,
    isolatesPerMessage,
  };
}

// ---------------------------------------------------------------- diagnosis: where the time goes

async function listAll(client: N8nClient, workflowId: string, max = 2000): Promise<{ count: number; results: ExecutionSummary[] }> {
  const results: ExecutionSummary[] = [];
  let count = 0;
  let lastId: string | undefined;
  // n8n caps a page (at 100 in 2.40, whatever the limit asked), so page on until the count is reached.
  while (results.length < max) {
    const filter = encodeURIComponent(JSON.stringify({ workflowId }));
    const page = await client.rest<{ count: number; results: ExecutionSummary[] }>(
      'GET',
      `/executions?filter=${filter}&limit=250${lastId ? `&lastId=${lastId}` : ''}`,
    );
    count = page.count;
    results.push(...page.results);
    if (page.results.length === 0 || results.length >= count) break;
    lastId = page.results[page.results.length - 1].id;
  }
  return { count, results };
}

async function diagnose(ctx: Ctx, floorIds: { main: string; sub: string }, messagesSent: number) {
  const names: Record<string, string> = {
    [WORKFLOW_IDS.router]: 'A router',
    [WORKFLOW_IDS.executor]: 'B executor',
    [WORKFLOW_IDS.drafting]: 'D drafting',
    [WORKFLOW_IDS.confirmation]: 'E confirmation',
    [WORKFLOW_IDS.errors]: 'error notifier',
    [floorIds.main]: 'floor main',
    [floorIds.sub]: 'floor sub',
  };
  const perWorkflow: Record<string, unknown> = {};
  const nodeTimes: Record<string, Record<string, Record<string, number>>> = {};
  for (const [id, name] of Object.entries(names)) {
    const { count, results } = await listAll(ctx.client, id);
    const modes: Record<string, number> = {};
    for (const e of results) modes[e.mode] = (modes[e.mode] ?? 0) + 1;
    // Per phase: sequential executions run alone (node times are the nodes' own cost), burst ones
    // share the event loop with up to 40 others (node times include waiting for it).
    const inPhase = (e: ExecutionSummary, phase: 'sequential' | 'burst') => {
      const at = Date.parse(e.startedAt);
      return phase === 'burst' ? at >= ctx.burstStartedAt! : at >= ctx.sequentialStartedAt! && at < ctx.burstStartedAt!;
    };
    const durationOf = (e: ExecutionSummary) => Date.parse(e.stoppedAt!) - Date.parse(e.startedAt);
    const phaseDurations = (phase: 'sequential' | 'burst') => {
      const values = results.filter((e) => e.stoppedAt && inPhase(e, phase)).map(durationOf);
      return values.length ? stats(values) : null;
    };
    perWorkflow[name] = { executions: count, modes, durationMs: { sequential: phaseDurations('sequential'), burst: phaseDurations('burst') } };
    nodeTimes[name] = {};
    for (const phase of ['sequential', 'burst'] as const) {
      // The most recent successful executions of the phase (the list is newest first).
      const sample = results.filter((e) => e.status === 'success' && inPhase(e, phase)).slice(0, 15);
      const totals: Record<string, number[]> = {};
      for (const e of sample) {
        const details = await ctx.client.getExecution(e.id);
        for (const [node, runs] of Object.entries(details.data.resultData.runData)) {
          totals[node] = [...(totals[node] ?? []), runs.reduce((a, r) => a + (r.executionTime ?? 0), 0)];
        }
      }
      nodeTimes[name][phase] = Object.fromEntries(Object.entries(totals).map(([node, values]) => [node, round(percentile(values, 50))]));
    }
  }
  return { messagesSent, perWorkflow, nodeMedianMs: nodeTimes };
}

/** Expressions (`={{`) and nodes per shipped workflow: what n8n evaluates per execution. */
function workflowShape() {
  const shape: Record<string, { nodes: number; expressionParameters: number; codeNodes: number }> = {};
  for (const file of fs.readdirSync(path.join(ROOT, 'workflows')).filter((f) => f.endsWith('.json'))) {
    const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as WorkflowJson;
    const nodes = (workflow.nodes as { type: string; parameters: unknown }[]).filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
    shape[file] = {
      nodes: nodes.length,
      expressionParameters: nodes.reduce((a, n) => a + (JSON.stringify(n.parameters).match(/"=/g) ?? []).length, 0),
      codeNodes: nodes.filter((n) => n.type === 'n8n-nodes-base.code').length,
    };
  }
  return shape;
}

// ---------------------------------------------------------------- one profile

async function runProfile(name: string) {
  const profile = PROFILES[name];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `draft-assistant-bench-${name}-`));
  log(`profile ${name}: ${profile.description}; starting n8n (${dataDir})`);
  const startedAt = Date.now();
  // The machine may be shared: the load average says how far absolute figures are distorted.
  const loadAtStart = os.loadavg().map((l) => round(l, 2));
  const inspectorPort = CPU_PROFILE_DIR ? await freePort() : 0;
  const stack = await startStack({
    dataDir,
    allowedUserIds: [...SEQ_USERS, ...BURST_USERS],
    n8nNodeArgs: inspectorPort ? [`--inspect=127.0.0.1:${inspectorPort}`] : [],
    // Metrics on for the expression isolates' counter (isolatesAcquired), for the floor and ours alike.
    extraN8nEnv: { N8N_METRICS: 'true', ...profile.env },
    log: (line) => log(`  ${line}`),
  });
  WORKFLOW_IDS = stack.workflowIds;
  const floorBot = await new TelegramEmulator({ token: '7000000005:AABenchFloorBot', botUsername: 'draft_assistant_floor_bot' }).start();
  let store: Store | undefined;
  try {
    const client = stack.n8n.client();
    await client.login();
    await waitOrThrow(stack.telegram, () => stack.telegram.callsSince(0, 'setWebhook').find((c) => c.status === 200), 30_000, 'the router webhook');
    const floorIds = await publishFloor(client, floorBot, [...SEQ_USERS, ...BURST_USERS]);
    store = await openStore({ backend: 'sqlite', file: stack.storeFile });
    const ctx: Ctx = { stack, floorBot, store, client, mainPid: mainPidOf(stack), seq: 1, inspector: inspectorPort ? await Inspector.connect(inspectorPort) : undefined };
    const setupS = round((Date.now() - startedAt) / 1000);
    const seq = await sequential(ctx);
    log(`  floor p50 ${seq.floorMs.p50} ms, draft p50 ${seq.draftMs.p50} ms, confirm p50 ${seq.confirmMs.p50} ms`);
    ctx.burstStartedAt = Date.now();
    log(`burst: ${BURST} floor messages from ${USERS} users`);
    const cpuProfiles: Record<string, ProfileSummary> = {};
    const profiled = async <T>(phase: string, run: () => Promise<T>): Promise<T> => {
      if (!ctx.inspector) return run();
      let result: T | undefined;
      const profile: CpuProfile = await ctx.inspector.profile(async () => {
        result = await run();
      });
      writeProfile(path.join(CPU_PROFILE_DIR, `${name}-${phase}.cpuprofile`), profile);
      cpuProfiles[phase] = summarise(profile);
      return result!;
    };
    const floor = await profiled('floor-burst', () => floorBurst(ctx));
    log(`  ${floor.repliesPerSecond} replies/s`);
    log(`burst: ${BURST} messages to the assistant from ${USERS} users`);
    const ours = await profiled('ours-burst', () => oursBurst(ctx));
    log(`  ${ours.draftsPerSecond} drafts/s`);
    ctx.inspector?.close();
    const messagesSent = ctx.seq - 1;
    const diagnosis = DIAGNOSE ? await diagnose(ctx, floorIds, messagesSent) : undefined;
    const load = { atStart: loadAtStart, atEnd: os.loadavg().map((l) => round(l, 2)) };
    return {
      profile: name,
      description: profile.description,
      env: profile.env,
      load,
      workflowChanges: [...appliedNotes],
      setupSeconds: setupS,
      sequential: seq,
      burst: { floor, ours },
      diagnosis,
      ...(ctx.inspector ? { cpuProfiles } : {}),
    };
  } catch (error) {
    log(stack.n8n.logTail(40));
    const floorState = (await (await fetch(`${floorBot.url}/_control/webhook`)).json()) as unknown;
    const updates = ((await (await fetch(`${floorBot.url}/_control/updates`)).json()) as { updates: unknown[] }).updates.slice(-3);
    log(`floor bot webhook: ${JSON.stringify(floorState)}\nlast deliveries: ${JSON.stringify(updates)}\ncalls: ${JSON.stringify(floorBot.callsSince(0).slice(-5))}`);
    const failed = (await stack.n8n.client().listExecutions().catch(() => [])).filter((e) => e.status !== 'success').slice(0, 3);
    for (const e of failed) {
      const details = await stack.n8n.client().getExecution(e.id);
      log(`failed execution ${e.id} of ${e.workflowId}: ${JSON.stringify(details.data.resultData.error ?? {}).slice(0, 600)}`);
    }
    throw error;
  } finally {
    await store?.close();
    await floorBot.stop();
    await stack.stop();
    if (!process.env.BENCH_E2E_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

type ProfileResult = Awaited<ReturnType<typeof runProfile>>;

function evaluate(result: ProfileResult) {
  const { sequential: seq, burst } = result;
  const p50Ratio = seq.draftMs.p50 / seq.floorMs.p50;
  const throughputRatio = burst.ours.draftsPerSecond / burst.floor.repliesPerSecond;
  const confirmRatio = seq.confirmMs.p50 / seq.floorMs.p50;
  const cpuRatio = burst.ours.cpuPerMessageMs.main / burst.floor.cpuPerMessageMs.main;
  const lostOrDuplicated = burst.ours.messagesLost + burst.ours.messagesDuplicated;
  return {
    p50Ratio: round(p50Ratio, 2),
    confirmRatio: round(confirmRatio, 2),
    throughputRatio: round(throughputRatio, 2),
    cpuRatio: round(cpuRatio, 2),
    lostOrDuplicated,
    goals: {
      p50: { goal: `≤ ${GOAL_P50_RATIO}× floor p50`, ratio: round(p50Ratio, 2), pass: p50Ratio <= GOAL_P50_RATIO },
      confirmP50: { goal: `≤ ${GOAL_CONFIRM_P50_RATIO}× floor p50`, ratio: round(confirmRatio, 2), pass: confirmRatio <= GOAL_CONFIRM_P50_RATIO },
      cpu: { goal: `main-process CPU/msg ≤ ${GOAL_CPU_RATIO}× the floor's (burst)`, ratio: round(cpuRatio, 2), pass: cpuRatio <= GOAL_CPU_RATIO },
      throughput: { goal: `≥ ${GOAL_THROUGHPUT_RATIO}× floor replies/s`, ratio: round(throughputRatio, 2), pass: throughputRatio >= GOAL_THROUGHPUT_RATIO },
      zeroLostOrDuplicated: { goal: '0 lost, 0 duplicated', lost: burst.ours.messagesLost, duplicated: burst.ours.messagesDuplicated, pass: lostOrDuplicated === 0 && burst.ours.completed },
    },
  };
}

function literalPollReference(draftP50Ms: number) {
  // One command per poll every 10 s: 0.1 commands/s whatever the load; a message waits for the
  // next poll (0–10 s, 5 s on average) before any work starts, and a burst queues behind itself.
  const rate = LITERAL_COMMANDS_PER_POLL / LITERAL_POLL_SECONDS;
  return {
    design: `Schedule Trigger every ${LITERAL_POLL_SECONDS} s, ${LITERAL_COMMANDS_PER_POLL} command per poll`,
    commandsPerSecond: rate,
    latencyMs: { min: 0, mean: (LITERAL_POLL_SECONDS * 1000) / 2, max: LITERAL_POLL_SECONDS * 1000, plusProcessing: round(draftP50Ms) },
    burstSeconds: BURST / rate,
    lastDraftOfBurstAfterS: BURST / rate,
  };
}

function printTable(result: ProfileResult, verdict: ReturnType<typeof evaluate>, poll: ReturnType<typeof literalPollReference>) {
  const { sequential: seq, burst } = result;
  const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const rows: [string, string, string, string][] = [
    ['', 'floor (n8n itself)', 'ours', 'a literal 10 s poll'],
    ['message→reply/draft p50', `${seq.floorMs.p50} ms`, `${seq.draftMs.p50} ms`, `${poll.latencyMs.mean} ms avg wait + ${poll.latencyMs.plusProcessing} ms`],
    ['message→reply/draft p95', `${seq.floorMs.p95} ms`, `${seq.draftMs.p95} ms`, `up to ${poll.latencyMs.max} ms wait + processing`],
    ['confirm→"Task created" p50 / p95', '–', `${seq.confirmMs.p50} / ${seq.confirmMs.p95} ms`, `${poll.latencyMs.mean} ms avg wait + processing`],
    [`burst ${BURST} msgs / ${USERS} users`, `${burst.floor.repliesPerSecond} replies/s (${burst.floor.seconds} s)`, `${burst.ours.draftsPerSecond} drafts/s (${burst.ours.seconds} s)`, `${poll.commandsPerSecond} commands/s (${poll.burstSeconds} s)`],
    ['burst latency p50 / p95', `${burst.floor.latencyMs.p50} / ${burst.floor.latencyMs.p95} ms`, `${burst.ours.latencyMs.p50} / ${burst.ours.latencyMs.p95} ms`, `last message waits ${poll.lastDraftOfBurstAfterS} s`],
    ['n8n CPU per message (burst, main / +children)', `${burst.floor.cpuPerMessageMs.main} / ${burst.floor.cpuPerMessageMs.withChildren} ms`, `${burst.ours.cpuPerMessageMs.main} / ${burst.ours.cpuPerMessageMs.withChildren} ms`, '–'],
    ['n8n CPU per message (sequential)', `${seq.cpuPerMessageMs.floor.withChildren} ms`, `draft ${seq.cpuPerMessageMs.draft.withChildren} ms, confirm ${seq.cpuPerMessageMs.confirm.withChildren} ms`, '–'],
    ['expression isolates per message (seq / burst)', `${seq.isolatesPerMessage.floor} / ${burst.floor.isolatesPerMessage}`, `draft ${seq.isolatesPerMessage.draft}, confirm ${seq.isolatesPerMessage.confirm} / ${burst.ours.isolatesPerMessage}`, '–'],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join(' │ ');
  const out: string[] = [];
  out.push('', `=== profile: ${result.profile} — ${result.description}`, `    env: ${JSON.stringify(result.env)}`, `    load average (1/5/15 min) at start ${result.load.atStart.join(' ')}, at end ${result.load.atEnd.join(' ')}`);
  for (const note of result.workflowChanges) out.push(`    !! ${note}`);
  out.push('');
  out.push(line(rows[0]), widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const r of rows.slice(1)) out.push(line(r));
  out.push('');
  const o = burst.ours;
  out.push(
    `Burst integrity (ours): ${o.messages} messages → ${o.commands} commands (${JSON.stringify(o.commandStatus)}; by attempts ${JSON.stringify(o.commandsByAttempts)}), ${o.draftRows} drafts, ${o.cards} draft cards, ${o.gotItReplies} "Got it" replies;`,
    `  lost: ${o.commandsLost} without command, ${o.commandsWithoutDraft} commands without draft, ${o.messagesWithoutCard} messages without card;` +
      ` duplicated: ${o.commandsDuplicated} keys with >1 command, ${o.commandsWithSeveralDrafts} commands with >1 draft, ${o.messagesWithSeveralCards} messages with >1 card.`,
    `Burst integrity (floor): ${burst.floor.messages} messages → ${burst.floor.replies} replies; lost ${burst.floor.lost}, duplicated ${burst.floor.duplicated}.`,
    '',
    'Goals (ratios from this run):',
    `  p50 message→draft ≤ ${GOAL_P50_RATIO}× floor p50:        ${verdict.p50Ratio}×  ${pass(verdict.goals.p50.pass)}`,
    `  p50 confirm→task ≤ ${GOAL_CONFIRM_P50_RATIO}× floor p50:      ${verdict.confirmRatio}×  ${pass(verdict.goals.confirmP50.pass)}`,
    `  burst drafts/s ≥ ${GOAL_THROUGHPUT_RATIO}× floor replies/s:    ${verdict.throughputRatio}×  ${pass(verdict.goals.throughput.pass)}`,
    `  main CPU/msg ≤ ${GOAL_CPU_RATIO}× floor's (burst):       ${verdict.cpuRatio}×  ${pass(verdict.goals.cpu.pass)}`,
    `  zero lost or duplicated commands:        ${burst.ours.messagesLost} lost, ${burst.ours.messagesDuplicated} duplicated (messages)   ${pass(verdict.goals.zeroLostOrDuplicated.pass)}`,
    '',
    `A literal 10 s poll (computed, not run): a Schedule Trigger every ${LITERAL_POLL_SECONDS} s taking ${LITERAL_COMMANDS_PER_POLL} command per poll serves at most`,
    `  ${poll.commandsPerSecond} commands/s whatever n8n's speed; a message waits 0–${LITERAL_POLL_SECONDS} s (avg ${LITERAL_POLL_SECONDS / 2} s) before any work starts,`,
    `  so the last of ${BURST} burst messages is drafted after ~${poll.burstSeconds} s. Ours: ${o.draftsPerSecond} drafts/s = ${round(o.draftsPerSecond / poll.commandsPerSecond, 0)}× that poll,` +
      ` p50 ${seq.draftMs.p50} ms vs ≥ ${poll.latencyMs.mean} ms average.`,
  );
  if (result.diagnosis) {
    out.push('', `Diagnosis (executions n8n saved, ${result.diagnosis.messagesSent} messages + confirms in this run):`);
    for (const [name, info] of Object.entries(result.diagnosis.perWorkflow)) out.push(`  ${name}: ${JSON.stringify(info)}`);
    for (const phase of ['sequential', 'burst'] as const) {
      out.push(`  node medians (ms, up to 15 recent successful executions of the ${phase} phase):`);
      for (const [name, phases] of Object.entries(result.diagnosis.nodeMedianMs)) {
        const nodes = phases[phase] ?? {};
        if (Object.keys(nodes).length) out.push(`    ${name}: ${JSON.stringify(nodes)}`);
      }
    }
  }
  if (result.cpuProfiles) {
    const messages: Record<string, number> = { 'floor-burst': burst.floor.messages, 'ours-burst': o.messages };
    for (const [phase, summary] of Object.entries(result.cpuProfiles)) {
      const perMessage = (ms: number) => round(ms / messages[phase], 1);
      out.push('', `CPU profile of n8n's main thread, ${phase} (self time, idle left out): ${perMessage(summary.totalMs)} ms per message`);
      for (const { category, ms, share } of summary.byCategory) out.push(`  ${String(perMessage(ms)).padStart(6)} ms  ${String(share).padStart(5)}%  ${category}`);
      out.push('  busiest functions (ms per message):');
      for (const { fn, ms } of summary.topFunctions) out.push(`  ${String(perMessage(ms)).padStart(6)}  ${fn}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main() {
  const started = Date.now();
  const results: (ProfileResult & { verdict: ReturnType<typeof evaluate>; literalPoll: ReturnType<typeof literalPollReference> })[] = [];
  for (const name of profileNames) {
    const result = await runProfile(name);
    const verdict = evaluate(result);
    const poll = literalPollReference(result.sequential.draftMs.p50);
    printTable(result, verdict, poll);
    results.push({ ...result, verdict, literalPoll: poll });
  }
  if (results.length > 1) {
    process.stdout.write('\nSettings compared (same machine, one fresh n8n each):\n');
    for (const r of results) {
      process.stdout.write(
        `  ${r.profile.padEnd(28)} floor p50 ${String(r.sequential.floorMs.p50).padStart(6)} ms, ${String(r.burst.floor.repliesPerSecond).padStart(5)} replies/s │` +
          ` ours p50 ${String(r.sequential.draftMs.p50).padStart(6)} ms, ${String(r.burst.ours.draftsPerSecond).padStart(5)} drafts/s, confirm p50 ${r.sequential.confirmMs.p50} ms │` +
          ` CPU/msg floor ${r.burst.floor.cpuPerMessageMs.withChildren} ms, ours ${r.burst.ours.cpuPerMessageMs.withChildren} ms\n`,
      );
    }
  }
  const report = {
    benchmark: 'e2e (issue 5)',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 2 ** 30), node: process.version, n8n: '2.40.7' },
    parameters: { sequential: SEQUENTIAL, warmUp: WARM_UP, burst: BURST, users: USERS, emulators: 'zero latency (Telegram, Gemini scripted, Google Tasks)' },
    goals: { p50Ratio: GOAL_P50_RATIO, confirmP50Ratio: GOAL_CONFIRM_P50_RATIO, throughputRatio: GOAL_THROUGHPUT_RATIO, cpuRatio: GOAL_CPU_RATIO, lostOrDuplicated: 0 },
    workflowShape: workflowShape(),
    profiles: results,
    totalSeconds: round((Date.now() - started) / 1000),
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nFigures written to ${path.relative(ROOT, OUT)} (total ${report.totalSeconds} s)\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
