// A local Google Calendar v3 emulator with an OAuth token endpoint and fault injection.
//
// It follows the rules of the real API that the Event Executor depends on: client-chosen event
// ids (base32hex, 5–1024 characters, unique per calendar: a second insert is 409 "duplicate",
// also for an id whose event was deleted), private and shared extended properties (filters
// `privateExtendedProperty=key=value`), timed events (`dateTime` with an offset, or with a
// `timeZone`) and all-day ones (`date`, end exclusive), "primary" as the account's calendar,
// deleted events kept as `cancelled` (listed only with showDeleted, a second delete is 410),
// events.list with timeMin/timeMax (an event overlapping the window), singleEvents and
// orderBy=startTime (which needs singleEvents), pagination, freeBusy over several calendars
// (opaque, non-cancelled events, clipped to the window, notFound per unknown calendar), and
// Bearer tokens that expire. Errors come in Google's JSON shape. Faults are injected per API
// call, as in the Google Tasks emulator: 429, 503, rate-limit 403, latency, and "committed,
// then the connection dropped". Only node: built-ins and erasable TypeScript.
//
// In process: new GoogleCalendarEmulator(); await start(); url; reset(); injectFaults([...]);
// addEvent(calendarId, event) (someone else's event, e.g. a busy time); createCalendar(summary);
// events(calendarId); callLog; stop().
// Over HTTP: GET /_control/state, POST /_control/reset, POST /_control/faults { faults, clear? },
// POST /_control/events { calendarId?, event }, POST /_control/tokens { expireAccessTokens?, revokeRefreshToken? }.
// OAuth: POST /token with the Google Tasks emulator's client and refresh token (one fake Google account).

import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, INITIAL_ACCESS_TOKEN, INITIAL_REFRESH_TOKEN, type FaultKind, type FaultSpec } from './googleTasks';

export { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, INITIAL_ACCESS_TOKEN, INITIAL_REFRESH_TOKEN };
export type { FaultKind, FaultSpec };

export const PRIMARY_CALENDAR_ID = 'owner@draft-assistant.test';
const EVENT_ID = /^[a-v0-9]{5,1024}$/;
const LIST_DEFAULT_RESULTS = 250;
const LIST_MAX_RESULTS = 2500;

export interface EmulatedEventTime {
  dateTime?: string;
  date?: string;
  timeZone?: string;
}

export interface EmulatedEvent {
  kind: 'calendar#event';
  id: string;
  etag: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  htmlLink: string;
  created: string;
  updated: string;
  summary?: string;
  description?: string;
  location?: string;
  start: EmulatedEventTime;
  end: EmulatedEventTime;
  transparency?: 'opaque' | 'transparent';
  iCalUID: string;
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
}

export interface EmulatedCalendar {
  id: string;
  summary: string;
  timeZone: string;
  primary: boolean;
  accessRole: 'owner' | 'writer' | 'reader';
}

