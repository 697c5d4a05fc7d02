// Turns the "Draft Assistant Database" credential into an open, migrated store.
import type {
  ICredentialDataDecryptedObject,
  ICredentialsDecrypted,
  ICredentialTestFunctions,
  IExecuteFunctions,
  INodeCredentialTestResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { getStore, openStore, type Store, type StoreConfig } from '../shared/store/db';
import { schemaVersion } from '../shared/store/migrate';

export const DATABASE_CREDENTIAL = 'draftAssistantDatabase';
export const DATABASE_CREDENTIAL_TEST = 'draftAssistantDatabaseTest';

export function storeConfigFromCredential(data: ICredentialDataDecryptedObject): StoreConfig {
  if (data.backend === 'postgres') {
    return {
      backend: 'postgres',
      host: String(data.host || 'localhost'),
      port: Number(data.port || 5432),
      database: String(data.database || 'draft_assistant'),
      user: String(data.user || 'postgres'),
      password: data.password ? String(data.password) : undefined,
      ssl: Boolean(data.ssl),
    };
  }
  return { backend: 'sqlite', file: data.file ? String(data.file) : undefined };
}

export async function storeFor(ctx: IExecuteFunctions): Promise<Store> {
  const credential = await ctx.getCredentials(DATABASE_CREDENTIAL);
  try {
    return await getStore(storeConfigFromCredential(credential));
  } catch (error) {
    throw new NodeOperationError(ctx.getNode(), `Could not open the Draft Assistant database: ${(error as Error).message}`, {
      description: 'Check the "Draft Assistant Database" credential: the file path must be writable by n8n, or the PostgreSQL server reachable.',
    });
  }
}

/**
 * The credential's "Test" button: opens the database (creating the SQLite file and applying
 * migrations, as first use would) and reports what failed in words a user can act on.
 */
export async function testDatabaseCredential(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  try {
    const store = await openStore(storeConfigFromCredential(credential.data ?? {}));
    try {
      return { status: 'OK', message: `Connected; schema version ${await schemaVersion(store)}` };
    } finally {
      await store.close();
    }
  } catch (error) {
    return { status: 'Error', message: `Could not open the database: ${(error as Error).message}` };
  }
}
