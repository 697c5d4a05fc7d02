// Node tests: each test gets its own SQLite file behind the node's credential, and a handle
// on the same store (getStore shares the node's connection) to look at the rows.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { closeAllStores, getStore, type Store } from '../../nodes/shared/store/db';

export interface NodeDb {
  readonly credentials: Record<string, IDataObject>;
  readonly store: Store;
}

export function useNodeDatabase(): NodeDb {
  let dir: string;
  let file: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-node-'));
    file = path.join(dir, 'node.sqlite');
    store = await getStore({ backend: 'sqlite', file });
  });
  afterEach(async () => {
    await closeAllStores();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get credentials() {
      return { draftAssistantDatabase: { backend: 'sqlite', file } };
    },
    get store() {
      return store;
    },
  };
}

/** Runs fn, which must throw a NodeOperationError; returns it for further checks. */
export async function nodeOperationError(fn: () => Promise<unknown>): Promise<NodeOperationError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NodeOperationError);
    return error as NodeOperationError;
  }
  throw new Error('expected a NodeOperationError, but the node succeeded');
}
