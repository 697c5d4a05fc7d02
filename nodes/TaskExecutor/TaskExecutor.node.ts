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
import { operationFields, operationProperty } from '../adapter/operation';
import { routerFor } from '../adapter/router';
import { operations } from './actions';
import { GOOGLE_TASKS_CREDENTIAL, TASKS_URL_ENV, tasksClientFor } from './transport';

const router = routerFor(operations);

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
      operationProperty(operations, 'executeDraft'),
      ...operationFields(operations),
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
