// Start Sending: records the intent to send a claimed notification, right before its message goes
// out. After it the notification is never claimed again: a crash cannot send it twice.
import { beginSending } from '../../shared/notify/notifications';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { notificationFields } from './notificationFields';

export const startSending: Operation = {
  value: 'startSending',
  name: 'Start Sending Notification',
  action: 'Record that a notification is being sent',
  description: 'For the holder of a live claim only: { applied } is false when the claim was lost (then send nothing)',
  properties: notificationFields,
  needsStore: true,
  async execute(i, store) {
    const result = await beginSending(store, { id: this.getNodeParameter('notificationId', i), leaseToken: this.getNodeParameter('leaseToken', i) });
    return asItem({ ...result.notification, applied: result.applied, outcome: result.applied ? 'sending' : 'lease_lost' });
  },
};
