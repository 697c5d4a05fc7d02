// Retention on a real database, once per backend: old audit rows go, message text in long-finished
// commands and never-created drafts goes, and nothing a queue or draft transition needs changes.
import type { Store } from '../nodes/shared/db';
import { cancelDraft, confirmDraft, createDraft, getChatContext, markExecuted, rememberQuestion } from '../nodes/shared/drafts';
import { InputError } from '../nodes/shared/errors';
import { claimCommands, completeCommand, enqueueCommand, failCommand, getCommand } from '../nodes/shared/queue';
import { PURGED_DRAFT_JSON, purgeOldRecords } from '../nodes/shared/retention';
import { backends, useCleanStore } from './helpers/backends';
import { rawRow, rowCounts } from './helpers/rows';

const USER = 'telegram:3001';
const DAY_MS = 24 * 60 * 60_000;
const OLD_MS = 100 * DAY_MS;

/** Workflow A's payload for a text message, with every field that holds what the user wrote. */
function messagePayload(text: string) {
  return {
    text,
    chatId: '3001',
    messageId: 77,
    timezone: 'Europe/Berlin',
    draftId: null,
    previousDraft: { title: 'earlier idea', subtasks: [] },
    previousMessageId: null,
    question: 'Which day?',
    originalText: 'call the dentist',
    intent: 'create_task',
    parameters: { title: text },
    reply: null,
    intentFailure: null,
  };
}

async function enqueue(store: Store, key: string) {
  return (await enqueueCommand(store, { type: 'draft_task_from_text', userId: USER, payload: messagePayload(`text of ${key}`), dedupeKey: key })).command;
}

async function claim(store: Store) {
  const [command] = await claimCommands(store, { owner: 'w', limit: 1, leaseMs: 60_000 });
  return command;
}

/** Moves a row's times back, as if it had been written and finished that long ago. */
async function backdate(store: Store, table: 'commands' | 'drafts', id: number, ms: number) {
  const extra = table === 'commands' ? ', finished_at = finished_at - ?, created_at = created_at - ?' : ', created_at = created_at - ?';
  const params = table === 'commands' ? [ms, ms, ms, id] : [ms, ms, id];
  await store.run(`UPDATE ${table} SET updated_at = updated_at - ?${extra} WHERE id = ?`, params);
  await store.run(`UPDATE audit_log SET timestamp = timestamp - ? WHERE entity_type = ? AND entity_id = ?`, [ms, table.slice(0, -1), String(id)]);
}

/** Commands and drafts in every state, half of the finished ones 100 days old. */
async function makeSelection(store: Store) {
  const oldCompleted = await enqueue(store, 'old-completed');
  const c1 = await claim(store);
  await completeCommand(store, { id: c1.id, leaseToken: c1.leaseToken, result: { draftId: 1 } });
  const oldDead = await enqueue(store, 'old-dead');
  const c2 = await claim(store);
  await failCommand(store, { id: c2.id, leaseToken: c2.leaseToken, error: 'bad request', retryable: false });
  const recentCompleted = await enqueue(store, 'recent-completed');
  const c3 = await claim(store);
  await completeCommand(store, { id: c3.id, leaseToken: c3.leaseToken });
  // Unfinished work, however old, keeps what it needs to run.
  const oldFailed = await enqueue(store, 'old-failed');
  const c4 = await claim(store);
  await failCommand(store, { id: c4.id, leaseToken: c4.leaseToken, error: 'timeout', retryable: true, jitter: 0 });
  const oldProcessing = await enqueue(store, 'old-processing');
  const processing = await claim(store);
  const oldPending = await enqueue(store, 'old-pending');
  for (const c of [oldCompleted, oldDead, oldFailed, oldProcessing, oldPending]) await backdate(store, 'commands', c.id, OLD_MS);

  const task = (title: string) => ({ title, due_date: '2026-12-01', notes: `notes of ${title}`, subtasks: [{ title: 'step' }] });
  const oldCancelled = await createDraft(store, { userId: USER, task: task('old cancelled') });
  await cancelDraft(store, oldCancelled.id, USER);
  const oldSuperseded = await createDraft(store, { userId: USER, task: task('old superseded') });
  const replacement = await createDraft(store, { userId: USER, task: task('replacement'), supersedesId: oldSuperseded.id });
  const oldExecuted = await createDraft(store, { userId: USER, task: task('old executed') });
  await confirmDraft(store, oldExecuted.id, USER);
  await markExecuted(store, oldExecuted.id, USER);
  const oldDrafted = await createDraft(store, { userId: USER, task: task('old drafted') });
  const oldConfirmed = await createDraft(store, { userId: USER, task: task('old confirmed') });
  await confirmDraft(store, oldConfirmed.id, USER);
  const recentCancelled = await createDraft(store, { userId: USER, task: task('recent cancelled') });
  await cancelDraft(store, recentCancelled.id, USER);
  for (const d of [oldCancelled, oldSuperseded, oldExecuted, oldDrafted, oldConfirmed]) await backdate(store, 'drafts', d.id, OLD_MS);

  return {
    commands: { oldCompleted, oldDead, recentCompleted, oldFailed, oldProcessing: { ...oldProcessing, leaseToken: processing.leaseToken }, oldPending },
    drafts: { oldCancelled, oldSuperseded, replacement, oldExecuted, oldDrafted, oldConfirmed, recentCancelled },
  };
}

