// Runs a real n8n (the version scripts/install-n8n.sh installed) with our packed package installed
// the way n8n installs community packages, loopback only, and talks to it over REST. The
// playground's stack (`npm start`), the e2e tests and the benchmarks all start n8n through this.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const PACKAGE_NAME = 'n8n-nodes-draft-assistant';
/** The instance owner n8n is told about through its environment; the password is per instance (N8nInstance.ownerPassword). */
export const OWNER = { email: 'owner@draft-assistant.test', firstName: 'Test', lastName: 'Owner' };
// Any constant works; it is what browser-id binds the auth cookie to.
const BROWSER_ID = 'draft-assistant-e2e';

export interface CredentialImport {
  id: string;
  name: string;
  type: string;
  data: Record<string, unknown>;
}

/** A workflow as exported by n8n: at least id, name, nodes, connections. */
export interface WorkflowJson {
  id: string;
  name: string;
  nodes: Record<string, unknown>[];
  connections: Record<string, unknown>;
  settings?: Record<string, unknown>;
  [other: string]: unknown;
}

export interface N8nInstanceOptions {
  /** Folder holding node_modules/n8n (printed by scripts/install-n8n.sh). */
  n8nDir: string;
  /** `npm pack` output of this package. Omit to run n8n without it. */
  tarball?: string;
  /** Reuse an existing user folder (keeps DB, credentials, installed package). */
  userFolder?: string;
  /** Node >= 24 binary; defaults to this repo's node_modules/.bin/node, else the current node. */
  nodeBinary?: string;
  /** Extra environment for n8n (CLI commands and server). */
  env?: Record<string, string>;
  /** Node flags for the server process only (e.g. `--inspect=127.0.0.1:9230` for a CPU profile). */
  nodeArgs?: string[];
  readinessTimeoutMs?: number;
  /** The owner's password; default: a random one for this instance. */
  ownerPassword?: string;
}

/** What a test process needs to reach a running instance. */
export interface N8nConnection {
  baseUrl: string;
  /** n8n install folder; the client loads n8n's own `flatted` from it. */
  n8nDir: string;
  email: string;
  password: string;
  userFolder: string;
  logFile: string;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function defaultNodeBinary(): string {
  const local = resolve(__dirname, '../node_modules/.bin/node');
  return existsSync(local) ? local : process.execPath;
}

export class N8nInstance {
  readonly n8nDir: string;
  readonly userFolder: string;
  readonly logFile: string;
  readonly nodeBinary: string;
  private readonly nodeArgs: string[];
  readonly ownerPassword: string;
  private readonly tarball?: string;
  private readonly extraEnv: Record<string, string>;
  private readonly readinessTimeoutMs: number;
  private port = 0;
  private brokerPort = 0;
  private child?: ChildProcess;
  /** Duration of each setup() step, for the run's timing report. */
  readonly timingsMs: Record<string, number> = {};
  private exited?: Promise<void>;

  constructor(options: N8nInstanceOptions) {
    this.n8nDir = options.n8nDir;
    this.tarball = options.tarball;
    this.extraEnv = options.env ?? {};
    this.readinessTimeoutMs = options.readinessTimeoutMs ?? 90_000;
    this.nodeBinary = options.nodeBinary ?? defaultNodeBinary();
    this.nodeArgs = options.nodeArgs ?? [];
    this.ownerPassword = options.ownerPassword ?? randomBytes(18).toString('base64url');
    this.userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
    this.logFile = join(this.userFolder, 'n8n.log');
    if (!existsSync(join(this.n8nDir, 'node_modules/n8n/bin/n8n'))) {
      throw new Error(`No n8n in ${this.n8nDir}; run scripts/install-n8n.sh first`);
    }
  }

