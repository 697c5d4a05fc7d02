// Chat state: which draft or question the user's next message refers to, and their time zone.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/store/db';
import { clearChatState, getChatContext, rememberQuestion } from '../../shared/draft/drafts';
import { renderQuestion } from '../../shared/telegram/draftCard';
import { timezoneSet } from '../../shared/messages/account';
import { changeTimezone } from '../../shared/users';
import { asItem } from '../../adapter/description';
import { userIdField } from './fields';

export const description: INodeProperties[] = [
  { ...userIdField, displayOptions: { show: { operation: ['getContext', 'rememberQuestion', 'clearChatState', 'setTimezone'] } } },
  {
    displayName: 'Time Zone',
    name: 'timezone',
    type: 'string',
    default: '={{ $json.timezone }}',
    required: true,
    description: 'IANA name, e.g. Europe/Berlin. Due dates such as "tomorrow" are counted in it.',
    displayOptions: { show: { operation: ['setTimezone'] } },
  },
  {
    displayName: 'Question',
    name: 'question',
    type: 'string',
    default: '={{ $json.clarification_question }}',
    required: true,
    description: 'The clarification question sent to the user',
    displayOptions: { show: { operation: ['rememberQuestion'] } },
  },
  {
    displayName: 'Original Request',
    name: 'originalText',
    type: 'string',
    default: '',
    description: 'The message the question is about; the planner gets it back with the answer',
    displayOptions: { show: { operation: ['rememberQuestion'] } },
  },
  {
    displayName: 'Options',
    name: 'contextOptions',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: { show: { operation: ['getContext'] } },
    options: [
      { displayName: 'Telegram Chat ID', name: 'telegramChatId', type: 'string', default: '' },
      { displayName: 'Telegram User ID', name: 'telegramUserId', type: 'string', default: '' },
      { displayName: 'Display Name', name: 'displayName', type: 'string', default: '' },
      { displayName: 'Default Time Zone', name: 'defaultTimezone', type: 'string', default: 'UTC', description: 'IANA time zone given to a user seen for the first time' },
    ],
  },
];

export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  const operation = this.getNodeParameter('operation', i) as string;
  const userId = this.getNodeParameter('userId', i);
  if (operation === 'rememberQuestion') {
    const context = await rememberQuestion(store, {
      userId,
      question: this.getNodeParameter('question', i),
      originalText: this.getNodeParameter('originalText', i, ''),
    });
    // The question as HTML, ready for a Telegram node.
    return { ...asItem(context), message: renderQuestion(context.question ?? '') };
  }
  if (operation === 'setTimezone') {
    const change = await changeTimezone(store, userId, this.getNodeParameter('timezone', i));
    if (!change.ok) return { ok: false, message: change.message };
    return { ok: true, timezone: change.user.timezone, message: timezoneSet(change.user.timezone) };
  }
  if (operation === 'clearChatState') {
    await clearChatState(store, userId);
    return { userId: String(userId), cleared: true };
  }
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
}
