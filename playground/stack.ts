// The whole assistant on one machine: real n8n with this package installed the way n8n
// installs community packages, the shipped workflows imported and published, and local
// emulators of Telegram, Gemini and Google Tasks behind the credentials. The playground
// (`npm start`) and the end-to-end tests both run this; nothing is duplicated between them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GeminiEmulator, startGeminiEmulator } from '../test/emulators/gemini';
import { scriptedAssistantResponder } from '../test/emulators/geminiScripted';
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  GoogleTasksEmulator,
  INITIAL_ACCESS_TOKEN,
  INITIAL_REFRESH_TOKEN,
} from '../test/emulators/googleTasks';
import { TelegramEmulator } from '../test/emulators/telegram';
import { type CredentialImport, N8nInstance, type WorkflowJson } from '../test/e2e/n8n';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderAll, IDS, CREDENTIALS } = require('../scripts/build-workflows.js') as {
  renderAll(): Record<string, string>;
  IDS: Record<'router' | 'executor' | 'drafting' | 'confirmation' | 'errors', string>;
  CREDENTIALS: Record<'telegram' | 'gemini' | 'tasks' | 'database', Record<string, { id: string; name: string }>>;
};

export const ROOT = path.resolve(__dirname, '..');
export const WORKFLOW_IDS = IDS;
/** The Telegram user the playground and the tests act as; it is on the allowlist. */
export const OWNER_TELEGRAM_ID = 424242;

export interface StackOptions {
  /** Folder for n8n's user folder and the assistant's SQLite store; kept across restarts when given. */
  dataDir: string;
  /** Telegram user ids on the router's allowlist. */
  allowedUserIds?: number[];
  /** Fixed port for the Telegram emulator (the playground's chat page lives there); 0 = any. */
  telegramPort?: number;
  /** Offline fallback of the Gemini nodes: the shipped workflows have it off; the playground turns it on. */
  geminiFallback?: 'off' | 'whenUnavailable' | 'always';
  /** Use a real Gemini key instead of the emulator. */
  geminiApiKey?: string;
  /** n8n settings from the environment the README recommends (execution saving etc.). */
  extraN8nEnv?: Record<string, string>;
  log?: (line: string) => void;
}

export interface Stack {
  n8n: N8nInstance;
  telegram: TelegramEmulator;
  gemini: GeminiEmulator | null;
  tasks: GoogleTasksEmulator;
  storeFile: string;
  stop(): Promise<void>;
}

/** `npm pack` of the built package (dist/ must exist: `npm run build`). */
export function packPackage(outDir: string): string {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` first');
  fs.mkdirSync(outDir, { recursive: true });
  const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], { cwd: ROOT, encoding: 'utf8' });
  return path.join(outDir, output.trim().split('\n').pop()!);
}

/** Installs n8n into the cache outside the clone (once) and returns its folder. */
export function installN8n(): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts', 'install-n8n.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/**
 * The shipped workflows with the user's settings filled in, as a user would on the canvas:
 * the allowlist in the router's trigger, the owner in the error workflow, the Gemini fallback.
 */
export function configuredWorkflows(options: { allowedUserIds: number[]; ownerChatId: number; geminiFallback: string }): WorkflowJson[] {
  return Object.values(renderAll()).map((text) => {
    const workflow = JSON.parse(text) as WorkflowJson;
    for (const node of workflow.nodes as { type: string; name: string; parameters: Record<string, unknown> }[]) {
      if (node.type === 'n8n-nodes-base.telegramTrigger') {
        (node.parameters.additionalFields as Record<string, unknown>).userIds = options.allowedUserIds.join(',');
      }
      if (workflow.id === IDS.errors && node.name === 'Owner') {
        const assignments = (node.parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
        assignments.find((a) => a.name === 'chatId')!.value = String(options.ownerChatId);
      }
      if (node.type.endsWith('.geminiIntent') || node.type.endsWith('.geminiPlanner')) node.parameters.fallback = options.geminiFallback;
    }
    return workflow;
  });
}

function credential(kind: keyof typeof CREDENTIALS, data: Record<string, unknown>): CredentialImport {
  const [[type, { id, name }]] = Object.entries(CREDENTIALS[kind]);
  return { id, name, type, data };
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const n8nDir = installN8n();
  const tarball = packPackage(path.join(options.dataDir, 'package'));

  const telegram = await new TelegramEmulator({ port: options.telegramPort ?? 0 }).start();
  const gemini = options.geminiApiKey ? null : await startGeminiEmulator({ apiKey: 'playground-key' });
  gemini?.setHandler(scriptedAssistantResponder());
  const tasks = new GoogleTasksEmulator();
  await tasks.start();
  log(`emulators: telegram ${telegram.url}, gemini ${gemini?.url ?? 'real API'}, google tasks ${tasks.url}`);

  const storeFile = path.join(options.dataDir, 'draft-assistant.sqlite');
  const userFolder = path.join(options.dataDir, 'n8n');
  const fresh = !fs.existsSync(path.join(userFolder, '.n8n'));
  fs.mkdirSync(userFolder, { recursive: true });
  const n8n = new N8nInstance({
    n8nDir,
    tarball,
    userFolder,
    env: {
      // The Task Executor's API root when its parameter is left empty (see the node's description).
      DRAFT_ASSISTANT_GOOGLE_TASKS_URL: tasks.url,
      ...options.extraN8nEnv,
    },
  });
  const allowedUserIds = options.allowedUserIds ?? [OWNER_TELEGRAM_ID];
  const credentials = [
    credential('telegram', { accessToken: telegram.token, baseUrl: telegram.url }),
    credential('gemini', gemini ? { host: gemini.url, apiKey: 'playground-key' } : { host: 'https://generativelanguage.googleapis.com', apiKey: options.geminiApiKey }),
    credential('tasks', {
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: EMULATOR_CLIENT_SECRET,
      accessTokenUrl: `${tasks.url}/token`,
      authUrl: `${tasks.url}/auth`,
      scope: 'https://www.googleapis.com/auth/tasks',
      authentication: 'body',
      grantType: 'authorizationCode',
      oauthTokenData: { access_token: INITIAL_ACCESS_TOKEN, refresh_token: INITIAL_REFRESH_TOKEN, token_type: 'Bearer', expires_in: 3600 },
    }),
    credential('database', { backend: 'sqlite', file: storeFile }),
  ];
  const workflows = configuredWorkflows({ allowedUserIds, ownerChatId: allowedUserIds[0], geminiFallback: options.geminiFallback ?? 'off' });
  log(fresh ? 'setting up n8n (first run)…' : 'starting n8n…');
  await n8n.installPackage();
  // Credentials point at emulators whose ports change per run, so they are imported every time.
  await n8n.importCredentials(credentials);
  await n8n.importWorkflows(workflows);
  await n8n.start();
  try {
    // Sub-workflows first: n8n refuses to publish a workflow that calls an unpublished one.
    const client = n8n.client();
    for (const id of [IDS.errors, IDS.drafting, IDS.confirmation, IDS.executor, IDS.router]) await client.publishWorkflow(id);
  } catch (error) {
    await n8n.stop();
    await Promise.all([telegram.stop(), gemini?.stop(), tasks.stop()]);
    throw error;
  }
  log(`n8n ready at ${n8n.baseUrl}`);

  return {
    n8n,
    telegram,
    gemini,
    tasks,
    storeFile,
    async stop() {
      await n8n.stop();
      await Promise.all([telegram.stop(), gemini?.stop(), tasks.stop()]);
    },
  };
}
