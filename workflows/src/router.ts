// Workflow A: Inbound Router. Every Telegram update: parsed by the Command Queue node, checked
// cheaply, classified by Gemini and queued; button presses are answered at once, then queued.
import {
  type ButtonCommandPayload,
  type CommandType,
  DRAFTING_COMMAND_TYPES,
  EVENT_DRAFTING_COMMAND_TYPES,
  type IntentAuditDetails,
  type TextCommandPayload,
} from '../../nodes/shared/contracts';
import { BUTTON_TOASTS, ROUTER_REPLIES, STALE_BUTTON_TOAST } from '../../nodes/shared/messages/workflowReplies';
import type { ClassifyOutcome, EnqueueOutcome, LookupOutcome } from '../../nodes/shared/outcome';
import type { ParsedUpdate, UpdateKind } from '../../nodes/shared/telegram/update';
import {
  equals,
  executeWorkflow,
  expr,
  ifNode,
  isTrue,
  jsonObject,
  jsString,
  outcomeIs,
  switchNode,
  telegramAnswer,
  telegramSend,
  type Workflow,
  WorkflowBuilder,
} from './builder';
import { CREDENTIALS, IDS, NAMES } from './ids';
import { commandQueue, draftStore, geminiIntent } from './nodes';

/** Per-user rate limit: commands per minute before the user is asked to slow down (0 = none). */
const MAX_MESSAGES_PER_MINUTE = 20;

/** Any field of a parsed update, whatever its kind. */
type ParsedField = ParsedUpdate extends infer U ? (U extends unknown ? keyof U : never) : never;

