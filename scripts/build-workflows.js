#!/usr/bin/env node
// Writes workflows/*.json: Workflows A, B, D, E and an error workflow, as n8n
// exports them. Generated so that ids, credential references, node positions and
// typeVersions stay consistent across the five files; the JSON is what users import and
// edit on the canvas. `npm run workflows` rewrites them; a test checks they are current.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const PACKAGE = 'n8n-nodes-draft-assistant';
const OUT_DIR = path.resolve(__dirname, '..', 'workflows');

/** Fixed workflow ids: Execute Workflow references survive import. */
const IDS = {
  router: 'draftAssistantA',
  executor: 'draftAssistantB',
  drafting: 'draftAssistantD',
  confirmation: 'draftAssistantE',
  errors: 'draftAssistantErr',
  ops: 'draftAssistantOps',
};

/** Credentials are referenced by type; after import the user picks theirs. */
const CREDENTIALS = {
  telegram: { telegramApi: { id: 'draftAssistantTelegram', name: 'Telegram Bot (Draft Assistant)' } },
  gemini: { googlePalmApi: { id: 'draftAssistantGemini', name: 'Google Gemini (Draft Assistant)' } },
  tasks: { googleTasksOAuth2Api: { id: 'draftAssistantGoogleTasks', name: 'Google Tasks (Draft Assistant)' } },
  database: { draftAssistantDatabase: { id: 'draftAssistantDatabase', name: 'Draft Assistant Database' } },
};

const DRAFTING_TYPES = ['draft_task_from_text', 'revise_draft', 'answer_clarification'];
/** Telegram's limit on a message's text, in characters. */
const TELEGRAM_TEXT_LIMIT = 4096;
const X = 240; // horizontal grid step
const Y = 200; // vertical grid step

function stableId(...parts) {
  const hash = crypto.createHash('sha256').update(parts.join('/')).digest('hex');
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

class WorkflowBuilder {
  constructor(id, name) {
    this.id = id;
    this.name = name;
    this.nodes = [];
    this.connections = {};
    this.notes = 0;
  }

  add(name, type, typeVersion, [col, row], parameters, extra = {}) {
    if (this.nodes.some((n) => n.name === name)) throw new Error(`${this.name}: duplicate node name ${name}`);
    this.nodes.push({ parameters, id: stableId(this.id, name), name, type, typeVersion, position: [col * X, row * Y], ...extra });
    return name;
  }

  connect(from, to, output = 0) {
    const outputs = (this.connections[from] ??= { main: [] }).main;
    while (outputs.length <= output) outputs.push([]);
    outputs[output].push({ node: to, type: 'main', index: 0 });
  }

  chain(...names) {
    for (let i = 1; i < names.length; i++) this.connect(names[i - 1], names[i]);
  }

  note(content, [col, row], [cols, rows], color = 7) {
    this.notes += 1;
    this.add(`Note ${this.notes}`, 'n8n-nodes-base.stickyNote', 1, [col, row], { content, height: rows * Y, width: cols * X, color });
  }

  toJSON(settings = {}) {
    return {
      id: this.id,
      name: this.name,
      nodes: this.nodes,
      connections: this.connections,
      active: false,
      settings: { executionOrder: 'v1', errorWorkflow: IDS.errors, ...settings },
      pinData: {},
      tags: [],
      meta: { templateCredsSetupCompleted: false },
    };
  }
}

// ---------------------------------------------------------------- node helpers

const custom = (node) => `${PACKAGE}.${node}`;

function condition(leftValue, operator, rightValue = '') {
  return { id: stableId('condition', leftValue, JSON.stringify(operator), String(rightValue)), leftValue, rightValue, operator };
}
const isTrue = (expression) => condition(expression, { type: 'boolean', operation: 'true', singleValue: true });
const equals = (expression, value) => condition(expression, { type: 'string', operation: 'equals' }, value);

function filter(...conditions) {
  return { options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 }, conditions, combinator: 'and' };
}

function ifNode(wf, name, position, ...conditions) {
  return wf.add(name, 'n8n-nodes-base.if', 2.2, position, { conditions: filter(...conditions), looseTypeValidation: true, options: {} });
}

/** Switch with one named output per rule, first match wins. */
function switchNode(wf, name, position, rules, fallback) {
  return wf.add(name, 'n8n-nodes-base.switch', 3.2, position, {
    rules: { values: rules.map(([outputKey, ...conditions]) => ({ conditions: filter(...conditions), renameOutput: true, outputKey })) },
    looseTypeValidation: true,
    options: fallback ? { fallbackOutput: 'extra', renameFallbackOutput: fallback } : {},
  });
}

function telegramSend(wf, name, position, chatId, text, extra = {}) {
  return wf.add(
    name,
    'n8n-nodes-base.telegram',
    1.2,
    position,
    { chatId, text, ...extra.parameters, additionalFields: { appendAttribution: false, parse_mode: 'HTML' } },
    { credentials: CREDENTIALS.telegram, ...extra.node },
  );
}

function telegramEdit(wf, name, position, chatId, messageId, text) {
  return wf.add(
    name,
    'n8n-nodes-base.telegram',
    1.2,
    position,
    { operation: 'editMessageText', chatId, messageId, text, additionalFields: { parse_mode: 'HTML' } },
    // The card may be gone (deleted by the user): that must not fail the command.
    { credentials: CREDENTIALS.telegram, onError: 'continueRegularOutput' },
  );
}

function setResult(wf, name, position, fields) {
  return wf.add(name, 'n8n-nodes-base.set', 3.4, position, {
    assignments: {
      assignments: Object.entries(fields).map(([field, [type, value]]) => ({ id: stableId(wf.id, name, field), name: field, value, type })),
    },
    options: {},
  });
}

function executeWorkflow(wf, name, position, workflowId, workflowName, { wait = true, mode = 'each' } = {}) {
  return wf.add(
    name,
    'n8n-nodes-base.executeWorkflow',
    1.2,
    position,
    {
      workflowId: { __rl: true, value: workflowId, mode: 'list', cachedResultName: workflowName },
      mode,
      options: wait ? {} : { waitForSubWorkflow: false },
    },
    // A sub-workflow that throws becomes an item with `error`, so the command is failed and retried, not left leased.
    wait ? { onError: 'continueRegularOutput' } : {},
  );
}

