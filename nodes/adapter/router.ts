// The router every node with operations shares: open the store once per run, when an operation
// of the run needs it, then hand each item to the operation its `operation` parameter names.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { type Operation, operationsByValue } from './operation';
import { runItems } from './runItems';
import { storeFor } from './store';

/** The node's execute(): routes by the `operation` parameter over the node's list of operations. */
export function routerFor(operations: readonly Operation[]): (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
  const byValue = operationsByValue(operations);
  return async function router(this: IExecuteFunctions) {
    return routeByOperation(this, byValue);
  };
}

async function routeByOperation(ctx: IExecuteFunctions, byValue: ReadonlyMap<string, Operation>): Promise<INodeExecutionData[][]> {
  const operationOf = (i: number) => ctx.getNodeParameter('operation', i) as string;
  // Opened before the items run, as one node error when it fails (not one per item). An unknown
  // operation opens nothing: its item fails below.
  const needsStore = ctx.getInputData().some((_, i) => byValue.get(operationOf(i))?.needsStore === true);
  const store = needsStore ? await storeFor(ctx) : undefined;
  // Every item runs the same operation (its parameter takes no expression): the first one's outputs are the node's.
  const outputCount = byValue.get(operationOf(0))?.outputs?.length ?? 1;
  return runItems(ctx, async (i) => {
    const value = operationOf(i);
    const operation = byValue.get(value);
    if (!operation) throw new NodeOperationError(ctx.getNode(), `The operation "${value}" is not supported`, { itemIndex: i });
    if (!operation.needsStore) return operation.execute.call(ctx, i);
    // needsStore held for this item's operation, so the store is open.
    return operation.execute.call(ctx, i, store!);
  }, outputCount);
}
