import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { routeByOperation, type StoreOperation } from '../../adapter/router';
import * as chat from './chat.operation';
import * as create from './create.operation';
import * as decide from './decide.operation';
import * as transition from './transition.operation';

const operations: Record<string, StoreOperation> = {
  create,
  confirm: decide,
  cancel: decide,
  startEdit: decide,
  get: transition,
  supersede: transition,
  reopen: transition,
  attachMessage: transition,
  getContext: chat,
  rememberQuestion: chat,
  clearChatState: chat,
  setTimezone: chat,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return routeByOperation(this, operations);
}
