import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { asItem, forOperation } from '../../adapter/description';
import type { Store } from '../../shared/store/db';
import { undoExecution } from '../../shared/tasks/undo';
import { tasksClientFor } from '../transport';
import { userIdField } from './fields';

export const description: INodeProperties[] = forOperation('undo', [
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
]);

/** Deletes what the execution created; running it again is harmless (alreadyUndone: true). */
export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  const client = tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''));
  const outcome = await undoExecution(store, client, {
    executionId: this.getNodeParameter('executionId', i),
    userId: this.getNodeParameter('userId', i),
    windowMs: Number(this.getNodeParameter('undoWindowMinutes', i, 60)) * 60_000,
  });
  return asItem(outcome);
}
