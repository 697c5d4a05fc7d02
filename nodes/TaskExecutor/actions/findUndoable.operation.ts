import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';
import { findUndoable as findUndoableCore } from '../../shared/tasks/chatTasks';
import { userIdField } from './fields';

export const findUndoable: Operation = {
  value: 'findUndoable',
  name: 'Find Last Undoable',
  action: 'Find the task to undo',
  description: "The user's task created last and not undone yet (or one named execution of theirs), for /undo's question",
  properties: [
    userIdField,
    {
      displayName: 'Execution ID',
      name: 'executionId',
      type: 'number',
      default: 0,
      description: "An execution to describe instead of the last one (0: the last); another user's is refused",
    },
    {
      displayName: 'Undo Window (Minutes)',
      name: 'undoWindowMinutes',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 60,
      description: 'How long after its execution a task may still be undone (as in Undo)',
    },
  ],
  needsStore: true,
  /** One item: { ok, found, undoable, executionId, title, subtasks, message, removeData, keepData } or { found: false, message }. */
  async execute(i, store) {
    return asItem(
      await findUndoableCore(store, {
        userId: this.getNodeParameter('userId', i),
        executionId: this.getNodeParameter('executionId', i, 0),
        windowMs: Number(this.getNodeParameter('undoWindowMinutes', i, 60)) * 60_000,
      }),
    );
  },
};
