// Creating a confirmed event draft's Google Calendar event exactly once, against the emulator and
// a real store: double taps, Confirm racing Cancel, 503 and 429 on insert, committed-then-dropped,
// a crash mid-confirmation; conflicts before Confirm; a day's events; the user's calendar.
import { GoogleCalendarEmulator, PRIMARY_CALENDAR_ID } from '../emulators/googleCalendar';
import { createCalendarClient, type CalendarClient } from '../nodes/shared/calendar/client';
import {
  EVENT_MARKER_PROPERTY,
  checkEventConflicts,
  createEventOnce,
  draftIdentity,
  eventIdFor,
  eventMarkerFor,
  eventRequest,
  getEventExecution,
  listEventsForDay,
  listWritableCalendars,
  setUserCalendarId,
  userCalendarId,
  type CreateEventInput,
  type CreateEventResult,
} from '../nodes/shared/calendar/events';
import { cancelDraft, confirmDraft, createDraft, getDraft, type Draft } from '../nodes/shared/draft/drafts';
import type { EventDraft } from '../nodes/shared/draft/eventDraft';
import { listAudit } from '../nodes/shared/store/audit';
import type { Store } from '../nodes/shared/store/db';
import { backends, useCleanStore } from './helpers/backends';
import { FAST_RETRY, emulatorTransport, noSleep } from './helpers/taskExecutorFixtures';

const USER = 'telegram:42';
const emulator = new GoogleCalendarEmulator();
let store: Store;
let client: CalendarClient;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const dinner: EventDraft = {
  title: 'Dinner with Anna',
  all_day: false,
  start: '2026-12-03T19:00',
  end: '2026-12-03T20:00',
  time_zone: 'Europe/Berlin',
  duration_defaulted: true,
  location: "Luigi's",
  notes: 'Bring the photos',
};

describe('event ids and markers', () => {
  it('are base32hex, 32 characters, stable for a draft and different for another', () => {
    const identity = draftIdentity({ id: 7, userId: USER, createdAt: '2026-12-01T10:00:00.000Z' });
    expect(eventIdFor(identity)).toMatch(/^[a-v0-9]{32}$/);
    expect(eventIdFor(identity)).toBe(eventIdFor(identity));
    expect(eventIdFor(draftIdentity({ id: 7, userId: USER, createdAt: '2026-12-01T10:00:00.001Z' }))).not.toBe(eventIdFor(identity));
    expect(eventIdFor(draftIdentity({ id: 8, userId: USER, createdAt: '2026-12-01T10:00:00.000Z' }))).not.toBe(eventIdFor(identity));
    expect(eventMarkerFor(identity)).not.toBe(eventIdFor(identity));
  });
});

