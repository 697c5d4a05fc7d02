// A Telegram Bot API emulator on node:http, loopback only. The bot side (`/bot<token>/<method>`)
// follows the real API's shapes, validation and error wording for the methods our workflows use;
// the control side (`/_control/...`) lets tests and a playground play the user, press buttons,
// and read the conversation. It delivers updates to the registered webhook like Telegram does:
// with the secret header, in order per chat, retrying until n8n answers 2xx.
// Only node: built-ins and erasable TypeScript.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { EntityParseError, parseFormattedText, trimParsedText, type MessageEntity } from './telegramFormatting';
import { emulatedMediaFile, type EmulatedMediaKind } from './media';

export type { MessageEntity } from './telegramFormatting';

export interface TelegramUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TelegramChat {
  id: number;
  type: 'private';
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
  [other: string]: unknown;
}

export interface ReplyMarkup {
  inline_keyboard?: InlineKeyboardButton[][];
  [other: string]: unknown;
}

export interface TelegramMessage {
  message_id: number;
  from: TelegramUser;
  chat: TelegramChat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  sticker?: Record<string, unknown>;
  photo?: Record<string, unknown>[];
  voice?: Record<string, unknown>;
  audio?: Record<string, unknown>;
  reply_markup?: ReplyMarkup;
  reply_to_message?: TelegramMessage;
}

export interface CallbackQuery {
  id: string;
  from: TelegramUser;
  message: TelegramMessage;
  chat_instance: string;
  data: string;
}

export interface TelegramUpdate {
  update_id: number;
  message?: TelegramMessage;
  edited_message?: TelegramMessage;
  callback_query?: CallbackQuery;
}

/** One call the bot (n8n) made, successful or not. */
export interface RecordedBotCall {
  seq: number;
  method: string;
  params: Record<string, unknown>;
  at: string;
  status: number;
  response: BotApiResponse;
}

export type BotApiResponse =
  | { ok: true; result: unknown; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

/** A message in a chat as the conversation shows it now (after edits and deletions). */
export interface ChatHistoryEntry {
  message_id: number;
  sender: 'user' | 'bot';
  kind: 'text' | 'sticker' | 'photo' | 'voice' | 'audio';
  text?: string;
  entities?: MessageEntity[];
  reply_markup?: ReplyMarkup;
  date: number;
  edit_date?: number;
  deleted: boolean;
  /** callback_data of the buttons the user pressed on this message, in order. */
  pressed: string[];
}

export interface UpdateDelivery {
  update: TelegramUpdate;
  createdAt: string;
  attempts: number;
  deliveredAt?: string;
  lastStatus?: number;
  lastError?: string;
}

export interface WebhookState {
  url: string;
  secret_token?: string;
  allowed_updates: string[];
  max_connections: number;
  last_error_date?: number;
  last_error_message?: string;
}

/** What the user sends with sendUserMedia. */
export interface MediaSpec {
  kind: 'sticker' | 'photo' | 'voice' | 'audio';
  caption?: string;
  /** Voice note or audio file: what is said (the scripted Gemini hears exactly this). Default: silence. */
  says?: string;
  /** Photo: what it shows and says (the scripted Gemini reads this), and its one line. Default: nothing readable. */
  shows?: string;
  summary?: string;
  /** The file's size in bytes (the update says it, getFile refuses above 20 MB); the file served is that long. Default: its own length. */
  fileSize?: number;
  /** Leave file_size out of the update, as Telegram may: only getFile then says the file is too big. */
  omitFileSize?: boolean;
}

/** A file the bot can fetch: getFile, then GET /file/bot<token>/<file_path>. */
interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  /** The size Telegram reports (getFile, the update). */
  size: number;
  kind: EmulatedMediaKind;
  content: Buffer;
}

/** A download of a file the bot made (GET /file/bot<token>/<path>). */
export interface RecordedDownload {
  at: string;
  filePath: string;
  status: number;
  bytes: number;
}

/** Telegram's limit for bots: getFile refuses larger files. */
export const BOT_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

