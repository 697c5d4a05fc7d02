// Metering of Gemini calls for monitoring: a GenerateFn wrapper counts every HTTP request
// (retries and the repair attempt included, as Gemini's limits do), the 429 answers and the
// tokens, and recordGeminiUsage adds them to the user's row of the quota day (gemini_usage,
// migration 0008). The health summary reads these rows.
import type { Queryable } from '../store/db';
import { GeminiHttpError } from './adapter';
import type { GenerateFn } from './adapter';

/** intent and media: Gemini Intent (classify, read a voice note or photo); planner: Gemini Planner. */
export type GeminiStep = 'intent' | 'planner' | 'media';

export interface UsageTally {
  calls: number;
  rateLimited: number;
  promptTokens: number;
  outputTokens: number;
  thoughtsTokens: number;
  totalTokens: number;
}

/** Gemini's daily quota resets at midnight Pacific time, so its "day" is the Pacific date. */
export const QUOTA_TIME_ZONE = 'America/Los_Angeles';

export function quotaDay(now: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: QUOTA_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function emptyTally(): UsageTally {
  return { calls: 0, rateLimited: 0, promptTokens: 0, outputTokens: 0, thoughtsTokens: 0, totalTokens: 0 };
}

/** The same GenerateFn, counting what goes through it into `tally`. */
export function meterGenerate(generate: GenerateFn): { generate: GenerateFn; tally: UsageTally } {
  const tally = emptyTally();
  const metered: GenerateFn = async (request) => {
    tally.calls++;
    try {
      const response = await generate(request);
      const meta = response.usageMetadata;
      if (meta) {
        const thoughts = meta.thoughtsTokenCount ?? 0;
        const output = (meta.candidatesTokenCount ?? 0) + thoughts;
        tally.promptTokens += meta.promptTokenCount ?? 0;
        tally.outputTokens += output;
        tally.thoughtsTokens += thoughts;
        tally.totalTokens += meta.totalTokenCount ?? (meta.promptTokenCount ?? 0) + output;
      }
      return response;
    } catch (error) {
      if (error instanceof GeminiHttpError && error.status === 429) tally.rateLimited++;
      throw error;
    }
  };
  return { generate: metered, tally };
}

export interface UsageEntry {
  userId: string;
  step: GeminiStep;
  model: string;
  tally: UsageTally;
  now?: Date;
}

/** Adds one call's tally to its (quota day, user, step, model) row; nothing is written for a call that sent no request. */
export async function recordGeminiUsage(db: Queryable, entry: UsageEntry): Promise<void> {
  const { tally } = entry;
  if (tally.calls === 0) return;
  await db.run(
    `INSERT INTO gemini_usage (day, user_id, step, model, calls, rate_limited, prompt_tokens, output_tokens, thoughts_tokens, total_tokens, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${db.nowMs})
     ON CONFLICT (day, user_id, step, model) DO UPDATE SET
       calls = gemini_usage.calls + excluded.calls,
       rate_limited = gemini_usage.rate_limited + excluded.rate_limited,
       prompt_tokens = gemini_usage.prompt_tokens + excluded.prompt_tokens,
       output_tokens = gemini_usage.output_tokens + excluded.output_tokens,
       thoughts_tokens = gemini_usage.thoughts_tokens + excluded.thoughts_tokens,
       total_tokens = gemini_usage.total_tokens + excluded.total_tokens,
       updated_at = excluded.updated_at`,
    [
      quotaDay(entry.now ?? new Date()),
      entry.userId.trim(),
      entry.step,
      entry.model,
      tally.calls,
      tally.rateLimited,
      tally.promptTokens,
      tally.outputTokens,
      tally.thoughtsTokens,
      tally.totalTokens,
    ],
  );
}
