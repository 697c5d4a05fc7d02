// The executor against the emulator and a real SQLite file: order, exactly once, retries,
// resumption, tokens, validation and undo.
import { listAudit } from '../nodes/shared/store/audit';
import type { Store } from '../nodes/shared/store/db';
import { getDraft } from '../nodes/shared/draft/drafts';
import { InputError } from '../nodes/shared/errors';
import { toTasksApiError, type TasksClient } from '../nodes/shared/tasks/client';
import { executeDraft, getExecutionsForDraft, type ExecuteDraftInput, type ExecutionResult, type ExecutorStep } from '../nodes/shared/tasks/executor';
import { listOpenTasks, listTaskLists } from '../nodes/shared/tasks/lists';
import { undoExecution } from '../nodes/shared/tasks/undo';
import { GoogleTasksEmulator } from '../emulators/googleTasks';
import { parseHtml } from '../emulators/telegramFormatting';
import { useCleanStore, backends } from './helpers/backends';
import { FAST_RETRY, confirmedDraft, confirmedDraftWithRawTask, emulatorClient, emulatorTransport, noSleep } from './helpers/taskExecutorFixtures';

const USER = 'telegram:42';
const emulator = new GoogleTasksEmulator();
let store: Store;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

describe.each(backends)('on %s', (backend) => {
  const database = useCleanStore(backend);
  beforeEach(() => {
    emulator.reset();
    store = database.store;
  });

  const tripDraft = {
    title: 'Plan Lisbon trip',
    due_date: '2026-12-01',
    notes: 'Budget 900 EUR',
    subtasks: [{ title: 'Book flights' }, { title: 'Book hotel' }, { title: 'Buy travel insurance', suggested: true }],
  };

  function run(draftId: number, extra: Partial<ExecuteDraftInput> = {}) {
    return executeDraft(store, extra.onStep ? emulatorClient(emulator.url) : client, { draftId, userId: USER, retry: FAST_RETRY, sleep: noSleep, ...extra });
  }
  let client = emulatorClient('http://127.0.0.1:1');
  beforeEach(() => {
    client = emulatorClient(emulator.url);
  });

  function liveTasks() {
    return emulator.allTasks().filter((t) => !t.deleted);
  }

  function orderedSubtaskTitles(parentId: string) {
    return liveTasks()
      .filter((t) => t.parent === parentId)
      .sort((a, b) => a.position.localeCompare(b.position))
      .map((t) => t.title);
  }

  describe('executing a confirmed draft', () => {
    it('creates the task and its subtasks in the draft order with 1 + subtasks calls, and marks the draft executed', async () => {
      const draft = await confirmedDraft(store, USER, tripDraft);
      const result = (await run(draft.id)) as ExecutionResult;

      expect(result).toMatchObject({ ok: true, draftId: draft.id, taskListId: '@default', apiCalls: 4, resumed: false, alreadyExecuted: false });
      expect(result.task).toMatchObject({ title: 'Plan Lisbon trip', due: '2026-12-01' });
      expect(result.subtasks.map((s) => s.title)).toEqual(['Book flights', 'Book hotel', 'Buy travel insurance']);
      const main = liveTasks().find((t) => t.id === result.task.id)!;
      expect(main.due).toBe('2026-12-01T00:00:00.000Z');
      expect(main.notes).toBe('Budget 900 EUR');
      expect(orderedSubtaskTitles(main.id)).toEqual(['Book flights', 'Book hotel', 'Buy travel insurance']);
      // Each subtask was placed after the previous one through the query parameters.
      const posts = emulator.callLog.filter((c) => c.method === 'POST');
      expect(posts.map((c) => c.query)).toEqual([
        {},
        { parent: main.id },
        { parent: main.id, previous: result.subtasks[0].id },
        { parent: main.id, previous: result.subtasks[1].id },
      ]);

      expect((await getDraft(store, draft.id))!.status).toBe('executed');
      const [execution] = await getExecutionsForDraft(store, draft.id);
      expect(execution).toMatchObject({ status: 'success', error_message: null, api_calls: 4, lease_token: null });
      expect(JSON.parse(String(execution.result_json))).toEqual(result);
      expect(execution.items.map((i: Record<string, unknown>) => i.status)).toEqual(['created', 'created', 'created', 'created']);
      const actions = (await listAudit(store, { entityType: 'execution', entityId: result.executionId })).map((a) => a.action);
      expect(actions).toEqual([
        'task_execution_started',
        ...Array(4).fill(['task_item_sending', 'task_item_created']).flat(),
        'task_executed',
      ]);
    });

    it('returns the recorded result without any API call for an already executed draft (double tap)', async () => {
      const draft = await confirmedDraft(store, USER, tripDraft);
      const first = (await run(draft.id)) as ExecutionResult;
      const callsBefore = emulator.callLog.length;
      const second = await run(draft.id);
      expect(second).toEqual({ ...first, apiCalls: 0, alreadyExecuted: true });
      expect(emulator.callLog.length).toBe(callsBefore);
      expect(liveTasks()).toHaveLength(4);
    });

    it('two concurrent calls in one process create one task; the second waits and reports alreadyExecuted', async () => {
      emulator.setLatency(20);
      const draft = await confirmedDraft(store, USER, tripDraft);
      const [a, b] = (await Promise.all([run(draft.id), run(draft.id)])) as ExecutionResult[];
      expect(liveTasks()).toHaveLength(4);
      expect(a.task.id).toBe(b.task.id);
      expect([a.alreadyExecuted, b.alreadyExecuted].sort()).toEqual([false, true]);
    });

    it('creates in the chosen list and keeps that list when resumed', async () => {
      const work = emulator.createTaskList('Work');
      const draft = await confirmedDraft(store, USER, { title: 'Quarterly report', subtasks: [{ title: 'Collect numbers' }] });
      const result = (await run(draft.id, { taskListId: work.id })) as ExecutionResult;
      expect(result.taskListId).toBe(work.id);
      expect(emulator.allTasks(work.id).map((t) => t.title)).toEqual(['Quarterly report', 'Collect numbers']);
      expect(emulator.allTasks()).toEqual([]);
    });

    it('refuses a draft of another user, and reports a draft that is not confirmed', async () => {
      const draft = await confirmedDraft(store, USER, tripDraft);
      await expect(executeDraft(store, client, { draftId: draft.id, userId: 'telegram:7' })).rejects.toThrow(InputError);
      await store.run(`UPDATE drafts SET status = 'cancelled' WHERE id = ?`, [draft.id]);
      const outcome = await run(draft.id);
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'draft_not_confirmed', retryable: false } });
      expect(emulator.callLog).toEqual([]);
    });
  });

  describe('validation', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['an empty title', { title: '   ', due_date: null, subtasks: [] }, /title is empty/],
      ['a title over 1024 characters', { title: 'x'.repeat(1025), due_date: null, subtasks: [] }, /title is 1025 characters/],
      ['an impossible due date', { title: 'Pay', due_date: '2026-02-30', subtasks: [] }, /due date "2026-02-30" is not a valid date/],
      ['notes over 8192 characters', { title: 'Pay', due_date: null, notes: 'n'.repeat(8193), subtasks: [] }, /notes are 8193 characters long \(at most 8192\)/],
      ['a subtask without a title', { title: 'Pay', due_date: null, subtasks: [{ title: 'ok' }, { title: '' }] }, /subtask 2 has no title/],
    ];
    it.each(cases)('refuses %s before any call: draft stays confirmed, execution failed with the message', async (_name, task, message) => {
      const draftId = await confirmedDraftWithRawTask(store, USER, task);
      const outcome = await run(draftId);
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'invalid_draft', retryable: false } });
      if (outcome.ok) throw new Error('unreachable');
      expect(parseHtml(outcome.failure.userMessage).text).toMatch(message);
      expect(emulator.callLog).toEqual([]);
      expect((await getDraft(store, draftId))!.status).toBe('confirmed');
      const executions = await getExecutionsForDraft(store, draftId);
      expect(executions).toHaveLength(1);
      expect(executions[0]).toMatchObject({ status: 'failed', items: [] });
      expect(String(executions[0].error_message)).toMatch(message);
    });
  });

  describe('faults', () => {
    it('retries 503, 429 (honouring Retry-After) and rate-limit 403 and still creates each task once', async () => {
      const sleeps: number[] = [];
      emulator.injectFaults([
        { kind: 'status503', method: 'POST' },
        { kind: 'status429', method: 'POST', retryAfterSeconds: 2 },
        { kind: 'rateLimit403', method: 'POST' },
      ]);
      const draft = await confirmedDraft(store, USER, tripDraft);
      const result = (await run(draft.id, { sleep: async (ms) => void sleeps.push(ms), retry: { ...FAST_RETRY, maxDelayMs: 5_000 } })) as ExecutionResult;
      expect(result.ok).toBe(true);
      expect(liveTasks()).toHaveLength(4);
      expect(sleeps).toContain(2_000);
      // 4 creates + 3 refused attempts + 1 marker search after the 503 (it may have committed).
      expect(result.apiCalls).toBe(8);
    });

    it('adopts a task whose create committed before the connection dropped instead of creating it again', async () => {
      emulator.injectFaults([{ kind: 'commitThenDrop', method: 'POST', pathIncludes: '/tasks' }]);
      const draft = await confirmedDraft(store, USER, tripDraft);
      const result = (await run(draft.id)) as ExecutionResult;
      expect(liveTasks().filter((t) => t.title === 'Plan Lisbon trip')).toHaveLength(1);
      expect(liveTasks()).toHaveLength(4);
      const [execution] = await getExecutionsForDraft(store, draft.id);
      expect(execution.items[0]).toMatchObject({ adopted: 1, remote_id: result.task.id, send_attempts: 1 });
    });

    it('treats a timeout as unknown: finds the late-committed task by its marker', async () => {
      emulator.injectFaults([{ kind: 'latency', latencyMs: 400, method: 'POST' }]);
      const slowClient = emulatorClient(emulator.url, { timeoutMs: 150 });
      const draft = await confirmedDraft(store, USER, tripDraft);
      const result = (await executeDraft(store, slowClient, {
        draftId: draft.id,
        userId: USER,
        retry: FAST_RETRY,
        // The late write lands while we back off.
        sleep: () => new Promise((r) => setTimeout(r, 400)),
      })) as ExecutionResult;
      expect(result.ok).toBe(true);
      expect(liveTasks()).toHaveLength(4);
    });

    it('fails at once with the API message on another 4xx, and records it', async () => {
      const draft = await confirmedDraft(store, USER, tripDraft);
      const outcome = await run(draft.id, { taskListId: 'no-such-list' });
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'api_rejected', retryable: false } });
      if (outcome.ok) throw new Error('unreachable');
      expect(outcome.failure.message).toMatch(/404.*Task list not found/);
      expect(emulator.callLog).toHaveLength(1);
      expect((await getDraft(store, draft.id))!.status).toBe('confirmed');
      const [execution] = await getExecutionsForDraft(store, draft.id);
      expect(execution).toMatchObject({ status: 'failed', lease_token: null });
      expect(String(execution.error_message)).toMatch(/Task list not found/);
      // Nothing was sent, so a retry with the right list goes there.
      const retried = (await run(draft.id, { taskListId: '@default' })) as ExecutionResult;
      expect(retried).toMatchObject({ ok: true, resumed: true, taskListId: '@default', executionId: execution.id });
      expect(liveTasks()).toHaveLength(4);
    });

    it('sends Google\'s error text to Telegram HTML-escaped (the workflows send with parse_mode HTML)', async () => {
      const googleSays = 'Invalid value for title: <script> & "quotes"';
      const refusing: TasksClient = {
        ...client,
        insertTask: async () => {
          throw toTasksApiError({ message: 'Request failed', response: { status: 400, data: { error: { code: 400, message: googleSays, errors: [{ reason: 'invalid' }] } } } });
        },
      };
      const draft = await confirmedDraft(store, USER, tripDraft);
      const outcome = await executeDraft(store, refusing, { draftId: draft.id, userId: USER, retry: FAST_RETRY, sleep: noSleep });
      if (outcome.ok) throw new Error('expected a refusal');
      expect(outcome.failure.kind).toBe('api_rejected');
      // Telegram accepts it and shows exactly Google's words; the technical message stays raw.
      expect(parseHtml(outcome.failure.userMessage)).toEqual({ text: `Google Tasks refused the task: ${googleSays}`, entities: [] });
      expect(outcome.failure.message).toContain(googleSays);
    });

    it('escapes the draft\'s own text in the message about an invalid draft', async () => {
      const draftId = await confirmedDraftWithRawTask(store, USER, { title: 'Pay', due_date: '<b>soon</b> & later', subtasks: [] });
      const outcome = await run(draftId);
      if (outcome.ok) throw new Error('expected a refusal');
      expect(parseHtml(outcome.failure.userMessage).text).toContain('the due date "<b>soon</b> & later" is not a valid date');
    });

    it('gives up after the bounded attempts with a retryable failure, then a later run resumes without duplicates', async () => {
      emulator.injectFaults([{ kind: 'status503', method: 'POST', pathIncludes: '/tasks', times: 100 }]);
      const draft = await confirmedDraft(store, USER, { title: 'Renew passport', subtasks: [{ title: 'Photos' }] });
      const failed = await run(draft.id);
      expect(failed).toMatchObject({ ok: false, failure: { kind: 'service_unavailable', retryable: true } });
      emulator.clearFaults();
      const resumed = (await run(draft.id)) as ExecutionResult;
      expect(resumed).toMatchObject({ ok: true, resumed: true });
      expect(liveTasks().map((t) => t.title).sort()).toEqual(['Photos', 'Renew passport']);
      expect(await getExecutionsForDraft(store, draft.id)).toHaveLength(1);
    });

    const crashPoints: ExecutorStep[] = ['claimed', 'sending-committed', 'remote-call-returned', 'created-committed', 'before-finish'];
    it.each(crashPoints)('resumes after a crash at "%s" and ends with exactly one copy of each item', async (point) => {
      const draft = await confirmedDraft(store, USER, tripDraft);
      let hits = 0;
      const crash = await run(draft.id, {
        leaseMs: 0,
        onStep: (step) => {
          if (step === point && ++hits === 2 - Number(point === 'claimed' || point === 'before-finish')) throw new Error('simulated crash');
        },
      }).catch((e: Error) => e);
      expect(crash).toBeInstanceOf(Error);
      const result = (await run(draft.id)) as ExecutionResult;
      expect(result).toMatchObject({ ok: true, resumed: true });
      expect(liveTasks()).toHaveLength(4);
      expect(orderedSubtaskTitles(result.task.id)).toEqual(['Book flights', 'Book hotel', 'Buy travel insurance']);
    });
  });

  describe('tokens', () => {
    it('refreshes an expired access token without user action', async () => {
      emulator.expireAccessTokens();
      const transport = emulatorTransport(emulator.url);
      const draft = await confirmedDraft(store, USER, tripDraft);
      const result = await executeDraft(store, emulatorClient(emulator.url, { transport }), { draftId: draft.id, userId: USER });
      expect(result.ok).toBe(true);
      expect(transport.refreshCount).toBe(1);
      expect(emulator.tokenRequests).toBe(1);
      expect(emulator.callLog.map((c) => c.status)).toEqual([401, 200, 200, 200, 200]);
    });

    it('reports a revoked refresh token as auth_revoked, not retryable, telling the user to reconnect Google', async () => {
      emulator.revokeRefreshToken();
      const draft = await confirmedDraft(store, USER, tripDraft);
      const outcome = await run(draft.id);
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'auth_revoked', retryable: false } });
      if (outcome.ok) throw new Error('unreachable');
      expect(outcome.failure.userMessage).toMatch(/Reconnect your Google account in n8n/);
      expect(emulator.tokenRequests).toBe(1);
      expect(liveTasks()).toEqual([]);
      expect((await getDraft(store, draft.id))!.status).toBe('confirmed');
    });

    it('recognises n8n\'s revoked-credential errors, old and new', () => {
      const reconnect = Object.assign(new Error('The credential "Google" needs to be reconnected.'), {});
      expect(toTasksApiError(Object.assign(new Error('wrapped'), { cause: reconnect })).kind).toBe('auth_revoked');
      const authError = Object.assign(new Error('Unable to refresh token'), { code: 'EAUTH', body: { error: 'invalid_grant' } });
      expect(toTasksApiError(authError).kind).toBe('auth_revoked');
      const axios = Object.assign(new Error('Request failed with status code 429'), { response: { status: 429, headers: { 'retry-after': '7' }, data: {} } });
      expect(toTasksApiError({ message: 'x', cause: axios })).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 7000 });
    });
  });

  describe('undo and reads', () => {
    it('undo deletes what the execution created, once; a second undo changes nothing', async () => {
      const draft = await confirmedDraft(store, USER, tripDraft);
      const result = (await run(draft.id)) as ExecutionResult;
      const undone = await undoExecution(store, client, { executionId: result.executionId, userId: USER, sleep: noSleep });
      expect(undone).toMatchObject({ ok: true, alreadyUndone: false, apiCalls: 4 });
      expect(liveTasks()).toEqual([]);
      const again = await undoExecution(store, client, { executionId: result.executionId, userId: USER });
      expect(again).toMatchObject({ ok: true, alreadyUndone: true, apiCalls: 0 });
      // Another user's execution (a ✅ Remove pressed by someone else) is refused, not an error.
      expect(await undoExecution(store, client, { executionId: result.executionId, userId: 'telegram:7' })).toMatchObject({
        ok: false,
        failure: { kind: 'not_owner', retryable: false, userMessage: expect.stringContaining('belongs to someone else') },
      });
    });

    it('undo refuses after the window', async () => {
      const draft = await confirmedDraft(store, USER, tripDraft);
      const result = (await run(draft.id)) as ExecutionResult;
      await store.run('UPDATE executions SET executed_at = executed_at - 7200000 WHERE id = ?', [result.executionId]);
      const outcome = await undoExecution(store, client, { executionId: result.executionId, userId: USER, windowMs: 3_600_000 });
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'undo_window_passed', retryable: false } });
      expect(liveTasks()).toHaveLength(4);
    });

    it('lists task lists and the open tasks of a list without our markers', async () => {
      emulator.createTaskList('Groceries');
      const draft = await confirmedDraft(store, USER, { title: 'Call mom', notes: 'Sunday', subtasks: [] });
      await run(draft.id);
      const lists = await listTaskLists(client);
      expect(lists).toMatchObject({ ok: true, taskLists: [{ title: 'My Tasks' }, { title: 'Groceries' }] });
      const open = await listOpenTasks(client, '@default');
      expect(open).toMatchObject({ ok: true, tasks: [{ title: 'Call mom', notes: 'Sunday', due: null }] });
    });
  });
});