export function buildRouter(): Workflow {
  const wf = new WorkflowBuilder(IDS.router, NAMES.router);
  const parsed = (field: ParsedField) => `$('Parse Update').item.json.${field}`;
  const chat = expr(parsed('chatId'));
  const kindIs = (kind: UpdateKind) => equals('={{ $json.kind }}', kind);

  wf.note(
    '## A · Inbound Router\nReceives every Telegram update. **Only the Telegram user IDs listed in the trigger\'s "Restrict to User IDs" can use the bot** (comma-separated; until you set it, the bot only tells people their ID).\n\n"Parse Update" (a Command Queue operation, no database) reads who sent what.\nText → idempotency check → chat context → Gemini intent → "Got it!" (for a draft: it becomes the card) → command queue → starts the executor at once.\nButtons → answered at once, then queued; the executor starts at once.',
    [-0.2, -1.5],
    [2.9, 1.2],
    4,
  );
  wf.add(
    'Telegram Trigger',
    'n8n-nodes-base.telegramTrigger',
    1.5,
    [0, 0],
    { updates: ['message', 'edited_message', 'callback_query'], additionalFields: { userIds: '' } },
    // No webhookId: it is the webhook's URL path, so it must differ per installation. `setup` gives
    // the trigger a random one; the n8n editor gives one to a trigger imported without it.
    { credentials: CREDENTIALS.telegram },
  );
  commandQueue(wf, 'Parse Update', [1, 0], {
    operation: 'parseUpdate',
    update: '={{ $json }}',
    // The trigger's allowlist: while it is empty, every update is "not set up".
    allowlist: "={{ $('Telegram Trigger').params.additionalFields?.userIds ?? '' }}",
  });
  switchNode(wf, 'Route Update', [2, 0], [
    ['Text', kindIs('text')],
    ['Button', kindIs('button')],
    ['Stale Button', kindIs('bad_button')],
    ['Not Text', kindIs('unsupported')],
    ['Edited', kindIs('edited')],
    ['Not Set Up', kindIs('not_configured')],
    ['Time Zone', kindIs('timezone')],
  ]);
  wf.chain('Telegram Trigger', 'Parse Update', 'Route Update');

  // Text messages
  wf.note(
    `### Text message\nThe idempotency check and the rate limit (${MAX_MESSAGES_PER_MINUTE} a minute): a repeat, a message too fast or too long gets a short answer. Then Gemini classifies the intent with the chat context (a pending edit or question). If Gemini is down the message is still queued, with the intent the context implies.`,
    [2.8, -1.5],
    [7.6, 0.75],
  );
  commandQueue(wf, 'Already Seen?', [3, 0], {
    operation: 'lookup',
    dedupeKey: '={{ $json.dedupeKey }}',
    rateLimit: { userId: '={{ $json.userId }}', maxPerMinute: MAX_MESSAGES_PER_MINUTE },
  });
  // Every message that gets here counts for the rate limit, also those refused below.
  switchNode(
    wf,
    'New Message?',
    [4, 0],
    [
      ['Duplicate', isTrue(expr(outcomeIs<LookupOutcome>('duplicate')))],
      ['Too Fast', isTrue(expr(outcomeIs<LookupOutcome>('rate_limited')))],
      ['Too Long', isTrue(expr(parsed('tooLong')))],
    ],
    'New',
  );
  draftStore(wf, 'Chat Context', [5, 0], {
    operation: 'getContext',
    userId: expr(parsed('userId')),
    contextOptions: {
      telegramChatId: chat,
      telegramUserId: expr(parsed('telegramUserId')),
      displayName: expr(parsed('displayName')),
      defaultTimezone: 'UTC',
    },
  });
  geminiIntent(wf, 'Classify Intent', [6, 0], {
    text: expr(parsed('text')),
    awaitingEdit: '={{ $json.awaitingEdit }}',
    pendingQuestion: '={{ $json.pendingQuestion }}',
    usageUserId: expr(parsed('userId')),
  });
  const context = "$('Chat Context').item.json";
  const intent = "$('Classify Intent').item.json";
  const type = (commandType: CommandType) => jsString(commandType);
  // Without an intent (Gemini down) the chat context says what the message must be.
  const commandType = `(${outcomeIs<ClassifyOutcome>('classified', intent)} ? ${intent}.commandType : (${context}.awaitingEdit ? ${type('revise_draft')} : ${context}.pendingQuestion ? ${type('answer_clarification')} : ${type('draft_task_from_text')}))`;
  // A draft gets its "Got it!" before it is queued, so the command carries the message that
  // Workflow D turns into the card (one bubble). A failed send only means a new card later.
  ifNode(wf, 'Drafting?', [7, 0], isTrue(expr(`${JSON.stringify([...DRAFTING_COMMAND_TYPES, ...EVENT_DRAFTING_COMMAND_TYPES])}.includes(${commandType})`)));
  telegramSend(wf, 'Reply: Got It', [8, -0.5], chat, ROUTER_REPLIES.gotIt, { node: { onError: 'continueRegularOutput' } });
  const ack = "$('Reply: Got It')";
  commandQueue(wf, 'Enqueue Command', [9, 0], {
    operation: 'enqueue',
    commandType: expr(commandType),
    userId: expr(parsed('userId')),
    dedupeKey: expr(parsed('dedupeKey')),
    payload: expr(
      jsonObject<TextCommandPayload>({
        text: parsed('text'),
        chatId: parsed('chatId'),
        messageId: parsed('messageId'),
        sentAt: parsed('sentAt'),
        timezone: `${context}.timezone`,
        // A typed /cancel cancels the draft being edited, else the user's open draft in this chat.
        // Only a revision refers to the draft being edited: a new request while an edit is
        // pending is its own draft and leaves that one (and its card) alone.
        draftId: `({ [${type('cancel_draft')}]: ${context}.draftId ?? ${context}.openDraftId, [${type('revise_draft')}]: ${context}.draftId }[${commandType}] ?? null)`,
        previousDraft: `(${commandType} === ${type('revise_draft')} ? (${context}.draft?.task ?? null) : null)`,
        previousDraftType: `(${commandType} === ${type('revise_draft')} ? (${context}.draft?.draftType ?? null) : null)`,
        previousMessageId: `(${commandType} === ${type('revise_draft')} ? (${context}.draft?.telegramMessageId ?? null) : null)`,
        ackMessageId: `(${ack}.isExecuted ? (${ack}.item.json.result?.message_id ?? null) : null)`,
        question: `${context}.question`,
        originalText: `${context}.originalText`,
        intent: `${intent}.intent ?? null`,
        parameters: `${intent}.parameters ?? null`,
        reply: `${intent}.reply ?? null`,
        intentFailure: `${intent}.failure?.userMessage ?? null`,
      }),
    ),
    options: {
      sourceMessageId: expr(parsed('messageId')),
      telegramChatId: chat,
      auditDetails: expr(
        jsonObject<IntentAuditDetails>({
          intent: `${intent}.intent`,
          confidence: `${intent}.confidence`,
          source: `${intent}.source`,
          usage: `${intent}.usage`,
          latencyMs: `${intent}.latencyMs`,
          model: `${intent}.model`,
          failure: `${intent}.failure?.kind`,
        }),
      ),
    },
  });
  switchNode(wf, 'After Enqueue', [10, 0], [['Duplicate', isTrue(expr(outcomeIs<EnqueueOutcome>('duplicate')))]], 'Queued');
  telegramSend(wf, 'Reply: Already Processing', [5, 0.8], chat, ROUTER_REPLIES.alreadyProcessing);
  telegramSend(wf, 'Reply: Slow Down', [6, 1.3], chat, ROUTER_REPLIES.slowDown);
  telegramSend(wf, 'Reply: Too Long', [7, 1.3], chat, ROUTER_REPLIES.tooLong);
  wf.connect('Route Update', 'Already Seen?', 0);
  wf.connect('Already Seen?', 'New Message?');
  wf.connect('New Message?', 'Reply: Already Processing', 0);
  wf.connect('New Message?', 'Reply: Slow Down', 1);
  wf.connect('New Message?', 'Reply: Too Long', 2);
  wf.connect('New Message?', 'Chat Context', 3);
  wf.chain('Chat Context', 'Classify Intent', 'Drafting?');
  wf.connect('Drafting?', 'Reply: Got It', 0);
  wf.connect('Drafting?', 'Enqueue Command', 1);
  wf.chain('Reply: Got It', 'Enqueue Command', 'After Enqueue');
  wf.connect('After Enqueue', 'Reply: Already Processing', 0);

  executeWorkflow(wf, 'Run Executor Now', [11, 0.9], IDS.executor, NAMES.executor, { wait: false, mode: 'once' });
  wf.connect('After Enqueue', 'Run Executor Now', 1);

  // Buttons
  wf.note(
    '### Button press\nAnswered at once (a toast) before any slow work, then queued as confirm / edit / cancel, and the executor started. No Gemini call.',
    [2.8, 2.05],
    [3.4, 0.45],
  );
  const toasts = Object.entries(BUTTON_TOASTS).map(([action, toast]) => `${action}: ${jsString(toast)}`);
  telegramAnswer(wf, 'Answer Button', [3, 2.7], '={{ $json.callbackQueryId }}', expr(`{ ${toasts.join(', ')} }[$json.action]`));
  commandQueue(wf, 'Enqueue Button', [4, 2.7], {
    operation: 'enqueue',
    commandType: expr(parsed('commandType')),
    userId: expr(parsed('userId')),
    dedupeKey: expr(parsed('dedupeKey')),
    payload: expr(
      jsonObject<ButtonCommandPayload>({
        draftId: parsed('draftId'),
        target: parsed('target'),
        chatId: parsed('chatId'),
        cardMessageId: parsed('cardMessageId'),
        callbackQueryId: parsed('callbackQueryId'),
      }),
    ),
    options: { telegramChatId: chat },
  });
  ifNode(wf, 'New Press?', [5, 2.7], isTrue(expr(outcomeIs<EnqueueOutcome>('queued'))));
  wf.connect('Route Update', 'Answer Button', 1);
  wf.chain('Answer Button', 'Enqueue Button', 'New Press?');
  wf.connect('New Press?', 'Run Executor Now', 0);

  // Everything else gets a short, clear answer
  wf.note(
    '### Anything else\nOld or malformed buttons, stickers/photos/voice, edited messages, the set-up hint, and `/timezone Europe/Berlin` (due dates like "tomorrow" are counted in the user\'s zone).',
    [2.8, 3.55],
    [3.4, 0.5],
  );
  telegramAnswer(wf, 'Answer: Stale Button', [3, 4.25], '={{ $json.callbackQueryId }}', STALE_BUTTON_TOAST);
  telegramSend(wf, 'Reply: Text Only', [3, 5.0], '={{ $json.chatId }}', ROUTER_REPLIES.textOnly);
  telegramSend(wf, 'Reply: Edited Message', [3, 5.75], '={{ $json.chatId }}', ROUTER_REPLIES.editedMessage);
  telegramSend(wf, 'Reply: Not Set Up', [3, 6.5], '={{ $json.chatId }}', `=${ROUTER_REPLIES.notSetUp('{{ $json.telegramUserId }}')}`);
  wf.connect('Route Update', 'Answer: Stale Button', 2);
  wf.connect('Route Update', 'Reply: Text Only', 3);
  wf.connect('Route Update', 'Reply: Edited Message', 4);
  wf.connect('Route Update', 'Reply: Not Set Up', 5);
  draftStore(wf, 'Set Time Zone', [3, 7.25], { operation: 'setTimezone', userId: '={{ $json.userId }}', timezone: '={{ $json.timezone }}' });
  telegramSend(wf, 'Reply: Time Zone', [4, 7.25], chat, '={{ $json.message }}');
  wf.connect('Route Update', 'Set Time Zone', 6);
  wf.connect('Set Time Zone', 'Reply: Time Zone');
  return wf.toJSON();
}
