// Clear Chat State: forget a pending question or edit. Chat state is which draft or question the user's next message refers to.
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
