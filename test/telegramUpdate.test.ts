// What Workflow A gets from a Telegram update (nodes/shared/telegram/update.ts): the router's
// cheap checks (length, card binding), the planner's send time, and the idempotency key. The same
// function runs in the Command Queue node's Parse Telegram Update (test/nodes.parseUpdate.test.ts).
import { callbackData, parseCallbackData } from '../nodes/shared/contracts';
import { parseTelegramUpdate, type TelegramUpdate } from '../nodes/shared/telegram/update';

const options = { allowlist: '42', workflowId: 'wf' };
const parse = (update: TelegramUpdate) => parseTelegramUpdate(update, options);

const from = { id: 42, is_bot: false, first_name: 'Ada' };
const chat = { id: 42, type: 'private' };
const message = (extra: Record<string, unknown>) => ({ message_id: 7, date: 1_764_631_800, from, chat, ...extra });
const text = (body: string, extra: Record<string, unknown> = {}) => parse({ update_id: 1, message: message({ text: body, ...extra }) });
const press = (data: unknown, on: unknown = { message_id: 9, chat: { id: 42 } }) =>
  parse({ update_id: 2, callback_query: { id: 'q', from, data, ...(on ? { message: on } : {}) } });

const sender = { userId: 'telegram:42', telegramUserId: '42', chatId: '42', displayName: 'Ada' };