  get baseUrl(): string {
    if (!this.port) throw new Error('n8n has not been started');
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  connection(): N8nConnection {
    return { baseUrl: this.baseUrl, n8nDir: this.n8nDir, email: OWNER.email, password: this.ownerPassword, userFolder: this.userFolder, logFile: this.logFile };
  }

  client(): N8nClient {
    return new N8nClient(this.connection());
  }

  /** Installs the tarball into <userFolder>/.n8n/nodes/node_modules/<name>, as n8n's installer does. */
  async installPackage(): Promise<void> {
    if (!this.tarball) throw new Error('No tarball given');
    const packageDir = join(this.userFolder, '.n8n/nodes/node_modules', PACKAGE_NAME);
    rmSync(packageDir, { recursive: true, force: true });
    mkdirSync(packageDir, { recursive: true });
    await execFileAsync('tar', ['-xzf', this.tarball, '-C', packageDir, '--strip-components=1']);
    const manifestPath = join(packageDir, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    delete manifest.devDependencies;
    delete manifest.peerDependencies;
    delete manifest.optionalDependencies;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    await execFileAsync(
      'npm',
      ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
      { cwd: packageDir, env: this.processEnv(), maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
    ).catch((error: { stderr?: string }) => {
      throw new Error(`npm install of ${PACKAGE_NAME} failed:\n${error.stderr ?? String(error)}`);
    });
  }

  /** Imports credentials (plain data, encrypted by n8n) with their fixed ids. One n8n boot. */
  async importCredentials(credentials: CredentialImport[]): Promise<void> {
    if (credentials.length === 0) return;
    const file = join(this.userFolder, `credentials-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(credentials));
    try {
      await this.cli(['import:credentials', `--input=${file}`]);
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** Imports one workflow (file path or object); it stays unpublished. */
  async importWorkflow(workflow: string | WorkflowJson): Promise<void> {
    await this.importWorkflows([workflow]);
  }

  /** Imports several workflows in one n8n boot (one array file), keeping their ids. */
  async importWorkflows(workflows: (string | WorkflowJson)[]): Promise<void> {
    if (workflows.length === 0) return;
    const objects = workflows.map((workflow) =>
      typeof workflow === 'string' ? (JSON.parse(readFileSync(workflow, 'utf8')) as WorkflowJson) : workflow,
    );
    const file = join(this.userFolder, `workflows-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(objects));
    try {
      await this.cli(['import:workflow', `--input=${file}`]);
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** `n8n publish:workflow`: only takes effect at the next start. For a running instance use N8nClient.publishWorkflow. */
  async publishWorkflow(id: string): Promise<void> {
    if (this.running) throw new Error('publish:workflow has no effect on a running n8n; stop() first or use the REST client');
    await this.cli(['publish:workflow', `--id=${id}`]);
  }

  /**
   * Installs the package (if a tarball was given), imports credentials and workflows, publishes the
   * given ids and starts. Publishing goes through REST after the start (what the editor's Publish
   * button does), which registers triggers at once and saves one n8n boot per workflow.
   */
  async setup(options: { credentials?: CredentialImport[]; workflows?: (string | WorkflowJson)[]; publish?: string[] } = {}): Promise<void> {
    const step = async (name: string, action: () => Promise<void>) => {
      const started = Date.now();
      await action();
      this.timingsMs[name] = Date.now() - started;
    };
    if (this.tarball) await step('installPackage', () => this.installPackage());
    await step('importCredentials', () => this.importCredentials(options.credentials ?? []));
    await step('importWorkflows', () => this.importWorkflows(options.workflows ?? []));
    await step('start', () => this.start());
    await step('publish', async () => {
      const client = this.client();
      for (const id of options.publish ?? []) {
        await client.publishWorkflow(id).catch((error: unknown) => {
          throw new Error(`publishing workflow ${id} failed: ${error instanceof Error ? error.message : String(error)}\n${this.logTail(30)}`);
        });
      }
    });
  }

  async start(): Promise<void> {
    if (this.running) throw new Error('n8n is already running');
    // Ports are chosen once: a restart keeps the same URLs, as a real deployment does, so the
    // registered Telegram webhook and clients holding the connection stay valid.
    if (!this.port) this.port = await freePort();
    if (!this.brokerPort) this.brokerPort = await freePort();
    const log = openSync(this.logFile, 'a');
    const child = spawn(this.nodeBinary, [...this.nodeArgs, this.n8nBin(), 'start'], {
      cwd: this.userFolder,
      env: this.processEnv(),
      stdio: ['ignore', log, log],
      detached: false,
    });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolveExit) => child.once('exit', () => resolveExit()));
    const deadline = Date.now() + this.readinessTimeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`n8n exited during start-up (code ${child.exitCode}, signal ${child.signalCode})\n${this.logTail()}`);
      try {
        const response = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await this.kill('SIGKILL');
    throw new Error(`n8n was not ready within ${this.readinessTimeoutMs} ms\n${this.logTail()}`);
  }

  /** Graceful stop (SIGTERM), escalating to SIGKILL after the timeout. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.running) return;
    const exited = this.exited;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** Sends a signal and waits for the process to exit (SIGKILL simulates a crash). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    const exited = this.exited;
    this.child?.kill(signal);
    await exited;
  }

  /** Stops and starts again with the same user folder and ports. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops n8n and deletes the user folder. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.userFolder, { recursive: true, force: true });
  }

  logTail(lines = 80): string {
    if (!existsSync(this.logFile)) return `(no n8n log at ${this.logFile})`;
    const all = readFileSync(this.logFile, 'utf8').split('\n');
    return `--- last ${lines} lines of ${this.logFile} ---\n${all.slice(-lines).join('\n')}`;
  }

  private n8nBin(): string {
    return join(this.n8nDir, 'node_modules/n8n/bin/n8n');
  }

  /** Path of n8n's CLI entry point (e.g. to start `n8n worker` processes next to this main). */
  get n8nBinPath(): string {
    return this.n8nBin();
  }

  /** Process id of the running `n8n start` (for reading its CPU time from /proc); undefined when stopped. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /**
   * The environment this instance runs with (after start(): its ports included), plus overrides.
   * Queue-mode workers (n8n/workers.ts) share it, as n8n requires.
   */
  environment(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...this.processEnv(), ...overrides };
  }

  private async cli(args: string[]): Promise<void> {
    try {
      const { stdout, stderr } = await execFileAsync(this.nodeBinary, [this.n8nBin(), ...args], {
        cwd: this.userFolder,
        env: this.processEnv(),
        maxBuffer: 16 * 1024 * 1024,
        timeout: 120_000,
      });
      // CLI commands log errors but still exit 0 (e.g. a failed import), so read what they said.
      const output = `${stdout}\n${stderr}`;
      if (/An error occurred|Error updating database|Failed to find owner|Skipped workflow/i.test(output)) {
        throw new Error(output);
      }
    } catch (error) {
      const details = error instanceof Error ? error.message : String(error);
      throw new Error(`n8n ${args.join(' ')} failed:\n${details}`);
    }
  }

  /**
   * The caller's environment (PATH, CA certificates, npm registry settings) minus anything that would
   * change n8n's behaviour: jest's NODE_ENV=test, NODE_OPTIONS, and any n8n configuration already set.
   */
  private processEnv(): NodeJS.ProcessEnv {
    const inherited: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (/^(NODE_ENV|NODE_OPTIONS|JEST_WORKER_ID|N8N_.*|DB_.*|EXECUTIONS_.*|QUEUE_.*|WEBHOOK_URL|GENERIC_TIMEZONE)$/.test(key)) continue;
      inherited[key] = value;
    }
    const ports = this.port
      ? {
          N8N_PORT: String(this.port),
          N8N_WEBHOOK_URL: `http://127.0.0.1:${this.port}/`,
          N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
        }
      : {};
    return {
      ...inherited,
      PATH: `${dirname(this.nodeBinary)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      N8N_USER_FOLDER: this.userFolder,
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      N8N_HOST: '127.0.0.1',
      N8N_PROTOCOL: 'http',
      N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
      N8N_ENCRYPTION_KEY: 'draft-assistant-e2e-encryption-key',
      DB_TYPE: 'sqlite',
      GENERIC_TIMEZONE: 'UTC',
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
      N8N_TEMPLATES_ENABLED: 'false',
      N8N_PERSONALIZATION_ENABLED: 'false',
      N8N_SECURE_COOKIE: 'false',
      N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
      N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
      N8N_DISABLED_MODULES: 'mcp-registry',
      N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
      N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
      N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
      N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
      N8N_INSTANCE_OWNER_PASSWORD_HASH: this.ownerPasswordHash(),
      N8N_LOG_OUTPUT: 'console',
      ...ports,
      ...this.extraEnv,
    };
  }

  private passwordHash?: string;

  private ownerPasswordHash(): string {
    if (!this.passwordHash) {
      const requireFromN8n = createRequire(join(this.n8nDir, 'node_modules/n8n/package.json'));
      const bcrypt = requireFromN8n('bcryptjs') as { hashSync(password: string, rounds: number): string };
      this.passwordHash = bcrypt.hashSync(this.ownerPassword, 10);
    }
    return this.passwordHash;
  }
}

export interface ExecutionSummary {
  id: string;
  workflowId: string;
  status: string;
  mode: string;
  startedAt: string;
  stoppedAt?: string;
  finished?: boolean;
}

/** One node's runs in an execution, as n8n stores them. */
export interface NodeRun {
  startTime: number;
  executionTime: number;
  executionStatus?: string;
  error?: { message: string; [key: string]: unknown };
  data?: { main?: ({ json: Record<string, unknown> }[] | null)[] };
}

export interface ExecutionDetails extends ExecutionSummary {
  data: {
    resultData: { runData: Record<string, NodeRun[]>; error?: { message: string; [key: string]: unknown }; lastNodeExecuted?: string };
    [key: string]: unknown;
  };
  workflowData: WorkflowJson;
}

/** REST client for the editor API, logged in as the env-managed owner. Works from any process. */
export class N8nClient {
  readonly connection: N8nConnection;
  private cookie?: string;

  constructor(connection: N8nConnection) {
    this.connection = connection;
  }

  async login(): Promise<void> {
    const response = await fetch(`${this.connection.baseUrl}/rest/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
      body: JSON.stringify({ emailOrLdapLoginId: this.connection.email, password: this.connection.password }),
    });
    if (!response.ok) throw new Error(`n8n login failed: ${response.status} ${await response.text()}`);
    const authCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
    if (!authCookie) throw new Error('n8n login returned no n8n-auth cookie');
    this.cookie = authCookie.split(';')[0];
  }

