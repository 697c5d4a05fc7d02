// Compose Briefing: the daily briefing of a claimed notification (Workflow F): overdue tasks,
// tasks due today, today's events (when given), what waits for the user, with ✓ Done per task and 💤 1 hour.
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { composeBriefing as compose, parseBriefingEvents } from '../../shared/notify/briefing';
import { tasksClientFor } from '../transport';

export const composeBriefing: Operation = {
  value: 'composeBriefing',
  name: 'Compose Briefing',
  action: 'Compose a daily briefing',
  description: '{ outcome: send | skip | failed }: send carries the text and the inline keyboard; a day with nothing to say is skipped unless the user chose /briefing always',
  properties: [
    { displayName: 'Notification ID', name: 'notificationId', type: 'number', default: '={{ $json.id }}', required: true, description: 'The claimed briefing (Command Queue → Claim Notifications)' },
    { displayName: 'Task List ID', name: 'taskListId', type: 'string', default: '@default' },
    {
      displayName: 'Events (JSON)',
      name: 'events',
      type: 'string',
      default: '',
      description: "Today's events of the user (Event Executor › List User's Events: its events array). Empty: the briefing lists tasks only.",
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    return asItem(
      await compose(store, client, {
        notificationId: this.getNodeParameter('notificationId', i),
        taskListId: this.getNodeParameter('taskListId', i, '@default') as string,
        events: parseBriefingEvents(this.getNodeParameter('events', i, '')),
      }),
    );
  },
};
