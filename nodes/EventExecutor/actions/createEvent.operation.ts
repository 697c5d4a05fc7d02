import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { taskCreationOutcome } from '../../shared/outcome';
import { createEventOnce } from '../../shared/calendar/events';
import { calendarClientFor, calendarIdFrom } from '../transport';
import { calendarField, userIdField } from './fields';

export const createEvent: Operation = {
  value: 'createEvent',
  name: 'Create Event',
  action: 'Create the event of a confirmed draft',
  description: "Create the event draft's Google Calendar event, exactly once, and mark the draft executed",
  properties: [
    {
      displayName: 'Draft ID',
      name: 'draftId',
      type: 'number',
      default: '={{ $json.draftId }}',
      required: true,
      description: 'The confirmed event draft to create',
    },
    userIdField,
    { ...calendarField, description: `${calendarField.description} A draft whose creation already started keeps its original calendar.` },
  ],
  needsStore: true,
  /**
   * Creates the event once, under an id derived from the draft: a repeated call (double tap,
   * replayed command, a run after a crash) adopts the event or returns the recorded result.
   */
  async execute(i, store) {
    const client = calendarClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    const outcome = await createEventOnce(store, client, {
      draftId: this.getNodeParameter('draftId', i),
      userId: this.getNodeParameter('userId', i),
      calendarId: calendarIdFrom(this.getNodeParameter('calendarId', i, '')),
    });
    return { ...asItem(outcome), outcome: taskCreationOutcome(outcome) };
  },
};
