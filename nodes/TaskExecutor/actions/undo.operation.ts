import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { undoExecution } from '../../shared/tasks/undo';
import { tasksClientFor } from '../transport';
import { userIdField } from './fields';

export const undo: Operation = {
  value: 'undo',
  name: 'Undo',
  action: 'Undo an execution',
  description: 'Delete the task and subtasks an execution created, within the undo window',
  properties: [
    {
      displayName: 'Execution ID',
      name: 'executionId',
      type: 'number',
      default: '={{ $json.executionId }}',
      required: true,
      description: 'The execution whose task and subtasks to delete (from Execute Draft\'s output)',
    },
    userIdField,
    {
      displayName: 'Undo Window (Minutes)',
      name: 'undoWindowMinutes',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 60,
      description: 'How long after its execution a task may still be undone',
    },
  ],
  needsStore: true,
  /** Deletes what the execution created; running it again is harmless (alreadyUndone: true). */
  async execute(i, store) {
    const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
    const outcome = await undoExecution(store, client, {
      executionId: this.getNodeParameter('executionId', i),
      userId: this.getNodeParameter('userId', i),
      windowMs: Number(this.getNodeParameter('undoWindowMinutes', i, 60)) * 60_000,
    });
    return asItem(outcome);
  },
};
