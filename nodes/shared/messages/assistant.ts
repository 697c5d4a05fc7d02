// What the assistant says about itself: help, welcome, and its answers to a message it cannot
// act on (an unknown command, an unclear request). Telegram HTML: values are escaped here.
import { escapeHtml } from '../telegram/html';

export const HELP_TEXT =
  'I turn your messages into Google Tasks drafts. Send me something like "Buy milk tomorrow" or "Plan Sam\'s birthday party next Saturday". ' +
  'I show you a draft with Confirm, Edit and Cancel buttons, and nothing is created until you tap Confirm.\n' +
  'Commands: /help shows this message, /cancel drops the current draft, /timezone followed by your zone (for example /timezone Europe/Berlin) sets your time zone, ' +
  '/list shows your open tasks, /undo takes back the task created last, /calendar picks the Google Calendar new events go to, /reminders shows the reminders to come ' +
  '(a task with a time, like "call mom at 9pm tomorrow", reminds you then), /briefing 07:30 sends you a daily briefing at that time (/briefing off stops it).\n' +
  'Events: "Dinner with Ana on Friday at 7:30" or a link to an event page becomes an event draft for Google Calendar.';
export const WELCOME_TEXT = `Hi! ${HELP_TEXT}`;
export const EMPTY_TEXT_REPLY = `I can only read text messages. ${HELP_TEXT}`;

/** Small talk: a greeting back that says what to send. */
export const GREETING_REPLY = 'Hi! Send me a task, for example "Buy milk tomorrow", and I\'ll draft it for you.';
/** Small talk: thanks. */
export const THANKS_REPLY = "You're welcome!";
/** Small talk: "ok", "cool", "great". */
export const ACKNOWLEDGED_REPLY = '👍 Send me a task whenever you like.';

const THANKS = /(?<![\p{L}])(thanks?|thank you|thx|ty|cheers|danke|gracias|merci|grazie|obrigad[oa])(?![\p{L}])/iu;
const ACKNOWLEDGED = /^(ok(ay)?|cool|great|nice|perfect|alright|all right|got it|👍)[\s.!]*$/iu;

/** Our reply to small talk (however it was recognised): thanks, an acknowledgement, or a greeting. */
export function smallTalkReply(text: string): string {
  if (THANKS.test(text)) return THANKS_REPLY;
  if (ACKNOWLEDGED.test(text.trim())) return ACKNOWLEDGED_REPLY;
  return GREETING_REPLY;
}

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
