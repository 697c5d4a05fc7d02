// The router every store-backed node shares: open the store once per run, when an operation of the
// run needs it, then hand each item to the operation its `operation` parameter names.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Store } from '../shared/store/db';
import { runItems } from './runItems';
import { storeFor } from './store';

type Output = Promise<IDataObject | IDataObject[]>;

/** An operation that never touches the database says so (usesStore: false) and gets no store. */
export type StoreOperation =
  | { usesStore?: true; execute(this: IExecuteFunctions, i: number, store: Store): Output }
  | { usesStore: false; execute(this: IExecuteFunctions, i: number): Output };

export async function routeByOperation(ctx: IExecuteFunctions, operations: Record<string, StoreOperation>): Promise<INodeExecutionData[][]> {
  const operationOf = (i: number) => ctx.getNodeParameter('operation', i) as string;
  // Opened before the items run, as one node error when it fails (not one per item).
  const needsStore = ctx.getInputData().some((_, i) => operations[operationOf(i)]?.usesStore !== false);
  const store = needsStore ? await storeFor(ctx) : undefined;
  return runItems(ctx, async (i) => {
    const name = operationOf(i);
    const operation = operations[name];
    if (!operation) throw new NodeOperationError(ctx.getNode(), `The operation "${name}" is not supported`, { itemIndex: i });
    if (operation.usesStore === false) return operation.execute.call(ctx, i);
    // needsStore held for this item's operation, so the store is open.
    return operation.execute.call(ctx, i, store!);
  });
}
