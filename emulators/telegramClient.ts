// Typed client for the Telegram emulator's control API, for tests running in another process
// than the emulator (jest workers vs. globalSetup). Only fetch and erasable TypeScript.
import type {
  ChatHistoryEntry,
  MediaSpec,
  RecordedBotCall,
  RecordedDownload,
  TelegramUpdate,
  UpdateDelivery,
  UserSpec,
  WebhookState,
} from './telegram';

export type { ChatHistoryEntry, MediaSpec, RecordedBotCall, RecordedDownload, TelegramUpdate, UserSpec } from './telegram';

export class TelegramControlClient {
  readonly baseUrl: string;

  /** @param baseUrl the emulator's base URL (the telegramApi credential's baseUrl). */
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  /** The user sends a text message. Defaults to DEFAULT_TEST_USER when no userId is given. */
  sendMessage(spec: UserSpec & { text: string; replyToMessageId?: number }): Promise<TelegramUpdate> {
    return this.request('POST', '/sendMessage', spec);
  }

  /** The user sends a sticker, photo, voice note or audio file (`says` / `shows`: what the scripted Gemini hears or reads in it). */
  sendMedia(spec: UserSpec & MediaSpec): Promise<TelegramUpdate> {
    return this.request('POST', '/sendMedia', spec);
  }

  /** The bot's downloads of files (GET /file/bot<token>/<path>) from index `since` on. */
  async downloads(since = 0): Promise<RecordedDownload[]> {
    return (await this.request<{ downloads: RecordedDownload[] }>('GET', `/downloads?since=${since}`)).downloads;
  }

  editMessage(spec: UserSpec & { messageId: number; text: string }): Promise<TelegramUpdate> {
    return this.request('POST', '/editMessage', spec);
  }

  /** Presses a button currently shown on a bot message; rejects if no such button is shown. */
  pressButton(spec: UserSpec & { messageId: number; data: string }): Promise<TelegramUpdate> {
    return this.request('POST', '/pressButton', spec);
  }

  /** Delivers an update again with the same update_id. */
  redeliver(updateId: number): Promise<TelegramUpdate> {
    return this.request('POST', '/redeliver', { updateId });
  }

  async history(chatId: number): Promise<ChatHistoryEntry[]> {
    return (await this.request<{ messages: ChatHistoryEntry[] }>('GET', `/chats/${chatId}/history`)).messages;
  }

  /** Every Bot API call after `sinceSeq`, failed ones included. */
  async calls(options: { sinceSeq?: number; method?: string } = {}): Promise<RecordedBotCall[]> {
    const query = new URLSearchParams({ since: String(options.sinceSeq ?? 0) });
    if (options.method) query.set('method', options.method);
    return (await this.request<{ calls: RecordedBotCall[] }>('GET', `/calls?${query}`)).calls;
  }

  /** Successful sendMessage / edit / delete calls after `sinceSeq`. */
  async outbox(sinceSeq = 0): Promise<RecordedBotCall[]> {
    return (await this.request<{ calls: RecordedBotCall[] }>('GET', `/outbox?since=${sinceSeq}`)).calls;
  }

  /** Sequence number of the latest recorded call, to use as `sinceSeq` later. */
  async lastCallSeq(): Promise<number> {
    const all = await this.calls();
    return all.length === 0 ? 0 : all[all.length - 1].seq;
  }

  webhook(): Promise<{ webhook: WebhookState | null; pending: number[]; inFlight: number }> {
    return this.request('GET', '/webhook');
  }

  async updates(): Promise<UpdateDelivery[]> {
    return (await this.request<{ updates: UpdateDelivery[] }>('GET', '/updates')).updates;
  }

  /** First bot message in the chat with message_id above `afterMessageId`; rejects after the timeout. */
  waitForBotMessage(options: { chatId?: number; afterMessageId?: number; textIncludes?: string; timeoutMs?: number }): Promise<ChatHistoryEntry> {
    return this.request('POST', '/waitForBotMessage', options);
  }

  /** First call (optionally of one method, for one chat) after `sinceSeq`; rejects after the timeout. */
  waitForCall(options: { method?: string; chatId?: number; sinceSeq?: number; timeoutMs?: number }): Promise<RecordedBotCall> {
    return this.request('POST', '/waitForCall', options);
  }

  /** Resolves once the webhook answered 2xx for the update. */
  waitForDelivery(options: { updateId: number; timeoutMs?: number }): Promise<UpdateDelivery> {
    return this.request('POST', '/waitForDelivery', options);
  }

  /** Makes the next `count` calls of `method` fail with the given error (default 429). */
  failNext(options: { method: string; count?: number; errorCode?: number; description?: string; retryAfter?: number }): Promise<void> {
    return this.request('POST', '/failNext', options);
  }

  /** Carries out the next `count` calls of `method` (a message is delivered) and then drops the connection instead of answering. */
  loseAnswerNext(options: { method: string; count?: number }): Promise<void> {
    return this.request('POST', '/loseAnswerNext', options);
  }

  /** Forgets conversations, calls and updates; keeps the webhook n8n registered. */
  reset(): Promise<void> {
    return this.request('POST', '/reset', {});
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const timeoutMs = Number((body as { timeoutMs?: number } | undefined)?.timeoutMs ?? 0);
    const response = await fetch(`${this.baseUrl}/_control${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs + 30_000),
    });
    const payload = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`Telegram emulator ${method} ${path}: ${response.status} ${payload.error ?? ''}`);
    return payload;
  }
}
