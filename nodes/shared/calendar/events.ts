// Google Calendar events: a confirmed event draft becomes one event, exactly once; conflicts
// with the user's busy times before Confirm; and the event reads (a day's events) that the
// daily briefing uses too. Everything about events that talks to Google is here.
//
// Exactly once. Google Calendar lets the client choose an event's id and answers 409 to a
// second insert with the same id in the same calendar. Our id is derived from the draft
// (its user, number and creation time, hashed into base32hex), and the event carries a
// private extended property with a marker derived the same way, which only this client sees
// (nothing shows in the user's calendar). So:
//  - a double tap, or two workers: both insert the same id; one gets 200, the other 409;
//  - a 503 or a timeout: the insert is sent again with the same id: 200 if it never landed,
//    409 if it did;
//  - committed, then the connection dropped, or n8n killed mid-confirmation: the next run
//    sends the same insert and gets 409;
// and every 409 reads the event back (events.get) and adopts it when the marker is ours. Where an
// earlier send may have landed (an answer lost, a run that stopped), the event is read first and
// the insert sent only if it is not there: Google warns that it cannot promise to detect every id
// collision at creation time, so a 409 is the second line, not the only one. An
// event with our id but without our marker is not ours: nothing is created, and the user is
// asked to send the event again (a new draft has a new id). The calendar is fixed by the first
// attempt (event_executions), so a retry after the user picked another calendar goes where the
// first insert may have landed. The draft moves confirmed → executed in the transaction that
// records the event.

import { createHash } from 'node:crypto';
import { recordAudit } from '../store/audit';
import type { Queryable, Store } from '../store/db';
import { getDraftForUser, markDraftExecuted, requireDraftId, type Draft } from '../draft/drafts';
import { validateEventDraft, type EventDraft } from '../draft/eventDraft';
import { InputError } from '../errors';
import type { Failure } from '../outcome';
import { msUntilQuotaReset } from '../quota';
import { draftNotConfirmed } from '../messages/failures';
import { CALENDAR_FAILURES, calendarRefused, eventCannotBeCreated, NOT_AN_EVENT_DRAFT } from '../messages/calendar';
import { requireUserId } from '../users';
import { TasksApiError } from '../tasks/client';
import { backoffDelayMs, retryEnvironment, withRetries, type RetryPolicy } from '../tasks/retry';
import { DEFAULT_CALENDAR_ID, toCalendarApiError, type BusyInterval, type CalendarClient, type NewEvent, type RemoteEvent } from './client';
import { nextFreeSlot, overlapping, type Interval } from './conflicts';
import { dayBounds, eventSpanMs, localDateTimeOf, rfc3339In } from './time';
import { todayIn } from '../gemini/dates';
import { isCalendarDate } from '../time';

/** The private extended property that marks an event as created by this assistant for one draft. */
export const EVENT_MARKER_PROPERTY = 'draftAssistantMarker';
const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

