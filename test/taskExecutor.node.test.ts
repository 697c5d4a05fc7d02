// The Task Executor node through n8n's calling convention: parameters, both credentials, and
// Google reached through httpRequestWithAuthentication (a stand-in that behaves like n8n's
// OAuth2 helper, refresh included) against the emulator.
import type { IDataObject, ILoadOptionsFunctions, INode } from 'n8n-workflow';
import { closeAllStores, type Store } from '../nodes/shared/store/db';
import { getDraft } from '../nodes/shared/draft/drafts';
import { TaskExecutor } from '../nodes/TaskExecutor/TaskExecutor.node';
import { executionLeaseMs, tasksRootUrl } from '../nodes/TaskExecutor/transport';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, GoogleTasksEmulator, INITIAL_ACCESS_TOKEN, INITIAL_REFRESH_TOKEN } from '../emulators/googleTasks';
import { httpRequestWithAuthentication, refreshLog } from './helpers/n8nGoogleOAuth2';
import { runNode } from './helpers/nodeHarness';
import { confirmedDraft, confirmedDraftWithRawTask, openTempStore, type TempStore } from './helpers/taskExecutorFixtures';

const USER = 'telegram:5';
const node = new TaskExecutor();
const emulator = new GoogleTasksEmulator();
let temp: TempStore;
let store: Store;
let googleCredential: IDataObject;

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.reset();
  refreshLog.length = 0;
  temp = await openTempStore('task-executor-node-');
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

function run(parameters: IDataObject, items?: IDataObject[], continueOnFail = false) {
  return runNode(node, {
    parameters: { apiBaseUrl: emulator.url, ...parameters },
    items,
    continueOnFail,
    credentials: { draftAssistantDatabase: { backend: 'sqlite', file: temp.file }, googleTasksOAuth2Api: googleCredential },
    helpers: { httpRequestWithAuthentication },
  });
}

const draftTask = { title: 'Dentist', due_date: '2026-12-03', notes: 'Bring X-rays', subtasks: [{ title: 'Find card' }, { title: 'Book taxi' }] };

describe('description', () => {
  it('declares the contract the workflows are written against', () => {
    const d = node.description;
    expect(d).toMatchObject({ name: 'taskExecutor', displayName: 'Task Executor', icon: { light: 'file:taskExecutor.svg', dark: 'file:taskExecutor.dark.svg' } });
    expect(d.credentials).toEqual([{ name: 'draftAssistantDatabase', required: true }, { name: 'googleTasksOAuth2Api', required: true }]);
    const operation = d.properties.find((p) => p.name === 'operation')!;
    expect(operation.options!.map((o) => (o as { value: string }).value).sort()).toEqual(['checkReminder', 'completeTask', 'composeBriefing', 'executeDraft', 'findUndoable', 'listForChat', 'listTaskLists', 'listTasks', 'undo']);
    const byName = (name: string) => d.properties.filter((p) => p.name === name);
    expect(byName('draftId')[0].default).toBe('={{ $json.draftId }}');
    expect(byName('taskListId')[0]).toMatchObject({ default: '@default', typeOptions: { loadOptionsMethod: 'getTaskLists' } });
    expect(byName('apiBaseUrl')[0]).toMatchObject({ default: '', placeholder: 'https://tasks.googleapis.com' });
  });

  it('sends to the API Base URL, else to DRAFT_ASSISTANT_GOOGLE_TASKS_URL, else to Google', () => {
    expect(tasksRootUrl(' http://proxy:1 ', { DRAFT_ASSISTANT_GOOGLE_TASKS_URL: 'http://emulator:2' })).toBe('http://proxy:1');
    expect(tasksRootUrl('', { DRAFT_ASSISTANT_GOOGLE_TASKS_URL: 'http://emulator:2' })).toBe('http://emulator:2');
    expect(tasksRootUrl(undefined, {})).toBe('https://tasks.googleapis.com');
  });

  it('takes the execution lease from DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS, and refuses a value that is not a duration', () => {
    expect(executionLeaseMs({})).toBeUndefined();
    expect(executionLeaseMs({ DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS: ' 4.5 ' })).toBe(4500);
    expect(() => executionLeaseMs({ DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS: '2m' })).toThrow('DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS must be a number of seconds, at least 1 (got "2m")');
    expect(() => executionLeaseMs({ DRAFT_ASSISTANT_EXECUTION_LEASE_SECONDS: '0' })).toThrow(/at least 1/);
  });
});

