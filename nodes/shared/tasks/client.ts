// The Google Tasks client: the only module that imports @googleapis/tasks.
//
// We keep googleapis' typed Tasks client but hand it our own `auth` object: googleapis-common
// calls `auth.request(options)` and expects a gaxios-shaped response back. Whoever builds the
// client supplies a transport (n8n's httpRequestWithAuthentication inside n8n, a fetch-based
// OAuth transport elsewhere), so token refresh stays with the owner of the credential.
// Every failure leaves here as a TasksApiError that says whether a retry may help and
// whether the request may have been applied although we got no answer.

import { tasks_v1 } from '@googleapis/tasks';

export const DEFAULT_TASKS_ROOT_URL = 'https://tasks.googleapis.com';
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

export interface TasksHttpRequest {
  method: string;
  url: string;
  /** Query parameters (already without undefined values). */
  query: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

export interface TasksHttpResponse {
  status: number;
  data: unknown;
  headers: Record<string, string>;
}

/** Sends one request with authentication. Resolves only for 2xx; throws anything otherwise. */
export type TasksTransport = (request: TasksHttpRequest) => Promise<TasksHttpResponse>;

export type TasksErrorKind = 'http' | 'network' | 'timeout' | 'auth_revoked';

export class TasksApiError extends Error {
  readonly kind: TasksErrorKind;
  readonly status?: number;
  readonly reason?: string;
  readonly retryAfterMs?: number;
  constructor(kind: TasksErrorKind, message: string, details: { status?: number; reason?: string; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'TasksApiError';
    this.kind = kind;
    this.status = details.status;
    this.reason = details.reason;
    this.retryAfterMs = details.retryAfterMs;
  }

  get isRateLimit(): boolean {
    return (
      this.status === 429 ||
      (this.status === 403 && (this.reason === 'rateLimitExceeded' || this.reason === 'userRateLimitExceeded'))
    );
  }

  /**
   * The project's per-day quota is used up: it comes back after Google's daily reset (midnight
   * Pacific time), so it is neither a rate limit to retry in seconds nor a permanent refusal.
   */
  get isDailyQuota(): boolean {
    return (this.status === 403 || this.status === 429) && (this.reason === 'dailyLimitExceeded' || this.reason === 'dailyLimitExceededUnreg');
  }

  /** 429, rate-limit 403, 5xx, dropped connections and timeouts: trying again later may work. */
  get retryable(): boolean {
    if (this.kind === 'auth_revoked') return false;
    if (this.kind === 'network' || this.kind === 'timeout') return true;
    if (this.isDailyQuota) return false;
    return this.isRateLimit || (this.status !== undefined && this.status >= 500);
  }

  /**
   * Whether a write may have been applied even though it failed from our side: the server
   * may commit and then fail to answer (5xx, reset, timeout). Rate limits and other 4xx are
   * answered before anything is written.
   */
  get mayHaveCommitted(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout') return true;
    return this.kind === 'http' && this.status !== undefined && this.status >= 500;
  }
}

// ------------------------------------------------------------ error normalization

function parseRetryAfterMs(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(Array.isArray(value) ? value[0] : value);
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function headerValue(headers: unknown, name: string): unknown {
  if (!headers || typeof headers !== 'object') return undefined;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return (get as (n: string) => unknown).call(headers, name) ?? undefined;
  const entry = Object.entries(headers as Record<string, unknown>).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

/** Reads Google's `{error:{code,message,errors:[{reason}]}}` from a response body (object or JSON text). */
export function googleErrorDetails(data: unknown): { message?: string; reason?: string; oauthError?: string } {
  let body = data;
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data);
    } catch {
      return { message: data.slice(0, 300) || undefined };
    }
  }
  if (!body || typeof body !== 'object') return {};
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') {
    // OAuth token endpoint shape: {error:'invalid_grant', error_description}
    return { oauthError: error, message: String((body as { error_description?: unknown }).error_description ?? error) };
  }
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; errors?: { reason?: unknown }[] };
    return { message: e.message ? String(e.message) : undefined, reason: e.errors?.[0]?.reason ? String(e.errors[0].reason) : undefined };
  }
  return {};
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Errors wrap errors (n8n's NodeApiError → axios error; fetch's TypeError → socket error). */
function errorChain(error: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    chain.push(current as Record<string, unknown>);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function mentionsRevokedGrant(link: Record<string, unknown>): boolean {
  const body = link.body as { error?: unknown } | undefined;
  if (body && typeof body === 'object' && body.error === 'invalid_grant') return true;
  const data = (link.response as { data?: unknown } | undefined)?.data;
  if (googleErrorDetails(data).oauthError === 'invalid_grant') return true;
  const text = `${String(link.message ?? '')} ${String(link.description ?? '')}`;
  // n8n ≥ 2.x reports a revoked grant as "The credential … needs to be reconnected."
  return /invalid_grant|needs to be reconnected/i.test(text);
}

/**
 * Turns whatever a transport threw into a TasksApiError. Google Calendar answers in the same
 * shapes, so its client uses this too, with its own name in the messages.
 */
export function toTasksApiError(error: unknown, service = 'Google Tasks'): TasksApiError {
  if (error instanceof TasksApiError) return error;
  const chain = errorChain(error);
  const top = chain[0] ?? {};
  const topMessage = error instanceof Error ? error.message : String(error);

  if (chain.some(mentionsRevokedGrant)) {
    return new TasksApiError('auth_revoked', `Google refused to refresh the access token (invalid_grant): ${topMessage}`);
  }

  for (const link of chain) {
    const response = link.response as { status?: unknown; statusCode?: unknown; data?: unknown; body?: unknown; headers?: unknown } | undefined;
    const status = Number(response?.status ?? response?.statusCode ?? NaN);
    if (response && Number.isInteger(status) && status > 0) {
      const details = googleErrorDetails(response.data ?? response.body);
      return new TasksApiError('http', details.message ?? topMessage, {
        status,
        reason: details.reason,
        retryAfterMs: parseRetryAfterMs(headerValue(response.headers, 'retry-after')),
      });
    }
  }

  for (const link of chain) {
    const code = String(link.code ?? '');
    const name = String(link.name ?? '');
    if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT' || code === 'ECONNABORTED' || /timeout/i.test(String(link.message ?? ''))) {
      return new TasksApiError('timeout', `${service} did not answer in time: ${topMessage}`);
    }
    if (NETWORK_CODES.has(code) || /socket hang up|fetch failed|other side closed/i.test(String(link.message ?? ''))) {
      return new TasksApiError('network', `Connection to ${service} failed: ${topMessage}`);
    }
  }

  // n8n's NodeApiError without a response keeps the HTTP code as a string.
  const httpCode = Number(top.httpCode ?? NaN);
  if (Number.isInteger(httpCode) && httpCode > 0) {
    return new TasksApiError('http', topMessage, { status: httpCode });
  }
  return new TasksApiError('network', topMessage);
}

