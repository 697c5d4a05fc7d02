// Turns a Telegram update into what Workflow A routes on: who sent it, in which chat, the
// idempotency key of the command it may become, and what kind of update it is (a text, a voice
// note, audio file or photo, a press on a draft card's button or a /list or /undo button, a
// /timezone command, an edited message, anything else), or that the assistant is not set up yet. Pure: the Command Queue node's "Parse Telegram Update" runs it.

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
  type MediaKind,
  TELEGRAM_DOWNLOAD_LIMIT_BYTES,
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
  language_code?: string;
}

export interface TelegramMessage {
  message_id?: number;
  /** Unix seconds. */
  date?: unknown;
  from?: TelegramUser;
  chat?: { id?: number | string };
  text?: unknown;
  caption?: unknown;
  voice?: TelegramFile;
  audio?: TelegramFile;
  /** The sizes Telegram made of a photo, smallest first. */
  photo?: TelegramFile[];
  /** A file sent as a file: read when it is an image or audio. */
  document?: TelegramFile;
}

/** The parts of a Bot API Voice, Audio, PhotoSize or Document the assistant reads. */
export interface TelegramFile {
  file_id?: unknown;
  file_size?: unknown;
  mime_type?: unknown;
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
    | {
        kind: 'media';
        messageId: number | undefined;
        media: MediaKind;
        /** Telegram's file_id of the file to download (for a photo: its largest size a bot may download). */
        fileId: string;
        /** In bytes, as the update says; null when it does not say. */
        fileSize: number | null;
        /** What Gemini is told the file is: Telegram's own type, else the usual one for the kind. */
        mimeType: string;
        /** The text sent with it ('' for none): read together with the file. */
        caption: string;
        /** Bigger than a bot may download from Telegram (20 MB): refused before any download. */
        tooBig: boolean;
        /** A caption longer than Telegram allows: only a forged update carries one. */
        tooLong: boolean;
        sentAt: number | null;
        /** The language of the sender's Telegram app (e.g. "de"), '' when unknown: what Gemini writes in when the file itself does not say. */
        languageCode: string;
      }
    | { kind: 'unsupported'; messageId: number | null }
  );

export type UpdateKind = ParsedUpdate['kind'];

/** Telegram sends voice notes as OGG/Opus and photos as JPEG. */
const DEFAULT_MIME_TYPES: Record<MediaKind, string> = { voice: 'audio/ogg', audio: 'audio/mpeg', photo: 'image/jpeg' };

const sizeOf = (file: TelegramFile): number | null => (Number.isSafeInteger(file.file_size) && (file.file_size as number) >= 0 ? (file.file_size as number) : null);
const fitsDownload = (file: TelegramFile) => (sizeOf(file) ?? 0) <= TELEGRAM_DOWNLOAD_LIMIT_BYTES;

/** The file a media message carries and what it is; null for a message without one the assistant reads. */
function mediaOf(message: TelegramMessage): { media: MediaKind; file: TelegramFile } | null {
  if (message.voice) return { media: 'voice', file: message.voice };
  if (message.audio) return { media: 'audio', file: message.audio };
  if (Array.isArray(message.photo) && message.photo.length > 0) {
    const sizes = message.photo.filter((size) => size && typeof size.file_id === 'string');
    // The largest size a bot may download (Telegram lists them smallest first); else the smallest, refused as too big.
    const fitting = sizes.filter(fitsDownload);
    const file = fitting.length ? fitting.reduce((a, b) => ((sizeOf(b) ?? 0) >= (sizeOf(a) ?? 0) ? b : a)) : sizes[0];
    return file ? { media: 'photo', file } : null;
  }
  const type = typeof message.document?.mime_type === 'string' ? message.document.mime_type.toLowerCase() : '';
  if (message.document && type.startsWith('image/')) return { media: 'photo', file: message.document };
  if (message.document && type.startsWith('audio/')) return { media: 'audio', file: message.document };
  return null;
}

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
      sentAt: sentAtOf(message),
    };
  }
  const found = message ? mediaOf(message) : null;
  if (found && typeof found.file.file_id === 'string' && found.file.file_id) {
    const caption = typeof message!.caption === 'string' ? message!.caption.trim() : '';
    const mimeType = typeof found.file.mime_type === 'string' && /^[a-z]+\/[\w.+-]+$/i.test(found.file.mime_type) ? found.file.mime_type.toLowerCase() : DEFAULT_MIME_TYPES[found.media];
    return {
      ...base,
      kind: 'media',
      messageId: message!.message_id,
      media: found.media,
      fileId: found.file.file_id,
      fileSize: sizeOf(found.file),
      mimeType,
      caption,
      tooBig: !fitsDownload(found.file),
      tooLong: [...caption].length > TELEGRAM_TEXT_LIMIT,
      sentAt: sentAtOf(message!),
      languageCode: typeof from.language_code === 'string' ? from.language_code : '',
    };
  }
  return { ...base, kind: 'unsupported', messageId: message?.message_id ?? null };
}

function sentAtOf(message: TelegramMessage): number | null {
  return Number.isInteger(message.date) && (message.date as number) > 0 ? (message.date as number) : null;
}
