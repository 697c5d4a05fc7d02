// What the assistant says about itself: help, welcome, and its answers to a message it cannot
// act on (an unknown command, an unclear request). Telegram HTML: values are escaped here.
import { escapeHtml } from '../telegram/html';

export const HELP_TEXT =
  'I turn your messages into Google Tasks drafts. Send me something like "Buy milk tomorrow" or "Plan Sam\'s birthday party next Saturday". ' +
  'I show you a draft with Confirm, Edit and Cancel buttons, and nothing is created until you tap Confirm.\n' +
  'Commands: /help shows this message, /cancel drops the current draft.';
export const WELCOME_TEXT = `Hi! ${HELP_TEXT}`;
export const EMPTY_TEXT_REPLY = `I can only read text messages. ${HELP_TEXT}`;

export function unknownCommand(command: string): string {
  return `I don't know the command /${escapeHtml(command)}. ${HELP_TEXT}`;
}

/** A low-confidence guess that the (already clipped) message is a task. */
export function askIfTask(text: string): string {
  return `Should I make a task out of "${escapeHtml(text)}"? Send it again with a bit more detail, for example "Buy milk tomorrow".`;
}

/** A low-confidence guess that the message asks to change a draft. */
export const ASK_IF_REVISION = 'Do you want to change a draft? Open it with its Edit button first, or send a new task.';

/** A low-confidence guess of anything else, about the (already clipped) message. */
export function notUnderstood(text: string): string {
  return `I'm not sure what you mean by "${escapeHtml(text)}". Send me a task, for example "Buy milk tomorrow", or /help.`;
}
