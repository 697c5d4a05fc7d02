import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { completeListedTask } from '../../shared/tasks/chatTasks';
import { tasksClientFor } from '../transport';
import { userIdField } from './fields';

export const completeTask: Operation = {
  value: 'completeTask',
  name: 'Complete Task',
  action: 'Mark a listed task completed',
  description: 'Mark a task shown by List Tasks for Chat completed in Google Tasks (its ✓ Done button), once, for the user it was shown to',
  properties: [
    {
      displayName: 'Entry ID',
      name: 'entryId',
      type: 'number',
      default: '={{ $json.payload.target }}',
      required: true,
      description: 'The list entry a ✓ Done button names (from List Tasks for Chat), not a Google task ID',
    },
    { ...userIdField, description: 'The assistant user who pressed ✓ Done, e.g. telegram:123456789: an entry shown to anyone else is refused' },
  ],
  needsStore: true,
  /**
   * One item: { ok, outcome: completed | already_done | gone | refused | failed, title, message }.
   * A second press reports already_done and sends nothing to Google.
   */
  async execute(i, store) {
    const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    return asItem(await completeListedTask(store, client, { entryId: this.getNodeParameter('entryId', i), userId: this.getNodeParameter('userId', i) }));
  },
};