export interface CalendarCallLogEntry {
  n: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  fault?: FaultKind;
  body?: unknown;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function googleErrorBody(error: ApiError) {
  return {
    error: {
      code: error.status,
      message: error.message,
      errors: [{ domain: error.reason === 'rateLimitExceeded' ? 'usageLimits' : 'global', reason: error.reason, message: error.message }],
    },
  };
}

function newId(): string {
  // Server-chosen ids are base32hex like Google's.
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return [...randomBytes(26)].map((b) => alphabet[b & 31]).join('');
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The instant an event time starts at; an all-day date is midnight UTC (enough for ordering and the emulator's windows). */
function instantMs(time: EmulatedEventTime): number {
  if (time.date) return Date.parse(`${time.date}T00:00:00Z`);
  return Date.parse(String(time.dateTime));
}

export class GoogleCalendarEmulator {
  url = '';
  private server: http.Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  private calendars: EmulatedCalendar[] = [];
  private eventsByCalendar = new Map<string, EmulatedEvent[]>();
  private accessTokens = new Map<string, number>();
  private refreshTokenRevoked = false;
  private tokenCounter = 0;
  private apiCallCount = 0;
  private pendingFaults: FaultSpec[] = [];
  callLog: CalendarCallLogEntry[] = [];
  tokenRequests = 0;

  constructor(private readonly tokenLifetimeSeconds = 3600) {
    this.reset();
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.sendJson(res, 500, { error: { code: 500, message: String(error) } });
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** One empty primary calendar (Europe/Berlin), fresh tokens, no faults, an empty call log. */
  reset(): void {
    this.calendars = [{ id: PRIMARY_CALENDAR_ID, summary: PRIMARY_CALENDAR_ID, timeZone: 'Europe/Berlin', primary: true, accessRole: 'owner' }];
    this.eventsByCalendar = new Map([[PRIMARY_CALENDAR_ID, []]]);
    this.accessTokens = new Map([[INITIAL_ACCESS_TOKEN, Date.now() + this.tokenLifetimeSeconds * 1000]]);
    this.refreshTokenRevoked = false;
    this.apiCallCount = 0;
    this.pendingFaults = [];
    this.callLog = [];
    this.tokenRequests = 0;
  }

  injectFaults(faults: FaultSpec[]): void {
    for (const fault of faults) this.pendingFaults.push({ ...fault, times: fault.times ?? 1 });
  }

  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, 0);
  }

  revokeRefreshToken(): void {
    this.refreshTokenRevoked = true;
    this.expireAccessTokens();
  }

  createCalendar(summary: string, accessRole: EmulatedCalendar['accessRole'] = 'owner'): EmulatedCalendar {
    const calendar: EmulatedCalendar = { id: `${newId().slice(0, 16)}@group.calendar.google.com`, summary, timeZone: 'Europe/Berlin', primary: false, accessRole };
    this.calendars.push(calendar);
    this.eventsByCalendar.set(calendar.id, []);
    return calendar;
  }

  /** Every event of a calendar, cancelled ones included. */
  events(calendarId = PRIMARY_CALENDAR_ID): EmulatedEvent[] {
    return (this.eventsByCalendar.get(this.resolveCalendar(calendarId)) ?? []).map((e) => structuredClone(e));
  }

  /** An event the user made elsewhere (a busy time for conflict tests), bypassing the API and its faults. */
  addEvent(calendarId: string, event: Partial<EmulatedEvent> & Pick<EmulatedEvent, 'start' | 'end'>): EmulatedEvent {
    return this.insertEvent(this.resolveCalendar(calendarId), event as Record<string, unknown>);
  }

  state() {
    return {
      calendars: this.calendars,
      eventsByCalendar: Object.fromEntries(this.calendars.map((c) => [c.id, this.events(c.id)])),
      calls: this.callLog,
      apiCallCount: this.apiCallCount,
      tokenRequests: this.tokenRequests,
      pendingFaults: this.pendingFaults,
    };
  }

  // ------------------------------------------------------------ HTTP

  private sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bodyText = Buffer.concat(chunks).toString('utf8');
    if (url.pathname.startsWith('/_control/')) return this.handleControl(method, url.pathname, bodyText, res);
    if (url.pathname === '/token' && method === 'POST') return this.handleToken(req, bodyText, res);
    if (!url.pathname.startsWith('/calendar/v3/')) return this.sendJson(res, 404, { error: { code: 404, message: 'Not Found' } });

    const n = ++this.apiCallCount;
    const entry: CalendarCallLogEntry = { n, method, path: url.pathname, query: Object.fromEntries(url.searchParams.entries()), status: 0 };
    this.callLog.push(entry);
    const fault = this.takeFault(n, method, url.pathname);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'latency') await new Promise((r) => setTimeout(r, fault.latencyMs ?? 0));
    if (fault?.kind === 'dropBeforeCommit') {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    const faultError =
      fault?.kind === 'status503'
        ? new ApiError(503, 'backendError', 'Backend Error')
        : fault?.kind === 'status500'
          ? new ApiError(500, 'backendError', 'Backend Error')
          : fault?.kind === 'status429'
            ? new ApiError(429, 'rateLimitExceeded', 'Rate Limit Exceeded')
            : fault?.kind === 'rateLimit403'
              ? new ApiError(403, 'rateLimitExceeded', 'Rate Limit Exceeded')
              : fault?.kind === 'dailyLimit403'
                ? new ApiError(403, 'dailyLimitExceeded', 'Daily Limit Exceeded')
                : fault?.kind === 'invalid400'
                  ? new ApiError(400, 'invalid', 'Invalid request.')
                  : undefined;
    if (faultError) {
      entry.status = faultError.status;
      const headers: Record<string, string> = fault?.retryAfterSeconds ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      return this.sendJson(res, faultError.status, googleErrorBody(faultError), headers);
    }

    let status = 200;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      this.authenticate(req);
      const result = this.route(method, url, bodyText);
      status = result.status;
      body = result.body;
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'backendError', String(error));
      status = apiError.status;
      body = googleErrorBody(apiError);
      headers = apiError.headers;
    }
    entry.status = status;
    if (fault?.kind === 'commitThenDrop') {
      // Applied; the client never hears of it.
      entry.status = -status;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slowAnswer') await new Promise((r) => setTimeout(r, fault.latencyMs ?? 0));
    if (status === 204) {
      res.writeHead(204);
      res.end();
      return;
    }
    this.sendJson(res, status, body, headers);
  }