describe('parseTelegramUpdate', () => {
  it.each<[string, TelegramUpdate, Record<string, unknown>]>([
    [
      'a text message',
      { update_id: 1, message: message({ text: 'buy milk tomorrow' }) },
      { updateId: 1, dedupeKey: 'telegram:wf:1', ...sender, kind: 'text', messageId: 7, text: 'buy milk tomorrow', tooLong: false, sentAt: 1_764_631_800 },
    ],
    [
      'a press on a card',
      { update_id: 2, callback_query: { id: 'q', from, data: 'edit:5', message: { message_id: 9, chat: { id: 42 } } } },
      { updateId: 2, dedupeKey: 'telegram:wf:2', ...sender, kind: 'button', callbackQueryId: 'q', action: 'edit', commandType: 'edit_draft', draftId: 5, target: null, cardMessageId: 9 },
    ],
    [
      'a press with data we never wrote',
      { update_id: 3, callback_query: { id: 'q', from, data: 'delete:5', message: { message_id: 9, chat: { id: 42 } } } },
      { updateId: 3, dedupeKey: 'telegram:wf:3', ...sender, kind: 'bad_button', callbackQueryId: 'q', action: null, commandType: null, draftId: null, target: null, cardMessageId: 9 },
    ],
    [
      'an edited message',
      { update_id: 4, edited_message: message({ message_id: 8, text: 'buy oat milk' }) },
      { updateId: 4, dedupeKey: 'telegram:wf:4', ...sender, kind: 'edited', messageId: 8 },
    ],
    [
      '/timezone with a zone',
      { update_id: 5, message: message({ text: '/timezone Europe/Berlin' }) },
      { updateId: 5, dedupeKey: 'telegram:wf:5', ...sender, kind: 'timezone', messageId: 7, timezone: 'Europe/Berlin' },
    ],
    [
      'a sticker',
      { update_id: 6, message: message({ sticker: { file_id: 'x' } }) },
      { updateId: 6, dedupeKey: 'telegram:wf:6', ...sender, kind: 'unsupported', messageId: 7 },
    ],
    [
      'text of blanks only',
      { update_id: 7, message: message({ text: '   ' }) },
      { updateId: 7, dedupeKey: 'telegram:wf:7', ...sender, kind: 'unsupported', messageId: 7 },
    ],
    [
      'an update of a kind the trigger does not ask for',
      { update_id: 8, my_chat_member: {} },
      { updateId: 8, dedupeKey: 'telegram:wf:8', userId: 'telegram:undefined', telegramUserId: '', chatId: '', displayName: '', kind: 'unsupported', messageId: null },
    ],
    [
      'a message in a group: the chat is the group, the user the sender',
      { update_id: 9, message: { message_id: 3, from: { id: 42, first_name: 'Ada', last_name: 'Lovelace' }, chat: { id: -100123 }, text: 'hi' } },
      {
        updateId: 9,
        dedupeKey: 'telegram:wf:9',
        userId: 'telegram:42',
        telegramUserId: '42',
        chatId: '-100123',
        displayName: 'Ada Lovelace',
        kind: 'text',
        messageId: 3,
        text: 'hi',
        tooLong: false,
        sentAt: null,
      },
    ],
  ])('%s', (_what, update, expected) => {
    expect(parse(update)).toEqual(expected);
  });

  it('answers every update with "not set up" while the allowlist is empty or blank', () => {
    for (const allowlist of ['', '  ']) {
      expect(parseTelegramUpdate({ update_id: 1, message: message({ text: 'buy milk' }) }, { allowlist, workflowId: 'wf' })).toEqual({
        updateId: 1,
        dedupeKey: 'telegram:wf:1',
        ...sender,
        kind: 'not_configured',
      });
      expect(parseTelegramUpdate({ update_id: 2, callback_query: { id: 'q', from, data: 'confirm:5' } }, { allowlist, workflowId: 'wf' })).toMatchObject({
        kind: 'not_configured',
      });
    }
  });

  it('names the sender by username when the user has no name, and the chat by the user without a chat', () => {
    expect(parse({ update_id: 1, callback_query: { id: 'q', from: { id: 7, username: 'ada' }, data: 'confirm:1' } })).toMatchObject({
      displayName: 'ada',
      chatId: '7',
      kind: 'bad_button',
    });
  });

  // The benchmark once patched this regex back in (its backslashes were lost in the generator).
  it('reads /timezone with or without a zone and a bot name', () => {
    expect(text('/timezone Europe/Berlin')).toMatchObject({ kind: 'timezone', timezone: 'Europe/Berlin' });
    expect(text('/timezone@draft_bot  America/New_York ')).toMatchObject({ kind: 'timezone', timezone: 'America/New_York' });
    expect(text('/timezone')).toMatchObject({ kind: 'timezone', timezone: '' });
    expect(text('/TimeZone UTC')).toMatchObject({ kind: 'timezone', timezone: 'UTC' });
    expect(text('/timezones')).not.toMatchObject({ kind: 'timezone' });
    expect(text('/timezone Europe/Berlin please')).toMatchObject({ kind: 'text' });
  });

  it('flags text longer than Telegram allows (4,096 characters), counting an emoji as one', () => {
    expect(text('x'.repeat(4096))).toMatchObject({ kind: 'text', tooLong: false });
    expect(text('🎉'.repeat(4096))).toMatchObject({ kind: 'text', tooLong: false });
    expect(text('x'.repeat(4097))).toMatchObject({ kind: 'text', tooLong: true });
  });

  it("carries when the message was sent (Telegram's message.date, unix seconds)", () => {
    expect(text('buy milk tomorrow')).toMatchObject({ sentAt: 1_764_631_800 });
    expect(text('buy milk tomorrow', { date: 'yesterday' })).toMatchObject({ sentAt: null });
    expect(text('buy milk tomorrow', { date: 0 })).toMatchObject({ sentAt: null });
    expect(text('buy milk tomorrow', { date: 1.5 })).toMatchObject({ sentAt: null });
  });

  it('takes a press as a button only with the message and chat it was on', () => {
    expect(press('confirm:5')).toMatchObject({ kind: 'button', draftId: 5, cardMessageId: 9, chatId: '42' });
    expect(press('confirm:5', null)).toMatchObject({ kind: 'bad_button', cardMessageId: null });
    expect(press('confirm:5', { chat: { id: 42 } })).toMatchObject({ kind: 'bad_button' });
    expect(press('confirm:5', { message_id: 9 })).toMatchObject({ kind: 'bad_button', cardMessageId: 9 });
  });

  it('reads only button data in the format the draft card writes', () => {
    expect(press('cancel:123456789012345')).toMatchObject({ kind: 'button', action: 'cancel', commandType: 'cancel_draft', draftId: 123456789012345 });
    for (const data of ['confirm:1234567890123456', 'confirm:', 'confirm:-1', 'confirm:1 ', 'Confirm:1', 'confirm:1:2', '', undefined]) {
      expect(press(data)).toMatchObject({ kind: 'bad_button', action: null, commandType: null, draftId: null });
    }
  });
});

