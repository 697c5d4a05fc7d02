// The credentials the shared e2e instance is given, with FIXED ids so workflow JSON in workflows/
// and test/e2e/fixtures/ can reference them:
//   cred-telegram  telegramApi             → Telegram emulator
//   cred-gemini    googlePalmApi           → Gemini emulator
//   cred-gtasks    googleTasksOAuth2Api    → Google Tasks emulator (token refresh at its /token)
//   cred-db        draftAssistantDatabase  → SQLite file in the run's temp folder
//   cred-telegram-echo telegramApi         → a second emulated bot, only for the harness's own
//                                            echo fixture (one webhook per bot: it must not take
//                                            over the assistant bot's webhook)
// In workflow JSON: "credentials": { "telegramApi": { "id": "cred-telegram", "name": "Telegram (emulator)" } }
import type { CredentialImport } from './n8n';

export const CREDENTIAL_IDS = {
  telegram: 'cred-telegram',
  gemini: 'cred-gemini',
  googleTasks: 'cred-gtasks',
  database: 'cred-db',
  telegramEcho: 'cred-telegram-echo',
} as const;

export function telegramCredential(baseUrl: string, accessToken: string, id: string = CREDENTIAL_IDS.telegram): CredentialImport {
  // n8n calls `${baseUrl}/bot${accessToken}/${method}`: no trailing slash.
  const name = id === CREDENTIAL_IDS.telegram ? 'Telegram (emulator)' : 'Telegram echo bot (emulator)';
  return { id, name, type: 'telegramApi', data: { accessToken, baseUrl: baseUrl.replace(/\/$/, '') } };
}

export function geminiCredential(host: string, apiKey: string): CredentialImport {
  return { id: CREDENTIAL_IDS.gemini, name: 'Gemini (emulator)', type: 'googlePalmApi', data: { host: host.replace(/\/$/, ''), apiKey } };
}

/**
 * accessTokenUrl is a hidden field of googleTasksOAuth2Api, but n8n honours a value stored in the
 * data, so token refreshes go to the emulator instead of Google.
 */
export function googleTasksCredential(options: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
}): CredentialImport {
  return {
    id: CREDENTIAL_IDS.googleTasks,
    name: 'Google Tasks (emulator)',
    type: 'googleTasksOAuth2Api',
    data: {
      grantType: 'authorizationCode',
      authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      accessTokenUrl: options.tokenUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      scope: 'https://www.googleapis.com/auth/tasks',
      authQueryParameters: 'access_type=offline&prompt=consent',
      authentication: 'body',
      oauthTokenData: { access_token: options.accessToken, refresh_token: options.refreshToken, token_type: 'Bearer', expires_in: 3599 },
    },
  };
}

export function databaseCredential(file: string): CredentialImport {
  return { id: CREDENTIAL_IDS.database, name: 'Draft Assistant DB (e2e)', type: 'draftAssistantDatabase', data: { backend: 'sqlite', file } };
}