function subWorkflowTrigger(wf, name, position) {
  return wf.add(name, 'n8n-nodes-base.executeWorkflowTrigger', 1.1, position, { inputSource: 'passthrough' });
}

const NAMES = {
  router: 'Draft Assistant · A · Inbound Router',
  executor: 'Draft Assistant · B · Command Executor',
  drafting: 'Draft Assistant · D · Task Drafting',
  confirmation: 'Draft Assistant · E · Confirmation',
  errors: 'Draft Assistant · Error Notifier',
};

// ---------------------------------------------------------------- Workflow A: Inbound Router

const PARSE_UPDATE_CODE = `// Turns a Telegram update into what the assistant needs.
// Button data is "<confirm|edit|cancel>:<draft id>" (see the draft card in Workflow D).
const allowlist = String($('Telegram Trigger').params.additionalFields?.userIds ?? '').trim();
const commandForAction = { confirm: 'confirm_draft', edit: 'edit_draft', cancel: 'cancel_draft' };
// Telegram's own limit: only a forged or non-Telegram update carries more (counted in characters).
const MAX_TEXT_CHARACTERS = ${TELEGRAM_TEXT_LIMIT};

return $input.all().map(({ json: update }) => {
  const message = update.message ?? update.edited_message;
  const button = update.callback_query;
  const from = message?.from ?? button?.from ?? {};
  const base = {
    updateId: update.update_id,
    // One command per Telegram update: a repeated delivery finds this key taken.
    dedupeKey: \`telegram:\${$workflow.id}:\${update.update_id}\`,
    userId: \`telegram:\${from.id}\`,
    telegramUserId: String(from.id ?? ''),
    chatId: String(message?.chat?.id ?? button?.message?.chat?.id ?? from.id ?? ''),
    displayName: [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username || '',
  };
  // Without an allowlist the trigger lets everyone in: refuse to work until it is set.
  if (!allowlist) return { json: { ...base, kind: 'not_configured' } };
  if (button) {
    const match = /^(confirm|edit|cancel):(\\d{1,15})$/.exec(button.data ?? '');
    // A press counts only from its draft's card, so it must say which message it was on.
    const valid = match && button.message?.message_id !== undefined && button.message?.chat?.id !== undefined;
    return {
      json: {
        ...base,
        kind: valid ? 'button' : 'bad_button',
        callbackQueryId: button.id,
        action: match ? match[1] : null,
        commandType: match ? commandForAction[match[1]] : null,
        draftId: match ? Number(match[2]) : null,
        cardMessageId: button.message?.message_id ?? null,
      },
    };
  }
  if (update.edited_message) return { json: { ...base, kind: 'edited', messageId: message.message_id } };
  const timezone = /^\\/timezone(?:@\\w+)?(?:\\s+(\\S*))?\\s*$/i.exec(message?.text ?? '');
  if (timezone) return { json: { ...base, kind: 'timezone', messageId: message.message_id, timezone: timezone[1] ?? '' } };
  if (typeof message?.text === 'string' && message.text.trim() !== '') {
    return {
      json: {
        ...base,
        kind: 'text',
        messageId: message.message_id,
        text: message.text,
        tooLong: [...message.text].length > MAX_TEXT_CHARACTERS,
        // When the user sent it (unix seconds): "tomorrow" counts from here, however late it is drafted.
        sentAt: Number.isInteger(message.date) && message.date > 0 ? message.date : null,
      },
    };
  }
  return { json: { ...base, kind: 'unsupported', messageId: message?.message_id ?? null } };
});`;

