import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { listOpenTasks } from '../../shared/tasks/lists';
import { taskListIdFrom, tasksClientFor } from '../transport';
import { taskListField } from './fields';

export const listTasks: Operation = {
  value: 'listTasks',
  name: 'List Tasks',
  action: 'List open tasks',
  description: 'The open tasks of one list, in order, for a "what\'s on my list" reply',
  properties: [
    taskListField,
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1, maxValue: 1000 },
      default: 50,
      description: 'Max number of results to return',
    },
  ],
  // Google Tasks only: the node opens no database for it.
  needsStore: false,
  /** One item: { ok, taskListId, tasks: [{ id, title, due, notes?, parent?, position? }] }, open tasks only. */
  async execute(i) {
    const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    const outcome = await listOpenTasks(client, taskListIdFrom(this.getNodeParameter('taskListId', i, '@default')), {
      maxTasks: Number(this.getNodeParameter('limit', i, 50)),
    });
    return asItem(outcome);
  },
};
