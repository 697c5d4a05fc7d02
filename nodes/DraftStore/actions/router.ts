import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Store } from '../../shared/db';
import { runItems } from '../../adapter/runItems';
import { storeFor } from '../../adapter/store';
import * as chat from './chat.operation';
import * as create from './create.operation';
import * as decide from './decide.operation';
import * as transition from './transition.operation';

type Operation = { execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject | IDataObject[]> };
const operations: Record<string, Operation> = {
  create,
  confirm: decide,
  cancel: decide,
  startEdit: decide,
  get: transition,
  markExecuted: transition,
  supersede: transition,
  attachMessage: transition,
  getContext: chat,
  rememberQuestion: chat,
  clearChatState: chat,
  setTimezone: chat,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const store = await storeFor(this);
  return runItems(this, async (i) => {
    const name = this.getNodeParameter('operation', i) as string;
    const operation = operations[name];
    if (!operation) throw new NodeOperationError(this.getNode(), `The operation "${name}" is not supported`, { itemIndex: i });
    return operation.execute.call(this, i, store);
  });
}