export interface UserSpec {
  userId?: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

export interface TelegramEmulatorOptions {
  token?: string;
  botUsername?: string;
  port?: number;
  /** Delay before re-trying a failed webhook delivery. Telegram waits longer; tests want speed. */
  retryDelayMs?: number;
  /** How long one delivery may take before it counts as failed and is retried. */
  deliveryTimeoutMs?: number;
}

export const DEFAULT_TEST_USER: Required<Omit<UserSpec, 'lastName'>> = {
  userId: 424242,
  firstName: 'Ada',
  username: 'ada_test',
  languageCode: 'en',
};

const ALLOWED_CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice',
  'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);
const BUTTON_ACTION_FIELDS = [
  'callback_data', 'url', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'callback_game', 'pay', 'web_app', 'copy_text',
];
const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const MAX_TEXT_LENGTH = 4096;

/** A Bot API error: becomes `{ok:false,error_code,description}`. */
class BotApiError extends Error {
  readonly code: number;
  readonly retryAfter?: number;
  constructor(code: number, description: string, retryAfter?: number) {
    super(description);
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

const badRequest = (detail: string) => new BotApiError(400, `Bad Request: ${detail}`);

/** A control-API error: becomes `{error}` with the status. */
class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface StoredMessage {
  message: TelegramMessage;
  sender: 'user' | 'bot';
  kind: ChatHistoryEntry['kind'];
  deleted: boolean;
  pressed: string[];
}

interface ChatState {
  chat: TelegramChat;
  user: TelegramUser;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
}

/** What exportState() returns and importState() takes. */
export interface TelegramEmulatorState {
  nextUpdateId: number;
  chats: { chat: TelegramChat; user: TelegramUser; nextMessageId: number; messages: StoredMessage[] }[];
}

interface Waiter {
  matches: () => unknown;
  resolve: (value: unknown) => void;
}

interface InjectedFailure {
  method: string;
  remaining: number;
  errorCode: number;
  description: string;
  retryAfter?: number;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export class TelegramEmulator {
  readonly token: string;
  readonly bot: TelegramUser;
  private readonly retryDelayMs: number;
  private readonly deliveryTimeoutMs: number;
  private server?: Server;
  private port = 0;
  private webhook?: WebhookState;
  private nextUpdateId = 700000001;
  private readonly chats = new Map<number, ChatState>();
  private readonly calls: RecordedBotCall[] = [];
  private nextCallSeq = 1;
  private readonly deliveries: UpdateDelivery[] = [];
  private readonly pending: UpdateDelivery[] = [];
  private readonly inFlightChats = new Set<number>();
  private inFlight = 0;
  private readonly callbackQueries = new Map<string, { answered: boolean }>();
  private readonly failures: InjectedFailure[] = [];
  /** Calls that are carried out (a message is delivered) and then lose their answer: the connection drops. */
  private readonly lostAnswers: { method: string; remaining: number }[] = [];
  private readonly files = new Map<string, StoredFile>();
  private nextFileNumber = 1;
  private readonly downloads: RecordedDownload[] = [];
  private waiters: Waiter[] = [];
  private readonly botChatInstance = randomBytes(8).readBigInt64BE().toString();

  constructor(options: TelegramEmulatorOptions = {}) {
    this.token = options.token ?? `${100000 + Math.floor(Math.random() * 899999)}:TEST${randomBytes(12).toString('hex')}`;
    const botId = Number(this.token.split(':')[0]) || 123456;
    this.bot = { id: botId, is_bot: true, first_name: 'Draft Assistant', username: options.botUsername ?? 'draft_assistant_test_bot' };
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 60_000;
    this.port = options.port ?? 0;
  }

  /** Base URL for the telegramApi credential (`baseUrl`); the control API lives under `/_control`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const waiter of this.waiters) waiter.resolve(undefined);
    this.waiters = [];
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  // ---------------------------------------------------------------- HTTP routing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (url.pathname.startsWith('/_control/')) {
      try {
        const result = await this.control(req.method ?? 'GET', url, parseBody(req, body, url));
        sendJson(res, 200, result ?? {});
      } catch (error) {
        if (error instanceof ControlError) sendJson(res, error.status, { error: error.message });
        else sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (download && (req.method ?? 'GET') === 'GET') {
      this.serveFile(res, download[1], decodeURIComponent(download[2]));
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const [, token, methodName] = match;
    let params: Record<string, unknown> = {};
    let response: BotApiResponse;
    let status: number;
    try {
      if (token !== this.token) throw new BotApiError(401, 'Unauthorized');
      try {
        params = parseBody(req, body, url);
      } catch {
        throw badRequest('invalid JSON in request body');
      }
      const result = this.callMethod(methodName, params);
      response = { ok: true, result: result.value, ...(result.description ? { description: result.description } : {}) };
      status = 200;
    } catch (error) {
      if (!(error instanceof BotApiError)) throw error;
      response = {
        ok: false,
        error_code: error.code,
        description: error.message,
        ...(error.retryAfter !== undefined ? { parameters: { retry_after: error.retryAfter } } : {}),
      };
      status = error.code;
    }
    this.calls.push({ seq: this.nextCallSeq++, method: methodName, params, at: new Date().toISOString(), status, response });
    const lost = response.ok ? this.lostAnswers.find((l) => l.method.toLowerCase() === methodName.toLowerCase() && l.remaining > 0) : undefined;
    if (lost) {
      // Done, but the answer never arrives: the caller cannot know whether it was.
      lost.remaining -= 1;
      req.socket.destroy();
    } else sendJson(res, status, response);
    this.notifyWaiters();
  }

  // ---------------------------------------------------------------- Bot API

  private callMethod(methodName: string, params: Record<string, unknown>): { value: unknown; description?: string } {
    const method = methodName.toLowerCase();
    const failure = this.failures.find((f) => f.method.toLowerCase() === method && f.remaining > 0);
    if (failure) {
      failure.remaining -= 1;
      throw new BotApiError(failure.errorCode, failure.description, failure.retryAfter);
    }
    switch (method) {
      case 'getme':
        return { value: { ...this.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } };
      case 'getwebhookinfo':
        return { value: this.webhookInfo() };
      case 'setwebhook':
        return this.setWebhook(params);
      case 'deletewebhook':
        return this.deleteWebhook(params);
      case 'getupdates':
        return { value: this.getUpdates(params) };
      case 'sendmessage':
        return { value: this.sendMessage(params) };
      case 'editmessagetext':
        return { value: this.editMessageText(params) };
      case 'editmessagereplymarkup':
        return { value: this.editMessageReplyMarkup(params) };
      case 'answercallbackquery':
        return { value: this.answerCallbackQuery(params) };
      case 'deletemessage':
        return { value: this.deleteMessage(params) };
      case 'getfile':
        return { value: this.getFile(params) };
      case 'sendchataction':
        this.requireChat(params.chat_id);
        if (!ALLOWED_CHAT_ACTIONS.has(String(params.action ?? ''))) throw badRequest('wrong parameter action in request');
        return { value: true };
      default:
        throw new BotApiError(404, 'Not Found');
    }
  }

  private getFile(params: Record<string, unknown>): Record<string, unknown> {
    const fileId = String(params.file_id ?? '');
    if (!fileId) throw badRequest('file_id is empty');
    const file = this.files.get(fileId);
    if (!file) throw badRequest('invalid file_id');
    if (file.size > BOT_DOWNLOAD_LIMIT_BYTES) throw badRequest('file is too big');
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.size, file_path: file.filePath };
  }

  /** GET /file/bot<token>/<file_path>: the file's bytes, as Telegram serves them (404 for a wrong token or path). */
  private serveFile(res: ServerResponse, token: string, filePath: string): void {
    const file = token === this.token ? [...this.files.values()].find((f) => f.filePath === filePath) : undefined;
    const failure = this.failures.find((f) => f.method.toLowerCase() === 'download' && f.remaining > 0);
    const record = (status: number, bytes: number) => {
      this.downloads.push({ at: new Date().toISOString(), filePath, status, bytes });
      this.notifyWaiters();
    };
    if (failure) {
      failure.remaining -= 1;
      record(failure.errorCode, 0);
      sendJson(res, failure.errorCode, { ok: false, error_code: failure.errorCode, description: failure.description });
      return;
    }
    if (!file) {
      record(404, 0);
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const type = { voice: 'audio/ogg', audio: 'audio/mpeg', photo: 'image/jpeg' }[file.kind];
    res.writeHead(200, { 'content-type': type, 'content-length': file.content.length });
    res.end(file.content);
    record(200, file.content.length);
  }

  /** A new file the bot can download; its size is `size` (the content is padded up to it). */
  private storeFile(kind: EmulatedMediaKind, content: Buffer, size: number): StoredFile {
    const number = this.nextFileNumber++;
    const folder = { voice: 'voice', audio: 'music', photo: 'photos' }[kind];
    const extension = { voice: 'oga', audio: 'mp3', photo: 'jpg' }[kind];
    const file: StoredFile = {
      fileId: `AwAC${randomBytes(12).toString('base64url')}`,
      fileUniqueId: randomBytes(6).toString('base64url'),
      filePath: `${folder}/file_${number}.${extension}`,
      size,
      kind,
      // A file claimed bigger than a bot may fetch is never served: no need to hold its bytes.
      content: size > BOT_DOWNLOAD_LIMIT_BYTES ? content : content.length >= size ? content : Buffer.concat([content, Buffer.alloc(size - content.length)]),
    };
    this.files.set(file.fileId, file);
    return file;
  }

  private webhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.pending.length,
    };
    if (this.webhook) {
      info.max_connections = this.webhook.max_connections;
      info.ip_address = '127.0.0.1';
      if (this.webhook.allowed_updates.length > 0) info.allowed_updates = this.webhook.allowed_updates;
      if (this.webhook.last_error_date) {
        info.last_error_date = this.webhook.last_error_date;
        info.last_error_message = this.webhook.last_error_message;
      }
    }
    return info;
  }

  private setWebhook(params: Record<string, unknown>): { value: unknown; description: string } {
    const url = String(params.url ?? '');
    if (url === '') return this.deleteWebhook(params);
    if (!/^https?:\/\/[^/]+/.test(url)) throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
    const secret = params.secret_token === undefined ? undefined : String(params.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest('secret token contains unallowed characters');
    }
    const allowed = parseJsonParam(params.allowed_updates, 'allowed_updates');
    if (allowed !== undefined && !Array.isArray(allowed)) throw badRequest("can't parse allowed updates");
    const maxConnections = params.max_connections === undefined ? 40 : Number(params.max_connections);
    if (!(maxConnections >= 1 && maxConnections <= 100)) throw badRequest('invalid max_connections');
    if (isTrue(params.drop_pending_updates)) this.pending.length = 0;
    const unchanged = this.webhook?.url === url && this.webhook.secret_token === secret;
    this.webhook = {
      url,
      secret_token: secret,
      allowed_updates: (allowed as string[] | undefined) ?? this.webhook?.allowed_updates ?? [],
      max_connections: maxConnections,
    };
    this.pump();
    return { value: true, description: unchanged ? 'Webhook is already set' : 'Webhook was set' };
  }

  private deleteWebhook(params: Record<string, unknown>): { value: unknown; description: string } {
    const had = this.webhook !== undefined;
    this.webhook = undefined;
    if (isTrue(params.drop_pending_updates)) this.pending.length = 0;
    return { value: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
  }

  private getUpdates(params: Record<string, unknown>): TelegramUpdate[] {
    if (this.webhook) {
      throw new BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = params.offset === undefined ? 0 : Number(params.offset);
    if (offset > 0) {
      // Confirms every update below the offset, as Telegram does.
      for (let i = this.pending.length - 1; i >= 0; i--) {
        if (this.pending[i].update.update_id < offset) this.pending.splice(i, 1);
      }
    }
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    return this.pending.slice(0, limit).map((delivery) => delivery.update);
  }

  private sendMessage(params: Record<string, unknown>): TelegramMessage {
    const state = this.requireChat(params.chat_id);
    const { text, entities } = this.parseText(params.text, params.parse_mode, 'message text is empty');
    const replyMarkup = parseReplyMarkup(params.reply_markup);
    const message: TelegramMessage = {
      message_id: state.nextMessageId++,
      from: this.bot,
      chat: state.chat,
      date: now(),
      text,
      ...(entities.length > 0 ? { entities } : {}),
    };
    const replyTo = params.reply_to_message_id ?? (params.reply_parameters as { message_id?: unknown } | undefined)?.message_id;
    if (replyTo !== undefined) {
      const original = state.messages.get(Number(replyTo));
      if (!original || original.deleted) throw badRequest('message to be replied not found');
      message.reply_to_message = original.message;
    }
    if (replyMarkup?.inline_keyboard) message.reply_markup = replyMarkup;
    state.messages.set(message.message_id, { message, sender: 'bot', kind: 'text', deleted: false, pressed: [] });
    return message;
  }

  private editMessageText(params: Record<string, unknown>): TelegramMessage {
    const stored = this.requireEditableMessage(params);
    const { text, entities } = this.parseText(params.text, params.parse_mode, 'text must be non-empty');
    const replyMarkup = parseReplyMarkup(params.reply_markup);
    const current = stored.message;
    const nextEntities = entities.length > 0 ? entities : undefined;
    const nextMarkup = replyMarkup?.inline_keyboard ? replyMarkup : undefined;
    if (current.text === text && deepEqual(current.entities, nextEntities) && deepEqual(current.reply_markup, nextMarkup)) {
      throw new BotApiError(400, NOT_MODIFIED);
    }
    // Like Telegram, an edit without reply_markup removes the inline keyboard.
    stored.message = { ...current, text, entities: nextEntities, reply_markup: nextMarkup, edit_date: now() };
    if (!nextEntities) delete stored.message.entities;
    if (!nextMarkup) delete stored.message.reply_markup;
    return stored.message;
  }

  private editMessageReplyMarkup(params: Record<string, unknown>): TelegramMessage {
    const stored = this.requireEditableMessage(params);
    const replyMarkup = parseReplyMarkup(params.reply_markup);
    const nextMarkup = replyMarkup?.inline_keyboard && replyMarkup.inline_keyboard.length > 0 ? replyMarkup : undefined;
    if (deepEqual(stored.message.reply_markup, nextMarkup)) throw new BotApiError(400, NOT_MODIFIED);
    stored.message = { ...stored.message, reply_markup: nextMarkup, edit_date: now() };
    if (!nextMarkup) delete stored.message.reply_markup;
    return stored.message;
  }

  private answerCallbackQuery(params: Record<string, unknown>): boolean {
    const id = String(params.callback_query_id ?? '');
    const query = this.callbackQueries.get(id);
    if (!query || query.answered) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    if (params.text !== undefined && String(params.text).length > 200) throw badRequest('MESSAGE_TOO_LONG');
    query.answered = true;
    return true;
  }

  private deleteMessage(params: Record<string, unknown>): boolean {
    const state = this.requireChat(params.chat_id);
    const stored = state.messages.get(Number(params.message_id));
    if (!stored || stored.deleted) throw badRequest('message to delete not found');
    stored.deleted = true;
    return true;
  }

  private parseText(raw: unknown, parseMode: unknown, emptyDescription: string): { text: string; entities: MessageEntity[] } {
    if (raw === undefined || raw === null || String(raw) === '') throw badRequest(emptyDescription);
    let parsed;
    try {
      parsed = trimParsedText(parseFormattedText(String(raw), parseMode === undefined ? undefined : String(parseMode)));
    } catch (error) {
      if (error instanceof EntityParseError) throw badRequest(error.message);
      throw error;
    }
    if (parsed.text.length === 0) throw badRequest(emptyDescription);
    if (parsed.text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
    return parsed;
  }

  private requireChat(chatId: unknown): ChatState {
    if (chatId === undefined || chatId === null || chatId === '') throw badRequest('chat_id is empty');
    const state = this.chats.get(Number(chatId));
    if (!state) throw badRequest('chat not found');
    return state;
  }

  private requireEditableMessage(params: Record<string, unknown>): StoredMessage {
    if (params.inline_message_id !== undefined) throw badRequest('MESSAGE_ID_INVALID');
    const state = this.requireChat(params.chat_id);
    const stored = state.messages.get(Number(params.message_id));
    if (!stored || stored.deleted) throw badRequest('message to edit not found');
    if (stored.sender !== 'bot') throw badRequest("message can't be edited");
    return stored;
  }

  // ---------------------------------------------------------------- the user's side

  private chatFor(spec: UserSpec): ChatState {
    const userId = spec.userId ?? DEFAULT_TEST_USER.userId;
    let state = this.chats.get(userId);
    if (!state) {
      const user: TelegramUser = {
        id: userId,
        is_bot: false,
        first_name: spec.firstName ?? (userId === DEFAULT_TEST_USER.userId ? DEFAULT_TEST_USER.firstName : `User${userId}`),
        username: spec.username ?? (userId === DEFAULT_TEST_USER.userId ? DEFAULT_TEST_USER.username : `user${userId}`),
        language_code: spec.languageCode ?? DEFAULT_TEST_USER.languageCode,
      };
      if (spec.lastName) user.last_name = spec.lastName;
      const chat: TelegramChat = { id: userId, type: 'private', first_name: user.first_name };
      if (user.last_name) chat.last_name = user.last_name;
      if (user.username) chat.username = user.username;
      state = { chat, user, nextMessageId: 1, messages: new Map() };
      this.chats.set(userId, state);
    }
    return state;
  }

  /**
   * The user sends a text message; returns the update queued for delivery. `date` (unix seconds)
   * is when Telegram says it was sent: default now; a test sets it to deliver a message late.
   */
  sendUserText(spec: UserSpec & { text: string; replyToMessageId?: number; date?: number }): TelegramUpdate {
    if (!spec.text) throw new ControlError(400, 'text is required');
    if (spec.date !== undefined && (!Number.isInteger(spec.date) || spec.date <= 0)) throw new ControlError(400, 'date must be unix seconds');
    const state = this.chatFor(spec);
    const message: TelegramMessage = { message_id: state.nextMessageId++, from: state.user, chat: state.chat, date: spec.date ?? now(), text: spec.text };
    const commandLength = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(spec.text)?.[0].length;
    if (commandLength) message.entities = [{ type: 'bot_command', offset: 0, length: commandLength }];
    if (spec.replyToMessageId !== undefined) {
      const original = state.messages.get(spec.replyToMessageId);
      if (!original) throw new ControlError(404, `no message ${spec.replyToMessageId} in chat ${state.chat.id}`);
      message.reply_to_message = original.message;
    }
    state.messages.set(message.message_id, { message, sender: 'user', kind: 'text', deleted: false, pressed: [] });
    return this.enqueue({ update_id: this.nextUpdateId++, message });
  }

  /**
   * The user sends a sticker, a photo, a voice note or an audio file. A photo, voice note or
   * audio file is a file the bot can fetch (getFile and the download URL): it "says" or "shows"
   * what the spec gives (emulators/media.ts), which the scripted Gemini reads back.
   */
  sendUserMedia(spec: UserSpec & MediaSpec): TelegramUpdate {
    const state = this.chatFor(spec);
    if (spec.fileSize !== undefined && (!Number.isSafeInteger(spec.fileSize) || spec.fileSize < 0)) throw new ControlError(400, 'fileSize must be a whole number of bytes');
    const message: TelegramMessage = { message_id: state.nextMessageId++, from: state.user, chat: state.chat, date: now() };
    const file = (kind: EmulatedMediaKind, content: Buffer) => this.storeFile(kind, content, spec.fileSize ?? content.length);
    const described = (stored: StoredFile, extra: Record<string, unknown>) => ({
      file_id: stored.fileId,
      file_unique_id: stored.fileUniqueId,
      ...extra,
      ...(spec.omitFileSize ? {} : { file_size: stored.size }),
    });
    if (spec.kind === 'sticker') {
      message.sticker = { file_id: `CAAC${randomBytes(12).toString('base64url')}`, file_unique_id: randomBytes(6).toString('base64url'), type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍', set_name: 'TestStickers', file_size: 23000 };
    } else if (spec.kind === 'photo') {
      const content = emulatedMediaFile({ kind: 'photo', shows: spec.shows ?? '', summary: spec.summary });
      // Telegram's sizes, smallest first; the largest is the file as sent.
      message.photo = [90, 320].map((side) => described(file('photo', emulatedMediaFile({ kind: 'photo', shows: '' })), { width: side, height: Math.round(side * 0.75) }));
      message.photo.push(described(file('photo', content), { width: 1280, height: 960 }));
    } else if (spec.kind === 'voice' || spec.kind === 'audio') {
      const stored = file(spec.kind, emulatedMediaFile({ kind: spec.kind, says: spec.says ?? '' }));
      const extra = spec.kind === 'voice' ? { duration: 3, mime_type: 'audio/ogg' } : { duration: 42, mime_type: 'audio/mpeg', title: 'Recording', file_name: 'recording.mp3' };
      message[spec.kind] = described(stored, extra);
    } else {
      throw new ControlError(400, `unknown media kind "${String(spec.kind)}"`);
    }
    if (spec.caption && spec.kind !== 'sticker') message.caption = spec.caption;
    state.messages.set(message.message_id, { message, sender: 'user', kind: spec.kind, deleted: false, pressed: [] });
    return this.enqueue({ update_id: this.nextUpdateId++, message });
  }

  /** The bot's downloads of files (GET /file/bot<token>/<path>), in order. */
  downloadsSince(index = 0): RecordedDownload[] {
    return this.downloads.slice(index);
  }

  /** The user edits one of their text messages: an `edited_message` update. */
  editUserText(spec: UserSpec & { messageId: number; text: string }): TelegramUpdate {
    const state = this.chatFor(spec);
    const stored = state.messages.get(spec.messageId);
    if (!stored || stored.sender !== 'user' || stored.kind !== 'text') {
      throw new ControlError(404, `no text message ${spec.messageId} from the user in chat ${state.chat.id}`);
    }
    stored.message = { ...stored.message, text: spec.text, edit_date: now() };
    return this.enqueue({ update_id: this.nextUpdateId++, edited_message: stored.message });
  }

  /** The user presses an inline button that is currently shown on a bot message. */
  pressButton(spec: UserSpec & { messageId: number; data: string }): TelegramUpdate {
    const state = this.chatFor(spec);
    const stored = state.messages.get(spec.messageId);
    if (!stored || stored.sender !== 'bot' || stored.deleted) {
      throw new ControlError(404, `no bot message ${spec.messageId} in chat ${state.chat.id}`);
    }
    const buttons = (stored.message.reply_markup?.inline_keyboard ?? []).flat();
    if (!buttons.some((button) => button.callback_data === spec.data)) {
      const shown = buttons.map((button) => button.callback_data).filter(Boolean).join(', ') || 'none';
      throw new ControlError(409, `message ${spec.messageId} shows no button with callback_data "${spec.data}" (shown: ${shown})`);
    }
    stored.pressed.push(spec.data);
    const id = (BigInt(state.user.id) * 1000000n + BigInt(this.nextUpdateId)).toString();
    this.callbackQueries.set(id, { answered: false });
    const callbackQuery: CallbackQuery = {
      id,
      from: state.user,
      message: stored.message,
      chat_instance: this.botChatInstance,
      data: spec.data,
    };
    return this.enqueue({ update_id: this.nextUpdateId++, callback_query: callbackQuery });
  }

  /** Sends an already delivered update again, same update_id, as Telegram does after a lost answer. */
  redeliver(updateId: number): TelegramUpdate {
    const original = this.deliveries.find((delivery) => delivery.update.update_id === updateId);
    if (!original) throw new ControlError(404, `no update ${updateId}`);
    return this.enqueue(original.update);
  }

  // ---------------------------------------------------------------- webhook delivery

  private enqueue(update: TelegramUpdate): TelegramUpdate {
    const delivery: UpdateDelivery = { update, createdAt: new Date().toISOString(), attempts: 0 };
    this.deliveries.push(delivery);
    this.pending.push(delivery);
    this.pump();
    this.notifyWaiters();
    return update;
  }

  private updateChatId(update: TelegramUpdate): number {
    return (update.message ?? update.edited_message ?? update.callback_query?.message)?.chat.id ?? 0;
  }

  private updateType(update: TelegramUpdate): string {
    return Object.keys(update).find((key) => key !== 'update_id') ?? '';
  }

  /** Starts deliveries: at most max_connections at once, one at a time per chat, oldest first. */
  private pump(): void {
    const webhook = this.webhook;
    if (!webhook || !this.server) return;
    for (const delivery of [...this.pending]) {
      if (this.inFlight >= webhook.max_connections) return;
      const chatId = this.updateChatId(delivery.update);
      if (this.inFlightChats.has(chatId)) continue;
      const allowed = webhook.allowed_updates;
      if (allowed.length > 0 && !allowed.includes(this.updateType(delivery.update))) {
        // Telegram never sends update types the bot did not ask for.
        this.pending.splice(this.pending.indexOf(delivery), 1);
        delivery.lastError = 'not in allowed_updates';
        continue;
      }
      this.inFlight += 1;
      this.inFlightChats.add(chatId);
      void this.deliver(webhook, delivery).finally(() => {
        this.inFlight -= 1;
        this.inFlightChats.delete(chatId);
        this.notifyWaiters();
        this.pump();
      });
    }
  }

  private async deliver(webhook: WebhookState, delivery: UpdateDelivery): Promise<void> {
    delivery.attempts += 1;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (webhook.secret_token) headers['x-telegram-bot-api-secret-token'] = webhook.secret_token;
    let failure: string | undefined;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(delivery.update),
        signal: AbortSignal.timeout(this.deliveryTimeoutMs),
      });
      delivery.lastStatus = response.status;
      await response.arrayBuffer();
      if (!response.ok) failure = `Wrong response from the webhook: ${response.status} ${response.statusText}`;
    } catch (error) {
      failure = `Connection refused (${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)})`;
    }
    if (failure === undefined) {
      delivery.deliveredAt = new Date().toISOString();
      delivery.lastError = undefined;
      const index = this.pending.indexOf(delivery);
      if (index !== -1) this.pending.splice(index, 1);
      return;
    }
    delivery.lastError = failure;
    webhook.last_error_date = now();
    webhook.last_error_message = failure;
    // The update stays pending and keeps its chat blocked until a later attempt succeeds, like
    // Telegram; the retry starts from pump() once this delivery settles.
    await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs).unref());
  }

  // ---------------------------------------------------------------- inspection

  history(chatId: number): ChatHistoryEntry[] {
    const state = this.chats.get(chatId);
    if (!state) return [];
    return [...state.messages.values()]
      .sort((a, b) => a.message.message_id - b.message.message_id)
      .map(({ message, sender, kind, deleted, pressed }) => ({
        message_id: message.message_id,
        sender,
        kind,
        text: message.text ?? message.caption,
        entities: message.entities,
        reply_markup: message.reply_markup,
        date: message.date,
        edit_date: message.edit_date,
        deleted,
        pressed: [...pressed],
      }));
  }

  callsSince(sinceSeq = 0, method?: string): RecordedBotCall[] {
    const wanted = method?.toLowerCase();
    return this.calls.filter((call) => call.seq > sinceSeq && (!wanted || call.method.toLowerCase() === wanted));
  }

  /** Resolves with the first truthy value of `matches`, checked now and after every event; undefined on timeout. */
  waitFor<T>(matches: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const immediate = matches();
    if (immediate) return Promise.resolve(immediate);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        matches,
        resolve: (value) => {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(value as T | undefined);
        },
      };
      const timer = setTimeout(() => waiter.resolve(undefined), timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) {
      const value = waiter.matches();
      if (value) waiter.resolve(value);
    }
  }

