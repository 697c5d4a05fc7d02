// The Google Calendar emulator follows the rules of the real API that the Event Executor relies on.
import { GoogleCalendarEmulator, PRIMARY_CALENDAR_ID } from '../emulators/googleCalendar';
import { createCalendarClient, type CalendarClient } from '../nodes/shared/calendar/client';
import { TasksApiError } from '../nodes/shared/tasks/client';
import { emulatorTransport } from './helpers/taskExecutorFixtures';

const emulator = new GoogleCalendarEmulator();
let client: CalendarClient;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  client = createCalendarClient({ transport: emulatorTransport(emulator.url).send, rootUrl: emulator.url, timeoutMs: 5_000 });
});

const timed = (id: string, start: string, end: string) => ({
  id,
  summary: 'Dinner',
  start: { dateTime: start, timeZone: 'Europe/Berlin' },
  end: { dateTime: end, timeZone: 'Europe/Berlin' },
});

async function apiError(promise: Promise<unknown>): Promise<TasksApiError> {
  try {
    await promise;
  } catch (error) {
    return error as TasksApiError;
  }
  throw new Error('expected the call to fail');
}

describe('the Google Calendar emulator', () => {
  it('inserts with a client-chosen id and answers 409 duplicate for the same id, also after a delete', async () => {
    const created = await client.insertEvent('primary', timed('abcdef0123', '2026-12-03T19:00:00+01:00', '2026-12-03T20:00:00+01:00'));
    expect(created).toMatchObject({ id: 'abcdef0123', status: 'confirmed', summary: 'Dinner' });
    const again = await apiError(client.insertEvent('primary', timed('abcdef0123', '2026-12-03T19:00:00+01:00', '2026-12-03T20:00:00+01:00')));
    expect(again).toMatchObject({ status: 409, reason: 'duplicate', retryable: false });
    await client.deleteEvent('primary', 'abcdef0123');
    expect((await client.getEvent('primary', 'abcdef0123')).status).toBe('cancelled');
    expect(await apiError(client.deleteEvent('primary', 'abcdef0123'))).toMatchObject({ status: 410 });
    expect((await apiError(client.insertEvent('primary', timed('abcdef0123', '2026-12-03T19:00:00+01:00', '2026-12-03T20:00:00+01:00')))).status).toBe(409);
  });

  it.each([
    ['upper case', 'ABCDEF0123'],
    ['letters past v', 'abcdefwxyz'],
    ['too short', 'abcd'],
  ])('refuses an id with %s', async (_name, id) => {
    expect(await apiError(client.insertEvent('primary', timed(id, '2026-12-03T19:00:00+01:00', '2026-12-03T20:00:00+01:00')))).toMatchObject({ status: 400 });
  });

  it('refuses an empty time range, mixed date kinds, an unknown zone and a time without offset or zone', async () => {
    expect(await apiError(client.insertEvent('primary', timed('aaaaa1', '2026-12-03T19:00:00+01:00', '2026-12-03T19:00:00+01:00')))).toMatchObject({ status: 400, reason: 'timeRangeEmpty' });
    expect(await apiError(client.insertEvent('primary', { id: 'aaaaa2', summary: 'x', start: { date: '2026-12-03' }, end: { dateTime: '2026-12-04T00:00:00Z' } }))).toMatchObject({ status: 400 });
    expect(
      await apiError(client.insertEvent('primary', { id: 'aaaaa3', summary: 'x', start: { dateTime: '2026-12-03T10:00:00', timeZone: 'Mars/Base' }, end: { dateTime: '2026-12-03T11:00:00', timeZone: 'Mars/Base' } })),
    ).toMatchObject({ status: 400, reason: 'timeZoneInvalid' });
    expect(await apiError(client.insertEvent('primary', { id: 'aaaaa4', summary: 'x', start: { dateTime: '2026-12-03T10:00:00' }, end: { dateTime: '2026-12-03T11:00:00' } }))).toMatchObject({ status: 400 });
  });

  it('keeps private extended properties, filters by them, and merges them on patch', async () => {
    await client.insertEvent('primary', { ...timed('ours00001', '2026-12-03T19:00:00+01:00', '2026-12-03T20:00:00+01:00'), privateProperties: { draftAssistantMarker: 'm1' } });
    await client.insertEvent('primary', timed('theirs001', '2026-12-03T21:00:00+01:00', '2026-12-03T22:00:00+01:00'));
    const window = { timeMin: '2026-12-03T00:00:00+01:00', timeMax: '2026-12-04T00:00:00+01:00' };
    expect((await client.listEvents('primary', { ...window, privateExtendedProperty: ['draftAssistantMarker=m1'] })).items.map((e) => e.id)).toEqual(['ours00001']);
    const patched = await client.patchEvent('primary', 'ours00001', { summary: 'Dinner at 7', privateProperties: { other: 'x' } });
    expect(patched.privateProperties).toEqual({ draftAssistantMarker: 'm1', other: 'x' });
  });

  it('lists the events overlapping a window in start order, cancelled ones only with showDeleted, in pages', async () => {
    emulator.addEvent('primary', { summary: 'late', start: { dateTime: '2026-12-03T21:00:00+01:00' }, end: { dateTime: '2026-12-03T22:00:00+01:00' } });
    emulator.addEvent('primary', { summary: 'overnight', start: { dateTime: '2026-12-02T23:00:00+01:00' }, end: { dateTime: '2026-12-03T01:00:00+01:00' } });
    emulator.addEvent('primary', { summary: 'birthday', start: { date: '2026-12-03' }, end: { date: '2026-12-04' } });
    emulator.addEvent('primary', { summary: 'tomorrow', start: { dateTime: '2026-12-04T00:00:00+01:00' }, end: { dateTime: '2026-12-04T01:00:00+01:00' } });
    const first = await client.listEvents('primary', { timeMin: '2026-12-03T00:00:00+01:00', timeMax: '2026-12-04T00:00:00+01:00', maxResults: 2 });
    expect(first.items.map((e) => e.summary)).toEqual(['overnight', 'birthday']);
    const second = await client.listEvents('primary', { timeMin: '2026-12-03T00:00:00+01:00', timeMax: '2026-12-04T00:00:00+01:00', maxResults: 2, pageToken: first.nextPageToken });
    expect(second.items.map((e) => e.summary)).toEqual(['late']);
  });

  it('answers freeBusy for several calendars: opaque live events, clipped to the window, merged; notFound per unknown calendar', async () => {
    const work = emulator.createCalendar('Work');
    emulator.addEvent('primary', { start: { dateTime: '2026-12-03T18:00:00Z' }, end: { dateTime: '2026-12-03T19:00:00Z' } });
    emulator.addEvent('primary', { start: { dateTime: '2026-12-03T18:30:00Z' }, end: { dateTime: '2026-12-03T19:30:00Z' } });
    emulator.addEvent('primary', { transparency: 'transparent', start: { dateTime: '2026-12-03T20:00:00Z' }, end: { dateTime: '2026-12-03T21:00:00Z' } });
    const cancelled = emulator.addEvent('primary', { start: { dateTime: '2026-12-03T22:00:00Z' }, end: { dateTime: '2026-12-03T23:00:00Z' } });
    await client.deleteEvent('primary', cancelled.id);
    emulator.addEvent(work.id, { start: { dateTime: '2026-12-03T07:00:00Z' }, end: { dateTime: '2026-12-03T10:00:00Z' } });
    const answer = await client.freeBusy({ timeMin: '2026-12-03T08:00:00Z', timeMax: '2026-12-04T00:00:00Z', calendarIds: ['primary', work.id, 'nobody@example.com'] });
    expect(answer).toEqual({
      primary: { busy: [{ start: '2026-12-03T18:00:00.000Z', end: '2026-12-03T19:30:00.000Z' }] },
      [work.id]: { busy: [{ start: '2026-12-03T08:00:00.000Z', end: '2026-12-03T10:00:00.000Z' }] },
      'nobody@example.com': { busy: [], errors: ['notFound'] },
    });
  });

  it('lists the writable calendars, primary marked', async () => {
    emulator.createCalendar('Shared with me', 'reader');
    emulator.createCalendar('Family');
    const { items } = await client.listCalendars();
    expect(items.map((c) => [c.summary, c.primary])).toEqual([
      [PRIMARY_CALENDAR_ID, true],
      ['Family', false],
    ]);
  });

  it('injects faults: 503 and 429 before anything is written, commit-then-drop after', async () => {
    emulator.injectFaults([{ kind: 'status503', method: 'POST' }]);
    expect(await apiError(client.insertEvent('primary', timed('fault0001', '2026-12-03T19:00:00+01:00', '2026-12-03T20:00:00+01:00')))).toMatchObject({ status: 503, retryable: true });
    emulator.injectFaults([{ kind: 'status429', method: 'POST', retryAfterSeconds: 3 }]);
    expect(await apiError(client.insertEvent('primary', timed('fault0001', '2026-12-03T19:00:00+01:00', '2026-12-03T20:00:00+01:00')))).toMatchObject({ status: 429, retryAfterMs: 3000 });
    expect(emulator.events()).toHaveLength(0);
    emulator.injectFaults([{ kind: 'commitThenDrop', method: 'POST' }]);
    expect(await apiError(client.insertEvent('primary', timed('fault0001', '2026-12-03T19:00:00+01:00', '2026-12-03T20:00:00+01:00')))).toMatchObject({ kind: 'network', mayHaveCommitted: true });
    expect(emulator.events().map((e) => e.id)).toEqual(['fault0001']);
  });

  it('refuses an expired token until the transport refreshes it at /token', async () => {
    emulator.expireAccessTokens();
    await client.insertEvent('primary', timed('token0001', '2026-12-03T19:00:00+01:00', '2026-12-03T20:00:00+01:00'));
    expect(emulator.tokenRequests).toBe(1);
    expect(emulator.callLog.map((c) => c.status)).toEqual([401, 200]);
  });
});
