import { asItem } from '../../adapter/description';
import { taskCreationOutcome } from '../../shared/outcome';
import type { Operation } from '../../adapter/operation';
import { executeDraft as executeDraftCore } from '../../shared/tasks/executor';
import { executionLeaseMs, taskListIdFrom, tasksClientFor } from '../transport';
import { taskListField, userIdField } from './fields';

export const executeDraft: Operation = {
  value: 'executeDraft',
  name: 'Execute Draft',
  action: 'Create the task of a confirmed draft',
  description: "Create the draft's task and subtasks in Google Tasks, exactly once, and mark the draft executed",
  properties: [
    {
      displayName: 'Draft ID',
      name: 'draftId',
      type: 'number',
      default: '={{ $json.draftId }}',
      required: true,
      description: 'The confirmed draft to turn into a Google Task',
    },
    userIdField,
    { ...taskListField, description: `${taskListField.description} A draft whose execution already started keeps its original list.` },
  ],
  needsStore: true,
  /**
   * Creates the draft's task and subtasks exactly once. A repeated call (double tap, replayed
   * command) returns the recorded result with alreadyExecuted: true and sends nothing.
   */
  async execute(i, store) {
    const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    const outcome = await executeDraftCore(store, client, {
      draftId: this.getNodeParameter('draftId', i),
      userId: this.getNodeParameter('userId', i),
      taskListId: taskListIdFrom(this.getNodeParameter('taskListId', i, '@default')),
      leaseMs: executionLeaseMs(),
    });
    return { ...asItem(outcome), outcome: taskCreationOutcome(outcome) };
  },
};
