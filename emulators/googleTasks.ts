// A local Google Tasks v1 emulator with an OAuth token endpoint and fault injection.
//
// It enforces the rules of the real API that our executor depends on (Bearer tokens that
// expire, title/notes limits, date-only `due`, body `parent` ignored, `parent`/`previous`
// query parameters deciding the position, one level of subtasks, pagination, filters) and
// answers errors in Google's JSON shape. Faults are injected per API call so tests can
// reproduce 503s, 429s, rate-limit 403s, latency and "committed, then the connection
// dropped". Latency comes in two shapes, as with a real slow API: `latency` waits before the
// request is handled (a write lands late), `slowAnswer` handles it at once and answers late
// (a read's snapshot is old by the time it arrives, a write is applied before anyone hears).
// Only node: built-ins and erasable TypeScript, so other tools can run it as-is.
//
// In process: new GoogleTasksEmulator(); await start(); url; reset(); injectFaults([...]);
// setLatency(ms, phase?); expireAccessTokens(); revokeRefreshToken(); createTaskList(title);
// allTasks(listId); state(); callLog; tokenRequests; stop().
// Over HTTP (tests in another process):
//   GET  /_control/state      → { lists, tasksByList, calls, apiCallCount, tokenRequests, pendingFaults, refreshTokenRevoked }
//   POST /_control/reset
//   POST /_control/faults     { faults: FaultSpec[], clear?: true }
//   POST /_control/latency    { ms, phase?: 'before' | 'answer' }
//   POST /_control/tokens     { expireAccessTokens?: true, revokeRefreshToken?: true }
//   POST /_control/lists      { title } → the new list
// OAuth: POST /token (grant_type=refresh_token, client id/secret by Basic auth or form) with
// EMULATOR_CLIENT_ID / EMULATOR_CLIENT_SECRET / INITIAL_REFRESH_TOKEN; INITIAL_ACCESS_TOKEN
// is valid from the start.

import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export type FaultKind =
  | 'status503'
  | 'status500'
  | 'status429'
  | 'rateLimit403'
  /** 403 dailyLimitExceeded: the project's daily quota is used up. */
  | 'dailyLimit403'
  /** 400 invalid: Google refuses the request for good. */
  | 'invalid400'
  | 'commitThenDrop'
  | 'dropBeforeCommit'
  | 'latency'
  | 'slowAnswer';

export interface FaultSpec {
  kind: FaultKind;
  /** Apply on exactly this API call number (1-based, counted since the last reset). */
  onCall?: number;
  /** Otherwise the next API call(s) matching method/path take it. */
  method?: string;
  pathIncludes?: string;
  /** How many matching calls it hits (default 1); ignored with onCall. */
  times?: number;
  /** For status429 / rateLimit403: the Retry-After header in seconds (default 0: none sent). */
  retryAfterSeconds?: number;
  /** For latency: delay before the call is handled; for slowAnswer: between handling it and answering. */
  latencyMs?: number;
}

export interface EmulatedTask {
  kind: 'tasks#task';
  id: string;
  etag: string;
  title: string;
  updated: string;
  selfLink: string;
  webViewLink: string;
  parent?: string;
  position: string;
  notes?: string;
  status: 'needsAction' | 'completed';
  due?: string;
  completed?: string;
  deleted?: boolean;
  hidden?: boolean;
  links: unknown[];
}

export interface EmulatedTaskList {
  kind: 'tasks#taskList';
  id: string;
  etag: string;
  title: string;
  updated: string;
  selfLink: string;
}

export interface CallLogEntry {
  n: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  fault?: FaultKind;
}

export interface EmulatorOptions {
  /** Access-token lifetime returned by /token, in seconds. */
  tokenLifetimeSeconds?: number;
}

/** What exportState() returns and importState() takes. */
export interface GoogleTasksEmulatorState {
  lists: EmulatedTaskList[];
  tasks: [string, EmulatedTask[]][];
  siblingOrder: [string, string[]][];
}

export type LatencyPhase = 'before' | 'answer';

export const EMULATOR_CLIENT_ID = 'emulator-client-id';
export const EMULATOR_CLIENT_SECRET = 'emulator-client-secret';
export const INITIAL_ACCESS_TOKEN = 'emulator-access-token-0';
export const INITIAL_REFRESH_TOKEN = 'emulator-refresh-token';

const TITLE_MAX_CHARS = 1024;
const NOTES_MAX_CHARS = 8192;
const LIST_MAX_RESULTS = 100;
const LIST_DEFAULT_RESULTS = 20;

