// The daily health summary (docs/architecture.md, section 13): the queue's figures from
// commandStats, plus the day's Gemini and Google Tasks usage against their quotas, the
// database's size, and a short HTML text a Telegram node can send as it is.
//
// API usage is read from what the store already records: Gemini calls from the audit rows of
// 'command_created' (Workflow A's intent) and 'draft_created' (Workflow D's planner), whose
// details hold `context.source` and `context.usage` (GeminiAuditDetails in contracts.ts); Google Tasks calls from `executions.api_calls`
// plus the calls an undo made ('task_execution_undone' audit rows).
// When the Gemini nodes record their usage (gemini_usage, migration 0008: every HTTP request,
// retries included, per user and quota day), the Gemini figures come from there instead: the
// current quota day (Pacific time, when Gemini's daily quota resets) and the six before it.

import type { Queryable, Store } from '../store/db';
import { InputError } from '../errors';
import { commandStats, type QueueStats } from '../queue/commands';
import { healthSummary } from '../messages/health';
import { AUDIT_CONTEXT_FIELD, type GeminiUsage, type IntentAuditDetails, type PlannerAuditDetails } from '../contracts';
import { quotaDay } from '../gemini/usage';

/** Gemini API free tier: requests per day. */
export const GEMINI_FREE_TIER_REQUESTS_PER_DAY = 1_500;
/** Google Tasks API: queries per day per project. */
export const GOOGLE_TASKS_QUERIES_PER_DAY = 50_000;
/** The summary warns when a day's usage reaches this share of a quota. */
export const QUOTA_WARNING_RATIO = 0.8;
const DAY_MS = 24 * 60 * 60_000;

export interface HealthInput {
  /** Window of the queue figures (commands/minute, success rate, average processing time). */
  windowMinutes?: number;
  geminiDailyQuota?: number;
  tasksDailyQuota?: number;
  /** The moment the report is for (default now); decides the current Gemini quota day. */
  now?: Date;
}

export interface ApiUsage {
  /** Calls in the last 24 hours. */
  calls: number;
  dailyQuota: number;
  /** calls / dailyQuota, e.g. 0.05 for 5 %. */
  quotaUsed: number;
}

/** One quota day of recorded Gemini usage. */
export interface GeminiDay {
  day: string;
  calls: number;
  rateLimited: number;
  totalTokens: number;
  thoughtsTokens: number;
  users: number;
}

export interface GeminiUsageReport extends ApiUsage {
  /** 'gemini_usage': the current quota day as the nodes recorded it; 'audit': the last 24 h from audit rows. */
  countedFrom: 'gemini_usage' | 'audit';
  /** The current quota day (YYYY-MM-DD, Pacific time). */
  quotaDay: string;
  intentCalls: number;
  plannerCalls: number;
  /** Voice notes and photos read (Gemini Intent › Read Media; recorded usage only, else 0). */
  mediaCalls: number;
  promptTokens: number;
  outputTokens: number;
  thoughtsTokens: number;
  totalTokens: number;
  /** Requests Gemini answered 429 (recorded usage only). */
  rateLimited: number;
  /** The recorded quota days, newest first (up to 7; empty when counted from audit rows). */
  days: GeminiDay[];
  /** The current quota day per user, most calls first (up to 10). */
  users: Array<{ userId: string; calls: number; totalTokens: number }>;
}

export interface HealthReport extends QueueStats {
  generatedAt: string;
  /** Commands created in the last 24 hours. */
  commandsPerDay: number;
  gemini: GeminiUsageReport;
  googleTasks: ApiUsage;
  database: { backend: 'sqlite' | 'postgres'; sizeBytes: number };
  /** The summary as Telegram HTML: send it with parse mode HTML. */
  summaryText: string;
}

function requireQuota(value: unknown, what: string): number {
  const quota = Number(value);
  if (!Number.isFinite(quota) || quota <= 0) throw new InputError(`${what} must be a positive number (got "${String(value)}")`);
  return quota;
}

/** A JSON value inside a TEXT column as SQL text (NULL when absent or JSON null). */
function jsonText(db: Queryable, column: string, path: string[]): string {
  return db.dialect === 'sqlite' ? `json_extract(${column}, '$.${path.join('.')}')` : `(${column}::jsonb #>> '{${path.join(',')}}')`;
}

