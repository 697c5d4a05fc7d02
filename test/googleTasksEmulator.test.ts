// The emulator must hold the real API's rules, or the executor tests prove nothing.
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, GoogleTasksEmulator, INITIAL_ACCESS_TOKEN, INITIAL_REFRESH_TOKEN } from '../emulators/googleTasks';

const emulator = new GoogleTasksEmulator();
const auth = { authorization: `Bearer ${INITIAL_ACCESS_TOKEN}` };

async function api(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { ...auth, ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read Google's JSON freely
  const body: any = text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, body };
}

async function refresh(refreshToken: string) {
  const response = await fetch(`${emulator.url}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${EMULATOR_CLIENT_ID}:${EMULATOR_CLIENT_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read the token JSON freely
  const body: any = await response.json();
  return { status: response.status, body };
}

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

describe('authentication', () => {
  it('rejects a request without a token with 401, WWW-Authenticate and Google\'s error shape', async () => {
    const res = await api('GET', '/tasks/v1/users/@me/lists', { headers: { authorization: '' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*invalid_token/);
    expect(res.body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] });
  });

  it('rejects an expired token until a refreshed one is used', async () => {
    emulator.expireAccessTokens();
    expect((await api('GET', '/tasks/v1/users/@me/lists')).status).toBe(401);
    const token = await refresh(INITIAL_REFRESH_TOKEN);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const res = await api('GET', '/tasks/v1/users/@me/lists', { headers: { authorization: `Bearer ${token.body.access_token}` } });
    expect(res.status).toBe(200);
    expect(res.body.items.map((l: { title: string }) => l.title)).toEqual(['My Tasks']);
  });

  it('answers invalid_grant for a revoked or unknown refresh token', async () => {
    expect((await refresh('not-a-token')).body).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    emulator.revokeRefreshToken();
    const res = await refresh(INITIAL_REFRESH_TOKEN);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe('tasks', () => {
  it('stores due as midnight UTC of its date and refuses a malformed due', async () => {
    const created = await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'Pay rent', due: '2026-12-01T17:45:00+02:00' } });
    expect(created.status).toBe(200);
    expect(created.body.due).toBe('2026-12-01T00:00:00.000Z');
    const bad = await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'x', due: '2026-12-01' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', errors: [{ reason: 'invalid', domain: 'global' }] });
  });

  it('refuses a title over 1024 characters and notes over 8192', async () => {
    expect((await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'x'.repeat(1024) } })).status).toBe(200);
    expect((await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'x'.repeat(1025) } })).status).toBe(400);
    expect((await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 't', notes: 'n'.repeat(8193) } })).status).toBe(400);
  });

  it('ignores parent in the body and orders by the parent/previous query parameters', async () => {
    const parent = (await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'Trip' } })).body;
    const ignored = (await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'not a subtask', parent: parent.id } })).body;
    expect(ignored.parent).toBeUndefined();

    const first = (await api('POST', `/tasks/v1/lists/@default/tasks?parent=${parent.id}`, { body: { title: 'first' } })).body;
    // Without `previous` a task goes to the top: the naive loop reverses the order.
    await api('POST', `/tasks/v1/lists/@default/tasks?parent=${parent.id}`, { body: { title: 'second' } });
    const third = (await api('POST', `/tasks/v1/lists/@default/tasks?parent=${parent.id}&previous=${first.id}`, { body: { title: 'third' } })).body;
    expect(first.parent).toBe(parent.id);
    const children = emulator
      .allTasks()
      .filter((t) => t.parent === parent.id)
      .sort((a, b) => a.position.localeCompare(b.position))
      .map((t) => t.title);
    expect(children).toEqual(['second', 'first', 'third']);
    expect(third.position > first.position).toBe(true);

    const nested = await api('POST', `/tasks/v1/lists/@default/tasks?parent=${first.id}`, { body: { title: 'grandchild' } });
    expect(nested.status).toBe(400);
    const strangerPrevious = await api('POST', `/tasks/v1/lists/@default/tasks?parent=${parent.id}&previous=${ignored.id}`, { body: { title: 'x' } });
    expect(strangerPrevious.status).toBe(400);
  });

  it('pages with maxResults (capped at 100) and pageToken, and filters completed, hidden and updatedMin', async () => {
    for (let i = 0; i < 120; i++) await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: `t${i}` } });
    const page1 = await api('GET', '/tasks/v1/lists/@default/tasks?maxResults=500');
    expect(page1.body.items).toHaveLength(100);
    const page2 = await api('GET', `/tasks/v1/lists/@default/tasks?maxResults=500&pageToken=${page1.body.nextPageToken}`);
    expect(page2.body.items).toHaveLength(20);
    expect(page2.body.nextPageToken).toBeUndefined();
    expect((await api('GET', '/tasks/v1/lists/@default/tasks')).body.items).toHaveLength(20);

    const done = page1.body.items[0];
    await api('PATCH', `/tasks/v1/lists/@default/tasks/${done.id}`, { body: { status: 'completed' } });
    const open = await api('GET', '/tasks/v1/lists/@default/tasks?maxResults=100&showCompleted=false');
    expect(open.body.items.some((t: { id: string }) => t.id === done.id)).toBe(false);

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await api('GET', `/tasks/v1/lists/@default/tasks?updatedMin=${encodeURIComponent(future)}`)).body.items).toEqual([]);
  });

  it('deletes a task with its subtasks and answers 404 for unknown lists and tasks', async () => {
    const parent = (await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'p' } })).body;
    await api('POST', `/tasks/v1/lists/@default/tasks?parent=${parent.id}`, { body: { title: 'c' } });
    expect((await api('DELETE', `/tasks/v1/lists/@default/tasks/${parent.id}`)).status).toBe(204);
    expect((await api('GET', '/tasks/v1/lists/@default/tasks')).body.items).toEqual([]);
    expect((await api('GET', `/tasks/v1/lists/@default/tasks/${parent.id}`)).status).toBe(404);
    expect((await api('GET', '/tasks/v1/lists/nope/tasks')).status).toBe(404);
  });
});

describe('fault injection', () => {
  it('answers 503, then 429 with Retry-After, then 403 rateLimitExceeded, each once', async () => {
    emulator.injectFaults([{ kind: 'status503' }, { kind: 'status429', retryAfterSeconds: 3 }, { kind: 'rateLimit403' }]);
    const a = await api('GET', '/tasks/v1/users/@me/lists');
    const b = await api('GET', '/tasks/v1/users/@me/lists');
    const c = await api('GET', '/tasks/v1/users/@me/lists');
    const d = await api('GET', '/tasks/v1/users/@me/lists');
    expect([a.status, b.status, c.status, d.status]).toEqual([503, 429, 403, 200]);
    expect(b.headers.get('retry-after')).toBe('3');
    expect(c.body.error.errors[0]).toMatchObject({ reason: 'rateLimitExceeded', domain: 'usageLimits' });
  });

  it('commit-then-drop applies the write and closes the connection without an answer', async () => {
    emulator.injectFaults([{ kind: 'commitThenDrop', method: 'POST' }]);
    await expect(api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'ghost' } })).rejects.toThrow();
    expect(emulator.allTasks().map((t) => t.title)).toEqual(['ghost']);
    expect(emulator.callLog[0]).toMatchObject({ method: 'POST', fault: 'commitThenDrop' });
  });

  it('drop-before-commit closes the connection and writes nothing; onCall targets one call number', async () => {
    emulator.injectFaults([{ kind: 'dropBeforeCommit', onCall: 2 }]);
    expect((await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'one' } })).status).toBe(200);
    await expect(api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'two' } })).rejects.toThrow();
    expect(emulator.allTasks().map((t) => t.title)).toEqual(['one']);
  });

  it('slowAnswer handles a call at once and answers it late: the write is applied, a read answers what was there on arrival', async () => {
    emulator.injectFaults([{ kind: 'slowAnswer', method: 'GET', latencyMs: 300 }]);
    const read = api('GET', '/tasks/v1/lists/@default/tasks');
    await new Promise((r) => setTimeout(r, 50));
    // Written while the read is still on its way back: the read does not see it.
    expect((await api('POST', '/tasks/v1/lists/@default/tasks', { body: { title: 'after the read' } })).status).toBe(200);
    expect((await read).body.items).toEqual([]);
    expect(emulator.callLog.map((c) => c.fault)).toEqual(['slowAnswer', undefined]);

    emulator.setLatency(200, 'answer');
    const controller = new AbortController();
    const write = fetch(`${emulator.url}/tasks/v1/lists/@default/tasks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'applied, answer lost' }),
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(); // the client gave up before the answer, as after a timeout
    await expect(write).rejects.toThrow();
    expect(emulator.allTasks().map((t) => t.title).sort()).toEqual(['after the read', 'applied, answer lost']);
  });

  it('is driven over HTTP by /_control/* from another process', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read the control JSON freely
    const control = (path: string, body?: unknown): Promise<any> =>
      fetch(`${emulator.url}/_control/${path}`, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
    await control('faults', { faults: [{ kind: 'status503' }] });
    expect((await api('GET', '/tasks/v1/users/@me/lists')).status).toBe(503);
    await control('tokens', { expireAccessTokens: true });
    expect((await api('GET', '/tasks/v1/users/@me/lists')).status).toBe(401);
    const state = await control('state');
    expect(state.calls.map((c: { status: number }) => c.status)).toEqual([503, 401]);
    expect(Object.keys(state.tasksByList)).toEqual([emulator.defaultListId]);
    await control('reset', {});
    expect((await control('state')).calls).toEqual([]);
  });
});
