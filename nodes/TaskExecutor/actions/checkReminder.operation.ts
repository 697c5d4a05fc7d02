// Check Reminder: right before a claimed reminder is sent, whether its task is still open in
// Google Tasks, and the message with its ✓ Done / 💤 1 hour / ➡️ Tomorrow buttons.
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { checkReminder as checkBeforeSending } from '../../shared/notify/reminders';
import { tasksClientFor } from '../transport';

export const checkReminder: Operation = {
  value: 'checkReminder',
  name: 'Check Reminder',
  action: 'Check a reminder\'s task before sending it',
  description: '{ outcome: send | skip | failed }: a task completed or deleted in Google Tasks meanwhile is skipped; send carries the text and button data',
  properties: [
    { displayName: 'Notification ID', name: 'notificationId', type: 'number', default: '={{ $json.id }}', required: true, description: 'The claimed reminder (Command Queue → Claim Notifications)' },
  ],
  needsStore: true,
  async execute(i, store) {
    const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    return asItem(await checkBeforeSending(store, client, { notificationId: this.getNodeParameter('notificationId', i) }));
  },
};
