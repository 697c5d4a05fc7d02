/**
 * Test stand-in for n8n's `helpers.httpRequestWithAuthentication` with an OAuth2 credential
 * (googleTasksOAuth2Api), following n8n-core's requestOAuth2 for n8n requests: sign with the
 * stored access token; on a thrown 401 refresh at the credential's accessTokenUrl, keep the
 * new token in the credential and send again; a refresh answered with invalid_grant becomes
 * "The credential … needs to be reconnected."; every failure leaves wrapped in NodeApiError
 * around an axios-shaped error ({ response: { status, data, headers } }).
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { JsonObject } from 'n8n-workflow';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

interface OAuth2CredentialData {
  clientId: string;
  clientSecret: string;
  accessTokenUrl: string;
  oauthTokenData: { access_token: string; refresh_token: string };
}

export const refreshLog: string[] = [];

async function send(options: IHttpRequestOptions, accessToken: string) {
  const url = new URL(options.url);
  for (const [key, value] of Object.entries(options.qs ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
  const hasBody = options.body !== undefined && options.method !== 'GET';
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: { authorization: `Bearer ${accessToken}`, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: hasBody ? JSON.stringify(options.body) : undefined,
    signal: options.timeout ? AbortSignal.timeout(options.timeout) : undefined,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : '';
  } catch {
    /* not JSON: keep the text */
  }
  const headers: IDataObject = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  if (!response.ok) {
    throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
      isAxiosError: true,
      response: { status: response.status, data: body, headers },
    });
  }
  return options.returnFullResponse ? { body, headers, statusCode: response.status, statusMessage: response.statusText } : body;
}

async function refresh(credentials: OAuth2CredentialData): Promise<void> {
  refreshLog.push(credentials.accessTokenUrl);
  const response = await fetch(credentials.accessTokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.oauthTokenData.refresh_token }).toString(),
  });
  const body = (await response.json()) as { error?: string; access_token?: string };
  if (!response.ok) throw Object.assign(new Error(`Unable to refresh token: ${body.error}`), { code: 'EAUTH', body });
  // n8n stores the refreshed token in the credential.
  credentials.oauthTokenData.access_token = body.access_token!;
}

export async function httpRequestWithAuthentication(this: Context, credentialsType: string, options: IHttpRequestOptions): Promise<unknown> {
  const credentials = (await this.getCredentials(credentialsType)) as unknown as OAuth2CredentialData;
  try {
    try {
      return await send(options, credentials.oauthTokenData.access_token);
    } catch (error) {
      if ((error as { response?: { status?: number } }).response?.status !== 401) throw error;
      try {
        await refresh(credentials);
      } catch (refreshError) {
        if ((refreshError as { body?: { error?: string } }).body?.error === 'invalid_grant') {
          throw new NodeOperationError(this.getNode(), `The credential of type "${credentialsType}" needs to be reconnected.`, {
            description: 'Access could not be refreshed because the connected account has revoked access.',
          });
        }
        throw refreshError;
      }
      return await send(options, credentials.oauthTokenData.access_token);
    }
  } catch (error) {
    throw new NodeApiError(this.getNode(), error as JsonObject);
  }
}