  /** GET/POST on the editor API; returns the `data` member n8n wraps responses in. */
  async rest<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const payload = await this.request(method, `/rest${path}`, body);
    return (payload as { data: T }).data;
  }

  async nodeTypes(): Promise<{ name: string; version: number | number[]; displayName: string; credentials?: { name: string }[] }[]> {
    return (await this.request('GET', '/types/nodes.json')) as never;
  }

  async credentialTypes(): Promise<{ name: string; displayName: string }[]> {
    return (await this.request('GET', '/types/credentials.json')) as never;
  }

  async getWorkflow(id: string): Promise<WorkflowJson & { active: boolean; versionId: string; activeVersionId?: string | null }> {
    return this.rest('GET', `/workflows/${id}`);
  }

  /** Creates a credential on the running instance; returns its (generated) id. */
  async createCredential(credential: Omit<CredentialImport, 'id'>): Promise<string> {
    const created = await this.rest<{ id: string }>('POST', '/credentials', credential);
    return created.id;
  }

  /** Creates a workflow on the running instance, keeping its id; unpublished until publishWorkflow. */
  async createWorkflow(workflow: WorkflowJson): Promise<void> {
    const { id, name, nodes, connections, settings } = workflow;
    await this.rest('POST', '/workflows', { id, name, nodes, connections, settings: settings ?? {} });
  }

