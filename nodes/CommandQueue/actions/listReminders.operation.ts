// List Reminders: /reminders, the user's reminders still to come.
import { listReminders as listUpcoming } from '../../shared/notify/reminders';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const listReminders: Operation = {
  value: 'listReminders',
  name: 'List Reminders',
  action: 'List the reminders to come',
  description: 'The user\'s scheduled reminders, soonest first, with their times in the user\'s zone: { count, message }',
  properties: [{ displayName: 'User ID', name: 'userId', type: 'string', default: '', required: true, description: 'e.g. telegram:123456789' }],
  needsStore: true,
  async execute(i, store) {
    return asItem(await listUpcoming(store, { userId: this.getNodeParameter('userId', i) }));
  },
};
