// Google Tasks from inside n8n: requests go through n8n's httpRequestWithAuthentication with
// the built-in Google Tasks OAuth2 credential, so n8n signs them, refreshes an expired token
// on a 401 and stores the new one. The googleapis client on top stays typed.
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, ILoadOptionsFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { InputError } from '../shared/errors';
import { createTasksClient, DEFAULT_TASKS_ROOT_URL, type TasksClient, type TasksTransport } from '../shared/tasks/client';

export const GOOGLE_TASKS_CREDENTIAL = 'googleTasksOAuth2Api';

function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** Google's APIs through one of n8n's Google OAuth2 credentials (Tasks by default; the Event Executor passes Calendar's). */
export function n8nTasksTransport(ctx: IExecuteFunctions | ILoadOptionsFunctions, credentialType: string = GOOGLE_TASKS_CREDENTIAL): TasksTransport {
  return async (request) => {
    // No ignoreHttpStatusErrors: n8n only refreshes the token when a 401 is thrown.
    const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
      method: request.method as IHttpRequestMethods,
      url: request.url,
      qs: request.query as IDataObject,
      ...(request.body === undefined ? {} : { body: request.body as IDataObject }),
      json: true,
      returnFullResponse: true,
      timeout: request.timeoutMs,
    })) as IN8nHttpFullResponse;
    return { status: response.statusCode, data: response.body, headers: plainHeaders(response.headers) };
  };
}

/**
 * Set on the n8n process to point every Task Executor whose API Base URL is empty at an
 * emulator or a proxy, without editing the workflows (the playground and the e2e suite do).
 */
export const TASKS_URL_ENV = 'DRAFT_ASSISTANT_GOOGLE_TASKS_URL';

// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- an operator's setting of the n8n process, read only as a fallback
export function tasksRootUrl(apiBaseUrl: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof apiBaseUrl === 'string' && apiBaseUrl.trim()) return apiBaseUrl.trim();
  return env[TASKS_URL_ENV]?.trim() || DEFAULT_TASKS_ROOT_URL;
}

export function tasksClientFor(ctx: IExecuteFunctions | ILoadOptionsFunctions, apiBaseUrl: unknown): TasksClient {
  const rootUrl = tasksRootUrl(apiBaseUrl);
  return createTasksClient({ transport: n8nTasksTransport(ctx), rootUrl });
}

/**
 * Set on the n8n process to change how long a Task Executor run holds a draft's execution
 * before another may take it over (default: the executor's EXECUTION_LEASE_MS). A live run renews
 * it while it works, so this only decides how soon a crashed run's draft is picked up again. It
 * must stay well above one request's timeout. The e2e suite shortens it to make Google slower
 * than the lease.
 */
export const EXECUTION_LEASE_ENV = 'DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS';

// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- an operator's setting of the n8n process
export function executionLeaseMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[EXECUTION_LEASE_ENV]?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new InputError(`${EXECUTION_LEASE_ENV} must be a number of seconds, at least 1 (got "${raw}")`);
  }
  return Math.round(seconds * 1000);
}

/** Accepts a plain list id or a resource-locator value ({ __rl, value }). */
export function taskListIdFrom(value: unknown): string {
  const raw = value && typeof value === 'object' ? (value as { value?: unknown }).value : value;
  const id = typeof raw === 'string' ? raw.trim() : '';
  return id || '@default';
}