  private takeFault(n: number, method: string, path: string): FaultSpec | undefined {
    const index = this.pendingFaults.findIndex((f) =>
      f.onCall !== undefined ? f.onCall === n : (!f.method || f.method.toUpperCase() === method) && (!f.pathIncludes || path.includes(f.pathIncludes)),
    );
    if (index < 0) return undefined;
    const fault = this.pendingFaults[index];
    if (fault.onCall !== undefined || (fault.times ?? 1) <= 1) this.pendingFaults.splice(index, 1);
    else fault.times = (fault.times ?? 1) - 1;
    return fault;
  }

  private authenticate(req: http.IncomingMessage): void {
    const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    const expiresAt = match ? this.accessTokens.get(match[1]) : undefined;
    if (!match || expiresAt === undefined || expiresAt <= Date.now()) {
      throw new ApiError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', {
        'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
      });
    }
  }

  private handleToken(req: http.IncomingMessage, bodyText: string, res: http.ServerResponse): void {
    this.tokenRequests++;
    const contentType = String(req.headers['content-type'] ?? '');
    const form: Record<string, string> = contentType.includes('json') ? (JSON.parse(bodyText || '{}') as Record<string, string>) : Object.fromEntries(new URLSearchParams(bodyText).entries());
    let clientId = form.client_id;
    let clientSecret = form.client_secret;
    const basic = /^Basic (.+)$/i.exec(String(req.headers.authorization ?? ''));
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id);
      clientSecret = decodeURIComponent(secret ?? '');
    }
    if (clientId !== EMULATOR_CLIENT_ID || clientSecret !== EMULATOR_CLIENT_SECRET) return this.sendJson(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    if (form.grant_type !== 'refresh_token') return this.sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.grant_type}` });
    if (form.refresh_token !== INITIAL_REFRESH_TOKEN || this.refreshTokenRevoked) return this.sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    const accessToken = `emulator-calendar-access-token-${++this.tokenCounter}`;
    this.accessTokens.set(accessToken, Date.now() + this.tokenLifetimeSeconds * 1000);
    this.sendJson(res, 200, { access_token: accessToken, expires_in: this.tokenLifetimeSeconds, scope: 'https://www.googleapis.com/auth/calendar', token_type: 'Bearer' });
  }

  private handleControl(method: string, path: string, bodyText: string, res: http.ServerResponse): void {
    const body = bodyText ? (JSON.parse(bodyText) as Record<string, unknown>) : {};
    if (path === '/_control/state' && method === 'GET') return this.sendJson(res, 200, this.state());
    if (path === '/_control/reset' && method === 'POST') {
      this.reset();
      return this.sendJson(res, 200, { ok: true });
    }
    if (path === '/_control/faults' && method === 'POST') {
      if (body.clear) this.pendingFaults = [];
      this.injectFaults((body.faults as FaultSpec[]) ?? []);
      return this.sendJson(res, 200, { ok: true, pendingFaults: this.pendingFaults });
    }
    if (path === '/_control/events' && method === 'POST') {
      return this.sendJson(res, 200, this.addEvent(String(body.calendarId ?? PRIMARY_CALENDAR_ID), body.event as EmulatedEvent));
    }
    if (path === '/_control/tokens' && method === 'POST') {
      if (body.expireAccessTokens) this.expireAccessTokens();
      if (body.revokeRefreshToken) this.revokeRefreshToken();
      return this.sendJson(res, 200, { ok: true });
    }
    this.sendJson(res, 404, { error: `Unknown control ${method} ${path}` });
  }

  // ------------------------------------------------------------ Calendar v3

  private route(method: string, url: URL, bodyText: string): { status: number; body?: unknown } {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent).slice(2); // calendar, v3
    const parseBody = () => {
      try {
        return (bodyText ? JSON.parse(bodyText) : {}) as Record<string, unknown>;
      } catch {
        throw new ApiError(400, 'parseError', 'Parse Error');
      }
    };
    if (parts[0] === 'freeBusy' && parts.length === 1 && method === 'POST') return { status: 200, body: this.freeBusy(parseBody()) };
    if (parts[0] === 'users' && parts[1] === 'me' && parts[2] === 'calendarList' && parts.length === 3 && method === 'GET') {
      const minRole = url.searchParams.get('minAccessRole');
      const rank = { reader: 1, writer: 2, owner: 3 } as Record<string, number>;
      const items = this.calendars
        .filter((c) => !minRole || rank[c.accessRole] >= (rank[minRole] ?? 0))
        .map((c) => ({ kind: 'calendar#calendarListEntry', id: c.id, summary: c.summary, timeZone: c.timeZone, accessRole: c.accessRole, ...(c.primary ? { primary: true } : {}) }));
      return { status: 200, body: { kind: 'calendar#calendarList', items } };
    }
    if (parts[0] === 'calendars' && parts[2] === 'events') {
      const calendarId = this.resolveCalendar(parts[1]);
      if (parts.length === 3 && method === 'POST') return { status: 200, body: this.insertEvent(calendarId, parseBody()) };
      if (parts.length === 3 && method === 'GET') return { status: 200, body: this.listEvents(calendarId, url.searchParams) };
      if (parts.length === 4) {
        const event = this.findEvent(calendarId, parts[3]);
        if (method === 'GET') return { status: 200, body: event };
        if (method === 'PATCH') return { status: 200, body: this.patchEvent(event, parseBody()) };
        if (method === 'DELETE') {
          if (event.status === 'cancelled') throw new ApiError(410, 'deleted', 'Resource has been deleted');
          event.status = 'cancelled';
          event.updated = new Date().toISOString();
          return { status: 204 };
        }
      }
    }
    throw new ApiError(404, 'notFound', `No route for ${method} ${url.pathname}`);
  }

  private resolveCalendar(id: string): string {
    const resolved = id === 'primary' ? PRIMARY_CALENDAR_ID : id;
    if (!this.eventsByCalendar.has(resolved)) throw new ApiError(404, 'notFound', 'Not Found');
    return resolved;
  }

  private findEvent(calendarId: string, eventId: string): EmulatedEvent {
    const event = this.eventsByCalendar.get(calendarId)!.find((e) => e.id === eventId);
    if (!event) throw new ApiError(404, 'notFound', 'Not Found');
    return event;
  }

  private checkTime(value: unknown, field: 'start' | 'end'): EmulatedEventTime {
    if (!value || typeof value !== 'object') throw new ApiError(400, 'required', field === 'end' ? 'Missing end time.' : 'Missing start time.');
    const time = value as EmulatedEventTime;
    if (time.timeZone !== undefined && !isValidZone(time.timeZone)) throw new ApiError(400, 'timeZoneInvalid', `Invalid time zone definition for ${field} time.`);
    if (time.date !== undefined) {
      if (!DATE.test(time.date) || Number.isNaN(Date.parse(`${time.date}T00:00:00Z`))) throw new ApiError(400, 'invalid', `Invalid ${field} date.`);
      return { date: time.date, ...(time.timeZone ? { timeZone: time.timeZone } : {}) };
    }
    if (typeof time.dateTime !== 'string' || !RFC3339.test(time.dateTime)) throw new ApiError(400, 'invalid', `Invalid ${field} time.`);
    const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(time.dateTime);
    // Google: "A time zone offset is required unless a time zone is explicitly specified in timeZone." (the emulator reads an offset-less time as UTC)
    if (!hasOffset && !time.timeZone) throw new ApiError(400, 'invalid', `Invalid ${field} time: a time zone offset is required unless a time zone is specified.`);
    const normalized = hasOffset ? time.dateTime : `${time.dateTime}Z`;
    if (Number.isNaN(Date.parse(normalized))) throw new ApiError(400, 'invalid', `Invalid ${field} time.`);
    return { dateTime: normalized, ...(time.timeZone ? { timeZone: time.timeZone } : {}) };
  }

  private insertEvent(calendarId: string, body: Record<string, unknown>): EmulatedEvent {
    const events = this.eventsByCalendar.get(calendarId)!;
    let id = newId();
    if (body.id !== undefined) {
      if (typeof body.id !== 'string' || !EVENT_ID.test(body.id)) throw new ApiError(400, 'invalid', 'Invalid resource id value.');
      // Deleted events keep their id: it cannot be used again.
      if (events.some((e) => e.id === body.id)) throw new ApiError(409, 'duplicate', 'The requested identifier already exists.');
      id = body.id;
    }
    const start = this.checkTime(body.start, 'start');
    const end = this.checkTime(body.end, 'end');
    if (Boolean(start.date) !== Boolean(end.date)) throw new ApiError(400, 'invalid', 'Start and end times must either both be date or both be dateTime.');
    if (instantMs(end) <= instantMs(start)) throw new ApiError(400, 'timeRangeEmpty', 'The specified time range is empty.');
    const now = new Date().toISOString();
    const event: EmulatedEvent = {
      kind: 'calendar#event',
      id,
      etag: `"${Date.now()}"`,
      status: body.status === 'tentative' ? 'tentative' : 'confirmed',
      htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendarId}`).toString('base64url')}`,
      created: now,
      updated: now,
      ...(typeof body.summary === 'string' ? { summary: body.summary } : {}),
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      ...(typeof body.location === 'string' ? { location: body.location } : {}),
      start,
      end,
      ...(body.transparency === 'transparent' ? { transparency: 'transparent' as const } : {}),
      iCalUID: `${id}@google.com`,
      ...(body.extendedProperties ? { extendedProperties: structuredClone(body.extendedProperties as EmulatedEvent['extendedProperties']) } : {}),
    };
    events.push(event);
    return structuredClone(event);
  }

  private patchEvent(event: EmulatedEvent, body: Record<string, unknown>): EmulatedEvent {
    if (body.id !== undefined && body.id !== event.id) throw new ApiError(400, 'invalid', 'The event id cannot be changed.');
    for (const field of ['summary', 'description', 'location'] as const) if (typeof body[field] === 'string') event[field] = body[field] as string;
    const start = body.start !== undefined ? this.checkTime(body.start, 'start') : event.start;
    const end = body.end !== undefined ? this.checkTime(body.end, 'end') : event.end;
    if (instantMs(end) <= instantMs(start)) throw new ApiError(400, 'timeRangeEmpty', 'The specified time range is empty.');
    event.start = start;
    event.end = end;
    const props = body.extendedProperties as EmulatedEvent['extendedProperties'] | undefined;
    if (props) {
      // patch merges the properties maps key by key.
      event.extendedProperties = {
        private: { ...event.extendedProperties?.private, ...props.private },
        shared: { ...event.extendedProperties?.shared, ...props.shared },
      };
    }
    event.updated = new Date().toISOString();
    event.etag = `"${Date.now()}"`;
    return structuredClone(event);
  }

  private listEvents(calendarId: string, params: URLSearchParams) {
    const orderBy = params.get('orderBy');
    if (orderBy === 'startTime' && params.get('singleEvents') !== 'true') throw new ApiError(400, 'invalid', 'The requested ordering is not available for the particular query.');
    const timeMin = params.get('timeMin');
    const timeMax = params.get('timeMax');
    for (const [name, value] of [
      ['timeMin', timeMin],
      ['timeMax', timeMax],
    ] as const) {
      if (value !== null && (!/(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value)))) throw new ApiError(400, 'badRequest', `Bad Request: ${name} needs an offset`);
    }
    const minMs = timeMin ? Date.parse(timeMin) : -Infinity;
    const maxMs = timeMax ? Date.parse(timeMax) : Infinity;
    if (minMs >= maxMs) throw new ApiError(400, 'timeRangeEmpty', 'The specified time range is empty.');
    const filters = params.getAll('privateExtendedProperty').map((f) => f.split('=', 2) as [string, string]);
    const showDeleted = params.get('showDeleted') === 'true';
    const matching = this.eventsByCalendar
      .get(calendarId)!
      // An event is in the window when it ends after timeMin and starts before timeMax.
      .filter((e) => (showDeleted || e.status !== 'cancelled') && instantMs(e.end) > minMs && instantMs(e.start) < maxMs)
      .filter((e) => filters.every(([key, value]) => e.extendedProperties?.private?.[key] === value))
      .sort((a, b) => (orderBy === 'startTime' ? instantMs(a.start) - instantMs(b.start) : a.updated.localeCompare(b.updated)));
    const requested = params.has('maxResults') ? Number(params.get('maxResults')) : LIST_DEFAULT_RESULTS;
    if (!Number.isInteger(requested) || requested < 1) throw new ApiError(400, 'invalid', 'Invalid value for maxResults');
    const size = Math.min(requested, LIST_MAX_RESULTS);
    const token = params.get('pageToken');
    const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, 'invalid', 'Invalid page token');
    const items = matching.slice(offset, offset + size).map((e) => structuredClone(e));
    const next = offset + size < matching.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
    const calendar = this.calendars.find((c) => c.id === calendarId)!;
    return { kind: 'calendar#events', summary: calendar.summary, timeZone: params.get('timeZone') ?? calendar.timeZone, updated: new Date().toISOString(), ...(next ? { nextPageToken: next } : {}), items };
  }

  private freeBusy(body: Record<string, unknown>) {
    const timeMin = String(body.timeMin ?? '');
    const timeMax = String(body.timeMax ?? '');
    const minMs = Date.parse(timeMin);
    const maxMs = Date.parse(timeMax);
    if (Number.isNaN(minMs) || Number.isNaN(maxMs)) throw new ApiError(400, 'badRequest', 'Bad Request');
    if (minMs >= maxMs) throw new ApiError(400, 'timeRangeEmpty', 'The specified time range is empty.');
    const items = Array.isArray(body.items) ? (body.items as { id?: unknown }[]) : [];
    const calendars: Record<string, unknown> = {};
    for (const item of items) {
      const requestedId = String(item.id ?? '');
      const id = requestedId === 'primary' ? PRIMARY_CALENDAR_ID : requestedId;
      const events = this.eventsByCalendar.get(id);
      if (!events) {
        calendars[requestedId] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
        continue;
      }
      const busy = events
        .filter((e) => e.status !== 'cancelled' && e.transparency !== 'transparent')
        .map((e) => ({ startMs: Math.max(instantMs(e.start), minMs), endMs: Math.min(instantMs(e.end), maxMs) }))
        .filter((b) => b.endMs > b.startMs)
        .sort((a, b) => a.startMs - b.startMs)
        .reduce<{ startMs: number; endMs: number }[]>((merged, b) => {
          const last = merged[merged.length - 1];
          if (last && b.startMs <= last.endMs) last.endMs = Math.max(last.endMs, b.endMs);
          else merged.push({ ...b });
          return merged;
        }, [])
        .map((b) => ({ start: new Date(b.startMs).toISOString(), end: new Date(b.endMs).toISOString() }));
      calendars[requestedId] = { busy };
    }
    return { kind: 'calendar#freeBusy', timeMin: new Date(minMs).toISOString(), timeMax: new Date(maxMs).toISOString(), calendars };
  }
}
