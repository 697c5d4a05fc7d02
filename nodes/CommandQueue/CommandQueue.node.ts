import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { DATABASE_CREDENTIAL_TEST, testDatabaseCredential } from '../adapter/store';
import * as backup from './actions/backup.operation';
import * as claim from './actions/claim.operation';
import * as complete from './actions/complete.operation';
import * as enqueue from './actions/enqueue.operation';
import * as fail from './actions/fail.operation';
import * as lookup from './actions/lookup.operation';
import * as ownerNotice from './actions/ownerNotice.operation';
import * as parseUpdate from './actions/parseUpdate.operation';
import * as purge from './actions/purge.operation';
import { router } from './actions/router';
import * as stats from './actions/stats.operation';

export class CommandQueue implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Command Queue',
    name: 'commandQueue',
    icon: { light: 'file:commandQueue.svg', dark: 'file:commandQueue.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ $parameter["operation"] }}',
    description: 'Durable queue of assistant commands: enqueue once per message, claim with a lease, complete or fail with retries',
    usableAsTool: true,
    defaults: { name: 'Command Queue' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    // Literal names: n8n's community-node linter reads them to find the credential's test.
    // Parse Telegram Update reads no database, so it needs no credential.
    credentials: [
      { name: 'draftAssistantDatabase', required: true, testedBy: 'draftAssistantDatabaseTest', displayOptions: { hide: { operation: ['parseUpdate'] } } },
    ],
    properties: [
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        options: [
          { name: 'Back Up Database', value: 'backup', action: 'Back up the database', description: 'Write a consistent copy of the SQLite store to a folder, keeping the newest few' },
          { name: 'Claim', value: 'claim', action: 'Claim ready commands', description: 'Take the next ready commands with a lease, so no other run executes them' },
          { name: 'Complete', value: 'complete', action: 'Complete a command', description: 'Mark a claimed command done' },
          { name: 'Enqueue', value: 'enqueue', action: 'Enqueue a command', description: 'Add a command to the queue, once per idempotency key' },
          { name: 'Fail', value: 'fail', action: 'Fail a command', description: 'Record a failure: retry later with backoff, or give up' },
          { name: 'Find by Idempotency Key', value: 'lookup', action: 'Find a command by idempotency key', description: 'Check whether a message was already accepted' },
          { name: 'Owner Notice Due?', value: 'ownerNotice', action: 'Check whether to tell the owner now', description: 'Rate-limits notices about a problem only the owner can fix: due at most once per interval per key' },
          { name: 'Parse Telegram Update', value: 'parseUpdate', action: 'Parse a telegram update', description: 'Read a Telegram update: sender, chat, idempotency key, and whether it is a text, a button press or a command' },
          { name: 'Purge Old Records', value: 'purge', action: 'Purge old records', description: 'Delete old audit rows and remove message text from long-finished commands and drafts' },
          { name: 'Stats', value: 'stats', action: 'Get queue statistics', description: 'Counts by status, oldest pending, throughput, success rate, API usage against quotas, database size, and a health summary' },
        ],
        default: 'enqueue',
      },
      ...enqueue.description,
      ...lookup.description,
      ...claim.description,
      ...complete.description,
      ...fail.description,
      ...stats.description,
      ...purge.description,
      ...backup.description,
      ...ownerNotice.description,
      ...parseUpdate.description,
    ],
  };

  methods = {
    credentialTest: { [DATABASE_CREDENTIAL_TEST]: testDatabaseCredential },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
