// Claim Notifications: the every-minute checker's claim of due reminders (Workflow G) or
// briefings (Workflow F), each under a lease with a fencing token.
import { claimDueNotifications, NOTIFICATION_LEASE_MS, type NotificationKind } from '../../shared/notify/notifications';
import { defaultWorkerName } from '../../shared/queue/commands';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const claimNotifications: Operation = {
  value: 'claimNotifications',
  name: 'Claim Notifications',
  action: 'Claim due notifications',
  description: 'Take the due reminders or briefings with a lease, so that no other run sends them',
  properties: [
    {
      displayName: 'Kind',
      name: 'kind',
      type: 'options',
      options: [
        { name: 'Reminder', value: 'reminder' },
        { name: 'Briefing', value: 'briefing' },
      ],
      default: 'reminder',
    },
    {
      displayName: 'Max Notifications',
      name: 'limit',
      type: 'number',
      default: 20,
      typeOptions: { minValue: 1, maxValue: 1000 },
      description: 'Outputs one item per notification, none when nothing is due',
    },
    {
      displayName: 'Lease (Seconds)',
      name: 'leaseSeconds',
      type: 'number',
      default: NOTIFICATION_LEASE_MS / 1000,
      typeOptions: { minValue: 1 },
      description: 'A claim not sent within this time is taken again by the next run (one that started sending never is)',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const notifications = await claimDueNotifications(store, {
      owner: defaultWorkerName(),
      kinds: [this.getNodeParameter('kind', i) as NotificationKind],
      limit: this.getNodeParameter('limit', i) as number,
      leaseMs: (this.getNodeParameter('leaseSeconds', i) as number) * 1000,
    });
    return notifications.map(asItem);
  },
};
