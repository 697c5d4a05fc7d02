// The Command Queue node's operations for the Operations workflow (Stats, Purge Old Records,
// Back Up Database), run outside n8n against a real SQLite file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommandQueue } from '../nodes/CommandQueue/CommandQueue.node';
import { enqueueCommand } from '../nodes/shared/queue/commands';
import { runNode } from './helpers/nodeHarness';
import { nodeOperationError, useNodeDatabase } from './helpers/nodeStore';
import { rowCounts } from './helpers/rows';

const node = new CommandQueue();

describe('Command Queue node: operations', () => {
  const db = useNodeDatabase();
  let scratch: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-ops-'));
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('Stats outputs the queue figures, API use against the quotas given, database size and a summary to send', async () => {
    await enqueueCommand(db.store, {
      type: 'draft_task_from_text',
      userId: 'telegram:5',
      payload: { text: 'buy milk' },
      dedupeKey: 'k1',
      auditDetails: { source: 'gemini', usage: { promptTokens: 10, outputTokens: 2, totalTokens: 12 } },
    });
    const [[item]] = await runNode(node, {
      parameters: { operation: 'stats', windowMinutes: 1440, geminiDailyQuota: 100, tasksDailyQuota: 1000 },
      credentials: db.credentials,
    });
    expect(item.json).toMatchObject({
      byStatus: { pending: 1, processing: 0, completed: 0, failed: 0, dead: 0 },
      windowMinutes: 1440,
      commandsPerDay: 1,
      gemini: { calls: 1, totalTokens: 12, dailyQuota: 100, quotaUsed: 0.01 },
      googleTasks: { calls: 0, dailyQuota: 1000, quotaUsed: 0 },
      database: { backend: 'sqlite', sizeBytes: expect.any(Number) },
    });
    expect(item.json.summaryText).toContain('<b>Gemini</b> (24 h): 1 / 100 requests (1%) · 12 tokens');
    expect(item.pairedItem).toEqual({ item: 0 });
  });

  it('Stats uses the free-tier quotas when the workflow does not set them', async () => {
    const [[item]] = await runNode(node, { parameters: { operation: 'stats' }, credentials: db.credentials });
    expect(item.json).toMatchObject({ windowMinutes: 60, gemini: { dailyQuota: 1500 }, googleTasks: { dailyQuota: 50_000 } });
  });

  it('Purge Old Records returns what it purged', async () => {
    const [[item]] = await runNode(node, { parameters: { operation: 'purge', retentionDays: 30 }, credentials: db.credentials });
    expect(item.json).toEqual({
      days: 30,
      cutoff: expect.any(String),
      auditRowsDeleted: 0,
      commandsDeleted: 0,
      draftsDeleted: 0,
      executionsDeleted: 0,
      executionItemsDeleted: 0,
      chatStatesDeleted: 0,
      listedTasksDeleted: 0,
      notificationsDeleted: 0,
      geminiUsageDaysDeleted: 0,
    });
  });

  it('Purge Old Records refuses a retention under a day with a NodeOperationError for that item, and changes nothing', async () => {
    const before = await rowCounts(db.store);
    const error = await nodeOperationError(() =>
      runNode(node, { parameters: [{ operation: 'stats' }, { operation: 'purge', retentionDays: 0 }], items: [{}, {}], credentials: db.credentials }),
    );
    expect(error.message).toBe('Retention must be at least 1 day (got "0")');
    expect(error.context.itemIndex).toBe(1);
    expect(await rowCounts(db.store)).toEqual(before);
  });

  it('Back Up Database writes to the folder given and keeps the newest', async () => {
    const folder = path.join(scratch, 'backups');
    const [[first]] = await runNode(node, { parameters: { operation: 'backup', folder, keep: 1 }, credentials: db.credentials });
    const [[second]] = await runNode(node, { parameters: { operation: 'backup', folder, keep: 1 }, credentials: db.credentials });
    expect(second.json).toMatchObject({ kept: [second.json.file], deleted: [first.json.file] });
    expect(fs.readdirSync(folder)).toEqual([path.basename(String(second.json.file))]);
  });

  it('Back Up Database writes to draft-assistant-backups in the n8n user folder when no folder is set', async () => {
    const previous = process.env.N8N_USER_FOLDER;
    process.env.N8N_USER_FOLDER = scratch;
    try {
      const [[item]] = await runNode(node, { parameters: { operation: 'backup' }, credentials: db.credentials });
      expect(path.dirname(String(item.json.file))).toBe(path.join(scratch, '.n8n', 'draft-assistant-backups'));
      expect(item.json.kept).toEqual([item.json.file]);
    } finally {
      if (previous === undefined) delete process.env.N8N_USER_FOLDER;
      else process.env.N8N_USER_FOLDER = previous;
    }
  });
});
