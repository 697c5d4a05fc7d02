// Turns the node's credential (or its absence) into a GenerateFn, honouring the fallback
// setting: without a credential, 'off' is a configuration error, the others run offline.
import { InputError } from '../errors';
import { connectionFromCredential, createGenerate } from './adapter';
import type { GenerateFn } from './adapter';
import type { FallbackMode } from './options';

export const CREDENTIAL_HINT = 'Select a "Google Gemini(PaLM) Api" credential (API key and host) on this node, or set "Offline Fallback" to "Always".';

export async function resolveGenerate(
  fallback: FallbackMode,
  loadCredential: () => Promise<Record<string, unknown>>,
): Promise<GenerateFn | null> {
  if (fallback === 'always') return null;
  let data: Record<string, unknown>;
  try {
    data = await loadCredential();
  } catch (error) {
    if (fallback === 'whenUnavailable') return null;
    throw new InputError(`No usable Gemini credential: ${error instanceof Error ? error.message : String(error)}`, CREDENTIAL_HINT);
  }
  if (typeof data.apiKey !== 'string' || !data.apiKey.trim()) {
    if (fallback === 'whenUnavailable') return null;
    throw new InputError('The Gemini credential has no API key', CREDENTIAL_HINT);
  }
  return createGenerate(connectionFromCredential(data));
}
