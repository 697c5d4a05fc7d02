// The whole assistant on one machine: real n8n with this package installed the way n8n
// installs community packages, the shipped workflows imported and published, and local
// emulators of Telegram, Gemini, Google Tasks and Google Calendar behind the credentials. The playground
// (`npm start`) and the end-to-end tests both run this; nothing is duplicated between them.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GeminiEmulator, startGeminiEmulator } from '../emulators/gemini';
import { scriptedAssistantResponder } from '../emulators/geminiScripted';
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  GoogleTasksEmulator,
  type GoogleTasksEmulatorState,
  INITIAL_ACCESS_TOKEN,
  INITIAL_REFRESH_TOKEN,
} from '../emulators/googleTasks';
import { GoogleCalendarEmulator } from '../emulators/googleCalendar';
import { TelegramEmulator, type TelegramEmulatorState } from '../emulators/telegram';
import { type CredentialImport, N8nInstance, type WorkflowJson } from '../n8n/instance';
import { N8nWorkers } from '../n8n/workers';
import { N8nPublicApi } from '../cli/setup/publicApi';
import { locateInstalled, runSetup } from '../cli/setup/setup';
import type { WorkflowDefinition } from '../cli/setup/plan';
import type { StoreConfig } from '../nodes/shared/store/db';

import { CREDENTIALS, IDS, renderAll } from '../workflows/src';
import { REMINDER_TRIGGER } from '../workflows/src/reminders';

export const ROOT = path.resolve(__dirname, '..');
/** The workflows by role; their ids differ per installation (see Stack.workflowIds). */
export type WorkflowIds = Record<keyof typeof IDS, string>;
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
  /** Run the reminder and briefing checkers every this many seconds instead of every minute (tests). */
  checkEverySeconds?: number;
  /** Use a real Gemini key instead of the emulator. */
  geminiApiKey?: string;
  /** n8n settings from the environment the README recommends (execution saving etc.). */
  extraN8nEnv?: Record<string, string>;
  /** Node flags for n8n's server process (benchmarks: the inspector, for a CPU profile). */
  n8nNodeArgs?: string[];
  log?: (line: string) => void;
  /** Fixed port for n8n (editor and webhooks); default: any free port. */
  n8nPort?: number;
  /**
   * Keep the emulators' conversations and tasks in `<dataDir>/emulators/*.json`: loaded on start,
   * saved when they change and on stop (the playground turns this on).
   */
  persistEmulatorState?: boolean;
  /**
   * 'always' (default) imports the shipped workflows on every start; 'whenChanged' only when they
   * differ from what was imported last time, so edits made in the n8n editor survive restarts.
   */
  workflowImport?: 'always' | 'whenChanged';
  /** Real Telegram instead of the emulator: the bot token and the public HTTPS base URL of n8n. */
  realTelegram?: { token: string; webhookUrl: string };
  /**
   * Real Google Tasks instead of the emulator: an OAuth client. The credential is imported once,
   * without a token; the user connects it in n8n's credential dialog.
   */
  realGoogle?: { clientId: string; clientSecret: string };
  /**
   * n8n in queue mode: EXECUTIONS_MODE=queue, Redis, PostgreSQL as n8n's own database (a fresh
   * database per start, dropped by stop()), and `workers` `n8n worker` processes started after the
   * main. Implies a PostgreSQL store unless storeBackend says otherwise.
   */
  queueMode?: { workers: number; redisHost?: string; redisPort?: number };
  /** Where the assistant's store lives: 'sqlite' (default) or 'postgres' (a fresh database, dropped by stop()). */
  storeBackend?: 'sqlite' | 'postgres';
  /** PostgreSQL server for queueMode / storeBackend 'postgres' (default 127.0.0.1:5432, user postgres, password from PGPASSWORD if set). */
  postgres?: { host?: string; port?: number; user?: string; password?: string };
}

