// What the workflows' own nodes say to the user (Telegram messages, button toasts, button
// labels), as the workflow generator (workflows/src) puts them into workflows/*.json. Texts sent
// with parse mode HTML; those that take a value are functions of it (an n8n expression there).

import { TELEGRAM_TEXT_LIMIT } from '../contracts';
import type { ButtonAction, DraftAction } from '../contracts';
import { TASK_BUTTON_TOASTS } from './tasks';
import { EVENT_BUTTON_TOASTS } from './eventCard';

/** Workflow A: Inbound Router. */
export const ROUTER_REPLIES = {
  gotIt: 'Got it! Working on it... ⚙️',
  alreadyProcessing: 'Already processing this message ⏳',
  slowDown: 'You are sending messages faster than I can draft them. Please wait a minute, then try again.',
  tooLong: `That message is too long for me (more than ${TELEGRAM_TEXT_LIMIT} characters). Please send a shorter one.`,
  textOnly: 'I can only read text, voice notes and photos. Tell me a task in words, e.g. "buy milk tomorrow", or send a voice note.',
  editedMessage: 'I saw you edited a message. I only work with new messages: send it again if you want a new draft.',
  notSetUp: (telegramUserId: string) =>
    `This assistant is not set up yet. Your Telegram user ID is <code>${telegramUserId}</code>: add it to "Restrict to User IDs" of the Telegram Trigger in workflow A, then publish it again.`,
} as const;

/** The toast a press on a button (a draft card's, or one of /list and /undo) shows at once, before any slow work. */
export const BUTTON_TOASTS: Record<ButtonAction, string> = {
  confirm: 'Creating the task…',
  edit: 'Tell me what to change',
  cancel: 'Cancelling…',
  ...TASK_BUTTON_TOASTS,
  ...EVENT_BUTTON_TOASTS,
};
export const STALE_BUTTON_TOAST = 'This button is no longer valid.';

/** The buttons under a draft card. */
export const BUTTON_LABELS: Record<DraftAction, string> = {
  confirm: '✅ Confirm',
  edit: '✏️ Edit',
  cancel: '❌ Cancel',
};

/** Workflow B: Command Executor. */
export const EXECUTOR_REPLIES = {
  /** A help or unknown command whose intent brought no reply. */
  didNotGetThat: 'Sorry, I did not get that. Tell me a task, for example: buy milk tomorrow.',
  gaveUp: 'Sorry, I could not finish this after several tries. Please send it again later.',
  stillTrying: 'This is taking longer than usual; I will keep trying.',
  /** Appended when a dead Confirm gave its draft back. */
  draftReopened: ' The draft is open again: tap ✅ Confirm to try once more, ✏️ Edit to change it, or ❌ Cancel.',
} as const;

/** Workflow D: Task Drafting. */
export const DRAFTING_REPLIES = {
  /** The acknowledgement of an edit instruction, once the card above it shows the revised draft. */
  revisedAbove: '✏️ Updated the draft above.',
} as const;

/** Workflow E: Confirmation. */
export const CONFIRMATION_REPLIES = {
  /** A typed /cancel with no open draft, while a clarification question was pending: the question is dropped. */
  dropped: 'Okay, I dropped that question.',
  /** A typed /cancel with no open draft and nothing pending. */
  nothingToCancel: 'There is no open draft to cancel.',
  whatToChange:
    '✏️ What should I change? Reply with your changes, for example "make it due Friday" or "add a subtask to buy candles". Send /cancel to cancel this draft instead; a new request becomes its own draft.',
} as const;

/** The Error Notifier's message to the owner; its parts are n8n expressions there. */
export const ERROR_NOTICE = {
  message: (workflow: string, step: string, error: string) =>
    `⚠️ Something went wrong in <b>${workflow}</b>${step}: ${error}\nYour queued messages are kept and retried.`,
  /** Before the failed step's name, which is followed by `</b>`. */
  atStep: ' at step <b>',
  /** n8n's own text for a recovered execution ("possible out-of-memory issue") guesses; this says what is known. */
  crashed: 'n8n stopped while it was running (a crash or a forced restart)',
  unknownError: 'unknown error',
  unnamedWorkflow: 'a Draft Assistant workflow',
  /** Before a workflow's id when it has no name. */
  workflowById: 'workflow ',
} as const;
