// Retention on a real database, once per backend: old audit rows, finished commands, drafts no
// longer in use (with their executions) and chat state go; nothing a queue or draft transition
// still needs changes.
import type { Store } from '../nodes/shared/store/db';
import { cancelDraft, confirmDraft, createDraft, getChatContext, rememberQuestion, startEdit } from '../nodes/shared/draft/drafts';
import { InputError } from '../nodes/shared/errors';
import { claimCommands, completeCommand, enqueueCommand, failCommand, getCommand } from '../nodes/shared/queue/commands';
import { purgeOldRecords } from '../nodes/shared/operations/retention';
import { backends, useCleanStore } from './helpers/backends';
import { markDraftExecutedDirectly, rawRow, rowCounts } from './helpers/rows';

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

/**
 * An execution of the draft with the task and one subtask, last changed `ageMs` ago. Written
 * directly: the Task Executor's own tests cover how such rows come about.
 */
async function addExecution(store: Store, draftId: number, status: 'success' | 'failed', ageMs: number): Promise<number> {
  return store.transaction(async (tx) => {
    const row = await tx.get<{ id: number }>(
      `INSERT INTO executions (draft_id, user_id, status, task_list_id, marker, created_at, updated_at, executed_at)
       VALUES (?, ?, ?, '@default', 'da:e', ${tx.nowMs} - ?, ${tx.nowMs} - ?, ${tx.nowMs} - ?) RETURNING id`,
      [draftId, USER, status, ageMs, ageMs, ageMs],
    );
    const id = Number(row!.id);
    for (const seq of [0, 1]) {
      await tx.run(
        `INSERT INTO execution_items (execution_id, seq, title, marker, status, remote_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'created', ?, ${tx.nowMs} - ?, ${tx.nowMs} - ?)`,
        [id, seq, `item ${seq}`, `[da:e${id}.${seq}]`, `remote-${id}-${seq}`, ageMs, ageMs],
      );
    }
    return id;
  });
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
  await markDraftExecutedDirectly(store, oldExecuted.id, USER);
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

  it('deletes commands finished before the cutoff; unfinished and recent ones stay, and recent keys still dedupe', async () => {
    const { commands } = await makeSelection(ctx.store);
    const untouched = await snapshot(ctx.store, 'commands', {
      recentCompleted: commands.recentCompleted,
      oldFailed: commands.oldFailed,
      oldProcessing: commands.oldProcessing,
      oldPending: commands.oldPending,
    });

    const result = await purgeOldRecords(ctx.store);
    expect(result.commandsDeleted).toBe(2);
    expect(await getCommand(ctx.store, commands.oldCompleted.id)).toBeUndefined();
    expect(await getCommand(ctx.store, commands.oldDead.id)).toBeUndefined();
    expect(
      await snapshot(ctx.store, 'commands', {
        recentCompleted: commands.recentCompleted,
        oldFailed: commands.oldFailed,
        oldProcessing: commands.oldProcessing,
        oldPending: commands.oldPending,
      }),
    ).toEqual(untouched);
    // A redelivered update (Telegram retries for a day, not for months) is still recognised.
    expect((await enqueueCommand(ctx.store, { type: 'help', userId: USER, payload: {}, dedupeKey: commands.recentCompleted.dedupeKey })).duplicate).toBe(true);
    expect((await enqueueCommand(ctx.store, { type: 'help', userId: USER, payload: {}, dedupeKey: commands.oldCompleted.dedupeKey })).duplicate).toBe(false);
  });

  it('deletes drafts untouched since the cutoff whatever their status, with their executions and items, keeping recent ones', async () => {
    const { drafts } = await makeSelection(ctx.store);
    const { replacement, recentCancelled } = drafts;
    const oldOnes = [drafts.oldCancelled, drafts.oldSuperseded, drafts.oldExecuted, drafts.oldDrafted, drafts.oldConfirmed];
    const executed = await addExecution(ctx.store, drafts.oldExecuted.id, 'success', OLD_MS);
    const stuck = await addExecution(ctx.store, drafts.oldConfirmed.id, 'failed', OLD_MS);
    const recentExecution = await addExecution(ctx.store, replacement.id, 'success', 0);
    const before = await snapshot(ctx.store, 'drafts', { recentCancelled });

    const result = await purgeOldRecords(ctx.store);
    expect(result).toMatchObject({ draftsDeleted: oldOnes.length, executionsDeleted: 2, executionItemsDeleted: 4 });
    for (const d of oldOnes) expect(await rawRow(ctx.store, 'drafts', d.id)).toBeUndefined();
    for (const id of [executed, stuck]) {
      expect(await ctx.store.get('SELECT id FROM executions WHERE id = ?', [id])).toBeUndefined();
      expect(await ctx.store.all('SELECT id FROM execution_items WHERE execution_id = ?', [id])).toEqual([]);
    }
    // The replacement outlives the draft it replaced: only the link goes.
    expect(await rawRow(ctx.store, 'drafts', replacement.id)).toMatchObject({ status: 'drafted', supersedes_id: null });
    expect(await ctx.store.all('SELECT seq FROM execution_items WHERE execution_id = ? ORDER BY seq', [recentExecution])).toEqual([{ seq: 0 }, { seq: 1 }]);
    expect(await snapshot(ctx.store, 'drafts', { recentCancelled })).toEqual(before);
  });

  it('keeps an old draft that is still in use: an edit in progress, a queued command naming it, a recent execution', async () => {
    const { drafts } = await makeSelection(ctx.store);
    // The user tapped Edit on an old card just now.
    expect((await startEdit(ctx.store, drafts.oldDrafted.id, USER)).ok).toBe(true);
    // A Confirm of the old confirmed draft is still queued (say, waiting for Google's quota).
    const queued = (await enqueueCommand(ctx.store, { type: 'confirm_draft', userId: USER, payload: { draftId: drafts.oldConfirmed.id }, dedupeKey: 'queued-confirm' })).command;
    // The old executed draft's execution was resumed recently.
    await addExecution(ctx.store, drafts.oldExecuted.id, 'failed', 0);

    const result = await purgeOldRecords(ctx.store);
    expect(result.draftsDeleted).toBe(2);
    for (const d of [drafts.oldDrafted, drafts.oldConfirmed, drafts.oldExecuted]) expect(await rawRow(ctx.store, 'drafts', d.id)).toBeDefined();
    expect((await getChatContext(ctx.store, { userId: USER })).mode).toBe('awaiting_edit');
    const claimed = await claimCommands(ctx.store, { owner: 'w', limit: 10 });
    expect(claimed.map((c) => c.id)).toContain(queued.id);
    expect((await markDraftExecutedDirectly(ctx.store, drafts.oldConfirmed.id, USER)).status).toBe('executed');
  });

  it('unlinks a kept draft from its deleted command, and its command can no longer be found by key', async () => {
    const command = await enqueue(ctx.store, 'drafting-command');
    const claimed = await claim(ctx.store);
    const draft = await createDraft(ctx.store, { userId: USER, task: { title: 'keep me', due_date: null, subtasks: [] }, commandId: command.id });
    await completeCommand(ctx.store, { id: claimed.id, leaseToken: claimed.leaseToken });
    await backdate(ctx.store, 'commands', command.id, OLD_MS);

    expect((await purgeOldRecords(ctx.store)).commandsDeleted).toBe(1);
    expect(await rawRow(ctx.store, 'drafts', draft.id)).toMatchObject({ status: 'drafted', command_id: null });
    expect(await getCommand(ctx.store, command.id)).toBeUndefined();
  });

  it('leaves the queue working: the old failed, processing and pending commands move on with their text', async () => {
    const { commands } = await makeSelection(ctx.store);
    await purgeOldRecords(ctx.store);

    const settled = await completeCommand(ctx.store, { id: commands.oldProcessing.id, leaseToken: commands.oldProcessing.leaseToken });
    expect(settled.applied).toBe(true);
    await ctx.store.run('UPDATE commands SET run_after = run_after - 10000000 WHERE id = ?', [commands.oldFailed.id]);
    const next = await claimCommands(ctx.store, { owner: 'w', limit: 10 });
    expect(next.map((c) => c.id).sort((a, b) => a - b)).toEqual([commands.oldFailed.id, commands.oldPending.id].sort((a, b) => a - b));
    expect(next.find((c) => c.id === commands.oldPending.id)!.payload.text).toBe('text of old-pending');
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

  it('deletes /list entries and Gemini usage days older than the retention period', async () => {
    await enqueue(ctx.store, 'a user row for the list entries');
    const now = Date.now();
    for (const [remoteId, createdAt] of [['old-task', now - OLD_MS], ['new-task', now]] as const) {
      await ctx.store.run(
        "INSERT INTO listed_tasks (user_id, task_list_id, remote_id, title, created_at, updated_at) VALUES (?, '@default', ?, ?, ?, ?)",
        [USER, remoteId, remoteId, createdAt, createdAt],
      );
    }
    for (const day of ['2020-01-01', new Date(now).toISOString().slice(0, 10)]) {
      await ctx.store.run("INSERT INTO gemini_usage (day, user_id, step, model, calls, updated_at) VALUES (?, ?, 'intent', 'gemini-test', 1, ?)", [day, USER, now]);
    }
    const result = await purgeOldRecords(ctx.store);
    expect(result).toMatchObject({ listedTasksDeleted: 1, geminiUsageDaysDeleted: 1 });
    expect((await ctx.store.all<{ remote_id: string }>('SELECT remote_id FROM listed_tasks')).map((r) => r.remote_id)).toEqual(['new-task']);
    expect((await ctx.store.all<{ day: string }>('SELECT day FROM gemini_usage')).map((r) => r.day)).toEqual([new Date(now).toISOString().slice(0, 10)]);
  });

  it("deletes an old event draft with its record of the Google Calendar event, keeping a recent one's", async () => {
    const event = { title: 'Dinner', all_day: false, start: '2026-12-03T19:00', end: '2026-12-03T20:00', time_zone: 'Europe/Berlin' };
    const ids: number[] = [];
    for (const name of ['old', 'new']) {
      const draft = await createDraft(ctx.store, { userId: USER, task: { ...event, title: name }, draftType: 'event' });
      await ctx.store.run(
        `INSERT INTO event_executions (draft_id, user_id, calendar_id, event_id, status, created_at, updated_at) VALUES (?, ?, 'primary', ?, 'created', 0, 0)`,
        [draft.id, USER, `event${draft.id}0000`],
      );
      ids.push(draft.id);
    }
    await backdate(ctx.store, 'drafts', ids[0], OLD_MS);
    const result = await purgeOldRecords(ctx.store);
    expect(result.draftsDeleted).toBe(1);
    expect((await ctx.store.all<{ draft_id: number }>('SELECT draft_id FROM event_executions')).map((r) => Number(r.draft_id))).toEqual([ids[1]]);
  });

  it('purging twice changes nothing the second time, apart from its own audit row', async () => {
    await makeSelection(ctx.store);
    await purgeOldRecords(ctx.store);
    const commands = await ctx.store.all('SELECT * FROM commands ORDER BY id');
    const drafts = await ctx.store.all('SELECT * FROM drafts ORDER BY id');
    const second = await purgeOldRecords(ctx.store);
    expect(second).toMatchObject({ auditRowsDeleted: 0, commandsDeleted: 0, draftsDeleted: 0, executionsDeleted: 0, executionItemsDeleted: 0, chatStatesDeleted: 0 });
    expect(await ctx.store.all('SELECT * FROM commands ORDER BY id')).toEqual(commands);
    expect(await ctx.store.all('SELECT * FROM drafts ORDER BY id')).toEqual(drafts);
  });

  it('records what it purged in the audit log', async () => {
    await makeSelection(ctx.store);
    const result = await purgeOldRecords(ctx.store, { days: 30 });
    const row = await ctx.store.get<{ details_json: string; entity_type: string }>("SELECT * FROM audit_log WHERE action = 'records_purged'");
    expect(row!.entity_type).toBe('database');
    expect(JSON.parse(row!.details_json)).toEqual(result);
    expect(result).toMatchObject({ days: 30, commandsDeleted: 2, draftsDeleted: 5 });
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