describe('execute draft', () => {
  it('outputs the created task and subtasks, then the recorded result for a repeated call', async () => {
    const draft = await confirmedDraft(store, USER, draftTask);
    const [[first]] = await run({ operation: 'executeDraft', draftId: draft.id, userId: USER });
    expect(Object.keys(first.json).sort()).toEqual(['alreadyExecuted', 'apiCalls', 'draftId', 'executionId', 'ok', 'outcome', 'resumed', 'subtasks', 'task', 'taskListId']);
    expect(first.json).toMatchObject({
      ok: true,
      outcome: 'created',
      draftId: draft.id,
      taskListId: '@default',
      task: { title: 'Dentist', due: '2026-12-03' },
      subtasks: [{ title: 'Find card' }, { title: 'Book taxi' }],
      apiCalls: 3,
      resumed: false,
      alreadyExecuted: false,
    });
    expect(first.pairedItem).toEqual({ item: 0 });
    const [[second]] = await run({ operation: 'executeDraft', draftId: draft.id, userId: USER });
    expect(second.json).toEqual({ ...first.json, outcome: 'already_created', apiCalls: 0, alreadyExecuted: true });
    expect(emulator.callLog).toHaveLength(3);
  });

  it('lets n8n refresh an expired token and keeps the new one in the credential', async () => {
    emulator.expireAccessTokens();
    const draft = await confirmedDraft(store, USER, draftTask);
    const [[out]] = await run({ operation: 'executeDraft', draftId: draft.id, userId: USER });
    expect(out.json.ok).toBe(true);
    expect(refreshLog).toEqual([`${emulator.url}/token`]);
    expect((googleCredential.oauthTokenData as IDataObject).access_token).not.toBe(INITIAL_ACCESS_TOKEN);
    expect(emulator.callLog.map((c) => c.status)).toEqual([401, 200, 200, 200]);
  });

  it('turns a revoked grant into a non-retryable auth_revoked failure asking to reconnect Google', async () => {
    emulator.revokeRefreshToken();
    const draft = await confirmedDraft(store, USER, draftTask);
    const [[out]] = await run({ operation: 'executeDraft', draftId: draft.id, userId: USER });
    expect(out.json).toMatchObject({ ok: false, failure: { kind: 'auth_revoked', retryable: false } });
    expect((out.json.failure as IDataObject).userMessage).toMatch(/Reconnect your Google account in n8n/);
    expect((await getDraft(store, draft.id))!.status).toBe('confirmed');
  });

  it('reports an invalid draft without calling Google', async () => {
    const draftId = await confirmedDraftWithRawTask(store, USER, { title: 'Pay', due_date: '2026-13-01', subtasks: [] });
    const [[out]] = await run({ operation: 'executeDraft', draftId, userId: USER });
    expect(out.json).toMatchObject({ ok: false, failure: { kind: 'invalid_draft', retryable: false } });
    expect(emulator.callLog).toEqual([]);
  });

  it('refuses another user\'s draft as a node error, or as an item with continueOnFail', async () => {
    const draft = await confirmedDraft(store, USER, draftTask);
    await expect(run({ operation: 'executeDraft', draftId: draft.id, userId: 'telegram:6' })).rejects.toThrow(`Draft ${draft.id} belongs to another user`);
    const [[out]] = await run({ operation: 'executeDraft', draftId: draft.id, userId: 'telegram:6' }, undefined, true);
    expect(out.json).toEqual({ error: `Draft ${draft.id} belongs to another user` });
  });
});

