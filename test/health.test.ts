// The daily health report on a real database, once per backend: queue figures, the day's Gemini
// and Google Tasks calls from what the store records, database size, and the Telegram text.
import type { Store } from '../nodes/shared/store/db';
import type { IntentAuditDetails } from '../nodes/shared/contracts';
import { createDraft } from '../nodes/shared/draft/drafts';
import { InputError } from '../nodes/shared/errors';
import { GEMINI_FREE_TIER_REQUESTS_PER_DAY, GOOGLE_TASKS_QUERIES_PER_DAY, healthReport, renderHealthSummary } from '../nodes/shared/operations/health';
import { recordGeminiUsage } from '../nodes/shared/gemini/usage';
import { claimCommands, commandStats, completeCommand, enqueueCommand, failCommand } from '../nodes/shared/queue/commands';
import { backends, useCleanStore } from './helpers/backends';
import { rowCounts } from './helpers/rows';

const USER = 'telegram:2001';
const DAY_MS = 24 * 60 * 60_000;
const task = { title: 'Buy milk', due_date: null, subtasks: [] };

/** Workflow A's audit details for a classified message (IntentAuditDetails in nodes/shared/contracts.ts; workflows/src/router.ts, Enqueue Command). */
function intentDetails(source: 'gemini' | 'rules' | 'offline', usage: IntentAuditDetails['usage'], failure?: string): IntentAuditDetails {
  return { intent: 'create_task', confidence: 0.9, source, usage, latencyMs: 400, model: 'gemini-2.5-flash', failure };
}

async function enqueue(store: Store, key: string, auditDetails?: unknown) {
  return (await enqueueCommand(store, { type: 'draft_task_from_text', userId: USER, payload: { text: key }, dedupeKey: key, auditDetails })).command;
}

/** An execution row as the Task Executor leaves it after a run (its own tests cover how). */
async function recordExecution(store: Store, draftId: number, apiCalls: number, updatedAgoMs = 0) {
  await store.run(
    `INSERT INTO executions (draft_id, status, user_id, api_calls, runs, created_at, updated_at)
     VALUES (?, 'success', ?, ?, 1, ${store.nowMs} - ?, ${store.nowMs} - ?)`,
    [draftId, USER, apiCalls, updatedAgoMs, updatedAgoMs],
  );
}

/** Moves every audit row of an entity back in time, as if it had been written that long ago. */
async function age(store: Store, entityType: string, entityId: number, ms: number) {
  await store.run('UPDATE audit_log SET timestamp = timestamp - ? WHERE entity_type = ? AND entity_id = ?', [ms, entityType, String(entityId)]);
}