function buildRouter() {
  const wf = new WorkflowBuilder(IDS.router, NAMES.router);
  const parsed = (field) => `$('Parse Update').item.json.${field}`;
  const chat = `={{ ${parsed('chatId')} }}`;

  wf.note(
    '## A · Inbound Router\nReceives every Telegram update. **Only the Telegram user IDs listed in the trigger\'s "Restrict to User IDs" can use the bot** (comma-separated; until you set it, the bot only tells people their ID).\n\nText → idempotency check → chat context → Gemini intent → command queue → "Got it!" → starts the executor at once.\nButtons → answered at once, then queued.',
    [-0.2, -1.5],
    [2.9, 0.9],
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
  wf.add('Parse Update', 'n8n-nodes-base.code', 2, [1, 0], { jsCode: PARSE_UPDATE_CODE });
  switchNode(wf, 'Route Update', [2, 0], [
    ['Text', equals('={{ $json.kind }}', 'text')],
    ['Button', equals('={{ $json.kind }}', 'button')],
    ['Stale Button', equals('={{ $json.kind }}', 'bad_button')],
    ['Not Text', equals('={{ $json.kind }}', 'unsupported')],
    ['Edited', equals('={{ $json.kind }}', 'edited')],
    ['Not Set Up', equals('={{ $json.kind }}', 'not_configured')],
    ['Time Zone', equals('={{ $json.kind }}', 'timezone')],
  ]);
  wf.chain('Telegram Trigger', 'Parse Update', 'Route Update');

  // Text messages
  wf.note('### Text message\nThe idempotency check, then Gemini classifies the intent with the chat context (a pending edit or question). If Gemini is down the message is still queued, with the intent the context implies.', [2.8, -1.5], [7.6, 0.75]);
  wf.add(
    'Already Seen?',
    custom('commandQueue'),
    1,
    [3, 0],
    // Per-user rate limit: commands per minute before the user is asked to slow down (0 = none).
    { operation: 'lookup', dedupeKey: '={{ $json.dedupeKey }}', rateLimit: { userId: '={{ $json.userId }}', maxPerMinute: 20 } },
    { credentials: CREDENTIALS.database },
  );
  // Every message that gets here counts for the rate limit, also those refused below.
  switchNode(
    wf,
    'New Message?',
    [4, 0],
    [['Duplicate', isTrue('={{ $json.found }}')], ['Too Fast', isTrue('={{ $json.rateLimited }}')], ['Too Long', isTrue(`={{ ${parsed('tooLong')} }}`)]],
    'New',
  );
  wf.add(
    'Chat Context',
    custom('draftStore'),
    1,
    [5, 0],
    {
      operation: 'getContext',
      userId: `={{ ${parsed('userId')} }}`,
      contextOptions: {
        telegramChatId: chat,
        telegramUserId: `={{ ${parsed('telegramUserId')} }}`,
        displayName: `={{ ${parsed('displayName')} }}`,
        defaultTimezone: 'UTC',
      },
    },
    { credentials: CREDENTIALS.database },
  );
  wf.add(
    'Classify Intent',
    custom('geminiIntent'),
    1,
    [6, 0],
    { text: `={{ ${parsed('text')} }}`, awaitingEdit: '={{ $json.awaitingEdit }}', pendingQuestion: '={{ $json.pendingQuestion }}' },
    { credentials: CREDENTIALS.gemini },
  );
  const context = "$('Chat Context').item.json";
  wf.add(
    'Enqueue Command',
    custom('commandQueue'),
    1,
    [7, 0],
    {
      operation: 'enqueue',
      commandType: `={{ $json.ok ? $json.commandType : (${context}.awaitingEdit ? 'revise_draft' : ${context}.pendingQuestion ? 'answer_clarification' : 'draft_task_from_text') }}`,
      userId: `={{ ${parsed('userId')} }}`,
      dedupeKey: `={{ ${parsed('dedupeKey')} }}`,
      payload: `={{ JSON.stringify({ text: ${parsed('text')}, chatId: ${parsed('chatId')}, messageId: ${parsed('messageId')}, sentAt: ${parsed('sentAt')}, timezone: ${context}.timezone, draftId: ${context}.draftId, previousDraft: ${context}.draft?.task ?? null, previousMessageId: ${context}.draft?.telegramMessageId ?? null, question: ${context}.question, originalText: ${context}.originalText, intent: $json.intent ?? null, parameters: $json.parameters ?? null, reply: $json.reply ?? null, intentFailure: $json.failure?.userMessage ?? null }) }}`,
      options: {
        sourceMessageId: `={{ ${parsed('messageId')} }}`,
        telegramChatId: chat,
        auditDetails: '={{ JSON.stringify({ intent: $json.intent, confidence: $json.confidence, source: $json.source, usage: $json.usage, latencyMs: $json.latencyMs, model: $json.model, failure: $json.failure?.kind }) }}',
      },
    },
    { credentials: CREDENTIALS.database },
  );
  switchNode(
    wf,
    'After Enqueue',
    [8, 0],
    [
      ['Duplicate', isTrue('={{ $json.duplicate }}')],
      ['Drafting', isTrue(`={{ ${JSON.stringify(DRAFTING_TYPES)}.includes($json.type) }}`)],
    ],
    'Other',
  );
  telegramSend(wf, 'Reply: Got It', [9, -0.5], chat, 'Got it! Working on it... ⚙️');
  telegramSend(wf, 'Reply: Already Processing', [5, 0.8], chat, 'Already processing this message ⏳');
  telegramSend(wf, 'Reply: Slow Down', [6, 1.3], chat, 'You are sending messages faster than I can draft them. Please wait a minute, then try again.');
  telegramSend(
    wf,
    'Reply: Too Long',
    [7, 1.3],
    chat,
    `That message is too long for me (more than ${TELEGRAM_TEXT_LIMIT} characters). Please send a shorter one.`,
  );
  wf.connect('Route Update', 'Already Seen?', 0);
  wf.connect('Already Seen?', 'New Message?');
  wf.connect('New Message?', 'Reply: Already Processing', 0);
  wf.connect('New Message?', 'Reply: Slow Down', 1);
  wf.connect('New Message?', 'Reply: Too Long', 2);
  wf.connect('New Message?', 'Chat Context', 3);
  wf.chain('Chat Context', 'Classify Intent', 'Enqueue Command', 'After Enqueue');
  wf.connect('After Enqueue', 'Reply: Already Processing', 0);
  wf.connect('After Enqueue', 'Reply: Got It', 1);

  executeWorkflow(wf, 'Run Executor Now', [10, 0.9], IDS.executor, NAMES.executor, { wait: false, mode: 'once' });
  wf.connect('Reply: Got It', 'Run Executor Now');
  wf.connect('After Enqueue', 'Run Executor Now', 2);

  // Buttons
  wf.note('### Button press\nAnswered at once (a toast) before any slow work, then queued as confirm / edit / cancel. No Gemini call.', [2.8, 2.05], [3.4, 0.45]);
  wf.add(
    'Answer Button',
    'n8n-nodes-base.telegram',
    1.2,
    [3, 2.7],
    {
      resource: 'callback',
      operation: 'answerQuery',
      queryId: '={{ $json.callbackQueryId }}',
      additionalFields: { text: "={{ { confirm: 'Creating the task…', edit: 'Tell me what to change', cancel: 'Cancelling…' }[$json.action] }}" },
    },
    // Telegram refuses a second answer to the same press (a re-delivered update): not a reason to lose the command.
    { credentials: CREDENTIALS.telegram, onError: 'continueRegularOutput' },
  );
  wf.add(
    'Enqueue Button',
    custom('commandQueue'),
    1,
    [4, 2.7],
    {
      operation: 'enqueue',
      commandType: `={{ ${parsed('commandType')} }}`,
      userId: `={{ ${parsed('userId')} }}`,
      dedupeKey: `={{ ${parsed('dedupeKey')} }}`,
      payload: `={{ JSON.stringify({ draftId: ${parsed('draftId')}, chatId: ${parsed('chatId')}, cardMessageId: ${parsed('cardMessageId')}, callbackQueryId: ${parsed('callbackQueryId')} }) }}`,
      options: { telegramChatId: chat },
    },
    { credentials: CREDENTIALS.database },
  );
  ifNode(wf, 'New Press?', [5, 2.7], condition('={{ $json.duplicate }}', { type: 'boolean', operation: 'false', singleValue: true }));
  wf.connect('Route Update', 'Answer Button', 1);
  wf.chain('Answer Button', 'Enqueue Button', 'New Press?');
  wf.connect('New Press?', 'Run Executor Now', 0);

  // Everything else gets a short, clear answer
  wf.note('### Anything else\nOld or malformed buttons, stickers/photos/voice, edited messages, the set-up hint, and `/timezone Europe/Berlin` (due dates like "tomorrow" are counted in the user\'s zone).', [2.8, 3.55], [3.4, 0.5]);
  wf.add(
    'Answer: Stale Button',
    'n8n-nodes-base.telegram',
    1.2,
    [3, 4.25],
    { resource: 'callback', operation: 'answerQuery', queryId: '={{ $json.callbackQueryId }}', additionalFields: { text: 'This button is no longer valid.' } },
    { credentials: CREDENTIALS.telegram, onError: 'continueRegularOutput' },
  );
  telegramSend(wf, 'Reply: Text Only', [3, 5.0], '={{ $json.chatId }}', 'I can only read text for now. Tell me a task in words, e.g. "buy milk tomorrow".');
  telegramSend(
    wf,
    'Reply: Edited Message',
    [3, 5.75],
    '={{ $json.chatId }}',
    'I saw you edited a message. I only work with new messages: send it again if you want a new draft.',
  );
  telegramSend(
    wf,
    'Reply: Not Set Up',
    [3, 6.5],
    '={{ $json.chatId }}',
    '=This assistant is not set up yet. Your Telegram user ID is <code>{{ $json.telegramUserId }}</code>: add it to "Restrict to User IDs" of the Telegram Trigger in workflow A, then publish it again.',
  );
  wf.connect('Route Update', 'Answer: Stale Button', 2);
  wf.connect('Route Update', 'Reply: Text Only', 3);
  wf.connect('Route Update', 'Reply: Edited Message', 4);
  wf.connect('Route Update', 'Reply: Not Set Up', 5);
  wf.add(
    'Set Time Zone',
    custom('draftStore'),
    1,
    [3, 7.25],
    { operation: 'setTimezone', userId: '={{ $json.userId }}', timezone: '={{ $json.timezone }}' },
    { credentials: CREDENTIALS.database },
  );
  telegramSend(wf, 'Reply: Time Zone', [4, 7.25], `={{ ${parsed('chatId')} }}`, '={{ $json.message }}');
  wf.connect('Route Update', 'Set Time Zone', 6);
  wf.connect('Set Time Zone', 'Reply: Time Zone');
  return wf.toJSON();
}

// ---------------------------------------------------------------- Workflow B: Command Executor

/** Workflow B's command lease, renewed every third of it while the commands run. */
const CLAIM_LEASE_SECONDS = 60;

function buildExecutor() {
  const wf = new WorkflowBuilder(IDS.executor, NAMES.executor);
  const claimed = "$('Claim Commands').item.json";
  wf.note(
    '## B · Command Executor\nClaims the command the router just queued (at once when it calls), or up to 3 ready ones every 10 s as a safety net, each under a 60 s lease that is renewed while it runs; routes each by type, then completes it or fails it. Retryable failures come back with backoff; a dead command, or a long wait such as an exhausted Gemini quota, is told to the user once. A confirmed draft whose command dies is given back (drafted, buttons working). A Gemini setup error (refused key, model gone) keeps the message waiting without using its attempts, and fails this run at most once an hour so the Error Notifier tells you what to change.',
    [-0.2, -1.5],
    [4.6, 0.85],
    4,
  );
  wf.add('Every 10 Seconds', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, -0.2], { rule: { interval: [{ field: 'seconds', secondsInterval: 10 }] } });
  subWorkflowTrigger(wf, 'When Called by Router', [0, 0.8]);
  wf.add(
    'Claim Commands',
    custom('commandQueue'),
    1,
    [1, 0.3],
    // A router call takes the one command it just queued; the 10 s poll drains a backlog a few at a
    // time. The commands run one after another, and with Gemini's and Google's retries that can
    // take far longer than any lease: so the lease is renewed while this n8n runs them (up to
    // their worst case, nodes/shared/queue/commandBudget.ts; test/commandBudget.test.ts checks it), and
    // is short, so that the commands of an n8n that stopped are taken over a minute later.
    {
      operation: 'claim',
      limit: "={{ $('Every 10 Seconds').isExecuted ? 3 : 1 }}",
      leaseSeconds: CLAIM_LEASE_SECONDS,
      renewWhileRunning: true,
    },
    { credentials: CREDENTIALS.database },
  );
  wf.connect('Every 10 Seconds', 'Claim Commands');
  wf.connect('When Called by Router', 'Claim Commands');
  switchNode(wf, 'Route by Type', [2, 0.3], [
    ['Draft', isTrue(`={{ ${JSON.stringify(DRAFTING_TYPES)}.includes($json.type) }}`)],
    ['Decision', isTrue("={{ ['confirm_draft', 'cancel_draft', 'edit_draft'].includes($json.type) }}")],
    ['Reply', isTrue("={{ ['help', 'unknown'].includes($json.type) }}")],
  ]);
  wf.connect('Claim Commands', 'Route by Type');
  executeWorkflow(wf, 'Run Task Drafting (D)', [3, -0.4], IDS.drafting, NAMES.drafting);
  executeWorkflow(wf, 'Run Confirmation (E)', [3, 0.3], IDS.confirmation, NAMES.confirmation);
  telegramSend(
    wf,
    'Send Reply',
    [3, 1.0],
    '={{ $json.payload.chatId }}',
    '={{ $json.payload.reply || "Sorry, I did not get that. Tell me a task, for example: buy milk tomorrow." }}',
    { node: { onError: 'continueRegularOutput' } },
  );
  setResult(wf, 'Reply Sent', [4, 1.0], { ok: ['boolean', '={{ !$json.error }}'], failure: ['object', '={{ $json.error ? { kind: "telegram", retryable: true, message: $json.error, userMessage: "" } : null }}'] });
  wf.connect('Route by Type', 'Run Task Drafting (D)', 0);
  wf.connect('Route by Type', 'Run Confirmation (E)', 1);
  wf.connect('Route by Type', 'Send Reply', 2);
  wf.connect('Send Reply', 'Reply Sent');

  ifNode(wf, 'Succeeded?', [5, 0.3], isTrue('={{ $json.ok === true }}'));
  wf.connect('Run Task Drafting (D)', 'Succeeded?');
  wf.connect('Run Confirmation (E)', 'Succeeded?');
  wf.connect('Reply Sent', 'Succeeded?');
  wf.add(
    'Complete Command',
    custom('commandQueue'),
    1,
    [6, 0],
    { operation: 'complete', commandId: `={{ ${claimed}.id }}`, leaseToken: `={{ ${claimed}.leaseToken }}`, result: '={{ JSON.stringify($json.result ?? {}) }}' },
    { credentials: CREDENTIALS.database },
  );
  wf.add(
    'Fail Command',
    custom('commandQueue'),
    1,
    [6, 0.8],
    {
      operation: 'fail',
      commandId: `={{ ${claimed}.id }}`,
      leaseToken: `={{ ${claimed}.leaseToken }}`,
      error: '={{ $json.failure?.message ?? $json.error ?? "The sub-workflow returned no result" }}',
      retryable: '={{ $json.failure ? $json.failure.retryable : true }}',
      retryAfterSeconds: '={{ ($json.failure?.retryAfterMs ?? 0) / 1000 }}',
      // A setup error (Gemini refuses the key or the model) waits without using up the command's attempts.
      keepAttempt: '={{ $json.failure?.keepsAttempt === true }}',
    },
    { credentials: CREDENTIALS.database },
  );
  wf.connect('Succeeded?', 'Complete Command', 0);
  wf.connect('Succeeded?', 'Fail Command', 1);

  const failed = "$('Fail Command').item.json";
  const failure = "$('Succeeded?').item.json.failure";
  // A confirmed draft whose command is dead would stay confirmed forever (it can no longer be edited
  // or cancelled): it goes back to drafted, and its card, which still has its buttons, works again.
  ifNode(
    wf,
    'Give the Draft Back?',
    [7, 0.8],
    isTrue(`={{ $json.applied && $json.status === 'dead' && ${claimed}.type === 'confirm_draft' && !!${claimed}.payload.draftId }}`),
  );
  wf.add(
    'Reopen Draft',
    custom('draftStore'),
    1,
    [8, 0.55],
    { operation: 'reopen', draftId: `={{ ${claimed}.payload.draftId }}`, userId: `={{ ${claimed}.userId }}`, reason: `={{ ${failed}.lastError ?? '' }}` },
    { credentials: CREDENTIALS.database, onError: 'continueRegularOutput' },
  );
  // Told once: when the command is dead, or will wait a minute or more; a command waiting for the
  // owner to fix the setup is told on its first wait only, not on every retry.
  ifNode(
    wf,
    'Tell the User?',
    [9, 0.8],
    isTrue(
      `={{ ${failed}.applied && (${failed}.status === 'dead' || ((${failure}?.retryAfterMs ?? 0) >= 60000 && !(${failure}?.keepsAttempt && ${claimed}.lastError === ${failure}?.message))) }}`,
    ),
  );
  telegramSend(
    wf,
    'Tell User: Failed',
    [10, 0.7],
    `={{ ${claimed}.payload.chatId }}`,
    `={{ (${failure}?.userMessage || (${failed}.status === 'dead' ? 'Sorry, I could not finish this after several tries. Please send it again later.' : 'This is taking longer than usual; I will keep trying.')) + ($json.reopened === true ? ' The draft is open again: tap ✅ Confirm to try once more, ✏️ Edit to change it, or ❌ Cancel.' : '') }}`,
    { node: { onError: 'continueRegularOutput' } },
  );
  wf.chain('Fail Command', 'Give the Draft Back?');
  wf.connect('Give the Draft Back?', 'Reopen Draft', 0);
  wf.connect('Give the Draft Back?', 'Tell the User?', 1);
  wf.connect('Reopen Draft', 'Tell the User?');
  wf.connect('Tell the User?', 'Tell User: Failed', 0);

  // The owner hears of a setup error through the Error Notifier: this run fails with what to change,
  // at most once an hour however many messages hit it. Placed below the user's branch, which n8n
  // runs first, so everyone is told before the run stops.
  ifNode(wf, 'Tell the Owner?', [7, 1.6], isTrue(`={{ $json.applied && !!${failure}?.ownerMessage }}`));
  wf.add(
    'Owner Notice Due?',
    custom('commandQueue'),
    1,
    [8, 1.6],
    { operation: 'ownerNotice', noticeKey: `={{ ${failure}.kind }}`, intervalMinutes: 60 },
    { credentials: CREDENTIALS.database },
  );
  ifNode(wf, 'Notice Due?', [9, 1.6], isTrue('={{ $json.due === true }}'));
  wf.add('Stop: Tell the Owner', 'n8n-nodes-base.stopAndError', 1, [10, 1.6], {
    errorType: 'errorMessage',
    errorMessage: `={{ ${failure}.ownerMessage + ($json.suppressed > 0 ? ' (' + $json.suppressed + ' more notices held back in the last hour.)' : '') }}`,
  });
  wf.connect('Fail Command', 'Tell the Owner?');
  wf.connect('Tell the Owner?', 'Owner Notice Due?', 0);
  wf.chain('Owner Notice Due?', 'Notice Due?');
  wf.connect('Notice Due?', 'Stop: Tell the Owner', 0);
  // Empty polls every 10 s would flood the execution list; failures are still kept.
  return wf.toJSON({ saveDataSuccessExecution: 'none' });
}