// ------------------------------------------------------------ the client

export interface TaskListSummary {
  id: string;
  title: string;
  updated?: string;
}

export interface RemoteTask {
  id: string;
  title: string;
  notes?: string;
  due?: string;
  parent?: string;
  position?: string;
  status?: string;
  updated?: string;
  completed?: string;
  selfLink?: string;
  webViewLink?: string;
  deleted?: boolean;
  hidden?: boolean;
}

export interface NewTask {
  title: string;
  notes?: string;
  /** RFC 3339; Google keeps only the date. */
  due?: string;
}

export interface ListTasksOptions {
  showCompleted?: boolean;
  showHidden?: boolean;
  updatedMin?: string;
  maxResults?: number;
  pageToken?: string;
}

export interface TasksClient {
  listTaskLists(pageToken?: string): Promise<{ items: TaskListSummary[]; nextPageToken?: string }>;
  listTasks(taskListId: string, options?: ListTasksOptions): Promise<{ items: RemoteTask[]; nextPageToken?: string }>;
  insertTask(taskListId: string, task: NewTask, position?: { parent?: string; previous?: string }): Promise<RemoteTask>;
  deleteTask(taskListId: string, taskId: string): Promise<void>;
  /** Marks a task completed (PATCH status: 'completed'); Google sets its `completed` time. */
  completeTask(taskListId: string, taskId: string): Promise<RemoteTask>;
  /** HTTP requests sent so far, token refreshes excluded. */
  readonly apiCalls: number;
}

export interface TasksClientOptions {
  transport: TasksTransport;
  rootUrl?: string;
  timeoutMs?: number;
}

export type GaxiosLikeOptions = {
  url: string;
  method?: string;
  params?: Record<string, unknown>;
  data?: unknown;
  timeout?: number;
};

function cleanQuery(params: Record<string, unknown> | undefined): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    // A repeated parameter (Calendar's privateExtendedProperty) goes as its first value: we send one at most.
    if (Array.isArray(value)) {
      if (value.length) query[key] = String(value[0]);
    } else if (value !== undefined && value !== null) query[key] = String(value);
  }
  return query;
}

