import type { IDataObject } from 'n8n-workflow';
import { COMMAND_TYPES } from '../../shared/contracts';
import { enqueueCommand } from '../../shared/queue/commands';
import { enqueueOutcome } from '../../shared/outcome';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

function optionalJson(value: unknown): unknown {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export const enqueue: Operation = {
  value: 'enqueue',
  name: 'Enqueue',
  action: 'Enqueue a command',
  description: 'Add a command to the queue, once per idempotency key',
  properties: [
    {
      displayName: 'Command Type',
      name: 'commandType',
      type: 'options',
      options: COMMAND_TYPES.map((type) => ({ name: type, value: type })),
      default: 'draft_task_from_text',
      description: 'What the command executor should do with this command. Usually mapped from the Gemini Intent output.',
    },
    {
      displayName: 'User ID',
      name: 'userId',
      type: 'string',
      default: '={{ $json.userId }}',
      required: true,
      description: 'Who the command is for, e.g. telegram:123456789',
    },
    {
      displayName: 'Idempotency Key',
      name: 'dedupeKey',
      type: 'string',
      default: '={{ $json.dedupeKey }}',
      required: true,
      description:
        'The same key never creates a second command: a repeated delivery returns the first command with "duplicate: true". For Telegram use the bot and update_id.',
    },
    {
      displayName: 'Payload (JSON)',
      name: 'payload',
      type: 'json',
      default: '={{ JSON.stringify($json.payload ?? {}) }}',
      description: 'What the command needs to run, e.g. the message text and chat ID. At most 64 KB.',
    },
    {
      displayName: 'Options',
      name: 'options',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      options: [
        { displayName: 'Source Message ID', name: 'sourceMessageId', type: 'string', default: '', description: 'The Telegram message_id the command came from (audit trail)' },
        { displayName: 'Telegram Chat ID', name: 'telegramChatId', type: 'string', default: '', description: 'Remembered on the user so replies can reach them' },
        { displayName: 'Telegram User ID', name: 'telegramUserId', type: 'string', default: '' },
        { displayName: 'Display Name', name: 'displayName', type: 'string', default: '' },
        { displayName: 'Max Attempts', name: 'maxAttempts', type: 'number', default: 5, typeOptions: { minValue: 1, maxValue: 100 }, description: 'After this many failed attempts the command is dead' },
        { displayName: 'Delay (Seconds)', name: 'delaySeconds', type: 'number', default: 0, typeOptions: { minValue: 0 }, description: 'Do not run the command before this many seconds have passed' },
        { displayName: 'Audit Details (JSON)', name: 'auditDetails', type: 'json', default: '', description: 'Extra facts to record with the "command_created" audit row, e.g. the Gemini Intent token usage' },
      ],
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const options = this.getNodeParameter('options', i, {}) as IDataObject;
    const result = await enqueueCommand(store, {
      type: this.getNodeParameter('commandType', i),
      userId: this.getNodeParameter('userId', i),
      dedupeKey: this.getNodeParameter('dedupeKey', i),
      payload: this.getNodeParameter('payload', i, '{}'),
      sourceMessageId: (options.sourceMessageId as string) || null,
      maxAttempts: options.maxAttempts as number | undefined,
      delayMs: options.delaySeconds ? Number(options.delaySeconds) * 1000 : 0,
      user: {
        telegramChatId: (options.telegramChatId as string) || null,
        telegramUserId: (options.telegramUserId as string) || null,
        displayName: (options.displayName as string) || null,
      },
      auditDetails: optionalJson(options.auditDetails),
    });
    return { ...asItem(result.command), outcome: enqueueOutcome(result), duplicate: result.duplicate };
  },
};