async function snapshot(store: Store, table: 'commands' | 'drafts', ids: Record<string, { id: number }>) {
  const rows: Record<string, unknown> = {};
  for (const [name, { id }] of Object.entries(ids)) rows[name] = await rawRow(store, table, id);
  return rows;
}

describe.each(backends)('retention purge (%s)', (backend) => {
  const ctx = useCleanStore(backend);

  it('deletes audit rows older than the retention period and keeps newer ones', async () => {
    const { commands } = await makeSelection(ctx.store);
    const cutoffMs = 90 * DAY_MS;
    const olderBefore = await ctx.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM audit_log WHERE timestamp < ${ctx.store.nowMs} - ?`, [cutoffMs]);
    const totalBefore = (await rowCounts(ctx.store)).audit_log;
    expect(Number(olderBefore!.n)).toBeGreaterThan(0);

    const result = await purgeOldRecords(ctx.store, { days: 90 });
    expect(result.auditRowsDeleted).toBe(Number(olderBefore!.n));
    const left = await ctx.store.all<{ action: string; entity_id: string | null }>("SELECT action, entity_id FROM audit_log WHERE entity_type IN ('command', 'database') ORDER BY id");
    // The recent command's trail stays, plus the purge's own row.
    expect(left.filter((r) => r.entity_id === String(commands.recentCompleted.id)).map((r) => r.action)).toEqual([
      'command_created',
      'command_claimed',
      'command_executed',
    ]);
    const oldTrail = await ctx.store.all("SELECT action FROM audit_log WHERE entity_type = 'command' AND entity_id = ?", [String(commands.oldCompleted.id)]);
    expect(oldTrail).toEqual([]);
    expect(left.at(-1)!.action).toBe('records_purged');
    expect((await rowCounts(ctx.store)).audit_log).toBe(totalBefore - result.auditRowsDeleted + 1);
  });

  it('removes message text from commands finished before the cutoff, keeping ids, chat and intent', async () => {
    const { commands } = await makeSelection(ctx.store);
    const untouched = await snapshot(ctx.store, 'commands', {
      recentCompleted: commands.recentCompleted,
      oldFailed: commands.oldFailed,
      oldProcessing: commands.oldProcessing,
      oldPending: commands.oldPending,
    });

    const result = await purgeOldRecords(ctx.store);
    expect(result.commandsPurged).toBe(2);
    for (const c of [commands.oldCompleted, commands.oldDead]) {
      const purged = (await getCommand(ctx.store, c.id))!;
      expect(purged.payload).toEqual({ chatId: '3001', messageId: 77, timezone: 'Europe/Berlin', draftId: null, previousMessageId: null, intent: 'create_task', intentFailure: null });
      expect(purged).toMatchObject({ status: c.id === commands.oldCompleted.id ? 'completed' : 'dead', dedupeKey: c.dedupeKey });
    }
    expect(
      await snapshot(ctx.store, 'commands', {
        recentCompleted: commands.recentCompleted,
        oldFailed: commands.oldFailed,
        oldProcessing: commands.oldProcessing,
        oldPending: commands.oldPending,
      }),
    ).toEqual(untouched);
  });

  it('blanks drafts that never became a task, and keeps executed, undecided and recent drafts as they are', async () => {
    const { drafts } = await makeSelection(ctx.store);
    const { oldCancelled, oldSuperseded, ...kept } = drafts;
    const before = await snapshot(ctx.store, 'drafts', kept);

    const result = await purgeOldRecords(ctx.store);
    expect(result.draftsPurged).toBe(2);
    for (const d of [oldCancelled, oldSuperseded]) {
      const row = (await rawRow(ctx.store, 'drafts', d.id))!;
      expect(JSON.parse(String(row.draft_json))).toEqual(JSON.parse(PURGED_DRAFT_JSON));
    }
    expect((await rawRow(ctx.store, 'drafts', oldCancelled.id))!.status).toBe('cancelled');
    expect(await snapshot(ctx.store, 'drafts', kept)).toEqual(before);
  });

  it('leaves the queue and the drafts working: the old failed, processing and pending commands and the undecided drafts move on', async () => {
    const { commands, drafts } = await makeSelection(ctx.store);
    await purgeOldRecords(ctx.store);

    const settled = await completeCommand(ctx.store, { id: commands.oldProcessing.id, leaseToken: commands.oldProcessing.leaseToken });
    expect(settled.applied).toBe(true);
    await ctx.store.run('UPDATE commands SET run_after = run_after - 10000000 WHERE id = ?', [commands.oldFailed.id]);
    const next = await claimCommands(ctx.store, { owner: 'w', limit: 10 });
    expect(next.map((c) => c.id).sort((a, b) => a - b)).toEqual([commands.oldFailed.id, commands.oldPending.id].sort((a, b) => a - b));
    expect(next.find((c) => c.id === commands.oldPending.id)!.payload.text).toBe('text of old-pending');
    expect((await confirmDraft(ctx.store, drafts.oldDrafted.id, USER)).ok).toBe(true);
    await markExecuted(ctx.store, drafts.oldConfirmed.id, USER);
  });

  it('deletes clarification state older than the retention period', async () => {
    await rememberQuestion(ctx.store, { userId: USER, question: 'Which dentist?', originalText: 'call the dentist' });
    await rememberQuestion(ctx.store, { userId: 'telegram:3002', question: 'When?', originalText: 'pay rent' });
    await ctx.store.run('UPDATE chat_state SET created_at = created_at - ?, expires_at = expires_at - ? WHERE user_id = ?', [OLD_MS, OLD_MS, USER]);
    const result = await purgeOldRecords(ctx.store);
    expect(result.chatStatesDeleted).toBe(1);
    expect((await getChatContext(ctx.store, { userId: 'telegram:3002' })).question).toBe('When?');
    expect((await getChatContext(ctx.store, { userId: USER })).question).toBeNull();
  });

  it('purging twice changes nothing the second time, apart from its own audit row', async () => {
    await makeSelection(ctx.store);
    await purgeOldRecords(ctx.store);
    const commands = await ctx.store.all('SELECT * FROM commands ORDER BY id');
    const drafts = await ctx.store.all('SELECT * FROM drafts ORDER BY id');
    const second = await purgeOldRecords(ctx.store);
    expect(second).toMatchObject({ auditRowsDeleted: 0, commandsPurged: 0, draftsPurged: 0, chatStatesDeleted: 0 });
    expect(await ctx.store.all('SELECT * FROM commands ORDER BY id')).toEqual(commands);
    expect(await ctx.store.all('SELECT * FROM drafts ORDER BY id')).toEqual(drafts);
  });

  it('records what it purged in the audit log', async () => {
    await makeSelection(ctx.store);
    const result = await purgeOldRecords(ctx.store, { days: 30 });
    const row = await ctx.store.get<{ details_json: string; entity_type: string }>("SELECT * FROM audit_log WHERE action = 'records_purged'");
    expect(row!.entity_type).toBe('database');
    expect(JSON.parse(row!.details_json)).toEqual(result);
    expect(result).toMatchObject({ days: 30, commandsPurged: 2, draftsPurged: 2 });
    expect(Date.parse(result.cutoff)).toBeLessThan(Date.now() - 29 * DAY_MS);
  });

  it.each([
    ['zero days', 0],
    ['a retention that is not a number', Number('forever')],
  ])('refuses %s and deletes nothing', async (_name, days) => {
    await makeSelection(ctx.store);
    const before = await rowCounts(ctx.store);
    const attempt = purgeOldRecords(ctx.store, { days });
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(/^Retention must be at least 1 day/);
    expect(await rowCounts(ctx.store)).toEqual(before);
  });
});