// ---------------------------------------------------------------- Workflow D: Task Drafting

function buildDrafting() {
  const wf = new WorkflowBuilder(IDS.drafting, NAMES.drafting);
  const command = "$('When Called by Executor').item.json";
  const chat = `={{ ${command}.payload.chatId }}`;
  wf.note(
    '## D · Task Drafting\nGemini structures the task (title, due date and why, notes, suggested subtasks), or asks one clarifying question. The draft is stored, then shown with ✅ Confirm / ✏️ Edit / ❌ Cancel. Nothing is created here.',
    [-0.2, -1.5],
    [3.4, 0.8],
    4,
  );
  subWorkflowTrigger(wf, 'When Called by Executor', [0, 0]);
  wf.add(
    'Plan Task',
    custom('geminiPlanner'),
    1,
    [1, 0],
    {
      mode: "={{ { revise_draft: 'revise', answer_clarification: 'answer' }[$json.type] ?? 'create' }}",
      text: '={{ $json.payload.text }}',
      referenceTime: "={{ $json.payload.sentAt ?? '' }}",
      timezone: "={{ $json.payload.timezone || 'UTC' }}",
      previousDraft: '={{ JSON.stringify($json.payload.previousDraft ?? null) }}',
      question: "={{ $json.payload.question ?? '' }}",
      originalText: "={{ $json.payload.originalText ?? '' }}",
    },
    { credentials: CREDENTIALS.gemini },
  );
  ifNode(wf, 'Planned?', [2, 0], isTrue('={{ $json.ok === true }}'));
  setResult(wf, 'Result: Planning Failed', [3, 1.0], { ok: ['boolean', '={{ false }}'], failure: ['object', '={{ $json.failure }}'] });
  ifNode(wf, 'Needs Clarification?', [3, 0], isTrue('={{ $json.clarification_needed === true }}'));
  wf.chain('When Called by Executor', 'Plan Task', 'Planned?');
  wf.connect('Planned?', 'Needs Clarification?', 0);
  wf.connect('Planned?', 'Result: Planning Failed', 1);

  wf.note('### Clarification\nRemembered first, so the answer finds its question.', [3.8, -1.5], [3.2, 0.5]);
  wf.add(
    'Remember Question',
    custom('draftStore'),
    1,
    [4, -0.8],
    {
      operation: 'rememberQuestion',
      userId: `={{ ${command}.userId }}`,
      question: '={{ $json.clarification_question }}',
      originalText: `={{ ${command}.payload.originalText || ${command}.payload.text }}`,
    },
    { credentials: CREDENTIALS.database },
  );
  telegramSend(wf, 'Send Question', [5, -0.8], chat, '={{ $json.message }}');
  setResult(wf, 'Result: Question Asked', [6, -0.8], { ok: ['boolean', '={{ true }}'], result: ['object', "={{ { asked: $('Remember Question').item.json.question } }}"] });
  wf.connect('Needs Clarification?', 'Remember Question', 0);
  wf.chain('Remember Question', 'Send Question', 'Result: Question Asked');

  wf.note('### Draft\nStored as "drafted", shown as a card whose buttons carry the draft id. An edit retires the card it replaces.', [3.8, 0.35], [6.6, 0.45]);
  wf.add(
    'Save Draft',
    custom('draftStore'),
    1,
    [4, 1.0],
    {
      operation: 'create',
      userId: `={{ ${command}.userId }}`,
      task: '={{ JSON.stringify($json.draft) }}',
      options: {
        chatId: chat,
        commandId: `={{ ${command}.id }}`,
        sourceMessageId: `={{ ${command}.payload.messageId }}`,
        supersedesId: `={{ ${command}.payload.draftId ?? 0 }}`,
        auditDetails: '={{ JSON.stringify({ source: $json.source, usage: $json.usage, latencyMs: $json.latencyMs, model: $json.model, repaired: $json.repaired }) }}',
      },
    },
    { credentials: CREDENTIALS.database },
  );
  telegramSend(wf, 'Send Draft', [6, 1.0], chat, '={{ $json.card.text }}', {
    parameters: {
      replyMarkup: 'inlineKeyboard',
      inlineKeyboard: {
        rows: [
          {
            row: {
              buttons: [
                { text: '✅ Confirm', additionalFields: { callback_data: '={{ $json.card.confirmData }}' } },
                { text: '✏️ Edit', additionalFields: { callback_data: '={{ $json.card.editData }}' } },
                { text: '❌ Cancel', additionalFields: { callback_data: '={{ $json.card.cancelData }}' } },
              ],
            },
          },
        ],
      },
    },
  });
  wf.add(
    'Remember Card',
    custom('draftStore'),
    1,
    [7, 1.0],
    { operation: 'attachMessage', draftId: "={{ $('Save Draft').item.json.id }}", userId: `={{ ${command}.userId }}`, messageId: '={{ $json.result.message_id }}' },
    { credentials: CREDENTIALS.database },
  );
  ifNode(wf, 'Replaced a Draft?', [8, 1.0], condition(`={{ ${command}.payload.previousMessageId }}`, { type: 'string', operation: 'exists', singleValue: true }));
  telegramEdit(wf, 'Retire Old Card', [9, 1.6], chat, `={{ ${command}.payload.previousMessageId }}`, '✏️ Replaced by the new draft below.');
  setResult(wf, 'Result: Draft Sent', [10, 1.0], { ok: ['boolean', '={{ true }}'], result: ['object', "={{ { draftId: $('Save Draft').item.json.id } }}"] });
  // A command that ran twice finds its draft already made and shown: nothing is sent again.
  ifNode(wf, 'Card Already Sent?', [5, 1.0], isTrue('={{ $json.existing === true && !!$json.telegramMessageId }}'));
  wf.connect('Needs Clarification?', 'Save Draft', 1);
  wf.connect('Save Draft', 'Card Already Sent?');
  wf.connect('Card Already Sent?', 'Result: Draft Sent', 0);
  wf.connect('Card Already Sent?', 'Send Draft', 1);
  wf.chain('Send Draft', 'Remember Card', 'Replaced a Draft?');
  wf.connect('Replaced a Draft?', 'Retire Old Card', 0);
  wf.connect('Replaced a Draft?', 'Result: Draft Sent', 1);
  wf.connect('Retire Old Card', 'Result: Draft Sent');
  return wf.toJSON();
}

