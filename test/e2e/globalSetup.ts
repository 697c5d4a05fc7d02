// Starts what all e2e test files share, once: the assistant's stack (playground/stack.ts: the
// emulators, ONE n8n 2.40.7 with the packed package installed as a community package, the shipped
// workflows imported and published), plus a second emulated bot running the harness's own echo
// fixture. Connection details go to a JSON file named by DRAFT_ASSISTANT_E2E_CONFIG, because jest
// runs this in the parent process and the test files in workers.
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OWNER_TELEGRAM_ID, startStack, type Stack } from '../../playground/stack';
import { TelegramEmulator } from '../../emulators/telegram';
import { E2E_CONFIG_ENV, type E2eConfig } from './environment';
import type { WorkflowJson } from '../../n8n/instance';

const REPO = resolve(__dirname, '../..');
const FIXTURES = join(__dirname, 'fixtures');
/** Placeholder credential id in fixtures, replaced by the echo bot's credential. */
const ECHO_BOT_CREDENTIAL_PLACEHOLDER = 'e2eEchoBotCredential';

/** What globalTeardown needs; jest gives globalSetup and globalTeardown the same global object. */
export interface E2eGlobalState {
  stack?: Stack;
  echoBot?: TelegramEmulator;
  workDir: string;
}

async function timed<T>(timings: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  timings[name] = Date.now() - started;
  return result;
}

/**
 * The fixtures run on a second bot: Telegram allows one webhook per bot, and the assistant's
 * router owns the first one. They are added through REST on the running n8n (no extra boot).
 */
async function publishFixtures(stack: Stack, echoBot: TelegramEmulator): Promise<string[]> {
  const client = stack.n8n.client();
  const credentialId = await client.createCredential({
    name: 'Telegram echo bot (emulator)',
    type: 'telegramApi',
    data: { accessToken: echoBot.token, baseUrl: echoBot.url },
  });
  const ids: string[] = [];
  for (const file of readdirSync(FIXTURES).filter((name) => name.endsWith('.json')).sort()) {
    const text = readFileSync(join(FIXTURES, file), 'utf8').replaceAll(ECHO_BOT_CREDENTIAL_PLACEHOLDER, credentialId);
    const workflow = JSON.parse(text) as WorkflowJson;
    await client.createWorkflow(workflow);
    await client.publishWorkflow(workflow.id);
    ids.push(workflow.id);
  }
  return ids;
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(join(REPO, 'dist', 'nodes'))) {
    throw new Error('dist/ is missing: the e2e tests install the built package. Run `npm run build` first (`npm test` does).');
  }
  const startedAt = Date.now();
  const timingsMs: Record<string, number> = {};
  const workDir = mkdtempSync(join(tmpdir(), 'draft-assistant-e2e-'));
  const state: E2eGlobalState = { workDir };
  (globalThis as { __draftAssistantE2e?: E2eGlobalState }).__draftAssistantE2e = state;

  state.stack = await timed(timingsMs, 'stack', () => startStack({ dataDir: workDir }));
  const { stack } = state;
  state.echoBot = await new TelegramEmulator({ token: '7000000002:AAE2eHarnessEchoBot', botUsername: 'draft_assistant_echo_bot' }).start();
  const { echoBot } = state;
  let fixtureIds: string[];
  try {
    fixtureIds = await timed(timingsMs, 'fixtures', () => publishFixtures(stack, echoBot));
  } catch (error) {
    const tail = stack.n8n.logTail();
    await Promise.all([stack.stop(), echoBot.stop()]);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tail}`);
  }
  Object.assign(timingsMs, { total: Date.now() - startedAt });

  const config: E2eConfig = {
    n8n: stack.n8n.connection(),
    telegram: { baseUrl: stack.telegram.url, token: stack.telegram.token, botId: stack.telegram.bot.id },
    echoBot: { baseUrl: echoBot.url, token: echoBot.token },
    geminiUrl: stack.gemini?.url ?? null,
    googleTasksUrl: stack.tasks.url,
    storeFile: stack.storeFile,
    ownerTelegramId: OWNER_TELEGRAM_ID,
    workflowIds: stack.workflowIds,
    fixtureWorkflowIds: fixtureIds,
    workDir,
    timingsMs,
  };
  const configFile = join(workDir, 'e2e-config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  process.env[E2E_CONFIG_ENV] = configFile;
  const summary = Object.entries(timingsMs).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}s`).join(', ');
  process.stderr.write(`\ne2e: n8n at ${config.n8n.baseUrl} (log ${config.n8n.logFile}); ${summary}\n`);
}
