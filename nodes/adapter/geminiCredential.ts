// Both Gemini nodes read their fallback setting and their googlePalmApi credential the same
// way; what a missing credential means is decided once, in the core (assertRunsWithoutCredential).
import type { IExecuteFunctions } from 'n8n-workflow';
import type { GenerateFn } from '../shared/gemini/adapter';
import { resolveGenerate } from '../shared/gemini/connect';
import type { FallbackMode } from '../shared/gemini/options';

/** The item's "Offline Fallback" and, unless it is "Always", Gemini through the node's credential. */
export async function geminiForItem(ctx: IExecuteFunctions, itemIndex: number): Promise<{ fallback: FallbackMode; generate: GenerateFn | null }> {
  const fallback = ctx.getNodeParameter('fallback', itemIndex) as FallbackMode;
  const generate = await resolveGenerate(fallback, async () => (await ctx.getCredentials('googlePalmApi', itemIndex)) as Record<string, unknown>);
  return { fallback, generate };
}
