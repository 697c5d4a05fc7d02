import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { listWritableCalendars } from '../../shared/calendar/events';
import { calendarClientFor } from '../transport';

export const listCalendars: Operation = {
  value: 'listCalendars',
  name: 'List Calendars',
  action: 'List calendars',
  description: 'The calendars of the connected account that events can be added to, primary first (for /calendar)',
  properties: [],
  needsStore: false,
  /** One item: { ok, calendars: [{ id, summary, primary }] }. */
  async execute(i) {
    return asItem(await listWritableCalendars(calendarClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''))));
  },
};
