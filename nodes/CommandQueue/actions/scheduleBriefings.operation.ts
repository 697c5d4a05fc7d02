// Schedule Briefings: every user whose daily briefing time has come gets that day's briefing
// notification, once per local day (Workflow F then claims it).
import { scheduleDueBriefings } from '../../shared/notify/briefing';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const scheduleBriefings: Operation = {
  value: 'scheduleBriefings',
  name: 'Schedule Briefings',
  action: 'Schedule the briefings that are due',
  description: 'One briefing per user and local day, however often it runs and on however many workers: { scheduled }',
  properties: [],
  needsStore: true,
  async execute(_i, store) {
    return asItem(await scheduleDueBriefings(store));
  },
};
