import type { Operation } from '../../adapter/operation';
import { setUserCalendarId } from '../../shared/calendar/events';
import { calendarIdFrom } from '../transport';
import { userIdField } from './fields';

export const setCalendar: Operation = {
  value: 'setCalendar',
  name: 'Set User Calendar',
  action: "Set a user's calendar",
  description: "The calendar a user's new events go to (/calendar); empty or \"primary\": the account's primary calendar",
  properties: [
    userIdField,
    {
      displayName: 'Calendar ID',
      name: 'calendarId',
      type: 'string',
      default: '',
      description: 'The calendar id, as List Calendars gives it',
    },
  ],
  needsStore: true,
  /** One item: { ok, userId, calendarId }. */
  async execute(i, store) {
    const userId = String(this.getNodeParameter('userId', i));
    const calendarId = await setUserCalendarId(store, userId, calendarIdFrom(this.getNodeParameter('calendarId', i, '')) || null);
    return { ok: true, userId, calendarId };
  },
};