describe.each(backends)('on %s', (backend) => {
  const database = useCleanStore(backend);
  beforeEach(() => {
    emulator.reset();
    store = database.store;
    client = createCalendarClient({ transport: emulatorTransport(emulator.url).send, rootUrl: emulator.url, timeoutMs: 5_000 });
  });

  async function confirmedEvent(event: EventDraft = dinner): Promise<Draft> {
    const draft = await createDraft(store, { userId: USER, task: event, draftType: 'event' });
    const confirmed = await confirmDraft(store, draft.id, USER);
    if (!confirmed.ok) throw new Error('not confirmed');
    return confirmed.draft;
  }

  function create(draftId: number, extra: Partial<CreateEventInput> = {}) {
    return createEventOnce(store, client, { draftId, userId: USER, retry: FAST_RETRY, sleep: noSleep, ...extra });
  }

  const live = (calendarId = PRIMARY_CALENDAR_ID) => emulator.events(calendarId).filter((e) => e.status !== 'cancelled');

  it('creates the event with our id, the zone and its offset, location, notes and a private marker, and marks the draft executed', async () => {
    const draft = await confirmedEvent();
    const result = (await create(draft.id)) as CreateEventResult;
    expect(result).toMatchObject({
      ok: true,
      calendarId: 'primary',
      adopted: false,
      alreadyExecuted: false,
      apiCalls: 1,
      event: { title: 'Dinner with Anna', start: '2026-12-03T19:00', end: '2026-12-03T20:00', timeZone: 'Europe/Berlin', allDay: false },
    });
    const [event] = live();
    expect(event).toMatchObject({
      id: eventIdFor(draftIdentity(draft)),
      summary: 'Dinner with Anna',
      location: "Luigi's",
      description: 'Bring the photos',
      start: { dateTime: '2026-12-03T19:00:00+01:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-12-03T20:00:00+01:00', timeZone: 'Europe/Berlin' },
      extendedProperties: { private: { [EVENT_MARKER_PROPERTY]: eventMarkerFor(draftIdentity(draft)) } },
    });
    expect(event.description).not.toContain('da:');
    expect((await getDraft(store, draft.id))!.status).toBe('executed');
    expect(result.event.id).toBe(event.id);
  });

  it('creates an all-day event by dates (end exclusive)', async () => {
    const draft = await confirmedEvent({ title: "Anna's birthday", all_day: true, start: '2026-12-12', end: '2026-12-13', time_zone: 'Europe/Berlin' });
    expect((await create(draft.id)).ok).toBe(true);
    expect(live()[0]).toMatchObject({ start: { date: '2026-12-12' }, end: { date: '2026-12-13' } });
  });

  it('sends a summer event with the summer offset', async () => {
    const draft = await confirmedEvent({ ...dinner, start: '2026-07-03T19:00', end: '2026-07-03T20:30' });
    await create(draft.id);
    expect(live()[0].start).toEqual({ dateTime: '2026-07-03T19:00:00+02:00', timeZone: 'Europe/Berlin' });
  });

  it('a second Confirm after the first finished returns the recorded result and sends nothing', async () => {
    const draft = await confirmedEvent();
    const first = (await create(draft.id)) as CreateEventResult;
    const calls = emulator.callLog.length;
    const second = (await create(draft.id)) as CreateEventResult;
    expect(second).toMatchObject({ ok: true, alreadyExecuted: true, apiCalls: 0, event: first.event });
    expect(emulator.callLog.length).toBe(calls);
    expect(live()).toHaveLength(1);
  });

  it('a double tap (two runs at once) creates one event; one run reports it, the other finds it done', async () => {
    const draft = await confirmedEvent();
    const results = (await Promise.all([create(draft.id), create(draft.id)])) as CreateEventResult[];
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => !r.alreadyExecuted)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event.id)).size).toBe(1);
    expect(live()).toHaveLength(1);
    expect((await getDraft(store, draft.id))!.status).toBe('executed');
  });

  it('Confirm racing Cancel: when Cancel won, nothing is created', async () => {
    const draft = await createDraft(store, { userId: USER, task: dinner, draftType: 'event' });
    const [confirm, cancel] = await Promise.all([confirmDraft(store, draft.id, USER), cancelDraft(store, draft.id, USER)]);
    expect([confirm.ok, cancel.ok].filter(Boolean)).toHaveLength(1);
    const result = await create(draft.id);
    if (cancel.ok) {
      expect(result).toMatchObject({ ok: false, failure: { kind: 'draft_not_confirmed', retryable: false } });
      expect(live()).toHaveLength(0);
    } else {
      expect(result.ok).toBe(true);
      expect(live()).toHaveLength(1);
    }
  });

  it('a 503 on insert is retried with the same id: one event', async () => {
    emulator.injectFaults([{ kind: 'status503', method: 'POST', pathIncludes: '/events', times: 2 }]);
    const draft = await confirmedEvent();
    const result = (await create(draft.id)) as CreateEventResult;
    expect(result).toMatchObject({ ok: true, adopted: false, apiCalls: 5 });
    // A 5xx may come after a commit: each retry first looks for the event under our id.
    expect(emulator.callLog.map((c) => [c.method, c.status])).toEqual([
      ['POST', 503],
      ['GET', 404],
      ['POST', 503],
      ['GET', 404],
      ['POST', 200],
    ]);
    expect(live()).toHaveLength(1);
  });

  it('a 429 with Retry-After waits and retries: one event', async () => {
    const waits: number[] = [];
    emulator.injectFaults([{ kind: 'status429', method: 'POST', pathIncludes: '/events', retryAfterSeconds: 2 }]);
    const draft = await confirmedEvent();
    expect((await create(draft.id, { sleep: async (ms) => void waits.push(ms) })).ok).toBe(true);
    expect(waits).toEqual([5]); // Retry-After capped at the (fast) policy's maximum
    expect(live()).toHaveLength(1);
  });

  it('an insert committed and the connection dropped: the retry finds the event under our id with our marker and adopts it', async () => {
    emulator.injectFaults([{ kind: 'commitThenDrop', method: 'POST', pathIncludes: '/events' }]);
    const draft = await confirmedEvent();
    const result = (await create(draft.id)) as CreateEventResult;
    expect(result).toMatchObject({ ok: true, adopted: true });
    expect(emulator.callLog.map((c) => [c.method, c.status])).toEqual([
      ['POST', -200],
      ['GET', 200],
    ]);
    expect(live()).toHaveLength(1);
    expect(await getEventExecution(store, draft.id)).toMatchObject({ status: 'created', adopted: 1 });
    expect((await listAudit(store, { entityType: 'draft', entityId: draft.id })).map((a) => a.action)).toContain('event_adopted');
  });

  it('an insert answered 409 (another run created it meanwhile) reads the event back and adopts it', async () => {
    const draft = await confirmedEvent();
    await client.insertEvent('primary', eventRequest(dinner, eventIdFor(draftIdentity(draft)), eventMarkerFor(draftIdentity(draft))));
    emulator.callLog.length = 0;
    const result = (await create(draft.id)) as CreateEventResult;
    expect(result).toMatchObject({ ok: true, adopted: true });
    expect(emulator.callLog.map((c) => [c.method, c.status])).toEqual([
      ['POST', 409],
      ['GET', 200],
    ]);
    expect(live()).toHaveLength(1);
  });

  it('killed after Google created the event and before we recorded it: the next run adopts it', async () => {
    const draft = await confirmedEvent();
    const crash = new Error('SIGKILL');
    await expect(
      create(draft.id, {
        onStep: (step) => {
          if (step === 'remote-call-returned') throw crash;
        },
      }),
    ).rejects.toBe(crash);
    expect(live()).toHaveLength(1);
    expect((await getDraft(store, draft.id))!.status).toBe('confirmed');
    const result = (await create(draft.id)) as CreateEventResult;
    expect(result).toMatchObject({ ok: true, adopted: true });
    expect(live()).toHaveLength(1);
    expect(await getEventExecution(store, draft.id)).toMatchObject({ status: 'created', attempts: 2 });
  });

  it('killed before the insert: the next run creates it once', async () => {
    const draft = await confirmedEvent();
    await expect(
      create(draft.id, {
        onStep: (step) => {
          if (step === 'claimed') throw new Error('SIGKILL');
        },
      }),
    ).rejects.toThrow('SIGKILL');
    expect(live()).toHaveLength(0);
    expect((await create(draft.id)) as CreateEventResult).toMatchObject({ ok: true, adopted: false });
    expect(live()).toHaveLength(1);
  });

  it('an event with our id that is not ours is left alone: nothing is created, the user is asked to send it again', async () => {
    const draft = await confirmedEvent();
    emulator.addEvent('primary', { id: eventIdFor(draftIdentity(draft)), summary: 'Someone else', start: { date: '2026-12-03' }, end: { date: '2026-12-04' } });
    const result = await create(draft.id);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'event_id_taken', retryable: false } });
    expect(live().map((e) => e.summary)).toEqual(['Someone else']);
    expect((await getDraft(store, draft.id))!.status).toBe('confirmed');
  });

  it('Google down for every attempt: a retryable failure, and the next run goes to the calendar the first one used', async () => {
    const family = emulator.createCalendar('Family');
    const draft = await confirmedEvent();
    await setUserCalendarId(store, USER, family.id);
    emulator.injectFaults([{ kind: 'status503', method: 'POST', times: FAST_RETRY.maxAttempts }]);
    const first = await create(draft.id);
    expect(first).toMatchObject({ ok: false, failure: { kind: 'service_unavailable', retryable: true } });
    expect(await getEventExecution(store, draft.id)).toMatchObject({ status: 'failed', calendar_id: family.id });
    await setUserCalendarId(store, USER, null);
    const second = (await create(draft.id)) as CreateEventResult;
    expect(second.calendarId).toBe(family.id);
    expect(live(family.id)).toHaveLength(1);
    expect(live()).toHaveLength(0);
  });

  it('a revoked Google grant says to reconnect the Calendar credential, not retried', async () => {
    emulator.revokeRefreshToken();
    const draft = await confirmedEvent();
    expect(await create(draft.id)).toMatchObject({ ok: false, failure: { kind: 'auth_revoked', retryable: false, userMessage: expect.stringContaining('Google Calendar OAuth2 API') } });
  });

  it('refuses a task draft', async () => {
    const task = await createDraft(store, { userId: USER, task: { title: 'Buy milk', due_date: null, subtasks: [] } });
    await confirmDraft(store, task.id, USER);
    expect(await create(task.id)).toMatchObject({ ok: false, failure: { kind: 'not_an_event' } });
    expect(emulator.callLog).toHaveLength(0);
  });

  describe('conflicts before Confirm', () => {
    it('shows the overlap and the next free slot of the same length, and writes nothing', async () => {
      emulator.addEvent('primary', { summary: 'Yoga', start: { dateTime: '2026-12-03T19:00:00+01:00' }, end: { dateTime: '2026-12-03T20:00:00+01:00' } });
      const check = await checkEventConflicts(client, { event: { ...dinner, start: '2026-12-03T19:30', end: '2026-12-03T20:30' }, retry: FAST_RETRY, sleep: noSleep });
      expect(check).toMatchObject({
        ok: true,
        checked: true,
        conflicts: [{ startLocal: '2026-12-03T19:00', endLocal: '2026-12-03T20:00' }],
        nextFreeSlot: { startLocal: '2026-12-03T20:00', endLocal: '2026-12-03T21:00' },
      });
      expect(emulator.callLog.map((c) => [c.method, c.path])).toEqual([['POST', '/calendar/v3/freeBusy']]);
      expect(emulator.events()).toHaveLength(1);
    });

    it('finds none when the event only touches a busy time, and does not check all-day events', async () => {
      emulator.addEvent('primary', { start: { dateTime: '2026-12-03T18:00:00+01:00' }, end: { dateTime: '2026-12-03T19:00:00+01:00' } });
      expect(await checkEventConflicts(client, { event: dinner })).toMatchObject({ ok: true, checked: true, conflicts: [] });
      expect((await checkEventConflicts(client, { event: { ...dinner, all_day: true, start: '2026-12-03', end: '2026-12-04' } })) as { checked: boolean }).toMatchObject({ checked: false });
    });

    it('counts every calendar asked for, and names the ones freeBusy could not read', async () => {
      const work = emulator.createCalendar('Work');
      emulator.addEvent(work.id, { start: { dateTime: '2026-12-03T19:15:00+01:00' }, end: { dateTime: '2026-12-03T19:45:00+01:00' } });
      const check = await checkEventConflicts(client, { event: dinner, calendarIds: ['primary', work.id, 'gone@example.com'] });
      expect(check).toMatchObject({ ok: true, conflicts: [{ startLocal: '2026-12-03T19:15' }], calendarErrors: { 'gone@example.com': ['notFound'] } });
    });

    it('a freeBusy failure is a Failure, retried first', async () => {
      emulator.injectFaults([{ kind: 'status503', pathIncludes: 'freeBusy', times: 10 }]);
      expect(await checkEventConflicts(client, { event: dinner, retry: FAST_RETRY, sleep: noSleep })).toMatchObject({ ok: false, failure: { kind: 'service_unavailable' } });
    });
  });

  describe("a day's events (the briefing's read)", () => {
    it('lists the events of a local day in start order, all-day ones by date, cancelled ones left out, ours marked', async () => {
      const draft = await confirmedEvent({ ...dinner, start: '2026-10-25T19:00', end: '2026-10-25T20:00' });
      await create(draft.id);
      emulator.addEvent('primary', { summary: 'Late night', start: { dateTime: '2026-10-24T23:30:00+02:00' }, end: { dateTime: '2026-10-25T00:30:00+02:00' } });
      emulator.addEvent('primary', { summary: 'Autumn', start: { date: '2026-10-25' }, end: { date: '2026-10-26' } });
      emulator.addEvent('primary', { summary: 'Next day', start: { dateTime: '2026-10-26T00:00:00+01:00' }, end: { dateTime: '2026-10-26T01:00:00+01:00' } });
      const gone = emulator.addEvent('primary', { summary: 'Cancelled', start: { dateTime: '2026-10-25T10:00:00+01:00' }, end: { dateTime: '2026-10-25T11:00:00+01:00' } });
      await client.deleteEvent('primary', gone.id);
      const day = await listEventsForDay(client, { date: '2026-10-25', timeZone: 'Europe/Berlin' });
      expect(day.ok && day.events.map((e) => [e.title, e.start, e.end, e.allDay, e.ours])).toEqual([
        ['Late night', '2026-10-24T23:30', '2026-10-25T00:30', false, false],
        ['Autumn', '2026-10-25', '2026-10-26', true, false],
        ['Dinner with Anna', '2026-10-25T19:00', '2026-10-25T20:00', false, true],
      ]);
    });
  });

  describe("the user's calendar", () => {
    it('is primary until set, then the chosen one; "primary" or null clears it', async () => {
      await createDraft(store, { userId: USER, task: dinner, draftType: 'event' });
      expect(await userCalendarId(store, USER)).toBe('primary');
      await setUserCalendarId(store, USER, 'family@group.calendar.google.com');
      expect(await userCalendarId(store, USER)).toBe('family@group.calendar.google.com');
      await setUserCalendarId(store, USER, 'primary');
      expect(await userCalendarId(store, USER)).toBe('primary');
      await expect(setUserCalendarId(store, 'telegram:999', 'x')).rejects.toThrow('does not exist');
    });

    it('lists the calendars one can write to, primary first', async () => {
      emulator.createCalendar('Family');
      emulator.createCalendar('Holidays', 'reader');
      expect(await listWritableCalendars(client)).toEqual({
        ok: true,
        calendars: [
          { id: PRIMARY_CALENDAR_ID, summary: PRIMARY_CALENDAR_ID, primary: true },
          { id: expect.stringContaining('@group.calendar.google.com'), summary: 'Family', primary: false },
        ],
      });
    });
  });
});
