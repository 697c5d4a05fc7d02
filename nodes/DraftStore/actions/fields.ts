import type { INodeProperties } from 'n8n-workflow';

export const draftIdField: INodeProperties = {
  displayName: 'Draft ID',
  name: 'draftId',
  type: 'number',
  default: '={{ $json.draftId }}',
  required: true,
};

export const userIdField: INodeProperties = {
  displayName: 'User ID',
  name: 'userId',
  type: 'string',
  default: '={{ $json.userId }}',
  required: true,
  description: 'The user acting on the draft. A draft of another user is refused.',
};