function base32hex(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

/**
 * What names a draft across time: its user, number and creation time. A restore from an older
 * backup can hand a draft number out again, but not with the same creation time.
 */
export function draftIdentity(draft: Pick<Draft, 'id' | 'userId' | 'createdAt'>): string {
  return `${draft.userId}|${draft.id}|${draft.createdAt ?? ''}`;
}

/** The event id we choose for a draft: 32 base32hex characters (160 bits of SHA-256), as Google requires (a–v, 0–9, 5–1024 long). */
export function eventIdFor(identity: string): string {
  return base32hex(createHash('sha256').update(`event-id|${identity}`).digest().subarray(0, 20));
}

/** The marker stored in the event's private extended properties: proves an event with our id is ours. */
export function eventMarkerFor(identity: string): string {
  return createHash('sha256').update(`event-marker|${identity}`).digest('hex').slice(0, 40);
}

/** Whether a remote event carries this marker. */
export function isOurEvent(event: RemoteEvent, marker: string): boolean {
  return event.privateProperties?.[EVENT_MARKER_PROPERTY] === marker;
}

/** The insert for an event draft: timed with the zone's offset at that moment and the zone's name; all-day by dates. */
export function eventRequest(event: EventDraft, id: string, marker: string): NewEvent {
  const span = eventSpanMs(event);
  return {
    id,
    summary: event.title,
    ...(event.notes ? { description: event.notes } : {}),
    ...(event.location ? { location: event.location } : {}),
    start: event.all_day ? { date: event.start } : { dateTime: rfc3339In(span.startMs, event.time_zone), timeZone: event.time_zone },
    end: event.all_day ? { date: event.end } : { dateTime: rfc3339In(span.endMs, event.time_zone), timeZone: event.time_zone },
    privateProperties: { [EVENT_MARKER_PROPERTY]: marker },
  };
}

// ------------------------------------------------------------ failures

export function failureFromCalendarError(raw: unknown): Failure {
  const error = raw instanceof TasksApiError ? raw : toCalendarApiError(raw);
  if (error.kind === 'auth_revoked') return { kind: 'auth_revoked', retryable: false, message: error.message, userMessage: CALENDAR_FAILURES.reconnect_google };
  if (error.status === 401) return { kind: 'auth_failed', retryable: false, message: error.message, userMessage: CALENDAR_FAILURES.reconnect_google };
  if (error.isDailyQuota) {
    return {
      kind: 'quota_exhausted',
      retryable: true,
      retryAfterMs: msUntilQuotaReset(new Date()),
      message: `Google Calendar daily quota exhausted: ${error.message}`,
      userMessage: CALENDAR_FAILURES.quota_exhausted,
    };
  }
  if (error.isRateLimit) {
    return {
      kind: 'rate_limited',
      retryable: true,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      message: `Google Calendar rate limit: ${error.message}`,
      userMessage: CALENDAR_FAILURES.rate_limited,
    };
  }
  if (error.retryable) return { kind: 'service_unavailable', retryable: true, message: `Google Calendar unavailable: ${error.message}`, userMessage: CALENDAR_FAILURES.service_unavailable };
  return {
    kind: 'api_rejected',
    retryable: false,
    message: `Google Calendar refused the request${error.status ? ` (${error.status})` : ''}: ${error.message}`,
    userMessage: calendarRefused(error.message),
  };
}

// ------------------------------------------------------------ the user's calendar

/** The calendar a user's new events go to: theirs from /calendar, else the account's primary. */
export async function userCalendarId(db: Queryable, userId: unknown): Promise<string> {
  const row = await db.get<{ calendar_id: string | null }>('SELECT calendar_id FROM users WHERE user_id = ?', [requireUserId(userId)]);
  return row?.calendar_id || DEFAULT_CALENDAR_ID;
}

/**
 * A user's events of one day of theirs (their /calendar choice, their time zone; `date` defaults
 * to their today): what the daily briefing lists. A user we do not know yet has UTC and primary.
 */
export async function listUserEventsForDay(
  db: Queryable,
  client: CalendarClient,
  input: { userId: unknown; date?: string | null; now?: Date; maxEvents?: number; retry?: Partial<RetryPolicy>; sleep?: (ms: number) => Promise<void> },
): Promise<({ ok: true; calendarId: string; date: string; events: DayEvent[] } | { ok: false; failure: Failure }) & { userId: string; timeZone: string }> {
  const userId = requireUserId(input.userId);
  const row = await db.get<{ timezone: string | null; calendar_id: string | null }>('SELECT timezone, calendar_id FROM users WHERE user_id = ?', [userId]);
  const timeZone = row?.timezone || 'UTC';
  const date = input.date?.trim() || todayIn(timeZone, input.now ?? new Date());
  if (!isCalendarDate(date)) throw new InputError(`Date must be YYYY-MM-DD (got "${date}")`);
  const listed = await listEventsForDay(client, { ...input, calendarId: row?.calendar_id || DEFAULT_CALENDAR_ID, date, timeZone });
  return { ...listed, userId, timeZone };
}

/** Sets (or, with null or "primary", clears) the user's calendar. The user must exist. */
export async function setUserCalendarId(store: Store, userIdInput: unknown, calendarId: string | null): Promise<string> {
  const userId = requireUserId(userIdInput);
  const value = calendarId?.trim() && calendarId.trim() !== DEFAULT_CALENDAR_ID ? calendarId.trim() : null;
  if (value && value.length > 1024) throw new InputError('A calendar id is at most 1024 characters long');
  await store.transaction(async (tx) => {
    const changed = await tx.run(`UPDATE users SET calendar_id = ?, updated_at = ${tx.nowMs} WHERE user_id = ?`, [value, userId]);
    if (changed !== 1) throw new InputError(`User ${userId} does not exist`);
    await recordAudit(tx, { action: 'user_calendar_set', entityType: 'user', entityId: userId, userId, details: { calendarId: value ?? DEFAULT_CALENDAR_ID } });
  });
  return value ?? DEFAULT_CALENDAR_ID;
}

// ------------------------------------------------------------ creating, exactly once

export type EventExecutorStep = 'claimed' | 'remote-call-returned' | 'before-finish';

export interface CreateEventInput {
  draftId: unknown;
  userId: unknown;
  /** The calendar for a first attempt; empty: the user's (/calendar), else primary. A resumed one keeps its calendar. */
  calendarId?: string;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called at each step; an exception thrown here propagates untouched (a simulated crash). */
  onStep?: (step: EventExecutorStep, detail: { draftId: number; eventId: string }) => void | Promise<void>;
}

export interface CreatedEvent {
  id: string;
  title: string;
  allDay: boolean;
  /** As in the draft: local YYYY-MM-DDTHH:MM, or dates for an all-day event (end exclusive). */
  start: string;
  end: string;
  timeZone: string;
  location?: string;
  htmlLink?: string;
}

export interface CreateEventResult {
  ok: true;
  draftId: number;
  calendarId: string;
  event: CreatedEvent;
  /** An earlier insert had landed (409 with our marker): this run adopted it. */
  adopted: boolean;
  /** Requests sent to Google by this call. */
  apiCalls: number;
  /** The draft had been executed before; this is the recorded result. */
  alreadyExecuted: boolean;
}

export type CreateEventOutcome = CreateEventResult | { ok: false; draftId: number; failure: Failure };

interface EventExecutionRow {
  id: number;
  draft_id: number;
  calendar_id: string;
  event_id: string;
  status: 'sending' | 'created' | 'failed';
  attempts: number;
  result_json: string | null;
}

function refuse(draftId: number, kind: string, message: string, userMessage: string, retryable = false): CreateEventOutcome {
  return { ok: false, draftId, failure: { kind, retryable, message, userMessage } };
}

async function recordedEventResult(db: Queryable, draftId: number): Promise<CreateEventResult | undefined> {
  const row = await db.get<{ result_json: string | null }>(`SELECT result_json FROM event_executions WHERE draft_id = ? AND status = 'created'`, [draftId]);
  if (!row?.result_json) return undefined;
  return { ...(JSON.parse(row.result_json) as CreateEventResult), apiCalls: 0, alreadyExecuted: true };
}

/** The event execution of the draft, created on the first attempt (fixing its calendar and id), counted on every later one. */
async function claimEventExecution(store: Store, draft: Draft, calendarId: string, eventId: string): Promise<EventExecutionRow> {
  return store.transaction(async (tx) => {
    const row = await tx.get<EventExecutionRow>(
      `INSERT INTO event_executions (draft_id, user_id, calendar_id, event_id, status, attempts, created_at, updated_at)
       VALUES (:draft_id, :user_id, :calendar_id, :event_id, 'sending', 1, ${tx.nowMs}, ${tx.nowMs})
       ON CONFLICT (draft_id) DO UPDATE SET attempts = event_executions.attempts + 1, updated_at = ${tx.nowMs},
         status = CASE WHEN event_executions.status = 'created' THEN 'created' ELSE 'sending' END
       RETURNING *`,
      { draft_id: draft.id, user_id: draft.userId, calendar_id: calendarId, event_id: eventId },
    );
    await recordAudit(tx, {
      action: row!.attempts > 1 ? 'event_execution_resumed' : 'event_execution_started',
      entityType: 'draft',
      entityId: draft.id,
      userId: draft.userId,
      sourceMessageId: draft.sourceMessageId,
      details: { calendarId: row!.calendar_id, eventId: row!.event_id, attempt: row!.attempts },
    });
    return row!;
  });
}

async function recordEventFailure(store: Store, draft: Draft, failure: Failure, apiCalls: number): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.run(
      `UPDATE event_executions SET status = 'failed', error_message = ?, api_calls = api_calls + ?, updated_at = ${tx.nowMs}
       WHERE draft_id = ? AND status <> 'created'`,
      [failure.message, apiCalls, draft.id],
    );
    await recordAudit(tx, {
      action: 'event_execution_failed',
      entityType: 'draft',
      entityId: draft.id,
      userId: draft.userId,
      sourceMessageId: draft.sourceMessageId,
      details: { kind: failure.kind, retryable: failure.retryable, message: failure.message },
    });
  });
}

