// The Event Executor in real n8n 2.40.7, with n8n's own Google Calendar OAuth2 credential, against
// the Google Calendar emulator: n8n signs the requests and refreshes an expired token; an event is
// created once through a double call, a 503, a commit whose answer was lost, and n8n killed with
// SIGKILL mid-creation; the conflict check reports the overlap and writes nothing. (Workflow C,
// the chat flows, will drive the same node; these webhook workflows call it directly.)
import { randomUUID } from 'node:crypto';
import { GoogleCalendarEmulator, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, INITIAL_ACCESS_TOKEN, INITIAL_REFRESH_TOKEN } from '../../emulators/googleCalendar';
import { confirmDraft, createDraft, getDraft } from '../../nodes/shared/draft/drafts';
import { CREDENTIALS } from '../../workflows/src/ids';
import { useStack } from './useStack';

jest.setTimeout(240_000);

const USER = 'telegram:777001';
const calendar = new GoogleCalendarEmulator();
const e2e = useStack({ name: 'calendar' });

const dinner = { title: 'Dinner with Anna', all_day: false, start: '2026-12-03T19:00', end: '2026-12-03T20:00', time_zone: 'Europe/Berlin', duration_defaulted: true };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const paths = { create: `calendar-create-${randomUUID()}`, conflicts: `calendar-conflicts-${randomUUID()}` };

