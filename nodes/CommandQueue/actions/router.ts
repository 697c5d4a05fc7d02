import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { routeByOperation, type StoreOperation } from '../../adapter/router';
import * as backup from './backup.operation';
import * as claim from './claim.operation';
import * as complete from './complete.operation';
import * as enqueue from './enqueue.operation';
import * as fail from './fail.operation';
import * as lookup from './lookup.operation';
import * as ownerNotice from './ownerNotice.operation';
import * as parseUpdate from './parseUpdate.operation';
import * as purge from './purge.operation';
import * as stats from './stats.operation';

const operations: Record<string, StoreOperation> = { enqueue, lookup, claim, complete, fail, stats, purge, backup, ownerNotice, parseUpdate };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return routeByOperation(this, operations);
}