describe('callback data', () => {
  it('reads back what the draft card writes, for every action', () => {
    for (const action of ['confirm', 'edit', 'cancel'] as const) {
      expect(parseCallbackData(callbackData(action, 42))).toEqual({ action, draftId: 42 });
    }
    expect(parseCallbackData('confirm:42x')).toBeNull();
    expect(parseCallbackData(42)).toBeNull();
  });
});

describe('parseTelegramUpdate: voice notes, audio files and photos', () => {
  const MB = 1024 * 1024;
  const media = (extra: Record<string, unknown>, user: Record<string, unknown> = from) => parse({ update_id: 20, message: { message_id: 7, date: 1_764_631_800, from: user, chat, ...extra } });
  const base = { updateId: 20, dedupeKey: 'telegram:wf:20', ...sender, kind: 'media', messageId: 7, sentAt: 1_764_631_800, tooLong: false, languageCode: '' };

  it('reads a voice note: its file, size and type, and no caption', () => {
    expect(media({ voice: { file_id: 'v1', file_unique_id: 'u', duration: 3, mime_type: 'audio/ogg', file_size: 9000 } })).toEqual({
      ...base,
      media: 'voice',
      fileId: 'v1',
      fileSize: 9000,
      mimeType: 'audio/ogg',
      caption: '',
      tooBig: false,
    });
  });

  it('reads an audio file with its caption and the sender\'s language; a type Telegram left out is the usual one', () => {
    expect(media({ audio: { file_id: 'a1', file_size: 5 * MB }, caption: '  remind me about this  ' }, { ...from, language_code: 'de' })).toMatchObject({
      kind: 'media',
      media: 'audio',
      fileId: 'a1',
      mimeType: 'audio/mpeg',
      caption: 'remind me about this',
      languageCode: 'de',
      tooBig: false,
    });
  });

  it('takes the largest size of a photo that a bot may download (20 MB), with its caption', () => {
    const photo = [
      { file_id: 'small', file_size: 2_000, width: 90 },
      { file_id: 'large', file_size: 900_000, width: 1280 },
      { file_id: 'huge', file_size: 21 * MB, width: 9000 },
    ];
    expect(media({ photo, caption: 'RSVP by Friday' })).toEqual({ ...base, media: 'photo', fileId: 'large', fileSize: 900_000, mimeType: 'image/jpeg', caption: 'RSVP by Friday', tooBig: false });
  });

  it('says a file is too big from the update\'s own file_size, before anything is downloaded', () => {
    expect(media({ voice: { file_id: 'v2', file_size: 20 * MB + 1 } })).toMatchObject({ media: 'voice', fileId: 'v2', tooBig: true });
    expect(media({ voice: { file_id: 'v3', file_size: 20 * MB } })).toMatchObject({ tooBig: false });
    expect(media({ photo: [{ file_id: 'p1', file_size: 25 * MB }, { file_id: 'p2', file_size: 30 * MB }] })).toMatchObject({ media: 'photo', fileId: 'p1', tooBig: true });
  });

  it('leaves the size to getFile when the update does not say it', () => {
    expect(media({ voice: { file_id: 'v4' } })).toMatchObject({ media: 'voice', fileSize: null, tooBig: false });
  });

  it('reads an image or audio sent as a file, and nothing else sent as a file', () => {
    expect(media({ document: { file_id: 'd1', mime_type: 'image/png', file_size: 1000 } })).toMatchObject({ media: 'photo', fileId: 'd1', mimeType: 'image/png' });
    expect(media({ document: { file_id: 'd2', mime_type: 'audio/x-wav' } })).toMatchObject({ media: 'audio', mimeType: 'audio/x-wav' });
    expect(media({ document: { file_id: 'd3', mime_type: 'application/pdf' } })).toMatchObject({ kind: 'unsupported' });
    expect(media({ voice: { file_size: 10 } })).toMatchObject({ kind: 'unsupported' });
  });

  it('refuses a caption longer than Telegram allows (only a forged update has one)', () => {
    expect(media({ voice: { file_id: 'v5' }, caption: 'x'.repeat(4097) })).toMatchObject({ kind: 'media', tooLong: true });
  });
});
