import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { asItem, forOperation } from '../../adapter/description';
import type { Store } from '../../shared/store/db';
import { executeDraft as executeDraftCore } from '../../shared/tasks/executor';
import { executionLeaseMs, taskListIdFrom, tasksClientFor } from '../transport';
import { taskListField, userIdField } from './fields';
import { taskCreationOutcome } from '../../shared/outcome';

export const description: INodeProperties[] = forOperation('executeDraft', [
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
]);

/**
 * Creates the draft's task and subtasks exactly once. A repeated call (double tap, replayed
 * command) returns the recorded result with alreadyExecuted: true and sends nothing.
 */
export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
  const outcome = await executeDraftCore(store, client, {
    draftId: this.getNodeParameter('draftId', i),
    userId: this.getNodeParameter('userId', i),
    taskListId: taskListIdFrom(this.getNodeParameter('taskListId', i, '@default')),
    leaseMs: executionLeaseMs(),
  });
  return { ...asItem(outcome), outcome: taskCreationOutcome(outcome) };
}
