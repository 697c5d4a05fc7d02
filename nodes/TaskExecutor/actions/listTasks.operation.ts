import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { asItem, forOperation } from '../../adapter/description';
import { listOpenTasks } from '../../shared/tasks/lists';
import { taskListIdFrom, tasksClientFor } from '../transport';
import { taskListField } from './fields';

/** Google Tasks only: the node opens no database for it. */
export const usesStore = false;

export const description: INodeProperties[] = forOperation('listTasks', [
  taskListField,
  {
    displayName: 'Limit',
    name: 'limit',
    type: 'number',
    typeOptions: { minValue: 1, maxValue: 1000 },
    default: 50,
    description: 'Max number of results to return',
  },
]);

/** One item: { ok, taskListId, tasks: [{ id, title, due, notes?, parent?, position? }] }, open tasks only. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
  const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
  const outcome = await listOpenTasks(client, taskListIdFrom(this.getNodeParameter('taskListId', i, '@default')), {
    maxTasks: Number(this.getNodeParameter('limit', i, 50)),
  });
  return asItem(outcome);
}