  /** Publishes the workflow's current version on the running instance (the editor's Publish button). */
  async publishWorkflow(id: string): Promise<void> {
    const workflow = await this.getWorkflow(id);
    await this.rest('POST', `/workflows/${id}/activate`, { versionId: workflow.versionId });
  }

  /** Creates an API key for n8n's public API (/api/v1) with every scope the owner may grant; returns the key. */
  async createApiKey(label: string): Promise<string> {
    const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
    const created = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', { label, scopes, expiresAt: null });
    return created.rawApiKey;
  }

  async unpublishWorkflow(id: string): Promise<void> {
    await this.rest('POST', `/workflows/${id}/deactivate`, {});
  }

  async listExecutions(workflowId?: string): Promise<ExecutionSummary[]> {
    const query = workflowId ? `?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=250` : '?limit=250';
    const page = await this.rest<{ results: ExecutionSummary[] }>('GET', `/executions${query}`);
    return page.results;
  }

  /** One execution with its run data decoded (n8n stores it `flatted`). */
  async getExecution(id: string): Promise<ExecutionDetails> {
    const raw = await this.rest<Omit<ExecutionDetails, 'data'> & { data: string }>('GET', `/executions/${id}`);
    return { ...raw, data: parseFlatted(raw.data, this.connection.n8nDir) as ExecutionDetails['data'] };
  }

  /** Polls until `count` executions of the workflow have finished (not new/running/waiting). */
  async waitForExecutions(workflowId: string, count = 1, timeoutMs = 20_000): Promise<ExecutionSummary[]> {
    const deadline = Date.now() + timeoutMs;
    let finished: ExecutionSummary[] = [];
    while (Date.now() < deadline) {
      const executions = await this.listExecutions(workflowId);
      finished = executions.filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
      if (finished.length >= count) return finished;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`expected ${count} finished executions of workflow ${workflowId} within ${timeoutMs} ms, saw ${finished.length}`);
  }

  private async request(method: string, path: string, body?: unknown, retried = false): Promise<unknown> {
    if (!this.cookie) await this.login();
    const response = await fetch(`${this.connection.baseUrl}${path}`, {
      method,
      headers: {
        'browser-id': BROWSER_ID,
        cookie: this.cookie as string,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401 && !retried) {
      // The session is gone (e.g. n8n restarted); log in again once.
      this.cookie = undefined;
      return this.request(method, path, body, true);
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`n8n ${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as unknown;
  }
}

let flattedParse: ((text: string) => unknown) | undefined;

/** Decodes n8n's `flatted` run data with the flatted copy n8n itself ships. */
export function parseFlatted(text: string, n8nDir: string): unknown {
  if (!flattedParse) {
    const requireFromN8n = createRequire(join(n8nDir, 'node_modules/n8n/package.json'));
    flattedParse = (requireFromN8n('flatted') as { parse(text: string): unknown }).parse;
  }
  return flattedParse(text);
}
