// Snooze Reminder: 💤 1 hour or ➡️ Tomorrow under a reminder, for the user it was sent to; a
// second press schedules nothing more.
import { snoozeFromButton } from '../../shared/notify/reminders';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const snoozeReminder: Operation = {
  value: 'snoozeReminder',
  name: 'Snooze Reminder',
  action: 'Move a reminder later',
  description: '{ outcome: snoozed | already_snoozed | refused, message }: a press from anyone the reminder was not sent to is refused',
  properties: [
    { displayName: 'Notification ID', name: 'notificationId', type: 'number', default: '={{ $json.payload.target }}', required: true, description: 'The reminder a snooze button names' },
    { displayName: 'User ID', name: 'userId', type: 'string', default: '', required: true, description: 'Who pressed it, e.g. telegram:123456789' },
    {
      displayName: 'Until',
      name: 'choice',
      type: 'options',
      options: [
        { name: 'An Hour From Now', value: 'hour' },
        { name: 'Tomorrow, Same Time', value: 'tomorrow' },
      ],
      default: 'hour',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    return asItem(
      await snoozeFromButton(store, {
        notificationId: this.getNodeParameter('notificationId', i),
        userId: this.getNodeParameter('userId', i),
        choice: this.getNodeParameter('choice', i) as 'hour' | 'tomorrow',
      }),
    );
  },
};
