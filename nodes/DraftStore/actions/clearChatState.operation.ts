// Clear Chat State: the user's next message refers to no pending question or edit.
import type { Operation } from '../../adapter/operation';
import { clearChatState as clearChatStateOfUser } from '../../shared/draft/drafts';
import { userIdField } from './fields';

export const clearChatState: Operation = {
  value: 'clearChatState',
  name: 'Clear Chat State',
  action: 'Forget a pending question or edit',
  description: 'Forget what the next message would refer to',
  properties: [userIdField],
  needsStore: true,
  async execute(i, store) {
    const userId = this.getNodeParameter('userId', i);
    await clearChatStateOfUser(store, userId);
    return { userId: String(userId), cleared: true };
  },
};
