// Starts what all e2e test files share: the emulators, then ONE n8n 2.40.7 with the packed package
// installed as a community package, every workflows/*.json and test/e2e/fixtures/*.json imported
// and published. Connection details go to a JSON file named by DRAFT_ASSISTANT_E2E_CONFIG.
//
// Adding an emulator (e.g. Gemini) is one entry in EMULATORS: start it, return its credential(s)
// from ./credentials and whatever tests need to drive it (base URL, control URL).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { N8nInstance, type CredentialImport, type WorkflowJson } from './n8n';
import { CREDENTIAL_IDS, databaseCredential, telegramCredential } from './credentials';
import { E2E_CONFIG_ENV, type E2eConfig } from './environment';
import { TelegramEmulator } from '../emulators/telegram';

const REPO = resolve(__dirname, '../..');

interface RunningEmulator {
  name: string;
  /** What tests need to drive it; stored under config.emulators[name]. */
  info: Record<string, unknown>;
  credentials: CredentialImport[];
  stop(): Promise<void>;
}

/** What globalTeardown needs; jest gives globalSetup and globalTeardown the same global object. */
export interface E2eGlobalState {
  n8n?: N8nInstance;
  emulators: RunningEmulator[];
  workDir: string;
}

const TELEGRAM_TOKEN = '7000000001:AAE2eTestTokenForTheDraftAssistantBot';
const ECHO_BOT_TOKEN = '7000000002:AAE2eTestTokenForTheHarnessEchoBot';

/** Emulators other than Telegram (which tests reach through config.telegram). */
const EMULATORS: ((workDir: string) => Promise<RunningEmulator>)[] = [
  // A second bot for test/e2e/fixtures/telegram-echo.json (the harness's own round-trip check).
  async () => {
    const echoBot = await new TelegramEmulator({ token: ECHO_BOT_TOKEN, botUsername: 'draft_assistant_echo_bot' }).start();
    return {
      name: 'telegramEcho',
      info: { baseUrl: echoBot.url, token: echoBot.token },
      credentials: [telegramCredential(echoBot.url, echoBot.token, CREDENTIAL_IDS.telegramEcho)],
      stop: () => echoBot.stop(),
    };
  },
  // Gemini and Google Tasks go here once test/emulators/gemini.ts and googleTasks.ts land, e.g.:
  //   async () => { const tasks = new GoogleTasksEmulator(); const url = await tasks.start();
  //     return { name: 'googleTasks', info: { baseUrl: url }, stop: () => tasks.stop(),
  //       credentials: [googleTasksCredential({ tokenUrl: `${url}/token`, clientId: EMULATOR_CLIENT_ID, … })] }; },
];

function packTarball(workDir: string): string {
  if (!existsSync(join(REPO, 'dist'))) {
    throw new Error('dist/ is missing: the e2e tests install the built package. Run `npm run build` first (`npm test` does).');
  }
  const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [{ filename }] = JSON.parse(output) as { filename: string }[];
  return join(workDir, filename);
}

function installN8n(): string {
  // Cached per version under ~/.cache; the first run takes minutes, later ones are instant.
  const output = execFileSync('bash', [join(REPO, 'scripts/install-n8n.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return output.trim().split('\n').pop() as string;
}

function workflowFiles(): string[] {
  const folders = [join(REPO, 'workflows'), join(__dirname, 'fixtures')];
  return folders.flatMap((folder) =>
    existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.json')).sort().map((name) => join(folder, name)) : [],
  );
}

async function timed<T>(timings: Record<string, number>, name: string, work: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  timings[name] = Date.now() - started;
  return result;
}

export default async function globalSetup(): Promise<void> {
  const startedAt = Date.now();
  const timingsMs: Record<string, number> = {};
  const workDir = mkdtempSync(join(tmpdir(), 'draft-assistant-e2e-'));
  const state: E2eGlobalState = { emulators: [], workDir };
  (globalThis as { __draftAssistantE2e?: E2eGlobalState }).__draftAssistantE2e = state;

  const tarball = await timed(timingsMs, 'npmPack', () => packTarball(workDir));
  const n8nDir = await timed(timingsMs, 'installN8n', installN8n);

  const telegram = await new TelegramEmulator({ token: TELEGRAM_TOKEN }).start();
  state.emulators.push({ name: 'telegram', info: { baseUrl: telegram.url }, credentials: [], stop: () => telegram.stop() });
  for (const startEmulator of EMULATORS) state.emulators.push(await startEmulator(workDir));

  const storeFile = join(workDir, 'store.sqlite');
  const credentials = [
    telegramCredential(telegram.url, telegram.token),
    databaseCredential(storeFile),
    ...state.emulators.flatMap((emulator) => emulator.credentials),
  ];
  const workflows = workflowFiles();
  const workflowIds = workflows.map((file) => (JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson).id);

  const n8n = new N8nInstance({ n8nDir, tarball, userFolder: join(workDir, 'n8n') });
  state.n8n = n8n;
  try {
    await n8n.setup({ credentials, workflows, publish: workflowIds });
  } catch (error) {
    await n8n.stop();
    await Promise.all(state.emulators.map((emulator) => emulator.stop()));
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${n8n.logTail()}`);
  }
  Object.assign(timingsMs, n8n.timingsMs, { total: Date.now() - startedAt });

  const config: E2eConfig = {
    n8n: n8n.connection(),
    telegram: { baseUrl: telegram.url, token: telegram.token, botId: telegram.bot.id },
    emulators: Object.fromEntries(state.emulators.map((emulator) => [emulator.name, emulator.info])),
    storeFile,
    publishedWorkflowIds: workflowIds,
    workDir,
    timingsMs,
  };
  const configFile = join(workDir, 'e2e-config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  process.env[E2E_CONFIG_ENV] = configFile;
  const summary = Object.entries(timingsMs).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}s`).join(', ');
  process.stderr.write(`\ne2e: n8n at ${config.n8n.baseUrl} (log ${config.n8n.logFile}); ${workflowIds.length} workflows published; ${summary}\n`);
}