/**
 * Records the event and moves the draft to executed, in one transaction. A run that finds the
 * draft executed already (another tap's run finished first) returns that run's result.
 */
async function finishEventExecution(store: Store, draft: Draft, result: CreateEventResult): Promise<CreateEventResult> {
  return store.transaction(async (tx) => {
    const current = await tx.get<{ status: string }>(`SELECT status FROM drafts WHERE id = ? ${tx.forUpdate}`, [draft.id]);
    if (current?.status === 'executed') {
      const recorded = await recordedEventResult(tx, draft.id);
      if (recorded) return recorded;
    }
    await tx.run(
      `UPDATE event_executions SET status = 'created', result_json = ?, adopted = ?, error_message = NULL,
         api_calls = api_calls + ?, updated_at = ${tx.nowMs}
       WHERE draft_id = ?`,
      [JSON.stringify(result), result.adopted ? 1 : 0, result.apiCalls, draft.id],
    );
    // The event exists: that is recorded whatever became of the draft meanwhile. Only a
    // confirmed draft becomes executed (a draft given back to the user stays drafted; its next
    // Confirm adopts this event).
    if (current?.status === 'confirmed') await markDraftExecuted(tx, draft.id, draft.userId, { eventId: result.event.id, calendarId: result.calendarId });
    await recordAudit(tx, {
      action: result.adopted ? 'event_adopted' : 'event_created',
      entityType: 'draft',
      entityId: draft.id,
      userId: draft.userId,
      sourceMessageId: draft.sourceMessageId,
      details: { eventId: result.event.id, calendarId: result.calendarId, apiCalls: result.apiCalls },
    });
    return result;
  });
}

