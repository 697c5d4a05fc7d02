// The Telegram emulator answers like the Bot API and delivers updates like Telegram's webhook.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegramEmulator, type TelegramUpdate } from '../emulators/telegram';
import { TelegramControlClient } from '../emulators/telegramClient';

const TOKEN = '123456:TEST-token';
const USER = { userId: 1001, firstName: 'Grace' };

let emulator: TelegramEmulator;
let control: TelegramControlClient;

async function bot(method: string, params: Record<string, unknown> = {}, token = TOKEN): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A webhook receiver that answers with the given status and records what it got. */
async function webhookReceiver(statuses: number[] = []) {
  const received: { update: TelegramUpdate; secret: string | undefined }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ update: JSON.parse(body) as TelegramUpdate, secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise((r) => server.close(r)) };
}

beforeEach(async () => {
  emulator = await new TelegramEmulator({ token: TOKEN, retryDelayMs: 50 }).start();
  control = new TelegramControlClient(emulator.url);
});
afterEach(() => emulator.stop());

describe('Bot API answers', () => {
  it('rejects a wrong token with 401 Unauthorized', async () => {
    expect(await bot('getMe', {}, '123456:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
  });

  it('answers getMe with the bot user', async () => {
    const { body } = await bot('getMe');
    expect(body).toMatchObject({ ok: true, result: { id: 123456, is_bot: true } });
  });

  it('answers an unknown method with 404', async () => {
    expect((await bot('sendTelepathy')).body).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });

  it('does not know a chat before the user wrote to the bot', async () => {
    expect((await bot('sendMessage', { chat_id: 1001, text: 'hi' })).body.description).toBe('Bad Request: chat not found');
  });

  describe('sendMessage text rules', () => {
    beforeEach(async () => {
      await control.sendMessage({ ...USER, text: 'hello' });
    });
    const send = (params: Record<string, unknown>) => bot('sendMessage', { chat_id: USER.userId, ...params });

    it.each([
      ['a < b', 'HTML', /^Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2$/],
      ['Tom & Jerry', 'HTML', /^Bad Request: can't parse entities: .*"&" at byte offset 4$/],
      ['<b>bold', 'HTML', /^Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"$/],
      ['<b>x</i>', 'HTML', /^Bad Request: can't parse entities: Unmatched end tag at byte offset 4, expected "<\/b>", found "<\/i>"$/],
      ['<div>x</div>', 'HTML', /^Bad Request: can't parse entities: Unsupported start tag "div" at byte offset 0$/],
      ['<span>x</span>', 'HTML', /^Bad Request: can't parse entities: Tag "span" must have class "tg-spoiler"/],
      ['snake_case', 'Markdown', /^Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 5$/],
      ['2*3', 'Markdown', /^Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 1$/],
      ['see [docs', 'Markdown', /^Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 4$/],
      ['Done.', 'MarkdownV2', /^Bad Request: can't parse entities: Character '\.' is reserved/],
    ])('rejects %j with parse_mode %s', async (text, parseMode, description) => {
      const { status, body } = await send({ text, parse_mode: parseMode });
      expect(status).toBe(400);
      expect(body.description).toMatch(description);
    });

    it('accepts the HTML n8n sends, with entities and the escaped text decoded', async () => {
      const text = 'Echo: <b>Tom &amp; Jerry &lt;3</b>\n\n<em>sent by</em><a href="https://n8n.io" target="_blank">n8n</a>';
      const { body } = await send({ text, parse_mode: 'HTML' });
      expect(body.result).toMatchObject({
        text: 'Echo: Tom & Jerry <3\n\nsent byn8n',
        entities: [
          { type: 'bold', offset: 6, length: 14 },
          { type: 'italic', offset: 22, length: 7 },
          { type: 'text_link', offset: 29, length: 3, url: 'https://n8n.io' },
        ],
      });
    });

    it('accepts legacy Markdown entities and escapes', async () => {
      const { body } = await send({ text: '*Buy* _milk_ snake\\_case', parse_mode: 'Markdown' });
      expect(body.result).toMatchObject({ text: 'Buy milk snake_case', entities: [{ type: 'bold', offset: 0, length: 3 }, { type: 'italic', offset: 4, length: 4 }] });
    });

    it('counts length after entity parsing: 4096 characters pass, 4097 do not', async () => {
      expect((await send({ text: `<b>${'x'.repeat(4096)}</b>`, parse_mode: 'HTML' })).status).toBe(200);
      expect((await send({ text: 'x'.repeat(4097) })).body.description).toBe('Bad Request: message is too long');
    });

    it('rejects text that is empty after parsing', async () => {
      expect((await send({ text: '<b> </b>', parse_mode: 'HTML' })).body.description).toBe('Bad Request: message text is empty');
      expect((await send({})).body.description).toBe('Bad Request: message text is empty');
    });

    it('validates inline keyboards: callback_data 1..64 bytes, no bare text buttons', async () => {
      const keyboard = (button: Record<string, unknown>) => ({ text: 'Draft', reply_markup: { inline_keyboard: [[{ text: 'OK', ...button }]] } });
      expect((await send(keyboard({ callback_data: 'é'.repeat(32) }))).status).toBe(200);
      expect((await send(keyboard({ callback_data: 'é'.repeat(33) }))).body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
      expect((await send(keyboard({ callback_data: '' }))).body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
      expect((await send(keyboard({}))).body.description).toMatch(/Text buttons are unallowed in the inline keyboard/);
    });

    it('accepts form-encoded parameters with reply_markup as a JSON string', async () => {
      const response = await fetch(`${emulator.url}/bot${TOKEN}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ chat_id: String(USER.userId), text: 'Draft', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] }) }),
      });
      expect(await response.json()).toMatchObject({ ok: true, result: { text: 'Draft', reply_markup: { inline_keyboard: [[{ callback_data: 'ok' }]] } } });
    });
  });

  describe('edits', () => {
    const markup = { inline_keyboard: [[{ text: '✅ Confirm', callback_data: 'confirm:1' }]] };
    let messageId: number;
    beforeEach(async () => {
      await control.sendMessage({ ...USER, text: 'buy milk' });
      messageId = ((await bot('sendMessage', { chat_id: USER.userId, text: 'Draft', reply_markup: markup })).body.result as { message_id: number }).message_id;
    });

    it('refuses an editMessageReplyMarkup that changes nothing', async () => {
      const { status, body } = await bot('editMessageReplyMarkup', { chat_id: USER.userId, message_id: messageId, reply_markup: markup });
      expect(status).toBe(400);
      expect(body.description).toMatch(/^Bad Request: message is not modified/);
    });

    it('removes the keyboard when editMessageText has no reply_markup, and shows it in the history', async () => {
      await bot('editMessageText', { chat_id: USER.userId, message_id: messageId, text: 'Created ✅' });
      const history = await control.history(USER.userId);
      expect(history.map(({ sender, text, reply_markup }) => ({ sender, text, reply_markup }))).toEqual([
        { sender: 'user', text: 'buy milk', reply_markup: undefined },
        { sender: 'bot', text: 'Created ✅', reply_markup: undefined },
      ]);
    });

    it('refuses to edit a missing message or the user’s message', async () => {
      expect((await bot('editMessageText', { chat_id: USER.userId, message_id: 99, text: 'x' })).body.description).toBe('Bad Request: message to edit not found');
      expect((await bot('editMessageText', { chat_id: USER.userId, message_id: 1, text: 'x' })).body.description).toBe("Bad Request: message can't be edited");
    });

    it('lets the user press only a button that is shown, and answers its callback query once', async () => {
      await expect(control.pressButton({ ...USER, messageId, data: 'cancel:1' })).rejects.toThrow(/no button with callback_data "cancel:1"/);
      const update = await control.pressButton({ ...USER, messageId, data: 'confirm:1' });
      expect(update.callback_query).toMatchObject({ data: 'confirm:1', from: { id: USER.userId, is_bot: false }, message: { message_id: messageId, reply_markup: markup } });
      const answer = (id: string) => bot('answerCallbackQuery', { callback_query_id: id, text: 'Done' });
      expect((await answer(update.callback_query?.id ?? '')).body).toEqual({ ok: true, result: true });
      expect((await answer(update.callback_query?.id ?? '')).body.description).toMatch(/query is too old/);
    });
  });
});

describe('webhook delivery', () => {
  it('delivers updates with the secret header and increasing update_ids', async () => {
    const receiver = await webhookReceiver();
    await bot('setWebhook', { url: receiver.url, secret_token: 'wf_node-1', allowed_updates: ['message', 'callback_query'] });
    const first = await control.sendMessage({ ...USER, text: 'one' });
    const second = await control.sendMedia({ ...USER, kind: 'sticker' });
    await control.waitForDelivery({ updateId: second.update_id, timeoutMs: 2_000 });
    expect(receiver.received.map(({ update, secret }) => ({ id: update.update_id, secret }))).toEqual([
      { id: first.update_id, secret: 'wf_node-1' },
      { id: first.update_id + 1, secret: 'wf_node-1' },
    ]);
    expect(receiver.received[0].update.message).toMatchObject({ message_id: 1, text: 'one', from: { id: USER.userId, is_bot: false, first_name: 'Grace' }, chat: { id: USER.userId, type: 'private' } });
    expect(receiver.received[1].update.message?.sticker).toBeDefined();
    await receiver.close();
  });

  it('retries an update until the webhook answers 2xx, and reports the error meanwhile', async () => {
    const receiver = await webhookReceiver([500, 503]);
    await bot('setWebhook', { url: receiver.url });
    const update = await control.sendMessage({ ...USER, text: 'retry me' });
    await control.waitForDelivery({ updateId: update.update_id, timeoutMs: 2_000 });
    expect(receiver.received.map((r) => r.update.update_id)).toEqual([update.update_id, update.update_id, update.update_id]);
    expect((await bot('getWebhookInfo')).body.result).toMatchObject({ pending_update_count: 0, last_error_message: expect.stringMatching(/503/) });
    await receiver.close();
  });

  it('keeps updates pending while no webhook is set and delivers them once one is', async () => {
    const update = await control.sendMessage({ ...USER, text: 'early' });
    expect((await bot('getWebhookInfo')).body.result).toMatchObject({ url: '', pending_update_count: 1 });
    const receiver = await webhookReceiver();
    await bot('setWebhook', { url: receiver.url });
    await control.waitForDelivery({ updateId: update.update_id, timeoutMs: 2_000 });
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });

  it('re-delivers an update with the same update_id', async () => {
    const receiver = await webhookReceiver();
    await bot('setWebhook', { url: receiver.url });
    const update = await control.sendMessage({ ...USER, text: 'twice' });
    await control.waitForDelivery({ updateId: update.update_id, timeoutMs: 2_000 });
    await control.redeliver(update.update_id);
    await emulator.waitFor(() => receiver.received.length === 2 || undefined, 2_000);
    expect(receiver.received.map((r) => r.update)).toEqual([update, update]);
    await receiver.close();
  });

  it('waits for the bot’s reply through the control API', async () => {
    const update = await control.sendMessage({ ...USER, text: 'ping' });
    const waiting = control.waitForBotMessage({ chatId: USER.userId, afterMessageId: update.message?.message_id, timeoutMs: 2_000 });
    await bot('sendMessage', { chat_id: USER.userId, text: 'pong' });
    expect(await waiting).toMatchObject({ sender: 'bot', text: 'pong', message_id: 2 });
    await expect(control.waitForBotMessage({ chatId: USER.userId, afterMessageId: 2, timeoutMs: 100 })).rejects.toThrow(/408/);
  });
});
