// The router every store-backed node shares: open the store once per run, then hand each item
// to the operation its `operation` parameter names.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Store } from '../shared/db';
import { runItems } from './runItems';
import { storeFor } from './store';

export type StoreOperation = { execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject | IDataObject[]> };

export async function routeByOperation(ctx: IExecuteFunctions, operations: Record<string, StoreOperation>): Promise<INodeExecutionData[][]> {
  const store = await storeFor(ctx);
  return runItems(ctx, async (i) => {
    const name = ctx.getNodeParameter('operation', i) as string;
    const operation = operations[name];
    if (!operation) throw new NodeOperationError(ctx.getNode(), `The operation "${name}" is not supported`, { itemIndex: i });
    return operation.execute.call(ctx, i, store);
  });
}