/** Which services a stack talks to. */
export interface StackMode {
  telegram: 'emulator' | 'real';
  gemini: 'emulator' | 'real' | 'offline';
  tasks: 'emulator' | 'real';
}

export interface Stack {
  n8n: N8nInstance;
  /** The Telegram emulator; created but never started when `mode.telegram` is 'real'. */
  telegram: TelegramEmulator;
  gemini: GeminiEmulator | null;
  /** The Google Tasks emulator; created but never started when `mode.tasks` is 'real'. */
  tasks: GoogleTasksEmulator;
  /** The Google Calendar emulator (Workflow C, Confirm of an event); never started when `mode.tasks` is 'real' (then real Google Calendar). */
  calendar: GoogleCalendarEmulator;
  storeFile: string;
  /** The draftAssistantDatabase credential's settings (open it with openStore to inspect the store). */
  storeConfig: StoreConfig;
  /** The `n8n worker` processes when queueMode is on. */
  workers?: N8nWorkers;
  mode: StackMode;
  /** Ids n8n gave the workflows in this installation (setup creates them; nothing in the package fixes them). */
  workflowIds: WorkflowIds;
  /** The n8n owner's password, generated once per data folder (`<dataDir>/owner-password`). */
  ownerPassword: string;
  /** Writes the emulators' state to `<dataDir>/emulators/` now (when persistEmulatorState is on). */
  saveState(): void;
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
 * The shipped workflows with the playground's Gemini fallback set on the canvas. The allowlist and
 * the owner are given to the setup command, as a user would give them.
 */
export function configuredWorkflows(options: { geminiFallback: string; checkEverySeconds?: number }): WorkflowJson[] {
  return Object.values(renderAll()).map((text) => {
    const workflow = JSON.parse(text) as WorkflowJson;
    for (const node of workflow.nodes as { type: string; name: string; parameters: Record<string, unknown> }[]) {
      if (node.type.endsWith('.geminiIntent') || node.type.endsWith('.geminiPlanner')) node.parameters.fallback = options.geminiFallback;
      // Tests need not wait for the minute: the checkers' schedule in seconds (the shipped workflows run every minute).
      if (options.checkEverySeconds && node.name === REMINDER_TRIGGER && node.type === 'n8n-nodes-base.scheduleTrigger') {
        node.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: options.checkEverySeconds }] };
      }
    }
    return workflow;
  });
}

/** A secret kept in the data folder (mode 0600): made once, the same on every later start. */
function secretFile(file: string, make: () => string): string {
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch {
    // not made yet
  }
  const value = make();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return value;
}

/** An API key for n8n's public API: the one kept in the data folder while n8n accepts it, else a new one. */
async function publicApiKey(n8n: N8nInstance, file: string): Promise<string> {
  try {
    const kept = fs.readFileSync(file, 'utf8').trim();
    if (kept) {
      const response = await fetch(`${n8n.baseUrl}/api/v1/workflows?limit=1`, { headers: { 'X-N8N-API-KEY': kept } });
      if (response.ok) return kept;
    }
  } catch {
    // none kept yet
  }
  const key = await n8n.client().createApiKey('Draft Assistant playground setup');
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return key;
}

function credential(kind: keyof typeof CREDENTIALS, data: Record<string, unknown>): CredentialImport {
  const [[type, { id, name }]] = Object.entries(CREDENTIALS[kind]);
  return { id, name, type, data };
}

const GOOGLE_OAUTH = {
  authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  accessTokenUrl: 'https://oauth2.googleapis.com/token',
  scope: 'https://www.googleapis.com/auth/tasks',
};

