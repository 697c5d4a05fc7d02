// Set Briefing: /briefing 07:30, /briefing off, /briefing always (Workflow F sends it).
import { setBriefing as setDailyBriefing } from '../../shared/notify/reminders';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const setBriefing: Operation = {
  value: 'setBriefing',
  name: 'Set Briefing',
  action: 'Set the daily briefing',
  description: 'From the user\'s /briefing command: a local time (HH:MM), off, or always (also on days with nothing to report). { outcome: set | off | usage, message }',
  properties: [
    { displayName: 'User ID', name: 'userId', type: 'string', default: '', required: true, description: 'e.g. telegram:123456789' },
    { displayName: 'Command Text', name: 'text', type: 'string', default: '={{ $json.payload.text }}', required: true, description: 'e.g. "/briefing 07:30"' },
  ],
  needsStore: true,
  async execute(i, store) {
    return asItem(await setDailyBriefing(store, { userId: this.getNodeParameter('userId', i), text: String(this.getNodeParameter('text', i)) }));
  },
};
