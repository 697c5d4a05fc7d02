// The fields that name a claimed notification: its id and the claim's fencing token.
import type { INodeProperties } from 'n8n-workflow';

export const notificationFields: INodeProperties[] = [
  { displayName: 'Notification ID', name: 'notificationId', type: 'number', default: '={{ $json.id }}', required: true },
  {
    displayName: 'Lease Token',
    name: 'leaseToken',
    type: 'string',
    typeOptions: { password: true },
    default: '={{ $json.leaseToken }}',
    required: true,
    description: 'The token of the claim (Claim Notifications): without it nothing changes',
  },
];
