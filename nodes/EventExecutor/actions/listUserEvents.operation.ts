// List User's Events: one user's events of a day of theirs, from the calendar they chose with
// /calendar and in their time zone (Workflow F's briefing).
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { listUserEventsForDay } from '../../shared/calendar/events';
import { calendarClientFor } from '../transport';
import { userIdField } from './fields';

export const listUserEvents: Operation = {
  value: 'listUserEvents',
  name: "List User's Events",
  action: "List a user's events of a day",
  description: "A user's events of one day in their time zone, from the calendar they chose (/calendar; else the primary), in start order",
  properties: [
    userIdField,
    {
      displayName: 'Date',
      name: 'date',
      type: 'string',
      default: '',
      description: "The day, YYYY-MM-DD, in the user's time zone. Empty: their today.",
    },
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1, maxValue: 1000 },
      default: 50,
      description: 'Max number of results to return',
    },
  ],
  needsStore: true,
  /** One item: { ok, userId, timeZone, calendarId, date, events: [{ id, title, allDay, start, end, location?, htmlLink?, ours }] } or { ok: false, failure }. */
  async execute(i, store) {
    const client = calendarClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    return asItem(
      await listUserEventsForDay(store, client, {
        userId: this.getNodeParameter('userId', i),
        date: String(this.getNodeParameter('date', i, '') ?? ''),
        maxEvents: Number(this.getNodeParameter('limit', i, 50)),
      }),
    );
  },
};