function createdEvent(event: EventDraft, remote: RemoteEvent): CreatedEvent {
  return {
    id: remote.id,
    title: event.title,
    allDay: event.all_day,
    start: event.start,
    end: event.end,
    timeZone: event.time_zone,
    ...(event.location ? { location: event.location } : {}),
    ...(remote.htmlLink ? { htmlLink: remote.htmlLink } : {}),
  };
}

/** Creates the confirmed event draft's event exactly once (see the top of this file). */
export async function createEventOnce(store: Store, client: CalendarClient, input: CreateEventInput): Promise<CreateEventOutcome> {
  const draftId = requireDraftId(input.draftId);
  const userId = requireUserId(input.userId);
  const env = retryEnvironment(input);
  const draft = await getDraftForUser(store, draftId, userId);
  if (draft.draftType !== 'event' || !draft.event) return refuse(draftId, 'not_an_event', `Draft ${draftId} is a ${draft.draftType} draft, not an event`, NOT_AN_EVENT_DRAFT);
  if (draft.status === 'executed') {
    const recorded = await recordedEventResult(store, draftId);
    if (recorded) return recorded;
  }
  if (draft.status !== 'confirmed') return refuse(draftId, 'draft_not_confirmed', `Draft ${draftId} is ${draft.status}, not confirmed`, draftNotConfirmed(draft.status));
  const validation = validateEventDraft(draft.event);
  if (!validation.ok) {
    return refuse(draftId, 'invalid_draft', `Draft ${draftId} cannot become a Google Calendar event: ${validation.problems.join('; ')}`, eventCannotBeCreated(validation.problems));
  }
  const event = validation.event;
  const identity = draftIdentity(draft);
  const marker = eventMarkerFor(identity);
  const requested = input.calendarId?.trim() || (await userCalendarId(store, userId));
  const execution = await claimEventExecution(store, draft, requested, eventIdFor(identity));
  const calendarId = execution.calendar_id;
  const eventId = execution.event_id;
  await input.onStep?.('claimed', { draftId, eventId });

  const before = client.apiCalls;
  const resultFor = (remote: RemoteEvent, adopted: boolean): CreateEventResult => ({
    ok: true,
    draftId,
    calendarId,
    event: createdEvent(event, remote),
    adopted,
    apiCalls: client.apiCalls - before,
    alreadyExecuted: false,
  });

  if (execution.status === 'created' && execution.result_json) {
    // An earlier run recorded the event and stopped before the draft moved on.
    const recorded = JSON.parse(execution.result_json) as CreateEventResult;
    return finishEventExecution(store, draft, { ...recorded, apiCalls: 0, alreadyExecuted: false });
  }

  const request = eventRequest(event, eventId, marker);
  const giveUp = async (failure: Failure): Promise<CreateEventOutcome> => {
    await recordEventFailure(store, draft, failure, client.apiCalls - before);
    return { ok: false, draftId, failure };
  };
  /** Our event under our id, if Google has it: read first where an earlier send may have landed, so adopting never depends on a 409 alone. */
  const lookUpOwn = async (): Promise<{ found?: RemoteEvent; failure?: Failure }> => {
    let existing: RemoteEvent;
    try {
      existing = await withRetries(env, () => client.getEvent(calendarId, eventId));
    } catch (error) {
      if (error instanceof TasksApiError && error.kind === 'http' && (error.status === 404 || error.status === 410)) return {};
      return { failure: failureFromCalendarError(error) };
    }
    if (isOurEvent(existing, marker)) return { found: existing };
    return {
      failure: {
        kind: 'event_id_taken',
        retryable: false,
        message: `Calendar ${calendarId} already has event ${eventId} without this draft's marker`,
        userMessage: CALENDAR_FAILURES.id_taken,
      },
    };
  };

  // An earlier run got as far as claiming: it may have sent the insert before it stopped.
  let mayExist = execution.attempts > 1;
  for (let attempt = 1; ; attempt++) {
    if (mayExist) {
      const { found, failure } = await lookUpOwn();
      if (failure) return giveUp(failure);
      if (found) {
        await input.onStep?.('before-finish', { draftId, eventId });
        return finishEventExecution(store, draft, resultFor(found, true));
      }
    }
    let remote: RemoteEvent;
    try {
      remote = await client.insertEvent(calendarId, request);
      await input.onStep?.('remote-call-returned', { draftId, eventId });
    } catch (raw) {
      if (!(raw instanceof TasksApiError)) throw raw;
      const error = raw;
      if (error.kind === 'http' && error.status === 409) {
        // The id is taken: by an earlier insert of ours (another tap's, or one whose answer was lost), or by something else.
        const { found, failure } = await lookUpOwn();
        if (failure) return giveUp(failure);
        if (!found) return giveUp(failureFromCalendarError(error));
        await input.onStep?.('before-finish', { draftId, eventId });
        return finishEventExecution(store, draft, resultFor(found, true));
      }
      if (!error.retryable || attempt >= env.policy.maxAttempts) return giveUp(failureFromCalendarError(error));
      // Sending again is safe whether or not it landed (the same id), and after an answer that
      // was lost we look first.
      mayExist = mayExist || error.mayHaveCommitted;
      await env.sleep(backoffDelayMs(env, attempt, error));
      continue;
    }
    await input.onStep?.('before-finish', { draftId, eventId });
    return finishEventExecution(store, draft, resultFor(remote, false));
  }
}

