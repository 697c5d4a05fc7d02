// Owner Notice Due?: rate-limits telling the owner about a problem only they can fix, so a
// flood of messages hitting it produces one notice per interval.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/store/db';
import { claimOwnerNotice } from '../../shared/operations/ownerNotices';
import { asItem, forOperation } from '../../adapter/description';

export const description: INodeProperties[] = forOperation('ownerNotice', [
  {
    displayName: 'Notice Key',
    name: 'noticeKey',
    type: 'string',
    default: '={{ $json.failure?.kind }}',
    required: true,
    description: 'What the notice is about, e.g. the failure kind. Each key has its own interval.',
  },
  {
    displayName: 'At Most Once Every (Minutes)',
    name: 'intervalMinutes',
    type: 'number',
    typeOptions: { minValue: 1 },
    default: 60,
    description: 'Within this time after a notice, further ones for the same key are held back (and counted)',
  },
]);

export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  return asItem(
    await claimOwnerNotice(store, {
      key: this.getNodeParameter('noticeKey', i),
      intervalMs: Number(this.getNodeParameter('intervalMinutes', i, 60)) * 60_000,
    }),
  );
}