describe.each(backends)('health report (%s)', (backend) => {
  const ctx = useCleanStore(backend);

  it('counts the last 24 hours of Gemini calls and tokens from the intent and planner audit rows', async () => {
    await enqueue(ctx.store, 'm1', intentDetails('gemini', { promptTokens: 100, outputTokens: 20, totalTokens: 120 }));
    await enqueue(ctx.store, 'm2', intentDetails('gemini', { promptTokens: 50, outputTokens: 10, totalTokens: 60 }));
    // Answered by the local rules: no call. Gemini failed: a call without tokens.
    await enqueue(ctx.store, 'm3', intentDetails('rules', null));
    await enqueue(ctx.store, 'm4', { source: undefined, usage: null, failure: 'rate_limited' });
    await createDraft(ctx.store, { userId: USER, task, auditDetails: { source: 'gemini', usage: { promptTokens: 300, outputTokens: 80, totalTokens: 380 }, model: 'm' } });
    // The offline planner after an invalid answer: Gemini was called and spent tokens.
    await createDraft(ctx.store, { userId: USER, task, auditDetails: { source: 'offline', usage: { promptTokens: 10, outputTokens: 5, totalTokens: 15 } } });
    // The offline planner without any call (Gemini not configured).
    await createDraft(ctx.store, { userId: USER, task, auditDetails: { source: 'offline', usage: null } });
    // Yesterday's call is not today's.
    const old = await enqueue(ctx.store, 'm-old', intentDetails('gemini', { promptTokens: 999, outputTokens: 999, totalTokens: 1998 }));
    await age(ctx.store, 'command', old.id, DAY_MS + 60_000);

    const report = await healthReport(ctx.store);
    expect(report.gemini).toEqual({
      calls: 5,
      intentCalls: 3,
      plannerCalls: 2,
      mediaCalls: 0,
      promptTokens: 460,
      outputTokens: 115,
      thoughtsTokens: 0,
      totalTokens: 575,
      rateLimited: 0,
      countedFrom: 'audit',
      quotaDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      days: [],
      users: [],
      dailyQuota: GEMINI_FREE_TIER_REQUESTS_PER_DAY,
      quotaUsed: 5 / GEMINI_FREE_TIER_REQUESTS_PER_DAY,
    });
    expect(report.commandsPerDay).toBe(5);
  });

  it('counts voice notes and photos read (Read Media, step "media") among the Gemini requests of the day', async () => {
    // A quota day of its own, apart from the other tests' (they share the store).
    const now = new Date('2026-10-15T20:00:00Z');
    const tally = (calls: number) => ({ calls, rateLimited: 0, promptTokens: 10 * calls, outputTokens: 5 * calls, thoughtsTokens: 0, totalTokens: 15 * calls });
    await recordGeminiUsage(ctx.store, { userId: USER, step: 'media', model: 'gemini-3.1-flash-lite', tally: tally(2), now });
    await recordGeminiUsage(ctx.store, { userId: USER, step: 'intent', model: 'gemini-3.1-flash-lite', tally: tally(2), now });
    await recordGeminiUsage(ctx.store, { userId: USER, step: 'planner', model: 'gemini-3.5-flash-lite', tally: tally(1), now });
    const report = await healthReport(ctx.store, { now, geminiDailyQuota: 10 });
    expect(report.gemini).toMatchObject({ countedFrom: 'gemini_usage', calls: 5, intentCalls: 2, plannerCalls: 1, mediaCalls: 2, totalTokens: 75, quotaUsed: 0.5 });
  });

  it('counts the recorded Gemini requests of the current quota day per user, with the earlier days, once the nodes record them', async () => {
    const now = new Date('2026-11-25T20:00:00Z'); // 12:00 in Pacific time: quota day 2026-11-25
    const tally = (calls: number, totalTokens: number, thoughtsTokens = 0, rateLimited = 0) => ({
      calls,
      rateLimited,
      promptTokens: totalTokens / 2,
      outputTokens: totalTokens / 2,
      thoughtsTokens,
      totalTokens,
    });
    await recordGeminiUsage(ctx.store, { userId: USER, step: 'intent', model: 'gemini-3.1-flash-lite', tally: tally(3, 300, 20, 1), now });
    await recordGeminiUsage(ctx.store, { userId: USER, step: 'intent', model: 'gemini-3.1-flash-lite', tally: tally(1, 100), now });
    await recordGeminiUsage(ctx.store, { userId: 'telegram:2002', step: 'planner', model: 'gemini-3.5-flash-lite', tally: tally(2, 800, 40), now });
    // 07:30 UTC on the 25th is still the 24th in Pacific time: the previous quota day.
    await recordGeminiUsage(ctx.store, { userId: USER, step: 'planner', model: 'gemini-3.5-flash-lite', tally: tally(5, 1000), now: new Date('2026-11-25T07:30:00Z') });
    // Older than a week: not shown.
    await recordGeminiUsage(ctx.store, { userId: USER, step: 'intent', model: 'gemini-3.1-flash-lite', tally: tally(9, 900), now: new Date('2026-11-10T20:00:00Z') });
    // Audit rows are not counted once usage is recorded.
    await enqueue(ctx.store, 'm1', intentDetails('gemini', { promptTokens: 100, outputTokens: 20, totalTokens: 120 }));

    const report = await healthReport(ctx.store, { now, geminiDailyQuota: 10 });
    expect(report.gemini).toMatchObject({
      countedFrom: 'gemini_usage',
      quotaDay: '2026-11-25',
      calls: 6,
      intentCalls: 4,
      plannerCalls: 2,
      totalTokens: 1200,
      thoughtsTokens: 60,
      rateLimited: 1,
      quotaUsed: 0.6,
      users: [
        { userId: USER, calls: 4, totalTokens: 400 },
        { userId: 'telegram:2002', calls: 2, totalTokens: 800 },
      ],
      days: [
        { day: '2026-11-25', calls: 6, rateLimited: 1, totalTokens: 1200, thoughtsTokens: 60, users: 2 },
        { day: '2026-11-24', calls: 5, rateLimited: 0, totalTokens: 1000, thoughtsTokens: 0, users: 1 },
      ],
    });
    expect(report.summaryText).toContain('<b>Gemini</b> (quota day): 6 / 10 requests (60%) · 1,200 tokens (60 thinking) · 1 rate-limited\nEarlier days: 11-24 5');
    await recordGeminiUsage(ctx.store, { userId: USER, step: 'intent', model: 'gemini-3.1-flash-lite', tally: tally(2, 10), now });
    expect((await healthReport(ctx.store, { now, geminiDailyQuota: 10 })).summaryText).toContain('⚠️ <b>Gemini</b> (quota day): 8 / 10 requests (80%)');
  });

  it("counts the last 24 hours of Google Tasks calls from executions and undos, against the quota given", async () => {
    const draft = await createDraft(ctx.store, { userId: USER, task });
    await recordExecution(ctx.store, draft.id, 4);
    const other = await createDraft(ctx.store, { userId: USER, task });
    await recordExecution(ctx.store, other.id, 7);
    const older = await createDraft(ctx.store, { userId: USER, task });
    await recordExecution(ctx.store, older.id, 1000, DAY_MS + 60_000);
    await ctx.store.transaction((tx) =>
      tx.run(
        `INSERT INTO audit_log (timestamp, action, entity_type, entity_id, user_id, details_json) VALUES (${tx.nowMs}, 'task_execution_undone', 'execution', '1', ?, ?)`,
        [USER, JSON.stringify({ draftId: draft.id, deleted: 2, apiCalls: 3 })],
      ),
    );

    const report = await healthReport(ctx.store, { tasksDailyQuota: 100 });
    expect(report.googleTasks).toEqual({ calls: 14, dailyQuota: 100, quotaUsed: 0.14 });
  });

  it('keeps every queue figure of commandStats, and adds the database size', async () => {
    for (const key of ['a', 'b', 'c', 'd']) await enqueue(ctx.store, key);
    const [done, dead] = await claimCommands(ctx.store, { owner: 'w', limit: 2 });
    await completeCommand(ctx.store, { id: done.id, leaseToken: done.leaseToken });
    await failCommand(ctx.store, { id: dead.id, leaseToken: dead.leaseToken, error: 'bad', retryable: false });

    const report = await healthReport(ctx.store, { windowMinutes: 60 });
    const stats = await commandStats(ctx.store, 60);
    expect(report).toMatchObject({ ...stats, oldestPendingAgeMs: expect.any(Number), averageProcessingMs: expect.any(Number) });
    expect(report).toMatchObject({ byStatus: { pending: 2, processing: 0, completed: 1, failed: 0, dead: 1 }, successRate: 0.5, commandsPerDay: 4 });
    expect(report.database.backend).toBe(backend);
    expect(report.database.sizeBytes).toBeGreaterThan(0);
    expect(report.googleTasks).toEqual({ calls: 0, dailyQuota: GOOGLE_TASKS_QUERIES_PER_DAY, quotaUsed: 0 });
  });

  it('reports the age of the oldest pending command', async () => {
    const first = await enqueue(ctx.store, 'first');
    await enqueue(ctx.store, 'second');
    await ctx.store.run('UPDATE commands SET created_at = created_at - ? WHERE id = ?', [3 * 60 * 60_000, first.id]);
    const report = await healthReport(ctx.store);
    expect(report.oldestPendingAgeMs).toBeGreaterThanOrEqual(3 * 60 * 60_000);
    expect(report.summaryText).toMatch(/Oldest pending: 3\.\d h/);
  });

  it('is read-only', async () => {
    await enqueue(ctx.store, 'x', intentDetails('gemini', { promptTokens: 1, outputTokens: 1, totalTokens: 2 }));
    const before = await rowCounts(ctx.store);
    await healthReport(ctx.store);
    expect(await rowCounts(ctx.store)).toEqual(before);
  });

  it.each([
    ['a zero Gemini quota', { geminiDailyQuota: 0 }, 'Gemini requests per day must be a positive number (got "0")'],
    ['a Google Tasks quota that is not a number', { tasksDailyQuota: Number('lots') }, 'Google Tasks queries per day must be a positive number (got "NaN")'],
    ['a negative window', { windowMinutes: -5 }, 'Window must be a positive number of minutes'],
  ])('refuses %s', async (_name, input, message) => {
    const attempt = healthReport(ctx.store, input);
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(message);
  });
});

