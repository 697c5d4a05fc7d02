// Turns the node's credential (or its absence) into a GenerateFn, honouring the fallback
// setting (assertRunsWithoutCredential decides what a missing credential means).
import { connectionFromCredential, createGenerate } from './adapter';
import type { GenerateFn } from './adapter';
import { assertRunsWithoutCredential } from './options';
import type { FallbackMode } from './options';

export async function resolveGenerate(
  fallback: FallbackMode,
  loadCredential: () => Promise<Record<string, unknown>>,
): Promise<GenerateFn | null> {
  if (fallback === 'always') return null;
  let data: Record<string, unknown>;
  try {
    data = await loadCredential();
  } catch (error) {
    assertRunsWithoutCredential(fallback, error instanceof Error ? error.message : String(error));
    return null;
  }
  const connection = connectionFromCredential(data);
  if (!connection) {
    assertRunsWithoutCredential(fallback, 'it has no API key');
    return null;
  }
  return createGenerate(connection);
}
