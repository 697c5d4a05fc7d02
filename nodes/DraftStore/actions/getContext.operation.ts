// Get Chat Context: what the user's next message refers to; creates the user on first contact.
import type { Operation } from '../../adapter/operation';
import type { IDataObject } from 'n8n-workflow';
import { asItem } from '../../adapter/description';
import { getChatContext } from '../../shared/draft/drafts';
import { userIdField } from './fields';

export const getContext: Operation = {
  value: 'getContext',
  name: 'Get Chat Context',
  action: 'Get the chat context of a user',
  description: 'Is a question or an edit pending? Creates the user on first contact.',
  properties: [
    userIdField,
    {
      displayName: 'Options',
      name: 'contextOptions',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      options: [
        { displayName: 'Telegram Chat ID', name: 'telegramChatId', type: 'string', default: '' },
        { displayName: 'Telegram User ID', name: 'telegramUserId', type: 'string', default: '' },
        { displayName: 'Display Name', name: 'displayName', type: 'string', default: '' },
        { displayName: 'Default Time Zone', name: 'defaultTimezone', type: 'string', default: 'UTC', description: 'IANA time zone given to a user seen for the first time' },
      ],
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const userId = this.getNodeParameter('userId', i);
    const options = this.getNodeParameter('contextOptions', i, {}) as IDataObject;
    return asItem(
      await getChatContext(store, {
        userId,
        telegramChatId: (options.telegramChatId as string) || null,
        telegramUserId: (options.telegramUserId as string) || null,
        displayName: (options.displayName as string) || null,
        defaultTimezone: (options.defaultTimezone as string) || null,
      }),
    );
  },
};
