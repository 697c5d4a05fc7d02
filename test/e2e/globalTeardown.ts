// Stops the shared n8n and the emulators globalSetup started. The run's temp folder (n8n log,
// n8n database, the assistant's SQLite store) is deleted unless E2E_KEEP=1; then its path is printed.
import { rmSync } from 'node:fs';
import type { E2eGlobalState } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __draftAssistantE2e?: E2eGlobalState }).__draftAssistantE2e;
  if (!state) return;
  await Promise.all([state.stack?.stop(), state.echoBot?.stop()]);
  if (process.env.E2E_KEEP === '1') {
    process.stderr.write(`e2e: kept ${state.workDir} (n8n log: ${state.stack?.n8n.logFile ?? 'none'})\n`);
  } else {
    rmSync(state.workDir, { recursive: true, force: true });
  }
}
