import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { routeByOperation, type StoreOperation } from '../../adapter/router';
import * as executeDraft from './executeDraft.operation';
import * as listTaskLists from './listTaskLists.operation';
import * as listTasks from './listTasks.operation';
import * as undo from './undo.operation';

const operations: Record<string, StoreOperation> = { executeDraft, listTaskLists, listTasks, undo };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return routeByOperation(this, operations);
}