// ---------------------------------------------------------------- Workflow E: Confirmation

function buildConfirmation() {
  const wf = new WorkflowBuilder(IDS.confirmation, NAMES.confirmation);
  const command = "$('When Called by Executor').item.json";
  const chat = `={{ ${command}.payload.chatId }}`;
  const user = `={{ ${command}.userId }}`;
  const draftId = `={{ ${command}.payload.draftId }}`;
  // Where the press came from: a press counts only from the draft's own card.
  const pressedOn = { cardChatId: chat, cardMessageId: `={{ ${command}.payload.cardMessageId ?? '' }}` };
  wf.note(
    '## E · Confirmation\nOnly a ✅ Confirm creates anything. Confirm is a compare-and-set: of a double tap, or a Confirm racing a Cancel, exactly one wins. The Task Executor creates the task and its subtasks exactly once, even across crashes and retries.',
    [-0.2, -1.5],
    [4.6, 0.8],
    4,
  );
  subWorkflowTrigger(wf, 'When Called by Executor', [0, 1]);
  switchNode(wf, 'Route by Decision', [1, 1], [
    ['Confirm', equals('={{ $json.type }}', 'confirm_draft')],
    ['Cancel', equals('={{ $json.type }}', 'cancel_draft')],
    ['Edit', equals('={{ $json.type }}', 'edit_draft')],
  ]);
  wf.connect('When Called by Executor', 'Route by Decision');

  // Confirm
  wf.add('Confirm Draft', custom('draftStore'), 1, [2, 0], { operation: 'confirm', draftId, userId: user, ...pressedOn }, { credentials: CREDENTIALS.database });
  switchNode(
    wf,
    'Confirm Outcome',
    [3, 0],
    [
      // Already confirmed: by this command's earlier attempt, by a second tap, or by a tap whose command
      // gave up. The Task Executor resumes or reports what exists; it never creates twice.
      ['Create', isTrue(`={{ $json.ok || $json.reason === 'confirmed' || ($json.reason === 'executed' && ${command}.attempts > 1) }}`)],
      ['Double Tap', equals('={{ $json.reason }}', 'executed')],
    ],
    'Refused',
  );
  wf.add(
    'Create Google Task',
    custom('taskExecutor'),
    1,
    [4, -0.2],
    { operation: 'executeDraft', draftId, userId: user, taskListId: '@default' },
    { credentials: { ...CREDENTIALS.database, ...CREDENTIALS.tasks } },
  );
  ifNode(wf, 'Created?', [5, -0.2], isTrue('={{ $json.ok === true }}'));
  // A second tap waits for the first and finds the task made: only the first tells the user.
  ifNode(wf, 'News for the User?', [6, -0.6], isTrue(`={{ !$json.alreadyExecuted || ${command}.attempts > 1 }}`));
  wf.add('Get Draft', custom('draftStore'), 1, [7, -0.6], { operation: 'get', draftId, userId: user }, { credentials: CREDENTIALS.database });
  telegramSend(wf, 'Send Success', [8, -0.6], chat, '={{ $json.card.statusText }}');
  telegramEdit(wf, 'Remove Buttons', [9, -0.6], chat, "={{ $('Get Draft').item.json.telegramMessageId }}", "={{ $('Get Draft').item.json.card.text }}");
  setResult(wf, 'Result: Task Created', [10, -0.6], {
    ok: ['boolean', '={{ true }}'],
    result: ['object', "={{ { draftId: $('Get Draft').item.json.id, taskId: $('Create Google Task').item.json.task?.id } }}"],
  });
  setResult(wf, 'Result: Task Failed', [6.5, 0.4], { ok: ['boolean', '={{ false }}'], failure: ['object', '={{ $json.failure }}'] });
  setResult(wf, 'Result: Already Handled', [4.5, 0.9], { ok: ['boolean', '={{ true }}'], result: ['object', '={{ { ignored: $json.reason } }}'] });
  wf.connect('Route by Decision', 'Confirm Draft', 0);
  wf.connect('Confirm Draft', 'Confirm Outcome');
  wf.connect('Confirm Outcome', 'Create Google Task', 0);
  wf.connect('Confirm Outcome', 'Result: Already Handled', 1);
  wf.connect('Create Google Task', 'Created?');
  wf.connect('Created?', 'News for the User?', 0);
  wf.connect('News for the User?', 'Get Draft', 0);
  wf.connect('News for the User?', 'Result: Already Handled', 1);
  wf.connect('Created?', 'Result: Task Failed', 1);
  wf.chain('Get Draft', 'Send Success', 'Remove Buttons', 'Result: Task Created');

  // Refusals (another user's draft, a cancelled or replaced one) are told; a double tap is not.
  // Told in the draft's own chat (or the presser's private chat), never in a chat the update names.
  telegramSend(wf, 'Tell User: Refused', [8, 1.5], '={{ $json.replyChatId }}', '={{ $json.message }}');
  setResult(wf, 'Result: Refused', [9, 1.5], { ok: ['boolean', '={{ true }}'], result: ['object', '={{ { refused: true } }}'] });
  wf.connect('Confirm Outcome', 'Tell User: Refused', 2);
  wf.connect('Tell User: Refused', 'Result: Refused');

  // Cancel
  wf.note('### Cancel / Edit\nCancel marks the draft cancelled and removes its buttons. Edit asks what to change; the next message becomes a revised draft that replaces this one.', [1.8, 2.0], [4.4, 0.45]);
  ifNode(wf, 'Which Draft?', [2, 2.6], condition(draftId, { type: 'number', operation: 'exists', singleValue: true }));
  wf.add('Cancel Draft', custom('draftStore'), 1, [3, 2.6], { operation: 'cancel', draftId, userId: user, ...pressedOn }, { credentials: CREDENTIALS.database });
  switchNode(wf, 'Cancel Outcome', [4, 2.6], [['Cancelled', isTrue('={{ $json.ok }}')], ['Double Tap', equals('={{ $json.reason }}', 'cancelled')]], 'Refused');
  telegramEdit(wf, 'Show Cancelled', [5, 2.5], chat, '={{ $json.draft.telegramMessageId }}', '={{ $json.card.text }}');
  setResult(wf, 'Result: Cancelled', [6, 2.5], { ok: ['boolean', '={{ true }}'], result: ['object', "={{ { cancelled: $('Cancel Draft').item.json.draftId } }}"] });
  wf.add('Forget Pending', custom('draftStore'), 1, [3, 3.4], { operation: 'clearChatState', userId: user }, { credentials: CREDENTIALS.database });
  telegramSend(wf, 'Tell User: Dropped', [4, 3.4], chat, 'Okay, I dropped that. To cancel a draft, tap ❌ Cancel under it.');
  setResult(wf, 'Result: Dropped', [5, 3.4], { ok: ['boolean', '={{ true }}'], result: ['object', '={{ { dropped: true } }}'] });
  wf.connect('Route by Decision', 'Which Draft?', 1);
  wf.connect('Which Draft?', 'Cancel Draft', 0);
  wf.connect('Which Draft?', 'Forget Pending', 1);
  wf.connect('Cancel Draft', 'Cancel Outcome');
  wf.connect('Cancel Outcome', 'Show Cancelled', 0);
  wf.connect('Cancel Outcome', 'Result: Already Handled', 1);
  wf.connect('Cancel Outcome', 'Tell User: Refused', 2);
  wf.connect('Show Cancelled', 'Result: Cancelled');
  wf.chain('Forget Pending', 'Tell User: Dropped', 'Result: Dropped');

  // Edit
  wf.add('Start Edit', custom('draftStore'), 1, [2, 4.2], { operation: 'startEdit', draftId, userId: user, ...pressedOn }, { credentials: CREDENTIALS.database });
  ifNode(wf, 'Editable?', [3, 4.2], isTrue('={{ $json.ok }}'));
  telegramSend(
    wf,
    'Ask What to Change',
    [4, 4.1],
    chat,
    '✏️ What should I change? Reply with your changes, for example "make it due Friday" or "add a subtask to buy candles".',
  );
  setResult(wf, 'Result: Edit Started', [5, 4.1], { ok: ['boolean', '={{ true }}'], result: ['object', "={{ { editing: $('Start Edit').item.json.draftId } }}"] });
  wf.connect('Route by Decision', 'Start Edit', 2);
  wf.connect('Start Edit', 'Editable?');
  wf.connect('Editable?', 'Ask What to Change', 0);
  wf.connect('Editable?', 'Tell User: Refused', 1);
  wf.chain('Ask What to Change', 'Result: Edit Started');
  return wf.toJSON();
}

