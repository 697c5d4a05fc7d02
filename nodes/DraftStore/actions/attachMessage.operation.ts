// Attach Message: one of the workflow's own steps on a draft. Unlike a button press, an illegal
// transition here is an error naming the current state.
import type { Operation } from '../../adapter/operation';
import { attachDraftMessage } from '../../shared/draft/drafts';
import { draftItem } from './draftItem';
import { draftIdField, userIdField } from './fields';

export const attachMessage: Operation = {
  value: 'attachMessage',
  name: 'Attach Message',
  action: 'Attach the telegram message showing a draft',
  description: 'Remember which message shows the draft, to remove its buttons later',
  properties: [
    draftIdField,
    userIdField,
    {
      displayName: 'Telegram Message ID',
      name: 'messageId',
      type: 'string',
      default: '={{ $json.result?.message_id }}',
      required: true,
      description: "The message that shows the draft with its buttons (from the Telegram node's output)",
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const draftId = this.getNodeParameter('draftId', i);
    const userId = this.getNodeParameter('userId', i);
    return draftItem(await attachDraftMessage(store, draftId, userId, this.getNodeParameter('messageId', i)));
  },
};