function webhookWorkflow(id: string, path: string, parameters: Record<string, unknown>, calendarCredentialId: string) {
  return {
    id,
    name: `e2e calendar ${path}`,
    nodes: [
      { id: randomUUID(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} } },
      {
        id: randomUUID(),
        name: 'Event Executor',
        type: 'n8n-nodes-draft-assistant.eventExecutor',
        typeVersion: 1,
        position: [220, 0],
        parameters: { apiBaseUrl: calendar.url, ...parameters },
        credentials: { ...CREDENTIALS.database, googleCalendarOAuth2Api: { id: calendarCredentialId, name: 'Google Calendar (e2e)' } },
      },
    ],
    connections: { Webhook: { main: [[{ node: 'Event Executor', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  };
}

async function call(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${e2e.stack.n8n.baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`webhook ${path} answered ${response.status}: ${text}\n${e2e.stack.n8n.logTail(40)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function confirmedEvent(title: string) {
  const draft = await createDraft(e2e.store, { userId: USER, task: { ...dinner, title }, draftType: 'event' });
  await confirmDraft(e2e.store, draft.id, USER);
  return draft.id;
}

const liveTitled = (title: string) => calendar.events().filter((e) => e.status !== 'cancelled' && e.summary === title);

beforeAll(async () => {
  await calendar.start();
  const credentialId = await e2e.n8n.createCredential({
    name: 'Google Calendar (e2e)',
    type: 'googleCalendarOAuth2Api',
    data: {
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: EMULATOR_CLIENT_SECRET,
      accessTokenUrl: `${calendar.url}/token`,
      authUrl: `${calendar.url}/auth`,
      scope: 'https://www.googleapis.com/auth/calendar',
      authentication: 'body',
      grantType: 'authorizationCode',
      oauthTokenData: { access_token: INITIAL_ACCESS_TOKEN, refresh_token: INITIAL_REFRESH_TOKEN, token_type: 'Bearer', expires_in: 3600 },
    },
  });
  const create = webhookWorkflow('e2eCalendarCreate', paths.create, { operation: 'createEvent', draftId: '={{ $json.body.draftId }}', userId: '={{ $json.body.userId }}', calendarId: '' }, credentialId);
  const conflicts = webhookWorkflow('e2eCalendarCheck', paths.conflicts, { operation: 'checkConflicts', event: '={{ JSON.stringify($json.body.event) }}' }, credentialId);
  for (const workflow of [create, conflicts]) {
    await e2e.n8n.createWorkflow(workflow as never);
    await e2e.n8n.publishWorkflow(workflow.id);
  }
});
afterAll(() => calendar.stop());
beforeEach(() => calendar.injectFaults([]));

describe('Create Event in real n8n', () => {
  it('is signed by the Google Calendar credential, refreshed when expired, and creates once however often it is called', async () => {
    calendar.expireAccessTokens();
    const draftId = await confirmedEvent('Dinner once');
    const [first, second] = [await call(paths.create, { draftId, userId: USER }), await call(paths.create, { draftId, userId: USER })];
    expect(first).toMatchObject({ ok: true, outcome: 'created', event: { title: 'Dinner once', start: '2026-12-03T19:00' } });
    expect(second).toMatchObject({ ok: true, outcome: 'already_created', apiCalls: 0 });
    expect(calendar.tokenRequests).toBeGreaterThanOrEqual(1);
    expect(liveTitled('Dinner once')).toHaveLength(1);
    expect(liveTitled('Dinner once')[0].start).toEqual({ dateTime: '2026-12-03T19:00:00+01:00', timeZone: 'Europe/Berlin' });
    expect((await getDraft(e2e.store, draftId))!.status).toBe('executed');
  });

  it('two calls at once (a double tap) make one event', async () => {
    const draftId = await confirmedEvent('Dinner double tap');
    const results = await Promise.all([call(paths.create, { draftId, userId: USER }), call(paths.create, { draftId, userId: USER })]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(liveTitled('Dinner double tap')).toHaveLength(1);
  });

  it('a 503 on insert is retried; a commit whose answer was lost is adopted: one event each', async () => {
    calendar.injectFaults([{ kind: 'status503', method: 'POST', pathIncludes: '/events' }]);
    const busyId = await confirmedEvent('Dinner after a 503');
    expect(await call(paths.create, { draftId: busyId, userId: USER })).toMatchObject({ ok: true, outcome: 'created', adopted: false });
    calendar.injectFaults([{ kind: 'commitThenDrop', method: 'POST', pathIncludes: '/events' }]);
    const droppedId = await confirmedEvent('Dinner dropped');
    expect(await call(paths.create, { draftId: droppedId, userId: USER })).toMatchObject({ ok: true, outcome: 'created', adopted: true });
    expect(liveTitled('Dinner after a 503')).toHaveLength(1);
    expect(liveTitled('Dinner dropped')).toHaveLength(1);
  });

  it('n8n killed with SIGKILL after Google created the event and before it was recorded: the next call adopts it', async () => {
    const draftId = await confirmedEvent('Dinner through a crash');
    // Google applies the insert at once and answers 5 s later: n8n dies in between.
    calendar.injectFaults([{ kind: 'slowAnswer', method: 'POST', pathIncludes: '/events', latencyMs: 5_000 }]);
    const pending = call(paths.create, { draftId, userId: USER }).then(
      () => 'answered',
      () => 'no answer',
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !calendar.callLog.some((c) => c.method === 'POST' && c.fault === 'slowAnswer')) await sleep(50);
    expect(liveTitled('Dinner through a crash')).toHaveLength(1);
    await e2e.stack.n8n.kill('SIGKILL');
    expect(await pending).toBe('no answer');
    expect((await getDraft(e2e.store, draftId))!.status).toBe('confirmed');
    await e2e.stack.n8n.start();
    await e2e.n8n.login();
    expect(await call(paths.create, { draftId, userId: USER })).toMatchObject({ ok: true, outcome: 'created', adopted: true });
    expect(liveTitled('Dinner through a crash')).toHaveLength(1);
    expect((await getDraft(e2e.store, draftId))!.status).toBe('executed');
  });
});

describe('Check Conflicts in real n8n', () => {
  it('reports the overlapping busy time whole and the next free slot, and writes nothing', async () => {
    calendar.addEvent('primary', { summary: 'Yoga', start: { dateTime: '2026-12-10T19:00:00+01:00' }, end: { dateTime: '2026-12-10T20:00:00+01:00' } });
    const before = calendar.events().length;
    const calls = calendar.callLog.length;
    const result = await call(paths.conflicts, { event: { ...dinner, start: '2026-12-10T19:30', end: '2026-12-10T20:30' } });
    expect(result).toMatchObject({
      ok: true,
      outcome: 'conflict',
      conflicts: [{ startLocal: '2026-12-10T19:00', endLocal: '2026-12-10T20:00' }],
      nextFreeSlot: { startLocal: '2026-12-10T20:00', endLocal: '2026-12-10T21:00' },
    });
    expect(calendar.events()).toHaveLength(before);
    expect(calendar.callLog.slice(calls).map((c) => c.method)).toEqual(['POST']);
  });
});
