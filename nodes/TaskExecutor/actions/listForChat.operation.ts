import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { CHAT_LIST_LIMIT, listTasksForChat } from '../../shared/tasks/chatTasks';
import { taskListIdFrom, tasksClientFor } from '../transport';
import { taskListField, userIdField } from './fields';

export const listForChat: Operation = {
  value: 'listForChat',
  name: 'List Tasks for Chat',
  action: 'List open tasks with done buttons',
  description: "The open tasks of one list for a user's /list, each with its message and the data of its ✓ Done button",
  properties: [
    taskListField,
    { ...userIdField, description: 'The assistant user the list is shown to, e.g. telegram:123456789: only they can press its ✓ Done buttons' },
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1, maxValue: 50 },
      default: CHAT_LIST_LIMIT,
      description: 'Max number of results to return',
    },
  ],
  needsStore: true,
  /** One item: { ok, heading, tasks: [{ entryId, title, due, dueText, openSubtasks, text, doneData }], more }. */
  async execute(i, store) {
    const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    const outcome = await listTasksForChat(store, client, {
      userId: this.getNodeParameter('userId', i),
      taskListId: taskListIdFrom(this.getNodeParameter('taskListId', i, '@default')),
      limit: Number(this.getNodeParameter('limit', i, CHAT_LIST_LIMIT)),
    });
    return asItem(outcome);
  },
};