function jsonNumber(db: Queryable, column: string, path: string[]): string {
  return `COALESCE(CAST(${jsonText(db, column, path)} AS BIGINT), 0)`;
}

/** The path to a field of the Gemini call's details that Workflow A or D recorded with the audit row. */
const geminiDetail = (field: keyof IntentAuditDetails | keyof PlannerAuditDetails) => [AUDIT_CONTEXT_FIELD, field];
const tokens = (field: keyof GeminiUsage) => [AUDIT_CONTEXT_FIELD, 'usage', field];

async function geminiUsage(db: Queryable) {
  // A Gemini call happened when the model answered (source 'gemini'), when tokens were spent
  // (an answer that fell back to the offline planner), or when the call failed.
  const source = jsonText(db, 'details_json', geminiDetail('source'));
  const usage = jsonText(db, 'details_json', geminiDetail('usage'));
  const failure = jsonText(db, 'details_json', geminiDetail('failure'));
  const row = await db.get<Record<string, number | null>>(
    `SELECT
       COALESCE(SUM(CASE WHEN action = 'command_created' THEN 1 ELSE 0 END), 0) AS intent_calls,
       COALESCE(SUM(CASE WHEN action = 'draft_created' THEN 1 ELSE 0 END), 0) AS planner_calls,
       COALESCE(SUM(${jsonNumber(db, 'details_json', tokens('promptTokens'))}), 0) AS prompt_tokens,
       COALESCE(SUM(${jsonNumber(db, 'details_json', tokens('outputTokens'))}), 0) AS output_tokens,
       COALESCE(SUM(${jsonNumber(db, 'details_json', tokens('totalTokens'))}), 0) AS total_tokens,
       COALESCE(SUM(${jsonNumber(db, 'details_json', tokens('thoughtsTokens'))}), 0) AS thoughts_tokens
     FROM audit_log
     WHERE timestamp >= ${db.nowMs} - ? AND action IN ('command_created', 'draft_created')
       AND (${source} = 'gemini' OR ${usage} IS NOT NULL OR ${failure} IS NOT NULL)`,
    [DAY_MS],
  );
  return {
    intentCalls: Number(row?.intent_calls ?? 0),
    plannerCalls: Number(row?.planner_calls ?? 0),
    promptTokens: Number(row?.prompt_tokens ?? 0),
    outputTokens: Number(row?.output_tokens ?? 0),
    totalTokens: Number(row?.total_tokens ?? 0),
    thoughtsTokens: Number(row?.thoughts_tokens ?? 0),
  };
}

/** The recorded usage of the current quota day and the six before it; null when nothing is recorded. */
async function recordedGeminiUsage(db: Queryable, now: Date) {
  const today = quotaDay(now);
  const weekAgo = quotaDay(new Date(now.getTime() - 7 * DAY_MS));
  const days = await db.all<Record<string, string | number>>(
    `SELECT day, SUM(calls) AS calls, SUM(rate_limited) AS rate_limited, SUM(total_tokens) AS total_tokens,
            SUM(thoughts_tokens) AS thoughts_tokens, COUNT(DISTINCT user_id) AS users
     FROM gemini_usage WHERE day > ? AND day <= ? GROUP BY day ORDER BY day DESC`,
    [weekAgo, today],
  );
  if (days.length === 0) return null;
  const steps = await db.get<Record<string, number | null>>(
    `SELECT COALESCE(SUM(CASE WHEN step = 'intent' THEN calls ELSE 0 END), 0) AS intent_calls,
            COALESCE(SUM(CASE WHEN step = 'planner' THEN calls ELSE 0 END), 0) AS planner_calls,
            COALESCE(SUM(CASE WHEN step = 'media' THEN calls ELSE 0 END), 0) AS media_calls,
            COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens, COALESCE(SUM(output_tokens), 0) AS output_tokens
     FROM gemini_usage WHERE day = ?`,
    [today],
  );
  const users = await db.all<Record<string, string | number>>(
    `SELECT user_id, SUM(calls) AS calls, SUM(total_tokens) AS total_tokens FROM gemini_usage WHERE day = ?
     GROUP BY user_id ORDER BY SUM(calls) DESC, user_id LIMIT 10`,
    [today],
  );
  const recorded: GeminiDay[] = days.map((d) => ({
    day: String(d.day),
    calls: Number(d.calls),
    rateLimited: Number(d.rate_limited),
    totalTokens: Number(d.total_tokens),
    thoughtsTokens: Number(d.thoughts_tokens),
    users: Number(d.users),
  }));
  const current = recorded.find((d) => d.day === today);
  return {
    intentCalls: Number(steps?.intent_calls ?? 0),
    plannerCalls: Number(steps?.planner_calls ?? 0),
    mediaCalls: Number(steps?.media_calls ?? 0),
    promptTokens: Number(steps?.prompt_tokens ?? 0),
    outputTokens: Number(steps?.output_tokens ?? 0),
    totalTokens: current?.totalTokens ?? 0,
    thoughtsTokens: current?.thoughtsTokens ?? 0,
    rateLimited: current?.rateLimited ?? 0,
    days: recorded,
    users: users.map((u) => ({ userId: String(u.user_id), calls: Number(u.calls), totalTokens: Number(u.total_tokens) })),
  };
}

