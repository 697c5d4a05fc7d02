// A TasksTransport outside n8n: fetch with an OAuth2 Bearer token that is refreshed at the
// token endpoint on a 401, the same contract n8n's OAuth2 credentials follow. Test-only (not
// shipped): used by the tests, their child processes and the benchmark; inside n8n the node uses
// n8n's own helper.

import { TasksApiError, googleErrorDetails, toTasksApiError, type TasksHttpRequest, type TasksHttpResponse, type TasksTransport } from '../../nodes/shared/tasks/client';

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

function headersToObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class OAuthFetchTransport {
  private tokens: OAuthTokens;
  /** One refresh at a time: concurrent 401s share it. */
  private refreshing: Promise<void> | undefined;
  refreshCount = 0;

  constructor(tokens: OAuthTokens) {
    this.tokens = { ...tokens };
  }

  get accessToken(): string {
    return this.tokens.accessToken;
  }

  readonly send: TasksTransport = async (request) => {
    const first = await this.attempt(request);
    if (first.status !== 401) return this.settle(first);
    const usedToken = first.token;
    // Another request may have refreshed meanwhile; only refresh if our token is still current.
    if (usedToken === this.tokens.accessToken) await this.refresh();
    return this.settle(await this.attempt(request));
  };

  private async attempt(request: TasksHttpRequest): Promise<TasksHttpResponse & { token: string }> {
    const token = this.tokens.accessToken;
    const url = new URL(request.url);
    for (const [key, value] of Object.entries(request.query)) url.searchParams.set(key, value);
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      return { status: response.status, data: await readBody(response), headers: headersToObject(response.headers), token };
    } catch (error) {
      throw toTasksApiError(error);
    }
  }

  private settle(response: TasksHttpResponse): TasksHttpResponse {
    if (response.status >= 200 && response.status < 300) return response;
    throw toTasksApiError({ message: `Google Tasks answered ${response.status}`, response });
  }

  private refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.requestNewAccessToken().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async requestNewAccessToken(): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.tokens.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.tokens.clientId)}:${encodeURIComponent(this.tokens.clientSecret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.tokens.refreshToken }).toString(),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      throw toTasksApiError(error);
    }
    const body = await readBody(response);
    if (!response.ok) {
      const details = googleErrorDetails(body);
      if (details.oauthError === 'invalid_grant') {
        throw new TasksApiError('auth_revoked', `Google refused to refresh the access token (invalid_grant): ${details.message ?? ''}`.trim());
      }
      throw new TasksApiError('http', `Token refresh failed: ${details.message ?? response.status}`, { status: response.status });
    }
    const accessToken = (body as { access_token?: unknown } | undefined)?.access_token;
    if (typeof accessToken !== 'string') throw new TasksApiError('http', 'Token refresh answered without an access_token', { status: response.status });
    this.tokens.accessToken = accessToken;
    this.refreshCount++;
  }
}
