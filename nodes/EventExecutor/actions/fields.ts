import type { INodeProperties } from 'n8n-workflow';

/** The calendar: picked on the canvas from the account's calendars, or an ID / expression. Empty: the user's (/calendar), else primary. */
export const calendarField: INodeProperties = {
  displayName: 'Calendar Name or ID',
  name: 'calendarId',
  type: 'options',
  typeOptions: { loadOptionsMethod: 'getCalendars' },
  default: '',
  description:
    'The Google Calendar. Empty: the calendar the user picked with /calendar, else the account\'s primary calendar. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const userIdField: INodeProperties = {
  displayName: 'User ID',
  name: 'userId',
  type: 'string',
  default: '={{ $json.userId }}',
  required: true,
  description: 'The assistant user, e.g. telegram:123456789',
};

export const eventField: INodeProperties = {
  displayName: 'Event',
  name: 'event',
  type: 'json',
  default: '={{ JSON.stringify($json.draft) }}',
  required: true,
  description: 'The event draft: { title, all_day, start, end, time_zone } with local times (YYYY-MM-DDTHH:MM, or dates for an all-day event)',
};
