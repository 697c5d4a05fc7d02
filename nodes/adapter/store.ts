// Turns the "Draft Assistant Database" credential into an open, migrated store.
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { getStore, type Store, type StoreConfig } from '../shared/db';

export const DATABASE_CREDENTIAL = 'draftAssistantDatabase';

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
