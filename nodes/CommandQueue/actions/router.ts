import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Store } from '../../shared/db';
import { runItems } from '../../adapter/runItems';
import { storeFor } from '../../adapter/store';
import * as backup from './backup.operation';
import * as claim from './claim.operation';
import * as complete from './complete.operation';
import * as enqueue from './enqueue.operation';
import * as fail from './fail.operation';
import * as lookup from './lookup.operation';
import * as purge from './purge.operation';
import * as stats from './stats.operation';

type Operation = { execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject | IDataObject[]> };
const operations: Record<string, Operation> = { enqueue, lookup, claim, complete, fail, stats, purge, backup };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const store = await storeFor(this);
  return runItems(this, async (i) => {
    const name = this.getNodeParameter('operation', i) as string;
    const operation = operations[name];
    if (!operation) throw new NodeOperationError(this.getNode(), `The operation "${name}" is not supported`, { itemIndex: i });
    return operation.execute.call(this, i, store);
  });
}
