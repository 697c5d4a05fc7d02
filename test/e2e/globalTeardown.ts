// Stops the shared n8n and the emulators globalSetup started. The run's temp folder (n8n log,
// n8n database, store.sqlite) is deleted unless E2E_KEEP=1, in which case its path is printed.
import { rmSync } from 'node:fs';
import type { E2eGlobalState } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __draftAssistantE2e?: E2eGlobalState }).__draftAssistantE2e;
  if (!state) return;
  await state.n8n?.stop();
  await Promise.all(state.emulators.map((emulator) => emulator.stop()));
  if (process.env.E2E_KEEP === '1') {
    process.stderr.write(`e2e: kept ${state.workDir} (n8n log: ${state.n8n?.logFile ?? 'none'})\n`);
  } else {
    rmSync(state.workDir, { recursive: true, force: true });
  }
}
