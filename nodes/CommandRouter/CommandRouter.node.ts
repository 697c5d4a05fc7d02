import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { DATABASE_CREDENTIAL_TEST, testDatabaseCredential } from '../adapter/store';
import { operationFields, operationOutputs, operationProperty } from '../adapter/operation';
import { routerFor } from '../adapter/router';
import { operations } from './actions';

const router = routerFor(operations);

/**
 * Workflow B's routing and settling, a node of its own because its outputs depend on the
 * operation: n8n evaluates such outputs (an expression) whenever an expression in the node
 * reads `$('…').item`, which the Command Queue's parameters do many times per message.
 */
// Not offered as an AI tool: it works on the items of a Claim upstream, which an agent's call has none of.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class CommandRouter implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Command Router',
    name: 'commandRouter',
    icon: { light: 'file:commandRouter.svg', dark: 'file:commandRouter.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ $parameter["operation"] }}',
    description: 'Send claimed commands to the workflows that run them, then complete or fail each by its result',
    defaults: { name: 'Command Router' },
    inputs: [NodeConnectionTypes.Main],
    // Route by Type: one output per route; Finish: Completed and Failed.
    outputs: operationOutputs(operations),
    credentials: [{ name: 'draftAssistantDatabase', required: true, testedBy: 'draftAssistantDatabaseTest' }],
    properties: [operationProperty(operations, 'route'), ...operationFields(operations)],
  };

  methods = {
    credentialTest: { [DATABASE_CREDENTIAL_TEST]: testDatabaseCredential },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
