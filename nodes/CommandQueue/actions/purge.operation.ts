import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/store/db';
import { DEFAULT_RETENTION_DAYS, purgeOldRecords } from '../../shared/operations/retention';
import { asItem, forOperation } from '../../adapter/description';

export const description: INodeProperties[] = forOperation('purge', [
  {
    displayName: 'Keep (Days)',
    name: 'retentionDays',
    type: 'number',
    default: DEFAULT_RETENTION_DAYS,
    typeOptions: { minValue: 1 },
    description:
      'Audit rows, commands finished, and drafts (with their executions) untouched for longer than this are deleted. Queued and running commands, and drafts still in use (an edit in progress, a command waiting to run, a recent execution), are never touched.',
  },
]);

export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  return asItem(await purgeOldRecords(store, { days: this.getNodeParameter('retentionDays', i) as number }));
}