// ---------------------------------------------------------------- Error workflow

function buildErrorNotifier() {
  const wf = new WorkflowBuilder(IDS.errors, NAMES.errors);
  wf.note(
    '## Error Notifier\nRuns when any Draft Assistant workflow fails unexpectedly and tells you in Telegram. **Set your Telegram user ID in "Owner"** (the same ID as in the router\'s allowlist). Queued commands are kept and retried.',
    [-0.2, -1.25],
    [3.6, 1.1],
    4,
  );
  wf.add('Error Trigger', 'n8n-nodes-base.errorTrigger', 1, [0, 0], {});
  // Passes the Error Trigger's item on: after a crash, n8n's recovery run resolves nothing through
  // $('Error Trigger'), but the item itself ($json) is complete in both cases.
  wf.add('Owner', 'n8n-nodes-base.set', 3.4, [1, 0], {
    assignments: { assignments: [{ id: stableId(wf.id, 'Owner', 'chatId'), name: 'chatId', value: '', type: 'string' }] },
    includeOtherFields: true,
    options: {},
  });
  const escape = (expression) => `String(${expression}).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')`;
  const knownNames = JSON.stringify(Object.fromEntries(Object.entries(NAMES).map(([key, name]) => [IDS[key], name])));
  const workflow = `($json.workflow?.name || ${knownNames}[$json.workflow?.id] || ($json.workflow?.id ? 'workflow ' + $json.workflow.id : 'a Draft Assistant workflow'))`;
  const error = '($json.execution?.error ?? $json.trigger?.error ?? {})';
  // n8n's own text for a recovered execution ("possible out-of-memory issue") guesses; say what is known.
  const what = `(${error}.name === 'WorkflowCrashedError' ? 'n8n stopped while it was running (a crash or a forced restart)' : (${error}.message || 'unknown error'))`;
  const step = "($json.execution?.lastNodeExecuted ? ' at step <b>' + " + escape('$json.execution.lastNodeExecuted') + " + '</b>' : '')";
  telegramSend(
    wf,
    'Tell Owner',
    [2, 0],
    '={{ $json.chatId }}',
    `=⚠️ Something went wrong in <b>{{ ${escape(workflow)} }}</b>{{ ${step} }}: {{ ${escape(`${what}.slice(0, 500)`)} }}\nYour queued messages are kept and retried.`,
  );
  wf.chain('Error Trigger', 'Owner', 'Tell Owner');
  return wf.toJSON({ errorWorkflow: undefined });
}