/** The event execution of a draft (tests, support). */
export async function getEventExecution(db: Queryable, draftId: number): Promise<Record<string, unknown> | undefined> {
  return db.get<Record<string, unknown>>('SELECT * FROM event_executions WHERE draft_id = ?', [draftId]);
}

// ------------------------------------------------------------ conflicts (read only)

export interface ConflictCheckInput {
  event: Pick<EventDraft, 'all_day' | 'start' | 'end' | 'time_zone'>;
  /** The calendars whose busy times count (default: primary). */
  calendarIds?: string[];
  /** How far past the event's start the next free slot may be (default 72 hours). */
  searchHours?: number;
  dayWindow?: { startHour: number; endHour: number };
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
}

export interface BusySpan {
  /** RFC 3339 instants. */
  start: string;
  end: string;
  /** The user's wall clock, YYYY-MM-DDTHH:MM. */
  startLocal: string;
  endLocal: string;
}

export interface ConflictCheck {
  ok: true;
  /** False for all-day events (they are not checked: a birthday does not block the day). */
  checked: boolean;
  conflicts: BusySpan[];
  /** The earliest free slot of the event's length after its start, when it conflicts. */
  nextFreeSlot?: BusySpan;
  /** Calendars freeBusy could not read (e.g. notFound), by id. */
  calendarErrors: Record<string, string[]>;
  apiCalls: number;
}

