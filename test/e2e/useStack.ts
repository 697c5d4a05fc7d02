// A test file's own stack (playground/stack.ts): started in beforeAll in a fresh temp folder,
// stopped in afterAll, the folder deleted unless E2E_KEEP is set. For files that cannot share the
// e2e project's n8n (they restart it, shorten a lease, run queue mode, or upgrade the workflows).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type Store } from '../../nodes/shared/store/db';
import { startStack, type Stack, type StackOptions } from '../../playground/stack';
import type { N8nClient } from '../../n8n/instance';

export interface UseStackOptions extends Omit<StackOptions, 'dataDir'> {
  /** Names the temp folder (`<tmp>/draft-assistant-<name>-…`). */
  name: string;
  /** beforeAll's timeout; default: the file's jest timeout. */
  startTimeoutMs?: number;
  /** Start nothing (the file's tests are skipped). */
  skip?: boolean;
}

/** The running stack; each property throws until beforeAll has started it. */
export interface OwnStack {
  readonly stack: Stack;
  /** The assistant's store (the draftAssistantDatabase credential's database). */
  readonly store: Store;
  /** n8n's REST client, logged in as the owner (it logs in again by itself after a restart). */
  readonly n8n: N8nClient;
  readonly dataDir: string;
}

export function useStack(options: UseStackOptions): OwnStack {
  const { name, startTimeoutMs, skip, ...stackOptions } = options;
  let dataDir: string | undefined;
  let stack: Stack | undefined;
  let store: Store | undefined;
  let n8n: N8nClient | undefined;

  beforeAll(async () => {
    if (skip) return;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `draft-assistant-${name}-`));
    stack = await startStack({ ...stackOptions, dataDir });
    store = await openStore(stack.storeConfig);
    n8n = stack.n8n.client();
    await n8n.login();
  }, startTimeoutMs);

  afterAll(async () => {
    await store?.close();
    await stack?.stop();
    if (!dataDir) return;
    if (process.env.E2E_KEEP) process.stderr.write(`e2e ${name}: kept ${dataDir}\n`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const running = <T>(value: T | undefined): T => {
    if (value === undefined || !n8n) throw new Error(`the ${name} stack is not running (useStack's beforeAll has not finished)`);
    return value;
  };
  return {
    get stack() {
      return running(stack);
    },
    get store() {
      return running(store);
    },
    get n8n() {
      return running(n8n);
    },
    get dataDir() {
      return running(dataDir);
    },
  };
}
