import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { runItems } from '../../adapter/runItems';
import { storeFor } from '../../adapter/store';
import type { Store } from '../../shared/db';
import * as executeDraft from './executeDraft.operation';
import * as listTaskLists from './listTaskLists.operation';
import * as listTasks from './listTasks.operation';
import * as undo from './undo.operation';

type Operation = { execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject | IDataObject[]> };
const operations: Record<string, Operation> = { executeDraft, listTaskLists, listTasks, undo };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const store = await storeFor(this);
  return runItems(this, async (i) => {
    const name = this.getNodeParameter('operation', i) as string;
    const operation = operations[name];
    if (!operation) throw new NodeOperationError(this.getNode(), `The operation "${name}" is not supported`, { itemIndex: i });
    return operation.execute.call(this, i, store);
  });
}
