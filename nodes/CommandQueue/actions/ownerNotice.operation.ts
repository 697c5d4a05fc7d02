// Owner Notice Due?: rate-limits telling the owner about a problem only they can fix, so a
// flood of messages hitting it produces one notice per interval.
import { claimOwnerNotice } from '../../shared/operations/ownerNotices';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const ownerNotice: Operation = {
  value: 'ownerNotice',
  name: 'Owner Notice Due?',
  action: 'Check whether to tell the owner now',
  description: 'Rate-limits notices about a problem only the owner can fix: due at most once per interval per key',
  properties: [
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
  ],
  needsStore: true,
  async execute(i, store) {
    return asItem(
      await claimOwnerNotice(store, {
        key: this.getNodeParameter('noticeKey', i),
        intervalMs: Number(this.getNodeParameter('intervalMinutes', i, 60)) * 60_000,
      }),
    );
  },
};