async function geminiReport(db: Queryable, quota: number, now: Date): Promise<GeminiUsageReport> {
  const recorded = await recordedGeminiUsage(db, now);
  if (recorded) {
    const calls = recorded.intentCalls + recorded.plannerCalls + recorded.mediaCalls;
    return { countedFrom: 'gemini_usage', quotaDay: quotaDay(now), calls, dailyQuota: quota, quotaUsed: calls / quota, ...recorded };
  }
  const audit = await geminiUsage(db);
  const calls = audit.intentCalls + audit.plannerCalls;
  return { countedFrom: 'audit', quotaDay: quotaDay(now), calls, dailyQuota: quota, quotaUsed: calls / quota, ...audit, mediaCalls: 0, rateLimited: 0, days: [], users: [] };
}

async function tasksCalls(db: Queryable): Promise<number> {
  const row = await db.get<Record<string, number | null>>(
    `SELECT
       (SELECT COALESCE(SUM(api_calls), 0) FROM executions WHERE updated_at >= ${db.nowMs} - ?) AS executions,
       (SELECT COALESCE(SUM(${jsonNumber(db, 'details_json', ['apiCalls'])}), 0) FROM audit_log
        WHERE timestamp >= ${db.nowMs} - ? AND action = 'task_execution_undone') AS undos`,
    [DAY_MS, DAY_MS],
  );
  return Number(row?.executions ?? 0) + Number(row?.undos ?? 0);
}

/** SQLite: pages in use × page size (WAL not counted). PostgreSQL: pg_database_size. */
export async function databaseSize(db: Queryable): Promise<number> {
  const row =
    db.dialect === 'sqlite'
      ? await db.get<{ size: number }>('SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()')
      : await db.get<{ size: number }>('SELECT pg_database_size(current_database()) AS size');
  return Number(row?.size ?? 0);
}

/** Everything the daily health summary reports; read-only. */
export async function healthReport(store: Store, input: HealthInput = {}): Promise<HealthReport> {
  const geminiQuota = requireQuota(input.geminiDailyQuota ?? GEMINI_FREE_TIER_REQUESTS_PER_DAY, 'Gemini requests per day');
  const tasksQuota = requireQuota(input.tasksDailyQuota ?? GOOGLE_TASKS_QUERIES_PER_DAY, 'Google Tasks queries per day');
  const queue = await commandStats(store, input.windowMinutes ?? 24 * 60);
  const day = await store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM commands WHERE created_at >= ${store.nowMs} - ?`, [DAY_MS]);
  const now = input.now ?? new Date();
  const gemini = await geminiReport(store, geminiQuota, now);
  const tasks = await tasksCalls(store);
  const report: Omit<HealthReport, 'summaryText'> = {
    ...queue,
    generatedAt: now.toISOString(),
    commandsPerDay: Number(day?.n ?? 0),
    gemini,
    googleTasks: { calls: tasks, dailyQuota: tasksQuota, quotaUsed: tasks / tasksQuota },
    database: { backend: store.dialect, sizeBytes: await databaseSize(store) },
  };
  return { ...report, summaryText: renderHealthSummary(report) };
}

// ---------------------------------------------------------------- the Telegram text

export { formatBytes, formatDuration } from '../messages/health';

/** The report as Telegram HTML (its wording: messages/health.ts); every value is escaped. */
export function renderHealthSummary(report: Omit<HealthReport, 'summaryText'>): string {
  return healthSummary(report, QUOTA_WARNING_RATIO);
}
