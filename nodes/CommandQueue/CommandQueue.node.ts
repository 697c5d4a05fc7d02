import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { DATABASE_CREDENTIAL_TEST, testDatabaseCredential } from '../adapter/store';
import { operationFields, operationProperty } from '../adapter/operation';
import { routerFor } from '../adapter/router';
import { operations } from './actions';

const router = routerFor(operations);

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
      operationProperty(operations, 'enqueue'),
      ...operationFields(operations),
    ],
  };

  methods = {
    credentialTest: { [DATABASE_CREDENTIAL_TEST]: testDatabaseCredential },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