/** Saves and restores the emulators' state as JSON files under `<dataDir>/emulators/`. */
class EmulatorState {
  private readonly dir: string;
  private last = new Map<string, string>();
  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'emulators');
  }
  private file(name: string): string {
    return path.join(this.dir, `${name}.json`);
  }
  load<T>(name: string): T | undefined {
    try {
      const text = fs.readFileSync(this.file(name), 'utf8');
      this.last.set(name, text);
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }
  /** Writes only when the content changed; atomically (rename), so a kill never leaves half a file. */
  save(name: string, value: unknown): void {
    const text = JSON.stringify(value);
    if (this.last.get(name) === text) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const temporary = `${this.file(name)}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, this.file(name));
    this.last.set(name, text);
  }
}

/** Creates a fresh PostgreSQL database through the `postgres` maintenance database; returns its name and a drop(). */
async function createPostgresDatabase(server: Required<Omit<NonNullable<StackOptions['postgres']>, 'password'>> & { password?: string }, prefix: string) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg') as typeof import('pg');
  const name = `${prefix}_${createHash('sha256').update(`${process.pid}-${Date.now()}-${Math.random()}`).digest('hex').slice(0, 12)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres', connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return { name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Waits until the router's Telegram Trigger has registered its webhook with the emulator. n8n
 * registers it shortly after publishing (and that setWebhook drops pending updates), so a message
 * sent before then is lost; n8n also does not register again when it starts with workflows that
 * were already published (it trusts Telegram to remember them), which a fresh emulator does not.
 * Publishing the router again makes its trigger call setWebhook.
 */
async function routerWebhookRegistered(telegramUrl: string, n8n: N8nInstance, client: ReturnType<N8nInstance['client']>, routerId: string, firstWaitMs: number): Promise<void> {
  const registered = async () =>
    ((await (await fetch(`${telegramUrl}/_control/webhook`)).json()) as { webhook: { url: string } | null }).webhook?.url?.startsWith(n8n.baseUrl) ?? false;
  for (let round = 0; round < 4; round++) {
    const deadline = Date.now() + (round === 0 ? firstWaitMs : 30_000);
    for (;;) {
      if (await registered()) return;
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await client.login();
    await client.unpublishWorkflow(routerId);
    await client.publishWorkflow(routerId);
  }
  throw new Error(`The router never registered its Telegram webhook\n${n8n.logTail(40)}`);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const n8nDir = installN8n();
  const tarball = packPackage(path.join(options.dataDir, 'package'));
  const mode: StackMode = {
    telegram: options.realTelegram ? 'real' : 'emulator',
    gemini: options.geminiApiKey ? 'real' : options.geminiFallback === 'always' ? 'offline' : 'emulator',
    tasks: options.realGoogle ? 'real' : 'emulator',
  };

  const telegram = new TelegramEmulator({ port: options.telegramPort ?? 0 });
  const tasks = new GoogleTasksEmulator();
  const calendar = new GoogleCalendarEmulator();
  const persisted = options.persistEmulatorState ? new EmulatorState(options.dataDir) : undefined;
  if (persisted) {
    const savedChats = persisted.load<TelegramEmulatorState>('telegram');
    if (savedChats) telegram.importState(savedChats);
    const savedTasks = persisted.load<GoogleTasksEmulatorState>('google-tasks');
    if (savedTasks) tasks.importState(savedTasks);
  }
  if (mode.telegram === 'emulator') await telegram.start();
  // With the offline fallback always on, the Gemini nodes never call Gemini: no emulator needed.
  const gemini = mode.gemini === 'emulator' ? await startGeminiEmulator({ apiKey: 'playground-key' }) : null;
  gemini?.setHandler(scriptedAssistantResponder());
  if (mode.tasks === 'emulator') await tasks.start();
  if (mode.tasks === 'emulator') await calendar.start();
  // Progress only: the emulators' own URLs are for the nodes' credentials, not for a person.
  log(
    `Telegram: ${mode.telegram === 'real' ? 'real API' : 'local emulator'}, Gemini: ${mode.gemini === 'real' ? 'real API' : mode.gemini === 'offline' ? 'offline fallback' : 'local emulator'}, ` +
      `Google Tasks and Calendar: ${mode.tasks === 'real' ? 'real API' : 'local emulators'}`,
  );
  const saveState = () => {
    if (!persisted) return;
    if (mode.telegram === 'emulator') persisted.save('telegram', telegram.exportState());
    if (mode.tasks === 'emulator') persisted.save('google-tasks', tasks.exportState());
  };
  const saveTimer = persisted ? setInterval(saveState, 1000) : undefined;
  saveTimer?.unref();
  const stopEmulators = async () => {
    if (saveTimer) clearInterval(saveTimer);
    saveState();
    await Promise.all([mode.telegram === 'emulator' ? telegram.stop() : undefined, gemini?.stop(), mode.tasks === 'emulator' ? tasks.stop() : undefined, mode.tasks === 'emulator' ? calendar.stop() : undefined]);
  };

  const storeFile = path.join(options.dataDir, 'draft-assistant.sqlite');
  // Queue mode and the PostgreSQL store: fresh databases for this start, dropped by stop().
  // Defaults as the tests' PostgreSQL helper; PGPASSWORD is what .ci/run exports when the server wants one.
  const pgServer = {
    host: options.postgres?.host ?? process.env.PGHOST_TEST ?? '127.0.0.1',
    port: options.postgres?.port ?? Number(process.env.PGPORT_TEST || 5432),
    user: options.postgres?.user ?? process.env.PGUSER_TEST ?? 'postgres',
    password: options.postgres?.password ?? (process.env.PGPASSWORD || undefined),
  };
  const dropDatabases: (() => Promise<void>)[] = [];
  const dropAll = async () => {
    for (const drop of dropDatabases.splice(0)) await drop().catch(() => undefined);
  };
  const queueEnv: Record<string, string> = {};
  let storeConfig: StoreConfig = { backend: 'sqlite', file: storeFile };
  try {
    if (options.queueMode) {
      const n8nDb = await createPostgresDatabase(pgServer, 'n8n_queue');
      dropDatabases.push(n8nDb.drop);
      const prefix = `da-${n8nDb.name}`;
      Object.assign(queueEnv, {
        DB_TYPE: 'postgresdb',
        DB_POSTGRESDB_HOST: pgServer.host,
        DB_POSTGRESDB_PORT: String(pgServer.port),
        DB_POSTGRESDB_DATABASE: n8nDb.name,
        DB_POSTGRESDB_USER: pgServer.user,
        ...(pgServer.password ? { DB_POSTGRESDB_PASSWORD: pgServer.password } : {}),
        EXECUTIONS_MODE: 'queue',
        QUEUE_BULL_REDIS_HOST: options.queueMode.redisHost ?? '127.0.0.1',
        QUEUE_BULL_REDIS_PORT: String(options.queueMode.redisPort ?? 6379),
        // Separate runs on one Redis need both prefixes.
        QUEUE_BULL_PREFIX: prefix,
        N8N_REDIS_KEY_PREFIX: prefix,
      });
    }
    if ((options.storeBackend ?? (options.queueMode ? 'postgres' : 'sqlite')) === 'postgres') {
      const storeDb = await createPostgresDatabase(pgServer, 'draft_assistant_store');
      dropDatabases.push(storeDb.drop);
      storeConfig = { backend: 'postgres', host: pgServer.host, port: pgServer.port, database: storeDb.name, user: pgServer.user, ...(pgServer.password ? { password: pgServer.password } : {}) };
    }
  } catch (error) {
    await dropAll();
    await stopEmulators();
    throw error;
  }
  const userFolder = path.join(options.dataDir, 'n8n');
  const fresh = !fs.existsSync(path.join(userFolder, '.n8n'));
  fs.mkdirSync(userFolder, { recursive: true });
  const env: Record<string, string> = {};
  // The Task Executor's API root when its parameter is left empty (see the node's description).
  if (mode.tasks === 'emulator') env.DRAFT_ASSISTANT_GOOGLE_TASKS_URL = tasks.url;
  // The Event Executor's, likewise (Workflow C and the Confirm of an event draft).
  if (mode.tasks === 'emulator') env.DRAFT_ASSISTANT_GOOGLE_CALENDAR_URL = calendar.url;
  // n8n's own execution data holds message text: pruned after 30 days (docs/operations.md, Retention).
  env.EXECUTIONS_DATA_PRUNE = 'true';
  env.EXECUTIONS_DATA_MAX_AGE = '720'; // hours
  // Telegram must reach n8n from the internet: webhooks are registered at this URL.
  if (options.realTelegram) env.N8N_WEBHOOK_URL = options.realTelegram.webhookUrl.replace(/\/*$/, '/');
  // No fixed password anywhere: each data folder gets its own, printed by `npm start`.
  const ownerPassword = secretFile(path.join(options.dataDir, 'owner-password'), () => randomBytes(18).toString('base64url'));
  const n8n = new N8nInstance({ n8nDir, tarball, userFolder, ownerPassword, env: { ...env, ...queueEnv, ...options.extraN8nEnv }, nodeArgs: options.n8nNodeArgs });
  // N8nInstance picks a free port on first start and keeps it; a fixed one is set the same way.
  if (options.n8nPort) (n8n as unknown as { port: number }).port = options.n8nPort;
  const allowedUserIds = options.allowedUserIds ?? [OWNER_TELEGRAM_ID];
  const credentials = [
    options.realTelegram
      ? credential('telegram', { accessToken: options.realTelegram.token, baseUrl: 'https://api.telegram.org' })
      : credential('telegram', { accessToken: telegram.token, baseUrl: telegram.url }),
    credential(
      'gemini',
      gemini
        ? { host: gemini.url, apiKey: 'playground-key' }
        : { host: 'https://generativelanguage.googleapis.com', apiKey: options.geminiApiKey ?? 'offline-fallback-no-key' },
    ),
    credential('database', storeConfig.backend === 'postgres' ? { ...storeConfig, ssl: false } : { backend: 'sqlite', file: storeFile }),
  ];
  const googleMarker = path.join(options.dataDir, 'google-credential-imported');
  if (!options.realGoogle) {
    credentials.push(
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
      credential('calendar', {
        clientId: EMULATOR_CLIENT_ID,
        clientSecret: EMULATOR_CLIENT_SECRET,
        accessTokenUrl: `${calendar.url}/token`,
        authUrl: `${calendar.url}/auth`,
        scope: 'https://www.googleapis.com/auth/calendar',
        authentication: 'body',
        grantType: 'authorizationCode',
        oauthTokenData: { access_token: INITIAL_ACCESS_TOKEN, refresh_token: INITIAL_REFRESH_TOKEN, token_type: 'Bearer', expires_in: 3600 },
      }),
    );
    fs.rmSync(googleMarker, { force: true });
  } else if (!fs.existsSync(googleMarker)) {
    // Imported once, without a token: re-importing would throw away the token the user connected.
    credentials.push(
      credential('tasks', {
        clientId: options.realGoogle.clientId,
        clientSecret: options.realGoogle.clientSecret,
        ...GOOGLE_OAUTH,
        authQueryParameters: 'access_type=offline&prompt=consent',
        authentication: 'body',
        grantType: 'authorizationCode',
      }),
      credential('calendar', {
        clientId: options.realGoogle.clientId,
        clientSecret: options.realGoogle.clientSecret,
        ...GOOGLE_OAUTH,
        scope: 'https://www.googleapis.com/auth/calendar',
        authQueryParameters: 'access_type=offline&prompt=consent',
        authentication: 'body',
        grantType: 'authorizationCode',
      }),
    );
  }
  const workflows = configuredWorkflows({ geminiFallback: options.geminiFallback ?? 'off', checkEverySeconds: options.checkEverySeconds });
  const setupSettings = { allowedUserIds: allowedUserIds.join(','), ownerChatId: String(allowedUserIds[0]) };
  const workflowsHash = createHash('sha256').update(JSON.stringify({ workflows, setupSettings })).digest('hex');
  const hashFile = path.join(options.dataDir, 'workflows.sha256');
  const importWorkflows =
    (options.workflowImport ?? 'always') === 'always' || fresh || !fs.existsSync(hashFile) || fs.readFileSync(hashFile, 'utf8').trim() !== workflowsHash;
  try {
    log(fresh ? 'setting up n8n (first run)…' : 'starting n8n…');
    await n8n.installPackage();
    // Credentials point at emulators whose ports change per run, so they are imported every time.
    await n8n.importCredentials(credentials);
    if (options.realGoogle) fs.writeFileSync(googleMarker, new Date().toISOString());
    if (importWorkflows && !fresh && options.workflowImport === 'whenChanged') log('the shipped workflows or their settings changed: upgrading them');
    await n8n.start();
  } catch (error) {
    await n8n.stop();
    await stopEmulators();
    await dropAll();
    throw error;
  }
  let workflowIds: WorkflowIds;
  try {
    // The workflows are installed the way the README installs them: the setup command, through
    // n8n's public API. A later start with changed workflows runs it again, as an upgrade.
    const client = n8n.client();
    const api = new N8nPublicApi(n8n.baseUrl, await publicApiKey(n8n, path.join(options.dataDir, 'n8n-api-key')));
    const shipped = workflows as WorkflowDefinition[];
    let installedIds: Record<string, string>;
    if (importWorkflows) {
      installedIds = (await runSetup({ api, workflows: shipped, settings: setupSettings, log: (line) => log(`setup: ${line.trim()}`) })).workflowIds;
    } else {
      // Workflows kept from the last run stay as they are (the user's edits); unpublished ones are published again.
      const found = await locateInstalled(api, shipped);
      installedIds = Object.fromEntries([...found].map(([shippedId, workflow]) => [shippedId, workflow.id as string]));
      for (const shippedId of new Set([IDS.errors, IDS.drafting, IDS.confirmation, IDS.executor, ...Object.values(IDS)])) {
        const id = installedIds[shippedId];
        if (!id) throw new Error(`workflow ${shippedId} is missing from n8n: delete ${hashFile} to install the workflows again`);
        if (!found.get(shippedId)?.active) await api.publishWorkflow(id);
      }
    }
    workflowIds = Object.fromEntries(Object.entries(IDS).map(([role, shippedId]) => [role, installedIds[shippedId]])) as WorkflowIds;
    fs.writeFileSync(path.join(options.dataDir, 'workflow-ids.json'), `${JSON.stringify(workflowIds, null, 2)}\n`);
    if (!options.realTelegram) await routerWebhookRegistered(telegram.url, n8n, client, workflowIds.router, importWorkflows ? 30_000 : 0);
    fs.writeFileSync(hashFile, workflowsHash);
  } catch (error) {
    await n8n.stop();
    await stopEmulators();
    await dropAll();
    throw error;
  }
  let workers: N8nWorkers | undefined;
  if (options.queueMode) {
    // Workers after the main: it has migrated n8n's database and holds the ports the shared env names.
    workers = new N8nWorkers(n8n, options.queueMode.workers);
    try {
      await workers.startAll();
    } catch (error) {
      await workers.stopAll(5_000);
      await n8n.stop();
      await stopEmulators();
      await dropAll();
      throw error;
    }
    log(`${options.queueMode.workers} n8n worker(s) ready (queue mode, Redis prefix ${queueEnv.QUEUE_BULL_PREFIX})`);
  }
  log('n8n is ready');

  return {
    n8n,
    telegram,
    gemini,
    tasks,
    calendar,
    storeFile,
    storeConfig,
    workers,
    mode,
    workflowIds,
    ownerPassword,
    saveState,
    async stop() {
      await workers?.stopAll();
      await n8n.stop();
      await stopEmulators();
      await dropAll();
    },
  };
}
