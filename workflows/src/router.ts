// Workflow A: Inbound Router. Every Telegram update: parsed by the Command Queue node, checked
// cheaply, classified by Gemini and queued; button presses are answered at once, then queued.
import {
  type ButtonCommandPayload,
  type CommandType,
  DRAFTING_COMMAND_TYPES,
  EVENT_DRAFTING_COMMAND_TYPES,
  type IntentAuditDetails,
  MEDIA_KINDS,
  type MediaKind,
  type MediaNote,
  type TextCommandPayload,
} from '../../nodes/shared/contracts';
import { mediaDownloadFailed, mediaTooBig } from '../../nodes/shared/messages/media';
import { BUTTON_TOASTS, ROUTER_REPLIES, STALE_BUTTON_TOAST } from '../../nodes/shared/messages/workflowReplies';
import type { ClassifyOutcome, EnqueueOutcome, LookupOutcome, ReadMediaOutcome } from '../../nodes/shared/outcome';
import type { ParsedUpdate, UpdateKind } from '../../nodes/shared/telegram/update';
import {
  equals,
  executeWorkflow,
  expr,
  ifNode,
  isTrue,
  jsonObject,
  jsString,
  objectLiteral,
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
    ['Voice or Photo', kindIs('media')],
  ]);
  wf.chain('Telegram Trigger', 'Parse Update', 'Route Update');
  /** A text per media kind, chosen by the parsed update's kind in an expression. */
  const perKind = (text: (kind: MediaKind) => string) =>
    expr(`{ ${MEDIA_KINDS.map((kind) => `${kind}: ${JSON.stringify(text(kind))}`).join(', ')} }[${parsed('media')}]`);

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
      // A voice note or photo larger than a bot may download, by the update's own file_size.
      ['Too Big', isTrue(expr(`${parsed('tooBig')} === true`))],
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
  const context = "$('Chat Context').item.json";
  // A voice note or photo: downloaded from Telegram, read by Gemini; from then on what Gemini
  // heard or read is the message text, and the card shows it.
  const readMedia = "$('Read Media')";
  const messageText = `(${readMedia}.isExecuted ? ${readMedia}.item.json.text : ${parsed('text')})`;
  wf.note(
    `### Voice note or photo\nDownloaded from Telegram (up to 20 MB, checked before downloading) and read by Gemini (Read Media): the transcript, or what the photo shows, becomes the message text and the card shows it (🎤 / 📷). Without Gemini, or when nothing is heard, the user is told and nothing is queued (a refused Gemini key also tells the owner, at most once an hour). The file is not stored.`,
    [5.2, -4.3],
    [8.6, 0.75],
  );
  ifNode(wf, 'Voice or Photo?', [5.5, 0], equals(expr(parsed('kind')), 'media'));
  wf.add(
    'Download File',
    'n8n-nodes-base.telegram',
    1.2,
    [5.5, -2.4],
    { resource: 'file', fileId: expr(parsed('fileId')), download: true, additionalFields: { mimeType: expr(parsed('mimeType')) } },
    // Telegram's refusal (the file is too big, or gone) becomes an answer to the user below.
    { credentials: CREDENTIALS.telegram, onError: 'continueRegularOutput' },
  );
  ifNode(wf, 'Downloaded?', [6.5, -2.4], isTrue(expr('!$json.error')));
  ifNode(wf, 'Too Big for Telegram?', [7.5, -3.1], isTrue(expr('/too big/i.test(String($json.error))')));
  telegramSend(wf, 'Reply: Download Failed', [8.5, -3.4], chat, perKind(mediaDownloadFailed));
  geminiIntent(wf, 'Read Media', [7.5, -2.4], {
    operation: 'readMedia',
    mediaKind: expr(parsed('media')),
    binaryPropertyName: 'data',
    mimeType: expr(parsed('mimeType')),
    caption: expr(parsed('caption')),
    languageCode: expr(parsed('languageCode')),
    usageUserId: expr(parsed('userId')),
  });
  ifNode(wf, 'Media Read?', [8.5, -2.4], isTrue(expr(outcomeIs<ReadMediaOutcome>('read'))));
  // Nothing heard, Gemini off or busy: the user hears why, and nothing is queued.
  telegramSend(wf, 'Reply: Media Not Read', [9.5, -2.7], chat, '={{ $json.reply }}');
  // Gemini refused the key or the model: after the user's reply the run fails with what to change,
  // so the Error Notifier tells the owner, at most once an hour (the same notice as Workflow B's).
  const mediaFailure = `${readMedia}.item.json.failure`;
  ifNode(wf, 'Tell the Owner?', [10.5, -2.7], isTrue(expr(`!!${mediaFailure}?.ownerMessage`)));
  commandQueue(wf, 'Owner Notice Due?', [11.5, -2.7], { operation: 'ownerNotice', noticeKey: expr(`${mediaFailure}.kind`), intervalMinutes: 60 });
  ifNode(wf, 'Notice Due?', [12.5, -2.7], isTrue('={{ $json.due === true }}'));
  wf.add('Stop: Tell the Owner', 'n8n-nodes-base.stopAndError', 1, [13.5, -2.7], {
    errorType: 'errorMessage',
    errorMessage: expr(`${mediaFailure}.ownerMessage + ($json.suppressed > 0 ? ' (' + $json.suppressed + ' more notices held back in the last hour.)' : '')`),
  });
  geminiIntent(wf, 'Classify Intent', [6, 0], {
    operation: 'classify',
    text: expr(messageText),
    awaitingEdit: expr(`${context}.awaitingEdit`),
    pendingQuestion: expr(`${context}.pendingQuestion`),
    usageUserId: expr(parsed('userId')),
  });
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
        text: messageText,
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
        media: `(${readMedia}.isExecuted ? ${objectLiteral<MediaNote>({ kind: parsed('media'), fileId: parsed('fileId'), summary: `${readMedia}.item.json.summary` })} : null)`,
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
          media: `(${readMedia}.isExecuted ? ${parsed('media')} : null)`,
        }),
      ),
    },
  });
  switchNode(wf, 'After Enqueue', [10, 0], [['Duplicate', isTrue(expr(outcomeIs<EnqueueOutcome>('duplicate')))]], 'Queued');
  telegramSend(wf, 'Reply: Already Processing', [5, 0.8], chat, ROUTER_REPLIES.alreadyProcessing);
  telegramSend(wf, 'Reply: Slow Down', [6, 1.3], chat, ROUTER_REPLIES.slowDown);
  telegramSend(wf, 'Reply: Too Long', [7, 1.3], chat, ROUTER_REPLIES.tooLong);
  telegramSend(wf, 'Reply: Too Big', [8, 1.3], chat, perKind(mediaTooBig));
  wf.connect('Route Update', 'Already Seen?', 0);
  wf.connect('Route Update', 'Already Seen?', 7);
  wf.connect('Already Seen?', 'New Message?');
  wf.connect('New Message?', 'Reply: Already Processing', 0);
  wf.connect('New Message?', 'Reply: Slow Down', 1);
  wf.connect('New Message?', 'Reply: Too Long', 2);
  wf.connect('New Message?', 'Reply: Too Big', 3);
  wf.connect('New Message?', 'Chat Context', 4);
  wf.chain('Chat Context', 'Voice or Photo?');
  wf.connect('Voice or Photo?', 'Download File', 0);
  wf.connect('Voice or Photo?', 'Classify Intent', 1);
  wf.chain('Download File', 'Downloaded?');
  wf.connect('Downloaded?', 'Read Media', 0);
  wf.connect('Downloaded?', 'Too Big for Telegram?', 1);
  wf.connect('Too Big for Telegram?', 'Reply: Too Big', 0);
  wf.connect('Too Big for Telegram?', 'Reply: Download Failed', 1);
  wf.chain('Read Media', 'Media Read?');
  wf.connect('Media Read?', 'Classify Intent', 0);
  wf.connect('Media Read?', 'Reply: Media Not Read', 1);
  wf.chain('Reply: Media Not Read', 'Tell the Owner?');
  wf.connect('Tell the Owner?', 'Owner Notice Due?', 0);
  wf.chain('Owner Notice Due?', 'Notice Due?');
  wf.connect('Notice Due?', 'Stop: Tell the Owner', 0);
  wf.chain('Classify Intent', 'Drafting?');
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
    '### Anything else\nOld or malformed buttons, stickers and videos, edited messages, the set-up hint, and `/timezone Europe/Berlin` (due dates like "tomorrow" are counted in the user\'s zone).',
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
