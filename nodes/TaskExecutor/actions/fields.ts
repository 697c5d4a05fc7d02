import type { INodeProperties } from 'n8n-workflow';

/** The target list: picked on the canvas from the user's lists, or an ID / expression. */
export const taskListField: INodeProperties = {
  displayName: 'Task List Name or ID',
  name: 'taskListId',
  type: 'options',
  typeOptions: { loadOptionsMethod: 'getTaskLists' },
  default: '@default',
  description:
    'The Google Tasks list. "@default" is the account\'s default list. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const userIdField: INodeProperties = {
  displayName: 'User ID',
  name: 'userId',
  type: 'string',
  default: '={{ $json.userId }}',
  required: true,
  description: 'The assistant user the draft belongs to, e.g. telegram:123456789',
};
