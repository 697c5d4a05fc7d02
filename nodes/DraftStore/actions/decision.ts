// Confirm, Cancel and Edit are the user's button presses: each is a compare-and-set on a
// drafted draft, honoured only from the draft's own card (the chat and message the press came
// from must be the ones the draft was shown in). A lost race, a stale button or a press from
// elsewhere is a normal result (ok: false with the reason), not an error, so the workflow can
// answer the user kindly, in the draft's own chat, never in a chat an update merely names.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/store/db';
import type { PressedOn, DecisionResult } from '../../shared/draft/drafts';
import { InputError } from '../../shared/errors';
import { decisionRefusal } from '../../shared/messages/decisions';
import { draftItem } from './draftItem';
import { draftIdField, userIdField } from './fields';

/** The fields of every button press: whose draft, and the card the button was on. */
export const decisionFields: INodeProperties[] = [
  draftIdField,
  userIdField,
  {
    displayName: 'Card Chat ID',
    name: 'cardChatId',
    type: 'string',
    default: '={{ $json.payload.chatId }}',
    required: true,
    description: "The chat the button was pressed in (the callback's message.chat.id). A press from any chat but the draft's own is refused.",
  },
  {
    displayName: 'Card Message ID',
    name: 'cardMessageId',
    type: 'string',
    default: '={{ $json.payload.cardMessageId }}',
    description:
      "The message the button was on (the callback's message.message_id). A press from any message but the draft's card is refused. Required for Confirm and Edit; Cancel leaves it empty for a /cancel typed in the draft's chat.",
  },
];

/** The user's private chat: Telegram's private chat id is the user id ("telegram:<id>"). */
function privateChatOf(userId: unknown): string | null {
  return /^telegram:(\d+)$/.exec(String(userId))?.[1] ?? null;
}

function toItem(result: DecisionResult, userId: unknown): IDataObject {
  if (result.ok) {
    const draft = draftItem(result.draft);
    return { ok: true, outcome: result.outcome, draftId: result.draft.id, draft, card: draft.card, replyChatId: result.draft.chatId };
  }
  return {
    ok: false,
    outcome: result.outcome,
    reason: result.reason,
    currentStatus: result.currentStatus,
    message: decisionRefusal(result.reason),
    draftId: result.draft?.id ?? null,
    draft: result.draft ? draftItem(result.draft) : null,
    // Where to say so: the draft's own chat; with no draft of theirs to name, the user's private chat.
    replyChatId: result.draft?.chatId ?? privateChatOf(userId),
  };
}

type Decide = (store: Store, draftId: unknown, userId: unknown, pressedOn: PressedOn) => Promise<DecisionResult>;

/** One button press through `decide`; `messageRequired` is false only for Cancel (a typed /cancel has no card message). */
export async function pressButton(ctx: IExecuteFunctions, i: number, store: Store, decide: Decide, { messageRequired }: { messageRequired: boolean }): Promise<IDataObject> {
  const userId = ctx.getNodeParameter('userId', i);
  const chatId = String(ctx.getNodeParameter('cardChatId', i, '') ?? '').trim();
  const messageId = String(ctx.getNodeParameter('cardMessageId', i, '') ?? '').trim();
  if (!chatId) throw new InputError('Card Chat ID is empty', "Map it to the chat the button was pressed in (the callback's message.chat.id).");
  if (!messageId && messageRequired) {
    throw new InputError('Card Message ID is empty', "Map it to the message the button was on (the callback's message.message_id).");
  }
  const pressedOn = { chatId, messageId: messageId || null };
  return toItem(await decide(store, ctx.getNodeParameter('draftId', i), userId, pressedOn), userId);
}