  /** The HTTP status n8n's webhook last answered an update's delivery with (undefined until delivered). */
  deliveryStatus(updateId: number | undefined): number | undefined {
    return this.deliveries.find((delivery) => delivery.update.update_id === updateId)?.lastStatus;
  }

  /** Carries out the next `count` calls of `method` (a message is delivered) and then drops the connection instead of answering. */
  loseAnswerNext(method: string, count = 1): void {
    this.lostAnswers.push({ method, remaining: count });
  }

  /** Forgets conversations, calls and updates; keeps the webhook and keeps ids growing. */
  reset(): void {
    for (const state of this.chats.values()) state.messages.clear();
    this.calls.length = 0;
    this.deliveries.length = 0;
    this.pending.length = 0;
    this.failures.length = 0;
    this.lostAnswers.length = 0;
    this.callbackQueries.clear();
    this.files.clear();
    this.downloads.length = 0;
  }

  // ---------------------------------------------------------------- persistence (playground)

  /**
   * The conversations as plain JSON, for the playground to keep across restarts. Calls,
   * deliveries, the webhook, injected failures and the files of voice notes and photos (only
   * their messages) are not included: n8n registers its webhook again on start.
   */
  exportState(): TelegramEmulatorState {
    return {
      nextUpdateId: this.nextUpdateId,
      chats: [...this.chats.values()].map((state) => ({
        chat: state.chat,
        user: state.user,
        nextMessageId: state.nextMessageId,
        messages: [...state.messages.values()],
      })),
    };
  }