describe('health summary text', () => {
  const base = {
    byStatus: { pending: 1, processing: 0, completed: 40, failed: 1, dead: 2 },
    oldestPendingAgeMs: 90_000,
    windowMinutes: 1440,
    commandsPerMinute: 42 / 1440,
    averageProcessingMs: 1234,
    completedInWindow: 40,
    deadInWindow: 2,
    successRate: 40 / 42,
    failureRate: 2 / 42,
    generatedAt: '2026-11-25T08:00:00.000Z',
    commandsPerDay: 42,
    gemini: {
      countedFrom: 'audit' as const,
      quotaDay: '2026-11-25',
      calls: 84,
      intentCalls: 42,
      plannerCalls: 42,
      mediaCalls: 0,
      promptTokens: 10_000,
      outputTokens: 2_345,
      thoughtsTokens: 0,
      totalTokens: 12_345,
      rateLimited: 0,
      days: [],
      users: [],
      dailyQuota: 1500,
      quotaUsed: 84 / 1500,
    },
    googleTasks: { calls: 120, dailyQuota: 50_000, quotaUsed: 120 / 50_000 },
    database: { backend: 'sqlite' as const, sizeBytes: 1_572_864 },
  };

  it('shows commands, success rate, processing time, API use against quotas, and database size', () => {
    expect(renderHealthSummary(base)).toBe(
      [
        '🩺 <b>Draft Assistant · daily health</b>',
        '',
        '<b>Commands</b>: 42 in 24 h',
        'Last 24 h: 40 completed, 2 dead · success 95% · average 1.2 s',
        '<b>Queue</b>: 1 pending, 0 processing, 1 retrying, 2 dead in total',
        'Oldest pending: 2 min',
        '<b>Gemini</b> (24 h): 84 / 1,500 requests (6%) · 12,345 tokens',
        '<b>Google Tasks</b> (24 h): 120 / 50,000 queries (0.2%)',
        '<b>Database</b>: 1.5 MB (SQLite)',
      ].join('\n'),
    );
  });

  it('warns when a quota is 80% used, and says when nothing is pending or settled', () => {
    const text = renderHealthSummary({
      ...base,
      oldestPendingAgeMs: null,
      successRate: null,
      averageProcessingMs: null,
      gemini: { ...base.gemini, calls: 1200, quotaUsed: 0.8 },
    });
    expect(text).toContain('⚠️ <b>Gemini</b> (24 h): 1,200 / 1,500 requests (80%)');
    expect(text).toContain('success n/a · average n/a');
    expect(text).toContain('Oldest pending: none');
  });

  it('names the window of the queue figures in minutes when it is not whole hours', () => {
    expect(renderHealthSummary({ ...base, windowMinutes: 90 })).toContain('Last 90 min: 40 completed');
    expect(renderHealthSummary({ ...base, windowMinutes: 60 })).toContain('Last 1 h: 40 completed');
  });
});