const LOOKBACK_MS = 24 * 3_600_000;

function busySpan(interval: Interval, timeZone: string): BusySpan {
  return {
    start: new Date(interval.startMs).toISOString(),
    end: new Date(interval.endMs).toISOString(),
    startLocal: localDateTimeOf(interval.startMs, timeZone),
    endLocal: localDateTimeOf(interval.endMs, timeZone),
  };
}

/**
 * Asks freeBusy about the user's calendars around the event, up to the search horizon, and
 * returns what overlaps the event and the next free slot of the same length. Writes nothing.
 */
export async function checkEventConflicts(client: CalendarClient, input: ConflictCheckInput): Promise<ConflictCheck | { ok: false; failure: Failure }> {
  const before = client.apiCalls;
  if (input.event.all_day) return { ok: true, checked: false, conflicts: [], calendarErrors: {}, apiCalls: 0 };
  const span = eventSpanMs(input.event);
  const untilMs = Math.max(span.endMs, span.startMs + (input.searchHours ?? 72) * 3_600_000);
  const calendarIds = input.calendarIds?.length ? input.calendarIds : [DEFAULT_CALENDAR_ID];
  const env = retryEnvironment(input);
  let calendars: Record<string, { busy: BusyInterval[]; errors?: string[] }>;
  try {
    calendars = await withRetries(env, () =>
      // From a day before the start: freeBusy clips busy times to the window, and the card shows a
      // conflicting busy time whole ("19:00–20:00"), also when it began before the event.
      client.freeBusy({ timeMin: new Date(span.startMs - LOOKBACK_MS).toISOString(), timeMax: new Date(untilMs).toISOString(), timeZone: input.event.time_zone, calendarIds }),
    );
  } catch (error) {
    return { ok: false, failure: failureFromCalendarError(error) };
  }
  const busy: Interval[] = [];
  const calendarErrors: Record<string, string[]> = {};
  for (const [id, entry] of Object.entries(calendars)) {
    if (entry.errors?.length) calendarErrors[id] = entry.errors;
    for (const b of entry.busy) busy.push({ startMs: Date.parse(b.start), endMs: Date.parse(b.end) });
  }
  const zone = input.event.time_zone;
  const conflicts = overlapping(busy, span);
  const slot = conflicts.length
    ? nextFreeSlot(busy, { durationMs: span.endMs - span.startMs, fromMs: span.startMs, untilMs, timeZone: zone, ...(input.dayWindow ? { dayWindow: input.dayWindow } : {}) })
    : undefined;
  return {
    ok: true,
    checked: true,
    conflicts: conflicts.map((c) => busySpan(c, zone)),
    ...(slot ? { nextFreeSlot: busySpan(slot, zone) } : {}),
    calendarErrors,
    apiCalls: client.apiCalls - before,
  };
}

