// The Event Executor node through n8n's calling convention: parameters, the Google Calendar OAuth2
// credential through httpRequestWithAuthentication (a stand-in that behaves like n8n's OAuth2
// helper, refresh included) against the Calendar emulator, and the store credential.
import type { IDataObject } from 'n8n-workflow';
import { closeAllStores, type Store } from '../nodes/shared/store/db';
import { confirmDraft, createDraft, getDraft } from '../nodes/shared/draft/drafts';
import { userCalendarId } from '../nodes/shared/calendar/events';
import { EventExecutor } from '../nodes/EventExecutor/EventExecutor.node';
import { calendarRootUrl } from '../nodes/EventExecutor/transport';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, GoogleCalendarEmulator, INITIAL_ACCESS_TOKEN, INITIAL_REFRESH_TOKEN } from '../emulators/googleCalendar';
import { httpRequestWithAuthentication, refreshLog } from './helpers/n8nGoogleOAuth2';
import { runNode } from './helpers/nodeHarness';
import { openTempStore, type TempStore } from './helpers/taskExecutorFixtures';

const USER = 'telegram:5';
const node = new EventExecutor();
const emulator = new GoogleCalendarEmulator();
let temp: TempStore;
let store: Store;
let googleCredential: IDataObject;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.reset();
  refreshLog.length = 0;
  temp = await openTempStore('event-executor-node-');
  store = temp.store;
  googleCredential = {
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
    accessTokenUrl: `${emulator.url}/token`,
    oauthTokenData: { access_token: INITIAL_ACCESS_TOKEN, refresh_token: INITIAL_REFRESH_TOKEN },
  };
});
afterEach(async () => {
  await closeAllStores();
  await temp.cleanup();
});

function run(parameters: IDataObject, items?: IDataObject[], database: IDataObject = { backend: 'sqlite', file: temp.file }) {
  return runNode(node, {
    parameters: { apiBaseUrl: emulator.url, ...parameters },
    items,
    credentials: { draftAssistantDatabase: database, googleCalendarOAuth2Api: googleCredential },
    helpers: { httpRequestWithAuthentication },
  });
}

const dinner = { title: 'Dinner with Anna', all_day: false, start: '2026-12-03T19:00', end: '2026-12-03T20:00', time_zone: 'Europe/Berlin', duration_defaulted: true };

async function confirmedEvent() {
  const draft = await createDraft(store, { userId: USER, task: dinner, draftType: 'event' });
  await confirmDraft(store, draft.id, USER);
  return draft;
}

describe('description', () => {
  it('uses the built-in Google Calendar OAuth2 credential and has an API Base URL', () => {
    const d = node.description;
    expect(d).toMatchObject({ name: 'eventExecutor', displayName: 'Event Executor' });
    expect(d.credentials!.map((c) => [c.name, c.required])).toEqual([
      ['draftAssistantDatabase', true],
      ['googleCalendarOAuth2Api', true],
    ]);
    expect(d.properties.find((p) => p.name === 'apiBaseUrl')).toMatchObject({ default: '', placeholder: 'https://www.googleapis.com' });
  });

  it('sends to the API Base URL, else to DRAFT_ASSISTANT_GOOGLE_CALENDAR_URL, else to Google', () => {
    expect(calendarRootUrl(' http://proxy:1 ', { DRAFT_ASSISTANT_GOOGLE_CALENDAR_URL: 'http://emulator:2' })).toBe('http://proxy:1');
    expect(calendarRootUrl('', { DRAFT_ASSISTANT_GOOGLE_CALENDAR_URL: 'http://emulator:2' })).toBe('http://emulator:2');
    expect(calendarRootUrl(undefined, {})).toBe('https://www.googleapis.com');
  });
});

describe('operations', () => {
  it('Create Event creates once, refreshing an expired token; a repeat returns the recorded result', async () => {
    emulator.expireAccessTokens();
    const draft = await confirmedEvent();
    const [[first]] = await run({ operation: 'createEvent', draftId: draft.id, userId: USER });
    expect(first.json).toMatchObject({ ok: true, outcome: 'created', calendarId: 'primary', event: { title: 'Dinner with Anna', start: '2026-12-03T19:00' } });
    expect(refreshLog).toEqual([`${emulator.url}/token`]);
    const [[second]] = await run({ operation: 'createEvent', draftId: draft.id, userId: USER });
    expect(second.json).toMatchObject({ ok: true, outcome: 'already_created', apiCalls: 0 });
    expect(emulator.events()).toHaveLength(1);
    expect((await getDraft(store, draft.id))!.status).toBe('executed');
  });

  it('Check Conflicts reports the overlap and the next free slot without opening the database', async () => {
    emulator.addEvent('primary', { start: { dateTime: '2026-12-03T19:00:00+01:00' }, end: { dateTime: '2026-12-03T20:00:00+01:00' } });
    const unopenable = { backend: 'sqlite', file: `${temp.file}/not-a-folder/store.sqlite` };
    const [[out]] = await run({ operation: 'checkConflicts', event: JSON.stringify(dinner) }, undefined, unopenable);
    expect(out.json).toMatchObject({
      ok: true,
      outcome: 'conflict',
      conflicts: [{ startLocal: '2026-12-03T19:00', endLocal: '2026-12-03T20:00' }],
      nextFreeSlot: { startLocal: '2026-12-03T20:00', endLocal: '2026-12-03T21:00' },
    });
    expect(emulator.events()).toHaveLength(1);
  });

  it("List Events gives a day's events in the zone", async () => {
    emulator.addEvent('primary', { summary: 'Standup', start: { dateTime: '2026-12-03T09:00:00+01:00' }, end: { dateTime: '2026-12-03T09:15:00+01:00' } });
    const [[out]] = await run({ operation: 'listEvents', date: '2026-12-03', timeZone: 'America/New_York' });
    expect(out.json).toMatchObject({ ok: true, events: [{ title: 'Standup', start: '2026-12-03T03:00', end: '2026-12-03T03:15', allDay: false, ours: false }] });
  });

  it('List Calendars and Set User Calendar pick where new events go', async () => {
    const family = emulator.createCalendar('Family');
    const [[listed]] = await run({ operation: 'listCalendars' });
    expect((listed.json.calendars as IDataObject[]).map((c) => c.summary)).toEqual(['owner@draft-assistant.test', 'Family']);
    const draft = await confirmedEvent();
    const [[set]] = await run({ operation: 'setCalendar', userId: USER, calendarId: family.id });
    expect(set.json).toEqual({ ok: true, userId: USER, calendarId: family.id });
    expect(await userCalendarId(store, USER)).toBe(family.id);
    const [[created]] = await run({ operation: 'createEvent', draftId: draft.id, userId: USER });
    expect(created.json).toMatchObject({ ok: true, calendarId: family.id });
    expect(emulator.events(family.id)).toHaveLength(1);
  });
});