// ---------------------------------------------------------------- Operations (docs/operations.md)

const OPS_NAME = 'Draft Assistant · Operations';

function dailyAt(wf, name, position, hour) {
  return wf.add(name, 'n8n-nodes-base.scheduleTrigger', 1.2, position, { rule: { interval: [{ field: 'days', triggerAtHour: hour }] } });
}

function buildOperations() {
  const wf = new WorkflowBuilder(IDS.ops, OPS_NAME);
  wf.note(
    '## Operations\nEvery morning a health summary goes to you in Telegram: commands, success rate, processing time, Gemini and Google Tasks calls against their daily quotas, database size, oldest pending command. **Set your Telegram user ID in "Owner"**; set your quotas in "Health Stats". See docs/operations.md.',
    [-0.2, -1.45],
    [4.6, 1.3],
    4,
  );
  dailyAt(wf, 'Every Day at 08:00', [0, 0], 8);
  wf.add(
    'Health Stats',
    custom('commandQueue'),
    1,
    [1, 0],
    { operation: 'stats', windowMinutes: 1440, geminiDailyQuota: 1500, tasksDailyQuota: 50000 },
    { credentials: CREDENTIALS.database },
  );
  setResult(wf, 'Owner', [2, 0], { chatId: ['string', ''] });
  // Without an owner there is nobody to tell: stop quietly instead of failing every morning.
  ifNode(wf, 'Owner Set?', [3, 0], condition('={{ $json.chatId }}', { type: 'string', operation: 'notEmpty', singleValue: true }));
  telegramSend(wf, 'Send Health Summary', [4, 0], '={{ $json.chatId }}', "={{ $('Health Stats').item.json.summaryText }}");
  wf.chain('Every Day at 08:00', 'Health Stats', 'Owner', 'Owner Set?', 'Send Health Summary');

  wf.note(
    '### Retention and backup\nEvery night: audit rows older than 90 days are deleted and message text in commands and drafts finished before then is removed; then the SQLite database is copied to `~/.n8n/draft-assistant-backups`, keeping the newest 7. On PostgreSQL, remove "Back Up Database" and use pg_dump.',
    [-0.2, 0.55],
    [4.6, 0.85],
  );
  dailyAt(wf, 'Every Day at 03:00', [0, 1.6], 3);
  wf.add('Purge Old Records', custom('commandQueue'), 1, [1, 1.6], { operation: 'purge', retentionDays: 90 }, { credentials: CREDENTIALS.database });
  wf.add('Back Up Database', custom('commandQueue'), 1, [2, 1.6], { operation: 'backup', folder: '', keep: 7 }, { credentials: CREDENTIALS.database });
  wf.chain('Every Day at 03:00', 'Purge Old Records', 'Back Up Database');
  return wf.toJSON();
}

// ---------------------------------------------------------------- write

const WORKFLOWS = {
  'A-inbound-router.json': buildRouter,
  'B-command-executor.json': buildExecutor,
  'D-task-drafting.json': buildDrafting,
  'E-confirmation.json': buildConfirmation,
  'error-notifier.json': buildErrorNotifier,
  'F-maintenance.json': buildOperations,
};

function renderAll() {
  return Object.fromEntries(Object.entries(WORKFLOWS).map(([file, build]) => [file, `${JSON.stringify(build(), null, 2)}\n`]));
}

if (require.main === module) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const [file, text] of Object.entries(renderAll())) fs.writeFileSync(path.join(OUT_DIR, file), text);
  console.log(`wrote ${Object.keys(WORKFLOWS).length} workflows to ${path.relative(process.cwd(), OUT_DIR) || '.'}`);
}

module.exports = { renderAll, IDS, CREDENTIALS, NAMES };
