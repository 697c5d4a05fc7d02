// The Google Calendar client: the only module that imports @googleapis/calendar.
//
// As for Google Tasks (tasks/client.ts), googleapis' typed client is handed our own `auth`
// object, so whoever builds the client supplies the transport (n8n's
// httpRequestWithAuthentication with the Google Calendar OAuth2 credential inside n8n, a
// fetch-based OAuth transport in tests), and token refresh stays with the credential's owner.
// Failures leave here as the same TasksApiError (Google's error shapes are one), named
// "Google Calendar" in their messages.

import { calendar_v3 } from '@googleapis/calendar';
import { DEFAULT_REQUEST_TIMEOUT_MS, TasksApiError, toTasksApiError, transportAuth, type TasksTransport } from '../tasks/client';

export const DEFAULT_CALENDAR_ROOT_URL = 'https://www.googleapis.com';
export const DEFAULT_CALENDAR_ID = 'primary';
export const CALENDAR_SERVICE = 'Google Calendar';

export function toCalendarApiError(error: unknown): TasksApiError {
  return toTasksApiError(error, CALENDAR_SERVICE);
}

/** Start or end as Google has it: `dateTime` (RFC 3339) for timed events, `date` for all-day ones. */
export interface EventTime {
  dateTime?: string;
  date?: string;
  timeZone?: string;
}

export interface RemoteEvent {
  id: string;
  status?: string;
  summary?: string;
  description?: string;
  location?: string;
  start: EventTime;
  end: EventTime;
  htmlLink?: string;
  updated?: string;
  /** 'transparent' events do not block time (freeBusy ignores them). */
  transparency?: string;
  privateProperties?: Record<string, string>;
}

export interface NewEvent {
  id: string;
  summary: string;
  description?: string;
  location?: string;
  start: EventTime;
  end: EventTime;
  /** extendedProperties.private: seen by this client only, never shown in the user's calendar. */
  privateProperties?: Record<string, string>;
}

export interface ListEventsOptions {
  timeMin: string;
  timeMax: string;
  timeZone?: string;
  maxResults?: number;
  pageToken?: string;
  /** `key=value` filters on private extended properties. */
  privateExtendedProperty?: string[];
}

export interface BusyInterval {
  start: string;
  end: string;
}

export interface CalendarSummary {
  id: string;
  summary: string;
  primary: boolean;
  timeZone?: string;
  accessRole?: string;
}

export interface CalendarClient {
  insertEvent(calendarId: string, event: NewEvent): Promise<RemoteEvent>;
  getEvent(calendarId: string, eventId: string): Promise<RemoteEvent>;
  listEvents(calendarId: string, options: ListEventsOptions): Promise<{ items: RemoteEvent[]; nextPageToken?: string }>;
  patchEvent(calendarId: string, eventId: string, patch: Partial<Omit<NewEvent, 'id'>>): Promise<RemoteEvent>;
  deleteEvent(calendarId: string, eventId: string): Promise<void>;
  freeBusy(request: { timeMin: string; timeMax: string; timeZone?: string; calendarIds: string[] }): Promise<Record<string, { busy: BusyInterval[]; errors?: string[] }>>;
  listCalendars(pageToken?: string): Promise<{ items: CalendarSummary[]; nextPageToken?: string }>;
  /** HTTP requests sent so far, token refreshes excluded. */
  readonly apiCalls: number;
}

export interface CalendarClientOptions {
  transport: TasksTransport;
  rootUrl?: string;
  timeoutMs?: number;
}

function toEventTime(time: calendar_v3.Schema$EventDateTime | undefined): EventTime {
  return {
    ...(time?.dateTime ? { dateTime: time.dateTime } : {}),
    ...(time?.date ? { date: time.date } : {}),
    ...(time?.timeZone ? { timeZone: time.timeZone } : {}),
  };
}

export function toRemoteEvent(event: calendar_v3.Schema$Event): RemoteEvent {
  const privateProperties = event.extendedProperties?.private ?? undefined;
  return {
    id: String(event.id),
    ...(event.status ? { status: event.status } : {}),
    ...(event.summary ? { summary: event.summary } : {}),
    ...(event.description ? { description: event.description } : {}),
    ...(event.location ? { location: event.location } : {}),
    start: toEventTime(event.start),
    end: toEventTime(event.end),
    ...(event.htmlLink ? { htmlLink: event.htmlLink } : {}),
    ...(event.updated ? { updated: event.updated } : {}),
    ...(event.transparency ? { transparency: event.transparency } : {}),
    ...(privateProperties ? { privateProperties: { ...privateProperties } } : {}),
  };
}

