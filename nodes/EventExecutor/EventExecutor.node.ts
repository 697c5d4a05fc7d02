// Google Calendar events: a confirmed event draft becomes one event, exactly once; conflicts
// before Confirm; a day's events; the user's calendar. A node of its own rather than a resource
// of the Task Executor: it needs a different credential (Google Calendar OAuth2), and the Task
// Executor's saved workflows and description stay exactly as they are.
import type { ILoadOptionsFunctions, INodePropertyOptions, INodeType, INodeTypeDescription, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';
import type { JsonObject } from 'n8n-workflow';
import { DATABASE_CREDENTIAL } from '../adapter/store';
import { DEFAULT_CALENDAR_ROOT_URL } from '../shared/calendar/client';
import { listWritableCalendars } from '../shared/calendar/events';
import { operationFields, operationProperty } from '../adapter/operation';
import { routerFor } from '../adapter/router';
import { operations } from './actions';
import { CALENDAR_URL_ENV, GOOGLE_CALENDAR_CREDENTIAL, calendarClientFor } from './transport';

const router = routerFor(operations);

export class EventExecutor implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Event Executor',
    name: 'eventExecutor',
    icon: { light: 'file:eventExecutor.svg', dark: 'file:eventExecutor.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{ $parameter["operation"] }}',
    description: 'Turns confirmed event drafts into Google Calendar events, exactly once; checks conflicts and reads a day\'s events',
    defaults: { name: 'Event Executor' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [
      // Only Create Event, List User's Events and Set User Calendar open the store.
      { name: DATABASE_CREDENTIAL, required: true, displayOptions: { show: { operation: ['createEvent', 'listUserEvents', 'setCalendar'] } } },
      { name: GOOGLE_CALENDAR_CREDENTIAL, required: true, displayOptions: { show: { operation: ['checkConflicts', 'createEvent', 'listCalendars', 'listEvents', 'listUserEvents'] } } },
    ],
    properties: [
      operationProperty(operations, 'createEvent'),
      ...operationFields(operations),
      {
        displayName: 'API Base URL',
        name: 'apiBaseUrl',
        type: 'string',
        default: '',
        placeholder: DEFAULT_CALENDAR_ROOT_URL,
        description: `Root URL of the Google Calendar API, for an emulator or a proxy. Empty: the ${CALENDAR_URL_ENV} environment variable of the n8n process if set, else ${DEFAULT_CALENDAR_ROOT_URL}.`,
      },
    ],
  };

  methods = {
    loadOptions: {
      /** The account's writable calendars for the Calendar dropdown, "the user's calendar" first. */
      async getCalendars(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
        const outcome = await listWritableCalendars(calendarClientFor(this, this.getCurrentNodeParameter('apiBaseUrl')), { retry: { maxAttempts: 2 } });
        if (!outcome.ok) throw new NodeApiError(this.getNode(), { message: outcome.failure.message } as JsonObject, { message: outcome.failure.userMessage });
        return [
          { name: "The User's Calendar", value: '', description: 'The calendar the user picked with /calendar, else the primary calendar' },
          ...outcome.calendars.map((calendar) => ({ name: calendar.summary || calendar.id, value: calendar.id })),
        ];
      },
    },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
