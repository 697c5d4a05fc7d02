import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { listEventsForDay } from '../../shared/calendar/events';
import { calendarClientFor, calendarIdFrom } from '../transport';
import { calendarField } from './fields';

export const listEvents: Operation = {
  value: 'listEvents',
  name: 'List Events',
  action: "List a day's events",
  description: 'The events of one day of a calendar in a time zone, in start order (for a briefing or a "what\'s on today" reply)',
  properties: [
    { ...calendarField, description: 'The Google Calendar. Empty: the account\'s primary calendar. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.' },
    {
      displayName: 'Date',
      name: 'date',
      type: 'string',
      default: '={{ $now.setZone($json.timezone || "UTC").toISODate() }}',
      required: true,
      description: 'The day, YYYY-MM-DD, in the time zone below',
    },
    {
      displayName: 'Time Zone',
      name: 'timeZone',
      type: 'string',
      default: '={{ $json.timezone || "UTC" }}',
      required: true,
      description: 'IANA name, e.g. Europe/Berlin: the day runs from its midnight to the next (23 or 25 hours on a daylight-saving change)',
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
  needsStore: false,
  /** One item: { ok, calendarId, date, events: [{ id, title, allDay, start, end, location?, htmlLink?, ours }] }. */
  async execute(i) {
    const client = calendarClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    return asItem(
      await listEventsForDay(client, {
        calendarId: calendarIdFrom(this.getNodeParameter('calendarId', i, '')),
        date: String(this.getNodeParameter('date', i)).trim(),
        timeZone: String(this.getNodeParameter('timeZone', i)).trim(),
        maxEvents: Number(this.getNodeParameter('limit', i, 50)),
      }),
    );
  },
};