/**
 * What a googleapis client (Tasks, Calendar) takes as `auth`: its requests go through our
 * transport (n8n's OAuth2 helper, or a plain fetch in tests), counted for the usage figures.
 */
export function transportAuth(transport: TasksTransport, timeoutMs: number): { auth: { request(opts: GaxiosLikeOptions): Promise<unknown> }; readonly apiCalls: number } {
  let apiCalls = 0;
  return {
    auth: {
      async request(opts: GaxiosLikeOptions) {
        apiCalls++;
        const response = await transport({ method: (opts.method ?? 'GET').toUpperCase(), url: opts.url, query: cleanQuery(opts.params), body: opts.data, timeoutMs });
        return { ...response, config: opts, statusText: '', request: { responseURL: opts.url } };
      },
    },
    get apiCalls() {
      return apiCalls;
    },
  };
}

function toRemoteTask(task: tasks_v1.Schema$Task): RemoteTask {
  return {
    id: String(task.id),
    title: task.title ?? '',
    ...(task.notes ? { notes: task.notes } : {}),
    ...(task.due ? { due: task.due } : {}),
    ...(task.parent ? { parent: task.parent } : {}),
    ...(task.position ? { position: task.position } : {}),
    ...(task.status ? { status: task.status } : {}),
    ...(task.updated ? { updated: task.updated } : {}),
    ...(task.completed ? { completed: task.completed } : {}),
    ...(task.selfLink ? { selfLink: task.selfLink } : {}),
    ...(task.webViewLink ? { webViewLink: task.webViewLink } : {}),
    ...(task.deleted ? { deleted: true } : {}),
    ...(task.hidden ? { hidden: true } : {}),
  };
}

export function createTasksClient(options: TasksClientOptions): TasksClient {
  const counted = transportAuth(options.transport, options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const api = new tasks_v1.Tasks({
    // googleapis only needs request(); the cast is for its AuthClient type.
    auth: counted.auth as unknown as tasks_v1.Options['auth'],
    rootUrl: (options.rootUrl || DEFAULT_TASKS_ROOT_URL).replace(/\/+$/, '') + '/',
  });

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toTasksApiError(error);
    }
  }

  return {
    get apiCalls() {
      return counted.apiCalls;
    },
    listTaskLists: (pageToken) =>
      call(async () => {
        const res = await api.tasklists.list({ maxResults: 100, pageToken });
        return {
          items: (res.data.items ?? []).map((l) => ({ id: String(l.id), title: l.title ?? '', ...(l.updated ? { updated: l.updated } : {}) })),
          ...(res.data.nextPageToken ? { nextPageToken: res.data.nextPageToken } : {}),
        };
      }),
    listTasks: (taskListId, listOptions = {}) =>
      call(async () => {
        const res = await api.tasks.list({
          tasklist: taskListId,
          maxResults: listOptions.maxResults ?? 100,
          pageToken: listOptions.pageToken,
          showCompleted: listOptions.showCompleted,
          showHidden: listOptions.showHidden,
          updatedMin: listOptions.updatedMin,
        });
        return {
          items: (res.data.items ?? []).map(toRemoteTask),
          ...(res.data.nextPageToken ? { nextPageToken: res.data.nextPageToken } : {}),
        };
      }),
    insertTask: (taskListId, task, position = {}) =>
      call(async () => {
        const res = await api.tasks.insert({
          tasklist: taskListId,
          // The API ignores `parent` in the body: position is only set by these query parameters.
          parent: position.parent,
          previous: position.previous,
          requestBody: { title: task.title, notes: task.notes, due: task.due },
        });
        return toRemoteTask(res.data);
      }),
    deleteTask: (taskListId, taskId) =>
      call(async () => {
        await api.tasks.delete({ tasklist: taskListId, task: taskId });
      }),
    completeTask: (taskListId, taskId) =>
      call(async () => {
        const res = await api.tasks.patch({ tasklist: taskListId, task: taskId, requestBody: { status: 'completed' } });
        return toRemoteTask(res.data);
      }),
  };
}

/**
 * A view of a client that counts only the calls made through it, so that executions sharing
 * one client concurrently each report their own number of requests.
 */
export function countCalls(client: TasksClient): TasksClient {
  let calls = 0;
  const counted =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls++;
      return fn(...args);
    };
  return {
    get apiCalls() {
      return calls;
    },
    listTaskLists: counted(client.listTaskLists),
    listTasks: counted(client.listTasks),
    insertTask: counted(client.insertTask),
    deleteTask: counted(client.deleteTask),
    completeTask: counted(client.completeTask),
  };
}
