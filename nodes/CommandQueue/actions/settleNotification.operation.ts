// Settle Notification: after the send (sent, or failed with Telegram's answer), or instead of it
// (skipped: nothing to say). Fenced by the claim's token.
import { failNotification, markSent, skipNotification } from '../../shared/notify/notifications';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { notificationFields } from './notificationFields';

export const settleNotification: Operation = {
  value: 'settleNotification',
  name: 'Settle Notification',
  action: 'Record how a notification ended',
  description: 'Sent (with its message), skipped (nothing to send), or failed (Telegram refused: retried later if retryable)',
  properties: [
    ...notificationFields,
    {
      displayName: 'Result',
      name: 'result',
      type: 'options',
      options: [
        { name: 'Sent', value: 'sent' },
        { name: 'Skipped', value: 'skipped' },
        { name: 'Failed', value: 'failed' },
      ],
      default: 'sent',
    },
    { displayName: 'Telegram Message ID', name: 'messageId', type: 'string', default: '', displayOptions: { show: { result: ['sent'] } } },
    { displayName: 'Reason', name: 'reason', type: 'string', default: '', description: 'Why it was skipped, or the error it failed with', displayOptions: { show: { result: ['skipped', 'failed'] } } },
    { displayName: 'Retryable', name: 'retryable', type: 'boolean', default: true, description: 'Whether to send it again later (nothing was delivered)', displayOptions: { show: { result: ['failed'] } } },
  ],
  needsStore: true,
  async execute(i, store) {
    const id = this.getNodeParameter('notificationId', i);
    const leaseToken = this.getNodeParameter('leaseToken', i);
    const result = this.getNodeParameter('result', i) as 'sent' | 'skipped' | 'failed';
    const settled =
      result === 'sent'
        ? await markSent(store, { id, leaseToken, messageId: this.getNodeParameter('messageId', i, '') })
        : result === 'skipped'
          ? await skipNotification(store, { id, leaseToken, reason: String(this.getNodeParameter('reason', i, '')) })
          : await failNotification(store, { id, leaseToken, error: this.getNodeParameter('reason', i, ''), retryable: this.getNodeParameter('retryable', i, true) as boolean });
    return asItem({ ...settled.notification, applied: settled.applied });
  },
};