function toRequestBody(event: Partial<NewEvent>): calendar_v3.Schema$Event {
  return {
    ...(event.id ? { id: event.id } : {}),
    ...(event.summary !== undefined ? { summary: event.summary } : {}),
    ...(event.description !== undefined ? { description: event.description } : {}),
    ...(event.location !== undefined ? { location: event.location } : {}),
    ...(event.start ? { start: event.start } : {}),
    ...(event.end ? { end: event.end } : {}),
    ...(event.privateProperties ? { extendedProperties: { private: event.privateProperties } } : {}),
  };
}

export function createCalendarClient(options: CalendarClientOptions): CalendarClient {
  const counted = transportAuth(options.transport, options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const api = new calendar_v3.Calendar({
    auth: counted.auth as unknown as calendar_v3.Options['auth'],
    rootUrl: (options.rootUrl || DEFAULT_CALENDAR_ROOT_URL).replace(/\/+$/, '') + '/',
  });

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toCalendarApiError(error);
    }
  }

  return {
    get apiCalls() {
      return counted.apiCalls;
    },
    insertEvent: (calendarId, event) =>
      call(async () => {
        // sendUpdates none: the assistant never mails anyone on the user's behalf.
        const res = await api.events.insert({ calendarId, sendUpdates: 'none', requestBody: toRequestBody(event) });
        return toRemoteEvent(res.data);
      }),
    getEvent: (calendarId, eventId) =>
      call(async () => {
        const res = await api.events.get({ calendarId, eventId });
        return toRemoteEvent(res.data);
      }),
    listEvents: (calendarId, listOptions) =>
      call(async () => {
        const res = await api.events.list({
          calendarId,
          timeMin: listOptions.timeMin,
          timeMax: listOptions.timeMax,
          timeZone: listOptions.timeZone,
          singleEvents: true,
          orderBy: 'startTime',
          maxResults: listOptions.maxResults ?? 250,
          pageToken: listOptions.pageToken,
          privateExtendedProperty: listOptions.privateExtendedProperty,
        });
        return {
          items: (res.data.items ?? []).map(toRemoteEvent),
          ...(res.data.nextPageToken ? { nextPageToken: res.data.nextPageToken } : {}),
        };
      }),
    patchEvent: (calendarId, eventId, patch) =>
      call(async () => {
        const res = await api.events.patch({ calendarId, eventId, sendUpdates: 'none', requestBody: toRequestBody(patch) });
        return toRemoteEvent(res.data);
      }),
    deleteEvent: (calendarId, eventId) =>
      call(async () => {
        await api.events.delete({ calendarId, eventId, sendUpdates: 'none' });
      }),
    freeBusy: (request) =>
      call(async () => {
        const res = await api.freebusy.query({
          requestBody: { timeMin: request.timeMin, timeMax: request.timeMax, timeZone: request.timeZone, items: request.calendarIds.map((id) => ({ id })) },
        });
        const out: Record<string, { busy: BusyInterval[]; errors?: string[] }> = {};
        for (const [id, entry] of Object.entries(res.data.calendars ?? {})) {
          out[id] = {
            busy: (entry.busy ?? []).filter((b) => b.start && b.end).map((b) => ({ start: String(b.start), end: String(b.end) })),
            ...(entry.errors?.length ? { errors: entry.errors.map((e) => String(e.reason ?? 'error')) } : {}),
          };
        }
        return out;
      }),
    listCalendars: (pageToken) =>
      call(async () => {
        const res = await api.calendarList.list({ maxResults: 250, pageToken, minAccessRole: 'writer' });
        return {
          items: (res.data.items ?? []).map((c) => ({
            id: String(c.id),
            summary: c.summaryOverride ?? c.summary ?? String(c.id),
            primary: c.primary === true,
            ...(c.timeZone ? { timeZone: c.timeZone } : {}),
            ...(c.accessRole ? { accessRole: c.accessRole } : {}),
          })),
          ...(res.data.nextPageToken ? { nextPageToken: res.data.nextPageToken } : {}),
        };
      }),
  };
}
