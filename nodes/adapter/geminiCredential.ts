// Both Gemini nodes read their settings and their googlePalmApi credential the same way; what
// a missing credential means is decided once, in the core (assertRunsWithoutCredential). With
// the optional database credential, each call's requests and tokens go to gemini_usage.
import type { IExecuteFunctions } from 'n8n-workflow';
import type { GenerateFn, GeminiThinkingLevel } from '../shared/gemini/adapter';
import { resolveGenerate } from '../shared/gemini/connect';
import { parseThinkingLevel } from '../shared/gemini/options';
import type { FallbackMode } from '../shared/gemini/options';
import { meterGenerate, recordGeminiUsage } from '../shared/gemini/usage';
import type { GeminiStep } from '../shared/gemini/usage';
import { DATABASE_CREDENTIAL, storeFor } from './store';

export interface StepDefaults {
  step: GeminiStep;
  model: string;
  temperature: number;
  thinkingLevel: GeminiThinkingLevel;
}

export interface GeminiForItem {
  fallback: FallbackMode;
  generate: GenerateFn | null;
  model: string;
  /** null: no sampling parameter is sent. */
  temperature: number | null;
  thinkingLevel: GeminiThinkingLevel | null;
  /** Adds what this item's call sent to the user's daily usage (when the node has the database credential). */
  recordUsage: () => Promise<void>;
}

/** The item's "Offline Fallback", model, sampling and thinking settings and, unless the fallback is "Always", Gemini through the node's credential. */
export async function geminiForItem(ctx: IExecuteFunctions, itemIndex: number, defaults: StepDefaults): Promise<GeminiForItem> {
  const fallback = ctx.getNodeParameter('fallback', itemIndex) as FallbackMode;
  const resolved = await resolveGenerate(fallback, async () => (await ctx.getCredentials('googlePalmApi', itemIndex)) as Record<string, unknown>);
  // Hidden parameters (fallback 'always') are absent in n8n, hence the fallbacks.
  const model = String(ctx.getNodeParameter('model', itemIndex, defaults.model)).trim() || defaults.model;
  // Version 1 always sent its temperature; from version 2 it is opt-in.
  const sendsTemperature = ctx.getNode().typeVersion < 2 || ctx.getNodeParameter('setTemperature', itemIndex, false) === true;
  const temperature = sendsTemperature ? (ctx.getNodeParameter('temperature', itemIndex, defaults.temperature) as number) : null;
  const thinkingLevel = parseThinkingLevel(ctx.getNodeParameter('thinkingLevel', itemIndex, defaults.thinkingLevel));
  const metered = resolved && ctx.getNode().credentials?.[DATABASE_CREDENTIAL] ? meterGenerate(resolved) : null;
  const recordUsage = async () => {
    if (!metered) return;
    const userId = String(ctx.getNodeParameter('usageUserId', itemIndex, '') ?? '');
    try {
      await recordGeminiUsage(await storeFor(ctx), { userId, step: defaults.step, model, tally: metered.tally });
    } catch (error) {
      // Monitoring only: a database problem must not cost the user their answer.
      ctx.logger?.warn(`Could not record Gemini usage: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return { fallback, generate: metered?.generate ?? resolved, model, temperature, thinkingLevel, recordUsage };
}
