import { DEFAULT_RETENTION_DAYS, purgeOldRecords } from '../../shared/operations/retention';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const purge: Operation = {
  value: 'purge',
  name: 'Purge Old Records',
  action: 'Purge old records',
  description: 'Delete what is older than the retention period: audit rows, finished commands, drafts no longer in use, list entries, Gemini usage days, settled notifications',
  properties: [
    {
      displayName: 'Keep (Days)',
      name: 'retentionDays',
      type: 'number',
      default: DEFAULT_RETENTION_DAYS,
      typeOptions: { minValue: 1 },
      description:
        'Audit rows, commands finished, and drafts (with their executions) untouched for longer than this are deleted. Queued and running commands, and drafts still in use (an edit in progress, a command waiting to run, a recent execution), are never touched.',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    return asItem(await purgeOldRecords(store, { days: this.getNodeParameter('retentionDays', i) as number }));
  },
};
