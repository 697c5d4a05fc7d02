// Schedule Reminder: after Confirm created the task, the draft's reminder (if it has one) becomes
// a notification, once per draft.
import { scheduleDraftReminder } from '../../shared/notify/reminders';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const scheduleReminder: Operation = {
  value: 'scheduleReminder',
  name: 'Schedule Reminder',
  action: 'Schedule the reminder of a created task',
  description: 'The reminder time the draft carries is sent by the Reminder Checker then; { outcome: scheduled | duplicate | none }',
  properties: [
    { displayName: 'Draft ID', name: 'draftId', type: 'number', default: 0, required: true, description: 'The executed draft whose reminder to schedule' },
    { displayName: 'User ID', name: 'userId', type: 'string', default: '', required: true, description: 'The draft\'s owner, e.g. telegram:123456789' },
  ],
  needsStore: true,
  async execute(i, store) {
    return asItem(await scheduleDraftReminder(store, { draftId: this.getNodeParameter('draftId', i), userId: this.getNodeParameter('userId', i) }));
  },
};
