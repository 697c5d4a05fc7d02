import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { conflictOutcome } from '../../shared/outcome';
import { parseEventDraft } from '../../shared/draft/eventDraft';
import { checkEventConflicts } from '../../shared/calendar/events';
import { calendarClientFor, calendarIdFrom, DEFAULT_CALENDAR_ID } from '../transport';
import { eventField } from './fields';

export const checkConflicts: Operation = {
  value: 'checkConflicts',
  name: 'Check Conflicts',
  action: 'Check an event against busy times',
  description: "Ask Google Calendar's freeBusy what overlaps an event draft, and the next free slot of the same length; changes nothing",
  properties: [
    eventField,
    {
      displayName: 'Calendar IDs',
      name: 'calendarIds',
      type: 'string',
      default: DEFAULT_CALENDAR_ID,
      description: 'Comma-separated calendars whose busy times count',
    },
    {
      displayName: 'Search Hours',
      name: 'searchHours',
      type: 'number',
      typeOptions: { minValue: 1, maxValue: 720 },
      default: 72,
      description: "How far after the event's start the next free slot may be",
    },
  ],
  // Google Calendar only: the node opens no database for it.
  needsStore: false,
  /** One item: { ok, outcome: free | conflict | not_checked | failed, conflicts: [{ start, end, startLocal, endLocal }], nextFreeSlot? }. */
  async execute(i) {
    const client = calendarClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    const calendarIds = String(this.getNodeParameter('calendarIds', i, DEFAULT_CALENDAR_ID))
      .split(',')
      .map((id) => calendarIdFrom(id))
      .filter(Boolean);
    const result = await checkEventConflicts(client, {
      event: parseEventDraft(this.getNodeParameter('event', i)),
      calendarIds,
      searchHours: Number(this.getNodeParameter('searchHours', i, 72)),
    });
    return { ...asItem(result), outcome: conflictOutcome(result) };
  },
};