  /** Restores conversations saved by exportState() (replacing the current ones). */
  importState(saved: TelegramEmulatorState): void {
    this.chats.clear();
    this.nextUpdateId = Math.max(this.nextUpdateId, saved.nextUpdateId);
    for (const entry of saved.chats) {
      const messages = new Map(entry.messages.map((stored) => [stored.message.message_id, stored] as const));
      this.chats.set(entry.chat.id, { chat: entry.chat, user: entry.user, nextMessageId: entry.nextMessageId, messages });
    }
    this.notifyWaiters();
  }

  // ---------------------------------------------------------------- control API

  private async control(method: string, url: URL, body: Record<string, unknown>): Promise<unknown> {
    const route = `${method} ${url.pathname.slice('/_control'.length)}`;
    const chatMatch = /^GET \/chats\/(-?\d+)\/history$/.exec(route);
    if (chatMatch) return { messages: this.history(Number(chatMatch[1])) };
    switch (route) {
      case 'GET /info':
        return { token: this.token, bot: this.bot, baseUrl: this.url };
      case 'POST /sendMessage':
        return this.sendUserText(body as unknown as UserSpec & { text: string });
      case 'POST /sendMedia':
        return this.sendUserMedia(body as unknown as UserSpec & MediaSpec);
      case 'GET /downloads':
        return { downloads: this.downloadsSince(Number(url.searchParams.get('since') ?? 0)) };
      case 'POST /editMessage':
        return this.editUserText(body as unknown as UserSpec & { messageId: number; text: string });
      case 'POST /pressButton':
        return this.pressButton(body as unknown as UserSpec & { messageId: number; data: string });
      case 'POST /redeliver':
        return this.redeliver(Number(body.updateId));
      case 'GET /calls':
        return { calls: this.callsSince(Number(url.searchParams.get('since') ?? 0), url.searchParams.get('method') ?? undefined) };
      case 'GET /outbox':
        return { calls: this.callsSince(Number(url.searchParams.get('since') ?? 0)).filter((call) => call.response.ok && isMessageCall(call.method)) };
      case 'GET /chats':
        return { chats: [...this.chats.values()].map((state) => ({ chat: state.chat, user: state.user })) };
      case 'GET /webhook':
        return { webhook: this.webhook ?? null, pending: this.pending.map((d) => d.update.update_id), inFlight: this.inFlight };
      case 'GET /updates':
        return { updates: this.deliveries };
      case 'POST /waitForBotMessage':
        return this.waitForBotMessage(body);
      case 'POST /waitForCall':
        return this.waitForCall(body);
      case 'POST /waitForDelivery':
        return this.waitForDelivery(body);
      case 'POST /failNext':
        this.failures.push({
          method: String(body.method),
          remaining: Number(body.count ?? 1),
          errorCode: Number(body.errorCode ?? 429),
          description: String(body.description ?? 'Too Many Requests: retry after 1'),
          retryAfter: body.retryAfter === undefined ? undefined : Number(body.retryAfter),
        });
        return {};
      case 'POST /loseAnswerNext':
        this.loseAnswerNext(String(body.method), Number(body.count ?? 1));
        return {};
      case 'POST /reset':
        this.reset();
        return {};
      default:
        throw new ControlError(404, `unknown control route ${route}`);
    }
  }

