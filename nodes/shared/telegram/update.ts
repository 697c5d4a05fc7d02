// Turns a Telegram update into what Workflow A routes on: who sent it, in which chat, the
// idempotency key of the command it may become, and what kind of update it is (a text, a press on
// a draft card's button or a /list or /undo button, a /timezone command, an edited message, anything else), or that the
// assistant is not set up yet. Pure: the Command Queue node's "Parse Telegram Update" runs it.

import {
  type ButtonAction,
  COMMAND_FOR_ACTION,
  COMMAND_FOR_EVENT_ACTION,
  COMMAND_FOR_TASK_ACTION,
  type DecisionCommandType,
  parseCallbackData,
  parseEventCallbackData,
  parseTaskCallbackData,
  type TaskButtonCommandType,
  TELEGRAM_TEXT_LIMIT,
} from '../contracts';

/** The parts of a Telegram update (Bot API `Update`) the assistant reads. */
export interface TelegramUpdate {
  update_id?: number;
  message?: TelegramMessage;
  edited_message?: TelegramMessage;
  callback_query?: TelegramCallbackQuery;
  [other: string]: unknown;
}

export interface TelegramUser {
  id?: number;
  first_name?: string;
  last_name?: string;
  username?: string;
}

export interface TelegramMessage {
  message_id?: number;
  /** Unix seconds. */
  date?: unknown;
  from?: TelegramUser;
  chat?: { id?: number | string };
  text?: unknown;
}

export interface TelegramCallbackQuery {
  id?: string;
  from?: TelegramUser;
  data?: unknown;
  /** The message the button was on (absent when Telegram no longer has it). */
  message?: TelegramMessage;
}

export interface ParseUpdateOptions {
  /** The trigger's "Restrict to User IDs": until it is set, every update is `not_configured`. */
  allowlist: string;
  /** The router workflow's id: part of the idempotency key. */
  workflowId: string;
}

interface Sender {
  updateId: number | undefined;
  /** One command per Telegram update: a repeated delivery finds this key taken. */
  dedupeKey: string;
  userId: string;
  telegramUserId: string;
  chatId: string;
  displayName: string;
}

export type ParsedUpdate = Sender &
  (
    | { kind: 'not_configured' }
    | {
        kind: 'button' | 'bad_button';
        callbackQueryId: string | undefined;
        action: ButtonAction | null;
        commandType: DecisionCommandType | TaskButtonCommandType | null;
        /** The draft a draft card's button names. */
        draftId: number | null;
        /** What a /list or /undo button names (a list entry, an execution): checked against the presser later. */
        target: number | null;
        cardMessageId: number | null;
      }
    | { kind: 'edited'; messageId: number | undefined }
    | { kind: 'timezone'; messageId: number | undefined; timezone: string }
    | {
        kind: 'text';
        messageId: number | undefined;
        text: string;
        /** Longer than Telegram allows: only a forged or non-Telegram update carries more. */
        tooLong: boolean;
        /** When the user sent it (unix seconds): "tomorrow" counts from here, however late it is drafted. */
        sentAt: number | null;
      }
    | { kind: 'unsupported'; messageId: number | null }
  );

export type UpdateKind = ParsedUpdate['kind'];

const TIMEZONE_COMMAND = /^\/timezone(?:@\w+)?(?:\s+(\S*))?\s*$/i;

function sender(update: TelegramUpdate, from: TelegramUser, chatId: unknown, workflowId: string): Sender {
  return {
    updateId: update.update_id,
    dedupeKey: `telegram:${workflowId}:${update.update_id}`,
    userId: `telegram:${from.id}`,
    telegramUserId: String(from.id ?? ''),
    chatId: String(chatId ?? from.id ?? ''),
    displayName: [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username || '',
  };
}

export function parseTelegramUpdate(update: TelegramUpdate, options: ParseUpdateOptions): ParsedUpdate {
  const message = update.message ?? update.edited_message;
  const button = update.callback_query;
  const from = message?.from ?? button?.from ?? {};
  const base = sender(update, from, message?.chat?.id ?? button?.message?.chat?.id, options.workflowId);
  // Without an allowlist the trigger lets everyone in: refuse to work until it is set.
  if (!String(options.allowlist ?? '').trim()) return { ...base, kind: 'not_configured' };
  if (button) {
    const data = String(button.data ?? '');
    const pressed = parseCallbackData(data);
    const taskPressed = pressed ? null : parseTaskCallbackData(data);
    const eventPressed = pressed || taskPressed ? null : parseEventCallbackData(data);
    // Move, 📅 Event and ✅ Task name a draft; a /calendar button names a place in the list.
    const eventDraftId = eventPressed && eventPressed.action !== 'cal' ? eventPressed.target : null;
    // A press counts only from its draft's card, so it must say which message it was on.
    const onCard = button.message?.message_id !== undefined && button.message?.chat?.id !== undefined;
    return {
      ...base,
      kind: (pressed || taskPressed || eventPressed) && onCard ? 'button' : 'bad_button',
      callbackQueryId: button.id,
      action: pressed?.action ?? taskPressed?.action ?? eventPressed?.action ?? null,
      commandType: pressed
        ? COMMAND_FOR_ACTION[pressed.action]
        : taskPressed
          ? COMMAND_FOR_TASK_ACTION[taskPressed.action]
          : eventPressed
            ? COMMAND_FOR_EVENT_ACTION[eventPressed.action]
            : null,
      draftId: pressed?.draftId ?? eventDraftId,
      target: taskPressed?.target ?? eventPressed?.target ?? null,
      cardMessageId: button.message?.message_id ?? null,
    };
  }
  if (update.edited_message) return { ...base, kind: 'edited', messageId: message!.message_id };
  const timezone = TIMEZONE_COMMAND.exec(String(message?.text ?? ''));
  if (timezone) return { ...base, kind: 'timezone', messageId: message!.message_id, timezone: timezone[1] ?? '' };
  if (typeof message?.text === 'string' && message.text.trim() !== '') {
    return {
      ...base,
      kind: 'text',
      messageId: message.message_id,
      text: message.text,
      // Counted in characters, as Telegram counts: an emoji is one.
      tooLong: [...message.text].length > TELEGRAM_TEXT_LIMIT,
      sentAt: Number.isInteger(message.date) && (message.date as number) > 0 ? (message.date as number) : null,
    };
  }
  return { ...base, kind: 'unsupported', messageId: message?.message_id ?? null };
}
