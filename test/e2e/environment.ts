// How e2e test files reach the shared n8n and the emulators that globalSetup started. Jest runs
// globalSetup in the parent process and test files in workers, so the connection details travel
// through a JSON file whose path is in DRAFT_ASSISTANT_E2E_CONFIG.
import { readFileSync } from 'node:fs';
import { N8nClient, type N8nConnection } from '../../n8n/instance';
import { TelegramControlClient } from '../../emulators/telegramClient';

export const E2E_CONFIG_ENV = 'DRAFT_ASSISTANT_E2E_CONFIG';

export interface E2eConfig {
  n8n: N8nConnection;
  /** The assistant's bot (the router's Telegram Trigger owns its webhook). */
  telegram: { baseUrl: string; token: string; botId: number };
  /** A second bot for the harness's own fixtures (test/e2e/fixtures). */
  echoBot: { baseUrl: string; token: string };
  /** Gemini emulator (scripted responder); null when a real key is used. */
  geminiUrl: string | null;
  /** Google Tasks emulator; its control API is under /_control. */
  googleTasksUrl: string;
  /** The draftAssistantDatabase credential's SQLite file. */
  storeFile: string;
  /** The Telegram user on the router's allowlist. */
  ownerTelegramId: number;
  /** Ids n8n gave the shipped workflows in this run (by role: router, executor, …), all published. */
  workflowIds: Record<string, string>;
  /** Ids of the fixture workflows, all published. */
  fixtureWorkflowIds: string[];
  workDir: string;
  timingsMs: Record<string, number>;
}

export function loadE2eConfig(): E2eConfig {
  const file = process.env[E2E_CONFIG_ENV];
  if (!file) throw new Error(`${E2E_CONFIG_ENV} is not set: run e2e tests through jest's e2e project (its globalSetup starts n8n)`);
  return JSON.parse(readFileSync(file, 'utf8')) as E2eConfig;
}

export interface E2eEnvironment {
  config: E2eConfig;
  n8n: N8nClient;
  telegram: TelegramControlClient;
}

export function e2eEnvironment(): E2eEnvironment {
  const config = loadE2eConfig();
  return { config, n8n: new N8nClient(config.n8n), telegram: new TelegramControlClient(config.telegram.baseUrl) };
}

/** Last lines of the shared n8n's log, to attach to a failure. */
export function n8nLogTail(config: E2eConfig, lines = 60): string {
  try {
    const all = readFileSync(config.n8n.logFile, 'utf8').split('\n');
    return `--- last ${lines} lines of ${config.n8n.logFile} ---\n${all.slice(-lines).join('\n')}`;
  } catch {
    return `(no n8n log at ${config.n8n.logFile})`;
  }
}

/** Awaits `work`; if it fails, rethrows with the tail of n8n's log appended. */
export async function withN8nLog<T>(config: E2eConfig, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n${n8nLogTail(config)}`);
  }
}