class ApiError extends Error {
  status: number;
  reason: string;
  statusText: string;
  headers: Record<string, string>;
  constructor(status: number, reason: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.statusText =
      ({ 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' } as Record<number, string>)[status] ?? 'UNKNOWN';
    this.headers = headers;
  }
}

function googleErrorBody(error: ApiError) {
  return {
    error: {
      code: error.status,
      message: error.message,
      errors: [{ message: error.message, domain: error.reason === 'rateLimitExceeded' ? 'usageLimits' : 'global', reason: error.reason }],
      status: error.statusText,
    },
  };
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** Google keeps only the date of `due`: any RFC 3339 timestamp becomes midnight UTC of its date. */
function normalizeDue(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new ApiError(400, 'invalid', `Invalid value for due: ${JSON.stringify(value)}`);
  }
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new ApiError(400, 'invalid', `Invalid value for due: ${JSON.stringify(value)}`);
  return `${value.slice(0, 10)}T00:00:00.000Z`;
}

export class GoogleTasksEmulator {
  url = '';
  private server: http.Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly tokenLifetimeSeconds: number;

  private lists: EmulatedTaskList[] = [];
  /** Tasks by list id, in insertion order; order among siblings lives in `siblingOrder`. */
  private tasks = new Map<string, EmulatedTask[]>();
  /** `${listId}/${parentId or ''}` → task ids in position order. */
  private siblingOrder = new Map<string, string[]>();
  private accessTokens = new Map<string, number>();
  private refreshTokenRevoked = false;
  private tokenCounter = 0;
  private apiCallCount = 0;
  private pendingFaults: FaultSpec[] = [];
  private latencyMs = 0;
  /** Where setLatency's delay goes: before handling every call, or between handling and answering. */
  private latencyPhase: LatencyPhase = 'before';
  callLog: CallLogEntry[] = [];
  tokenRequests = 0;

  constructor(options: EmulatorOptions = {}) {
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    this.reset();
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.sendJson(res, 500, { error: { code: 500, message: String(error), status: 'INTERNAL' } });
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Back to one empty default list, fresh tokens, no faults, empty call log. */
  reset(): void {
    const now = new Date().toISOString();
    const defaultList: EmulatedTaskList = {
      kind: 'tasks#taskList',
      id: 'MDAwMDAwMDAwMDAwMDAwMDAwMDA6MDow',
      etag: `"${newId()}"`,
      title: 'My Tasks',
      updated: now,
      selfLink: '',
    };
    defaultList.selfLink = `https://www.googleapis.com/tasks/v1/users/@me/lists/${defaultList.id}`;
    this.lists = [defaultList];
    this.tasks = new Map([[defaultList.id, []]]);
    this.siblingOrder = new Map();
    this.accessTokens = new Map([[INITIAL_ACCESS_TOKEN, Date.now() + this.tokenLifetimeSeconds * 1000]]);
    this.refreshTokenRevoked = false;
    this.apiCallCount = 0;
    this.pendingFaults = [];
    this.latencyMs = 0;
    this.latencyPhase = 'before';
    this.callLog = [];
    this.tokenRequests = 0;
  }

  // ------------------------------------------------------------ controls

  injectFaults(faults: FaultSpec[]): void {
    for (const fault of faults) this.pendingFaults.push({ ...fault, times: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.pendingFaults = [];
  }

  /** Every API call from now on is slow: handled late ('before'), or handled at once and answered late ('answer'). */
  setLatency(ms: number, phase: LatencyPhase = 'before'): void {
    this.latencyMs = ms;
    this.latencyPhase = phase;
  }

  /** Every access token issued so far stops working (as after an hour). */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, 0);
  }

  /** The user revoked access: the refresh token now gets invalid_grant. */
  revokeRefreshToken(): void {
    this.refreshTokenRevoked = true;
    this.expireAccessTokens();
  }

  createTaskList(title: string): EmulatedTaskList {
    const list: EmulatedTaskList = {
      kind: 'tasks#taskList',
      id: newId(),
      etag: `"${newId()}"`,
      title,
      updated: new Date().toISOString(),
      selfLink: '',
    };
    list.selfLink = `https://www.googleapis.com/tasks/v1/users/@me/lists/${list.id}`;
    this.lists.push(list);
    this.tasks.set(list.id, []);
    return list;
  }

  get defaultListId(): string {
    return this.lists[0].id;
  }

  taskLists(): EmulatedTaskList[] {
    return this.lists.map((l) => ({ ...l }));
  }

  /** Every task (deleted ones included) of a list, with positions as the API would return them. */
  allTasks(listId = this.defaultListId): EmulatedTask[] {
    const resolved = listId === '@default' ? this.defaultListId : listId;
    return (this.tasks.get(resolved) ?? []).map((t) => this.present(resolved, t));
  }

  state() {
    return {
      lists: this.taskLists(),
      tasksByList: Object.fromEntries(this.lists.map((l) => [l.id, this.allTasks(l.id)])),
      calls: this.callLog,
      apiCallCount: this.apiCallCount,
      tokenRequests: this.tokenRequests,
      pendingFaults: this.pendingFaults,
      refreshTokenRevoked: this.refreshTokenRevoked,
    };
  }

  // ------------------------------------------------------------ persistence (playground)

  /** Lists, tasks and their order as plain JSON, for the playground to keep across restarts. */
  exportState(): GoogleTasksEmulatorState {
    return {
      lists: this.lists.map((l) => ({ ...l })),
      tasks: [...this.tasks.entries()].map(([listId, tasks]) => [listId, tasks.map((t) => ({ ...t }))]),
      siblingOrder: [...this.siblingOrder.entries()].map(([key, ids]) => [key, [...ids]]),
    };
  }

  /** Restores what exportState() returned; tokens, faults and the call log start fresh. */
  importState(saved: GoogleTasksEmulatorState): void {
    if (!saved.lists?.length) return;
    this.lists = saved.lists.map((l) => ({ ...l }));
    this.tasks = new Map(saved.tasks.map(([listId, tasks]) => [listId, tasks.map((t) => ({ ...t }))]));
    for (const list of this.lists) if (!this.tasks.has(list.id)) this.tasks.set(list.id, []);
    this.siblingOrder = new Map(saved.siblingOrder.map(([key, ids]) => [key, [...ids]]));
  }

  // ------------------------------------------------------------ HTTP

  private sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(text);
  }

  private async readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const bodyText = await this.readBody(req);
    if (url.pathname.startsWith('/_control/')) return this.handleControl(method, url.pathname, bodyText, res);
    if (url.pathname === '/token' && method === 'POST') return this.handleToken(req, bodyText, res);
    if (!url.pathname.startsWith('/tasks/v1/')) return this.sendJson(res, 404, { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } });

    const n = ++this.apiCallCount;
    const query = Object.fromEntries(url.searchParams.entries());
    const entry: CallLogEntry = { n, method, path: url.pathname, query, status: 0 };
    this.callLog.push(entry);
    const fault = this.takeFault(n, method, url.pathname);
    if (fault) entry.fault = fault.kind;
    if (this.latencyMs > 0 && this.latencyPhase === 'before') await new Promise((r) => setTimeout(r, this.latencyMs));

    if (fault?.kind === 'latency') await new Promise((r) => setTimeout(r, fault.latencyMs ?? 0));
    if (fault?.kind === 'dropBeforeCommit') {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault && (fault.kind === 'dailyLimit403' || fault.kind === 'invalid400')) {
      const error =
        fault.kind === 'dailyLimit403' ? new ApiError(403, 'dailyLimitExceeded', 'Daily Limit Exceeded') : new ApiError(400, 'invalid', 'Invalid task: the request was refused.');
      entry.status = error.status;
      return this.sendJson(res, error.status, googleErrorBody(error));
    }
    if (fault && (fault.kind === 'status503' || fault.kind === 'status500' || fault.kind === 'status429' || fault.kind === 'rateLimit403')) {
      const error =
        fault.kind === 'status503'
          ? new ApiError(503, 'backendError', 'The service is currently unavailable.')
          : fault.kind === 'status500'
            ? new ApiError(500, 'backendError', 'Backend Error')
            : fault.kind === 'status429'
              ? new ApiError(429, 'rateLimitExceeded', 'Quota exceeded for quota metric requests per minute.')
              : new ApiError(403, 'rateLimitExceeded', 'Rate Limit Exceeded');
      const headers: Record<string, string> = fault.retryAfterSeconds ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      entry.status = error.status;
      return this.sendJson(res, error.status, googleErrorBody(error), headers);
    }

    let status = 200;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      this.authenticate(req);
      const result = this.route(method, url, bodyText);
      status = result.status;
      body = result.body;
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'backendError', String(error));
      status = apiError.status;
      body = googleErrorBody(apiError);
      headers = apiError.headers;
    }
    entry.status = status;
    if (fault?.kind === 'commitThenDrop') {
      // The change is already applied; the client never hears about it.
      entry.status = -status;
      req.socket.destroy();
      return;
    }
    const answerDelayMs = (fault?.kind === 'slowAnswer' ? (fault.latencyMs ?? 0) : 0) + (this.latencyPhase === 'answer' ? this.latencyMs : 0);
    if (answerDelayMs > 0) await new Promise((r) => setTimeout(r, answerDelayMs));
    if (status === 204) {
      res.writeHead(204);
      res.end();
      return;
    }
    this.sendJson(res, status, body, headers);
  }

  private takeFault(n: number, method: string, path: string): FaultSpec | undefined {
    const index = this.pendingFaults.findIndex((f) =>
      f.onCall !== undefined
        ? f.onCall === n
        : (!f.method || f.method.toUpperCase() === method) && (!f.pathIncludes || path.includes(f.pathIncludes)),
    );
    if (index < 0) return undefined;
    const fault = this.pendingFaults[index];
    if (fault.onCall !== undefined || (fault.times ?? 1) <= 1) this.pendingFaults.splice(index, 1);
    else fault.times = (fault.times ?? 1) - 1;
    return fault;
  }

  private authenticate(req: http.IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    const expiresAt = match ? this.accessTokens.get(match[1]) : undefined;
    if (!match || expiresAt === undefined || expiresAt <= Date.now()) {
      throw new ApiError(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      );
    }
  }

  private handleToken(req: http.IncomingMessage, bodyText: string, res: http.ServerResponse): void {
    this.tokenRequests++;
    const contentType = String(req.headers['content-type'] ?? '');
    const form: Record<string, string> = contentType.includes('json')
      ? (JSON.parse(bodyText || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(bodyText).entries());
    let clientId = form.client_id;
    let clientSecret = form.client_secret;
    const basic = /^Basic (.+)$/i.exec(String(req.headers.authorization ?? ''));
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id);
      clientSecret = decodeURIComponent(secret ?? '');
    }
    if (clientId !== EMULATOR_CLIENT_ID || clientSecret !== EMULATOR_CLIENT_SECRET) {
      return this.sendJson(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    }
    if (form.grant_type !== 'refresh_token') {
      return this.sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.grant_type}` });
    }
    if (form.refresh_token !== INITIAL_REFRESH_TOKEN || this.refreshTokenRevoked) {
      return this.sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    }
    const accessToken = `emulator-access-token-${++this.tokenCounter}`;
    this.accessTokens.set(accessToken, Date.now() + this.tokenLifetimeSeconds * 1000);
    this.sendJson(res, 200, {
      access_token: accessToken,
      expires_in: this.tokenLifetimeSeconds,
      scope: 'https://www.googleapis.com/auth/tasks',
      token_type: 'Bearer',
    });
  }

  private handleControl(method: string, path: string, bodyText: string, res: http.ServerResponse): void {
    const body = bodyText ? (JSON.parse(bodyText) as Record<string, unknown>) : {};
    if (path === '/_control/state' && method === 'GET') return this.sendJson(res, 200, this.state());
    if (path === '/_control/reset' && method === 'POST') {
      this.reset();
      return this.sendJson(res, 200, { ok: true });
    }
    if (path === '/_control/faults' && method === 'POST') {
      if (body.clear) this.clearFaults();
      this.injectFaults((body.faults as FaultSpec[]) ?? []);
      return this.sendJson(res, 200, { ok: true, pendingFaults: this.pendingFaults });
    }
    if (path === '/_control/latency' && method === 'POST') {
      this.setLatency(Number(body.ms ?? 0), body.phase === 'answer' ? 'answer' : 'before');
      return this.sendJson(res, 200, { ok: true });
    }
    if (path === '/_control/tokens' && method === 'POST') {
      if (body.expireAccessTokens) this.expireAccessTokens();
      if (body.revokeRefreshToken) this.revokeRefreshToken();
      return this.sendJson(res, 200, { ok: true });
    }
    if (path === '/_control/lists' && method === 'POST') {
      return this.sendJson(res, 200, this.createTaskList(String(body.title ?? 'List')));
    }
    this.sendJson(res, 404, { error: `Unknown control ${method} ${path}` });
  }

  // ------------------------------------------------------------ Tasks v1

  private route(method: string, url: URL, bodyText: string): { status: number; body?: unknown } {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent); // tasks, v1, ...
    const rest = parts.slice(2);
    const parseBody = () => {
      try {
        return (bodyText ? JSON.parse(bodyText) : {}) as Record<string, unknown>;
      } catch {
        throw new ApiError(400, 'parseError', 'Parse Error');
      }
    };
    if (rest[0] === 'users' && rest[1] === '@me' && rest[2] === 'lists' && rest.length === 3) {
      if (method === 'GET') return { status: 200, body: this.listTaskLists(url.searchParams) };
      if (method === 'POST') {
        const title = parseBody().title;
        if (typeof title !== 'string' || !title.trim()) throw new ApiError(400, 'invalid', 'Invalid task list title');
        return { status: 200, body: this.createTaskList(title) };
      }
    }
    if (rest[0] === 'lists' && rest[2] === 'tasks') {
      const listId = this.resolveList(rest[1]);
      if (rest.length === 3) {
        if (method === 'GET') return { status: 200, body: this.listTasks(listId, url.searchParams) };
        if (method === 'POST') return { status: 200, body: this.insertTask(listId, parseBody(), url.searchParams) };
      }
      if (rest.length === 4) {
        const task = this.findTask(listId, rest[3]);
        if (method === 'GET') return { status: 200, body: this.present(listId, task) };
        if (method === 'PATCH') return { status: 200, body: this.patchTask(listId, task, parseBody()) };
        if (method === 'DELETE') {
          this.deleteTask(listId, task);
          return { status: 204 };
        }
      }
    }
    throw new ApiError(404, 'notFound', `No route for ${method} ${url.pathname}`);
  }

  private resolveList(id: string): string {
    const resolved = id === '@default' ? this.defaultListId : id;
    if (!this.tasks.has(resolved)) throw new ApiError(404, 'notFound', 'Task list not found.');
    return resolved;
  }

  private findTask(listId: string, taskId: string, includeDeleted = false): EmulatedTask {
    const task = this.tasks.get(listId)!.find((t) => t.id === taskId);
    if (!task || (task.deleted && !includeDeleted)) throw new ApiError(404, 'notFound', 'Task not found.');
    return task;
  }

  private page<T>(items: T[], params: URLSearchParams): { items: T[]; nextPageToken?: string } {
    const requested = params.has('maxResults') ? Number(params.get('maxResults')) : LIST_DEFAULT_RESULTS;
    if (!Number.isInteger(requested) || requested < 1) throw new ApiError(400, 'invalid', 'Invalid value for maxResults');
    const size = Math.min(requested, LIST_MAX_RESULTS);
    let offset = 0;
    const token = params.get('pageToken');
    if (token) {
      offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, 'invalid', 'Invalid page token');
    }
    const slice = items.slice(offset, offset + size);
    const next = offset + size < items.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
    return next ? { items: slice, nextPageToken: next } : { items: slice };
  }

  private listTaskLists(params: URLSearchParams) {
    const { items, nextPageToken } = this.page(this.taskLists(), params);
    return { kind: 'tasks#taskLists', etag: `"${newId()}"`, ...(nextPageToken ? { nextPageToken } : {}), items };
  }

  private orderKey(listId: string, parent: string | undefined) {
    return `${listId}/${parent ?? ''}`;
  }

  private siblings(listId: string, parent: string | undefined): string[] {
    const key = this.orderKey(listId, parent);
    let order = this.siblingOrder.get(key);
    if (!order) {
      order = [];
      this.siblingOrder.set(key, order);
    }
    return order;
  }

  private present(listId: string, task: EmulatedTask): EmulatedTask {
    const index = this.siblings(listId, task.parent).indexOf(task.id);
    return { ...task, position: String(Math.max(index, 0)).padStart(20, '0') };
  }

  private listTasks(listId: string, params: URLSearchParams) {
    const showCompleted = params.get('showCompleted') !== 'false';
    const showHidden = params.get('showHidden') === 'true';
    const showDeleted = params.get('showDeleted') === 'true';
    const updatedMin = params.get('updatedMin');
    const updatedMinMs = updatedMin ? Date.parse(updatedMin) : undefined;
    if (updatedMin && Number.isNaN(updatedMinMs)) throw new ApiError(400, 'invalid', 'Invalid value for updatedMin');
    for (const name of ['dueMin', 'dueMax', 'completedMin', 'completedMax']) {
      if (params.has(name)) throw new ApiError(400, 'invalid', `${name} is not supported by this emulator`);
    }
    // Parents in position order, each followed by its subtasks in position order.
    const ordered: EmulatedTask[] = [];
    const byId = new Map(this.tasks.get(listId)!.map((t) => [t.id, t]));
    for (const id of this.siblings(listId, undefined)) {
      ordered.push(byId.get(id)!);
      for (const childId of this.siblings(listId, id)) ordered.push(byId.get(childId)!);
    }
    const visible = ordered.filter(
      (t) =>
        (showDeleted || !t.deleted) &&
        (showCompleted || t.status !== 'completed') &&
        (showHidden || !t.hidden) &&
        (updatedMinMs === undefined || Date.parse(t.updated) >= updatedMinMs),
    );
    const { items, nextPageToken } = this.page(visible.map((t) => this.present(listId, t)), params);
    return { kind: 'tasks#tasks', etag: `"${newId()}"`, ...(nextPageToken ? { nextPageToken } : {}), items };
  }

  private checkFields(body: Record<string, unknown>): void {
    if (body.title !== undefined && (typeof body.title !== 'string' || body.title.length > TITLE_MAX_CHARS)) {
      throw new ApiError(400, 'invalid', `Invalid value for title: at most ${TITLE_MAX_CHARS} characters`);
    }
    if (body.notes !== undefined && (typeof body.notes !== 'string' || body.notes.length > NOTES_MAX_CHARS)) {
      throw new ApiError(400, 'invalid', `Invalid value for notes: at most ${NOTES_MAX_CHARS} characters`);
    }
    if (body.status !== undefined && body.status !== 'needsAction' && body.status !== 'completed') {
      throw new ApiError(400, 'invalid', 'Invalid value for status');
    }
  }

  private insertTask(listId: string, body: Record<string, unknown>, params: URLSearchParams): EmulatedTask {
    this.checkFields(body);
    // Like the real API: `parent` in the body is ignored; only the query parameter counts.
    const parent = params.get('parent') || undefined;
    const previous = params.get('previous') || undefined;
    if (parent) {
      const parentTask = this.findTask(listId, parent);
      if (parentTask.parent) throw new ApiError(400, 'invalid', 'Invalid parent: subtasks cannot have subtasks');
    }
    const order = this.siblings(listId, parent);
    if (previous && !order.includes(previous)) throw new ApiError(400, 'invalid', 'Invalid previous: not a sibling under this parent');
    const now = new Date().toISOString();
    const id = newId();
    const task: EmulatedTask = {
      kind: 'tasks#task',
      id,
      etag: `"${newId()}"`,
      title: typeof body.title === 'string' ? body.title : '',
      updated: now,
      selfLink: `https://www.googleapis.com/tasks/v1/lists/${listId}/tasks/${id}`,
      webViewLink: `https://tasks.google.com/task/${id}`,
      position: '',
      status: body.status === 'completed' ? 'completed' : 'needsAction',
      links: [],
    };
    if (parent) task.parent = parent;
    if (typeof body.notes === 'string') task.notes = body.notes;
    if (body.due !== undefined && body.due !== null) task.due = normalizeDue(body.due);
    if (task.status === 'completed') task.completed = now;
    // Without `previous` a new task goes first among its siblings.
    order.splice(previous ? order.indexOf(previous) + 1 : 0, 0, id);
    this.tasks.get(listId)!.push(task);
    return this.present(listId, task);
  }

  private patchTask(listId: string, task: EmulatedTask, body: Record<string, unknown>): EmulatedTask {
    this.checkFields(body);
    if (typeof body.title === 'string') task.title = body.title;
    if (typeof body.notes === 'string') task.notes = body.notes;
    if (body.due !== undefined) task.due = body.due === null ? undefined : normalizeDue(body.due);
    if (body.status === 'completed' && task.status !== 'completed') {
      task.status = 'completed';
      task.completed = new Date().toISOString();
    } else if (body.status === 'needsAction') {
      task.status = 'needsAction';
      delete task.completed;
    }
    task.updated = new Date().toISOString();
    task.etag = `"${newId()}"`;
    return this.present(listId, task);
  }

  private deleteTask(listId: string, task: EmulatedTask): void {
    const now = new Date().toISOString();
    // Deleting a parent deletes its subtasks too.
    for (const t of this.tasks.get(listId)!) {
      if (t.id === task.id || t.parent === task.id) {
        t.deleted = true;
        t.updated = now;
      }
    }
  }
}