  private async waitForBotMessage(body: Record<string, unknown>): Promise<unknown> {
    const chatId = Number(body.chatId ?? DEFAULT_TEST_USER.userId);
    const afterMessageId = Number(body.afterMessageId ?? 0);
    const textIncludes = body.textIncludes === undefined ? undefined : String(body.textIncludes);
    const found = await this.waitFor(
      () =>
        this.history(chatId).find(
          (entry) => entry.sender === 'bot' && entry.message_id > afterMessageId && (!textIncludes || (entry.text ?? '').includes(textIncludes)),
        ),
      Number(body.timeoutMs ?? 10_000),
    );
    if (!found) {
      throw new ControlError(408, `no bot message in chat ${chatId} after message ${afterMessageId}${textIncludes ? ` containing "${textIncludes}"` : ''} within ${Number(body.timeoutMs ?? 10_000)} ms`);
    }
    return found;
  }

  private async waitForCall(body: Record<string, unknown>): Promise<unknown> {
    const method = body.method === undefined ? undefined : String(body.method);
    const chatId = body.chatId === undefined ? undefined : Number(body.chatId);
    const found = await this.waitFor(
      () => this.callsSince(Number(body.sinceSeq ?? 0), method).find((call) => chatId === undefined || Number(call.params.chat_id) === chatId),
      Number(body.timeoutMs ?? 10_000),
    );
    if (!found) throw new ControlError(408, `no ${method ?? 'bot'} call${chatId === undefined ? '' : ` for chat ${chatId}`} within ${Number(body.timeoutMs ?? 10_000)} ms`);
    return found;
  }