// ------------------------------------------------------------ reads (the briefing's too)

export interface DayEvent {
  id: string;
  title: string;
  allDay: boolean;
  /** Local YYYY-MM-DDTHH:MM in the asked zone, or YYYY-MM-DD for all-day events (end exclusive). */
  start: string;
  end: string;
  location?: string;
  htmlLink?: string;
  /** Created by this assistant (carries a marker). */
  ours: boolean;
}

function localEventTime(time: { dateTime?: string; date?: string }, timeZone: string): string {
  if (time.date) return time.date;
  return time.dateTime ? localDateTimeOf(Date.parse(time.dateTime), timeZone) : '';
}

/** The events of one local day of a calendar (started or running that day), in start order, cancelled ones left out. */
export async function listEventsForDay(
  client: CalendarClient,
  input: { calendarId?: string; date: string; timeZone: string; maxEvents?: number; retry?: Partial<RetryPolicy>; sleep?: (ms: number) => Promise<void> },
): Promise<{ ok: true; calendarId: string; date: string; events: DayEvent[] } | { ok: false; failure: Failure }> {
  const calendarId = input.calendarId?.trim() || DEFAULT_CALENDAR_ID;
  const { startMs, endMs } = dayBounds(input.date, input.timeZone);
  const env = retryEnvironment(input);
  const max = input.maxEvents ?? 100;
  const events: DayEvent[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const page = await withRetries(env, () =>
        client.listEvents(calendarId, {
          timeMin: rfc3339In(startMs, input.timeZone),
          timeMax: rfc3339In(endMs, input.timeZone),
          timeZone: input.timeZone,
          maxResults: Math.min(250, max),
          pageToken,
        }),
      );
      for (const item of page.items) {
        if (item.status === 'cancelled') continue;
        events.push({
          id: item.id,
          title: item.summary ?? '',
          allDay: Boolean(item.start.date),
          start: localEventTime(item.start, input.timeZone),
          end: localEventTime(item.end, input.timeZone),
          ...(item.location ? { location: item.location } : {}),
          ...(item.htmlLink ? { htmlLink: item.htmlLink } : {}),
          ours: Boolean(item.privateProperties?.[EVENT_MARKER_PROPERTY]),
        });
      }
      pageToken = page.nextPageToken;
    } while (pageToken && events.length < max);
  } catch (error) {
    return { ok: false, failure: failureFromCalendarError(error) };
  }
  return { ok: true, calendarId, date: input.date, events: events.slice(0, max) };
}

/** The calendars the user can add events to, primary first (for /calendar). */
export async function listWritableCalendars(
  client: CalendarClient,
  options: { retry?: Partial<RetryPolicy>; sleep?: (ms: number) => Promise<void> } = {},
): Promise<{ ok: true; calendars: { id: string; summary: string; primary: boolean }[] } | { ok: false; failure: Failure }> {
  const env = retryEnvironment(options);
  const calendars: { id: string; summary: string; primary: boolean }[] = [];
  let pageToken: string | undefined;
  try {
    for (let page = 0; page < 20; page++) {
      const result = await withRetries(env, () => client.listCalendars(pageToken));
      calendars.push(...result.items.map((c) => ({ id: c.id, summary: c.summary, primary: c.primary })));
      pageToken = result.nextPageToken;
      if (!pageToken) break;
    }
  } catch (error) {
    return { ok: false, failure: failureFromCalendarError(error) };
  }
  return { ok: true, calendars: calendars.sort((a, b) => Number(b.primary) - Number(a.primary)) };
}
