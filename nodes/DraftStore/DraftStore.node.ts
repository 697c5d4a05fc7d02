import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { DATABASE_CREDENTIAL } from '../adapter/store';
import { operationFields, operationProperty } from '../adapter/operation';
import { routerFor } from '../adapter/router';
import { operations } from './actions';

const router = routerFor(operations);

export class DraftStore implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Draft Store',
    name: 'draftStore',
    icon: { light: 'file:draftStore.svg', dark: 'file:draftStore.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ $parameter["operation"] }}',
    description: 'Task drafts awaiting the user\'s Confirm, Edit or Cancel, and what their next message refers to',
    usableAsTool: true,
    defaults: { name: 'Draft Store' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: DATABASE_CREDENTIAL, required: true }],
    properties: [
      operationProperty(operations, 'create'),
      ...operationFields(operations),
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
