import type {
  IExecuteFunctions,
  ILoadOptionsFunctions,
  INodeExecutionData,
  INodePropertyOptions,
  INodeType,
  INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';
import type { JsonObject } from 'n8n-workflow';
import { DATABASE_CREDENTIAL } from '../adapter/store';
import { DEFAULT_TASKS_ROOT_URL } from '../shared/tasks/client';
import { listTaskLists } from '../shared/tasks/lists';
import * as executeDraft from './actions/executeDraft.operation';
import * as listTaskListsOperation from './actions/listTaskLists.operation';
import * as listTasks from './actions/listTasks.operation';
import { router } from './actions/router';
import * as undo from './actions/undo.operation';
import { GOOGLE_TASKS_CREDENTIAL, TASKS_URL_ENV, tasksClientFor } from './transport';

export class TaskExecutor implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Task Executor',
    name: 'taskExecutor',
    icon: { light: 'file:taskExecutor.svg', dark: 'file:taskExecutor.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{ $parameter["operation"] }}',
    description: 'Turns confirmed drafts into Google Tasks with their subtasks, exactly once; lists, reads and undoes them',
    defaults: { name: 'Task Executor' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [
      { name: DATABASE_CREDENTIAL, required: true },
      { name: GOOGLE_TASKS_CREDENTIAL, required: true },
    ],
    properties: [
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        options: [
          {
            name: 'Execute Draft',
            value: 'executeDraft',
            action: 'Create the task of a confirmed draft',
            description: 'Create the draft\'s task and subtasks in Google Tasks, exactly once, and mark the draft executed',
          },
          { name: 'List Task Lists', value: 'listTaskLists', action: 'List task lists', description: 'The Google Tasks lists of the connected account' },
          { name: 'List Tasks', value: 'listTasks', action: 'List open tasks', description: 'The open tasks of one list, in order, for a "what\'s on my list" reply' },
          { name: 'Undo', value: 'undo', action: 'Undo an execution', description: 'Delete the task and subtasks an execution created, within the undo window' },
        ],
        default: 'executeDraft',
      },
      ...executeDraft.description,
      ...listTaskListsOperation.description,
      ...listTasks.description,
      ...undo.description,
      {
        displayName: 'API Base URL',
        name: 'apiBaseUrl',
        type: 'string',
        default: '',
        placeholder: DEFAULT_TASKS_ROOT_URL,
        description: `Root URL of the Google Tasks API, for an emulator or a proxy. Empty: the ${TASKS_URL_ENV} environment variable of the n8n process if set, else ${DEFAULT_TASKS_ROOT_URL}.`,
      },
    ],
  };

  methods = {
    loadOptions: {
      /** The account's lists for the Task List dropdown, the default list first. */
      async getTaskLists(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
        const outcome = await listTaskLists(tasksClientFor(this, this.getCurrentNodeParameter('apiBaseUrl')), { retry: { maxAttempts: 2 } });
        if (!outcome.ok) throw new NodeApiError(this.getNode(), { message: outcome.failure.message } as JsonObject, { message: outcome.failure.userMessage });
        return [
          { name: 'Default List', value: '@default', description: 'Whatever list the account uses as its default' },
          ...outcome.taskLists.map((list) => ({ name: list.title || list.id, value: list.id })),
        ];
      },
    },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
