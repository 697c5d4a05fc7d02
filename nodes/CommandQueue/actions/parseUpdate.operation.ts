// Parse Telegram Update: Workflow A's first step, in the node (not a Code node, which n8n runs in
// its task runner: a round trip to another process for every message). Opens no database.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { parseTelegramUpdate, type TelegramUpdate } from '../../shared/telegram/update';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

function updateOf(ctx: IExecuteFunctions, i: number): TelegramUpdate {
  const value = ctx.getNodeParameter('update', i);
  let update = value;
  if (typeof value === 'string') {
    try {
      update = JSON.parse(value);
    } catch {
      throw new NodeOperationError(ctx.getNode(), 'The update is not JSON', { itemIndex: i });
    }
  }
  if (update === null || typeof update !== 'object' || Array.isArray(update)) {
    throw new NodeOperationError(ctx.getNode(), 'The update must be a Telegram update object', { itemIndex: i });
  }
  return update as TelegramUpdate;
}

export const parseUpdate: Operation = {
  value: 'parseUpdate',
  name: 'Parse Telegram Update',
  action: 'Parse a telegram update',
  description: 'Read a Telegram update: sender, chat, idempotency key, and whether it is a text, a voice note or photo (with its file and size), a button press or a command',
  properties: [
    {
      displayName: 'Update',
      name: 'update',
      type: 'json',
      default: '={{ $json }}',
      description: 'The Telegram update, as the Telegram Trigger outputs it',
    },
    {
      displayName: 'Allowed User IDs',
      name: 'allowlist',
      type: 'string',
      default: "={{ $('Telegram Trigger').params.additionalFields?.userIds ?? '' }}",
      description:
        'The Telegram Trigger\'s "Restrict to User IDs". While it is empty every update comes out as "not_configured", because the trigger then lets everyone in.',
    },
  ],
  needsStore: false,
  /** One item per update: its kind (text, media, button, timezone, …), the sender, chat and idempotency key. */
  async execute(i) {
    return asItem(
      parseTelegramUpdate(updateOf(this, i), {
        allowlist: String(this.getNodeParameter('allowlist', i, '') ?? ''),
        workflowId: String(this.getWorkflow().id ?? ''),
      }),
    );
  },
};