describe('lists, tasks and undo', () => {
  it('lists task lists and tasks without opening the database; the operations that need it still do', async () => {
    // A SQLite path inside a regular file: opening it fails.
    const unopenable = { backend: 'sqlite', file: `${temp.file}/not-a-folder/store.sqlite` };
    const runWithout = (parameters: IDataObject) =>
      runNode(node, {
        parameters: { apiBaseUrl: emulator.url, ...parameters },
        credentials: { draftAssistantDatabase: unopenable, googleTasksOAuth2Api: googleCredential },
        helpers: { httpRequestWithAuthentication },
      });
    const [[lists]] = await runWithout({ operation: 'listTaskLists' });
    expect(lists.json).toMatchObject({ ok: true, taskLists: [{ title: 'My Tasks' }] });
    const [[open]] = await runWithout({ operation: 'listTasks', taskListId: '@default' });
    expect(open.json).toMatchObject({ ok: true, tasks: [] });
    await expect(runWithout({ operation: 'undo', executionId: 1, userId: USER })).rejects.toMatchObject({
      description: expect.stringContaining('Check the "Draft Assistant Database" credential'),
    });
  });

  it('lists task lists, open tasks, and undoes an execution', async () => {
    const work = emulator.createTaskList('Work');
    const draft = await confirmedDraft(store, USER, draftTask);
    const [[executed]] = await run({ operation: 'executeDraft', draftId: draft.id, userId: USER, taskListId: work.id });

    const [[lists]] = await run({ operation: 'listTaskLists' });
    expect(lists.json).toMatchObject({ ok: true, taskLists: [{ title: 'My Tasks' }, { title: 'Work', id: work.id }], apiCalls: 1 });

    const [[open]] = await run({ operation: 'listTasks', taskListId: work.id });
    expect((open.json.tasks as IDataObject[]).map((t) => t.title)).toEqual(['Dentist', 'Find card', 'Book taxi']);
    expect((open.json.tasks as IDataObject[])[0]).toMatchObject({ notes: 'Bring X-rays', due: '2026-12-03' });

    const [[undone]] = await run({ operation: 'undo', executionId: executed.json.executionId, userId: USER });
    expect(undone.json).toMatchObject({ ok: true, alreadyUndone: false, deleted: [{ title: 'Dentist' }, { title: 'Find card' }, { title: 'Book taxi' }] });
    expect(emulator.allTasks(work.id).every((t) => t.deleted)).toBe(true);
  });

  it('lists for the chat, completes a listed task once, refuses another user, and finds the task to undo', async () => {
    const draft = await confirmedDraft(store, USER, draftTask);
    const [[executed]] = await run({ operation: 'executeDraft', draftId: draft.id, userId: USER });
    const [[listed]] = await run({ operation: 'listForChat', userId: USER, taskListId: '@default', limit: 10 });
    expect(listed.json).toMatchObject({ ok: true, tasks: [{ title: 'Dentist', due: '2026-12-03', openSubtasks: 2 }] });
    const entryId = (listed.json.tasks as IDataObject[])[0].entryId;
    const [[refused]] = await run({ operation: 'completeTask', entryId, userId: 'telegram:6' });
    expect(refused.json).toMatchObject({ ok: true, outcome: 'refused', replyChatId: '6' });
    const [[done]] = await run({ operation: 'completeTask', entryId, userId: USER });
    expect(done.json).toMatchObject({ ok: true, outcome: 'completed', title: 'Dentist' });
    const [[again]] = await run({ operation: 'completeTask', entryId, userId: USER });
    expect(again.json).toMatchObject({ ok: true, outcome: 'already_done', apiCalls: 0 });
    expect(emulator.allTasks().find((t) => t.title === 'Dentist')).toMatchObject({ status: 'completed' });
    const [[undoable]] = await run({ operation: 'findUndoable', userId: USER, undoWindowMinutes: 60 });
    expect(undoable.json).toMatchObject({ found: true, undoable: true, executionId: executed.json.executionId, title: 'Dentist', subtasks: 2 });
    const [[foreign]] = await run({ operation: 'undo', executionId: executed.json.executionId, userId: 'telegram:6' });
    expect(foreign.json).toMatchObject({ ok: false, failure: { kind: 'not_owner' } });
  });

  it('fills the task list dropdown from the account', async () => {
    emulator.createTaskList('Groceries');
    const context = {
      getNode: () => ({ name: 'Task Executor' }) as INode,
      getCurrentNodeParameter: (name: string) => (name === 'apiBaseUrl' ? emulator.url : undefined),
      getCredentials: async () => googleCredential,
      helpers: { httpRequestWithAuthentication },
    } as unknown as ILoadOptionsFunctions;
    const options = await node.methods.loadOptions.getTaskLists.call(context);
    expect(options.map((o) => o.name)).toEqual(['Default List', 'My Tasks', 'Groceries']);
    expect(options[0].value).toBe('@default');
  });
});
