import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { listTaskLists as listTaskListsOfAccount } from '../../shared/tasks/lists';
import { tasksClientFor } from '../transport';

export const listTaskLists: Operation = {
  value: 'listTaskLists',
  name: 'List Task Lists',
  action: 'List task lists',
  description: 'The Google Tasks lists of the connected account',
  properties: [],
  // Google Tasks only: the node opens no database for it.
  needsStore: false,
  /** One item: { ok, taskLists: [{ id, title, updated }] }. */
  async execute(i) {
    return asItem(await listTaskListsOfAccount(tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''))));
  },
};