  private async waitForDelivery(body: Record<string, unknown>): Promise<unknown> {
    const updateId = Number(body.updateId);
    const found = await this.waitFor(
      () => this.deliveries.find((delivery) => delivery.update.update_id === updateId && delivery.deliveredAt && !this.pending.includes(delivery)),
      Number(body.timeoutMs ?? 10_000),
    );
    if (!found) throw new ControlError(408, `update ${updateId} was not delivered within ${Number(body.timeoutMs ?? 10_000)} ms`);
    return found;
  }
}

// ---------------------------------------------------------------- helpers

function isMessageCall(method: string): boolean {
  return ['sendmessage', 'editmessagetext', 'editmessagereplymarkup', 'deletemessage'].includes(method.toLowerCase());
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

function parseJsonParam(value: unknown, name: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`can't parse ${name} JSON object`);
  }
}

function parseReplyMarkup(raw: unknown): ReplyMarkup | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let markup: unknown;
  try {
    markup = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  if (typeof markup !== 'object' || markup === null || Array.isArray(markup)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const { inline_keyboard: keyboard } = markup as ReplyMarkup;
  if (keyboard === undefined) return markup as ReplyMarkup;
  if (!Array.isArray(keyboard) || keyboard.some((row) => !Array.isArray(row))) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  for (const row of keyboard) {
    for (const button of row) {
      if (typeof button !== 'object' || button === null || typeof button.text !== 'string') {
        throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
      if (button.text === '') throw badRequest('BUTTON_TEXT_INVALID');
      const actions = BUTTON_ACTION_FIELDS.filter((field) => button[field] !== undefined);
      if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if (button.callback_data !== undefined) {
        const bytes = Buffer.byteLength(String(button.callback_data), 'utf8');
        if (typeof button.callback_data !== 'string' || bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
      }
      if (button.url !== undefined && !/^(https?|tg):\/\/\S+$/.test(String(button.url))) throw badRequest('BUTTON_URL_INVALID');
    }
  }
  return markup as ReplyMarkup;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Query string, JSON or form body, merged the way the Bot API accepts parameters. */
function parseBody(req: IncomingMessage, body: string, url: URL): Record<string, unknown> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = String(req.headers['content-type'] ?? '');
  if (body.trim() === '') return params;
  if (type.includes('application/x-www-form-urlencoded')) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
  }
  const parsed: unknown = JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('JSON body must be an object');
  return { ...params, ...(parsed as Record<string, unknown>) };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const payload = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}
