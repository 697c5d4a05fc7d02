// Voice notes and photos end to end in real n8n: the user sends them through the Telegram
// emulator, Workflow A downloads the file (getFile, then the file URL under the credential's base
// URL) and Gemini (the emulator, scripted: it hears what the emulated file says) reads it; the
// card shows what was heard or read, and Confirm creates one task. Too big, nothing heard, and no
// Gemini each get a reply and queue nothing. Two stacks, one after the other: scripted Gemini,
// then Gemini off (the offline fallback).
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import type { ChatHistoryEntry, UserSpec } from '../../emulators/telegram';
import { BOT_DOWNLOAD_LIMIT_BYTES } from '../../emulators/telegram';
import { readEmulatedMediaFile } from '../../emulators/media';
import { geminiResponses } from '../../emulators/gemini';
import { mediaNeedsGemini, mediaNothingFound, mediaTooBig } from '../../nodes/shared/messages/media';
import { Conversation, draftIdOf, hasDraftButtons, sleep } from './conversation';
import { useStack } from './useStack';

jest.setTimeout(240_000);

const isCard = (m: ChatHistoryEntry) => /Task Draft/.test(m.text ?? '') && hasDraftButtons(m);

describe('voice notes and photos with Gemini', () => {
  const users = {
    voice: { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' },
    photo: { userId: 616101, firstName: 'Pia' },
    big: { userId: 616102, firstName: 'Bo' },
    editor: { userId: 616103, firstName: 'Eda' },
    event: { userId: 616104, firstName: 'Eve' },
  } satisfies Record<string, UserSpec>;
  const own = useStack({ name: 'media-gemini', allowedUserIds: Object.values(users).map((u) => u.userId) });
  const chat = new Conversation(() => own.stack, () => own.store, () => own.stack.n8n.logTail(40));
  const lastMessageId = (user: UserSpec) => Math.max(0, ...chat.history(user).map((m) => m.message_id));
  const mediaOf = async (draftId: number) =>
    (await own.store.get<{ media_json: string | null }>('SELECT media_json FROM drafts WHERE id = ?', [draftId]))?.media_json ?? null;

  it('a voice note becomes a card showing what was heard (🎤), and Confirm creates exactly one task', async () => {
    const user = users.voice;
    const lastSeen = lastMessageId(user);
    const update = own.stack.telegram.sendUserMedia({ ...user, kind: 'voice', says: 'buy oat milk tomorrow' });
    const card = await chat.waitForBot(user, (m) => m.message_id > lastSeen && isCard(m), 'with a draft card after the voice note');
    expect(card.text).toMatch(/^🎤 buy oat milk tomorrow\n\n📝 Task Draft/);
    expect(card.text).toContain('Title: Buy oat milk');

    // Downloaded once through the credential's base URL, read inline by Gemini.
    const fileId = (update.message!.voice as { file_id: string }).file_id;
    expect(own.stack.telegram.callsSince(0, 'getFile').map((c) => c.params.file_id)).toEqual([fileId]);
    expect(own.stack.telegram.downloadsSince().filter((d) => d.status === 200)).toHaveLength(1);
    const read = own.stack.gemini!.requests.filter((r) => r.media.length > 0);
    expect(read).toHaveLength(1);
    expect(read[0].body.contents[0].parts[0].inlineData.mimeType).toBe('audio/ogg');
    expect(readEmulatedMediaFile(read[0].media[0].bytes)).toMatchObject({ says: 'buy oat milk tomorrow' });
    // The transcript is the message from here on: the intent and the planner got it as text.
    expect(own.stack.gemini!.requests.filter((r) => r.media.length === 0 && r.promptText.includes('buy oat milk tomorrow')).length).toBeGreaterThanOrEqual(2);

    // What is stored: the file id and the transcript, never the bytes.
    const draftId = draftIdOf(card);
    expect(JSON.parse((await mediaOf(draftId))!)).toEqual({ kind: 'voice', fileId, summary: 'buy oat milk tomorrow' });
    const command = await own.store.get<{ payload_json: string }>("SELECT payload_json FROM commands WHERE user_id = ? AND type = 'draft_task_from_text'", [`telegram:${user.userId}`]);
    expect(JSON.parse(command!.payload_json)).toMatchObject({ text: 'buy oat milk tomorrow', media: { kind: 'voice', fileId } });
    const everything = JSON.stringify(await own.store.all('SELECT * FROM audit_log')) + JSON.stringify(await own.store.all('SELECT * FROM commands')) + JSON.stringify(await own.store.all('SELECT * FROM drafts'));
    expect(everything).not.toContain('EMULATED-MEDIA');
    expect(everything).not.toContain('T2dnUw'); // "OggS" in base64

    chat.press(user, card, 'confirm');
    chat.press(user, card, 'confirm');
    await chat.waitForBot(user, (m) => /Task created successfully/.test(m.text ?? '') && /Buy oat milk/.test(m.text ?? ''), 'confirming the voice draft');
    await chat.settled();
    await sleep(500);
    expect(chat.tasksTitled('Buy oat milk')).toHaveLength(1);
    const confirmedCard = chat.history(user).find((m) => m.message_id === card.message_id)!;
    expect(confirmedCard.text).toMatch(/^🎤 buy oat milk tomorrow/);
    expect(confirmedCard.text).toContain('task created in Google Tasks');
    // Read Media's calls count in the day's Gemini usage.
    const usage = await own.store.all<{ step: string; calls: number }>('SELECT step, calls FROM gemini_usage WHERE user_id = ?', [`telegram:${user.userId}`]);
    expect(usage.find((u) => u.step === 'media')?.calls).toBe(1);
  });

  it('a voice note asking for an event becomes an event card showing what was heard (🎤)', async () => {
    const user = users.event;
    const lastSeen = lastMessageId(user);
    own.stack.telegram.sendUserMedia({ ...user, kind: 'voice', says: 'dinner with Ana on Friday at 7:30' });
    const card = await chat.waitForBot(user, (m) => m.message_id > lastSeen && /Event Draft/.test(m.text ?? '') && hasDraftButtons(m), 'with an event card after the voice note');
    expect(card.text).toMatch(/^🎤 dinner with Ana on Friday at 7:30\n\n📅 Event Draft/);
    expect(card.text).toContain('Title: Dinner with Ana');
    expect(JSON.parse((await mediaOf(draftIdOf(card)))!)).toMatchObject({ kind: 'voice', summary: 'dinner with Ana on Friday at 7:30' });
  });

  it('a photo with a caption becomes a draft from what it shows plus the caption, and the card says what it read (📷)', async () => {
    const user = users.photo;
    const lastSeen = lastMessageId(user);
    own.stack.telegram.sendUserMedia({
      ...user,
      kind: 'photo',
      caption: 'RSVP for this tomorrow',
      shows: "Invitation to Sam's birthday party on Saturday at 3 pm, 12 Oak Street.",
      summary: "Invitation: Sam's birthday party, Saturday 3 pm",
    });
    const card = await chat.waitForBot(user, (m) => m.message_id > lastSeen && isCard(m), 'with a draft card after the photo');
    expect(card.text).toMatch(/^📷 Invitation: Sam's birthday party, Saturday 3 pm\n\n📝 Task Draft/);
    expect(card.text).toMatch(/Title: RSVP/);
    // The largest size was downloaded and read as a JPEG, the caption came with it.
    const read = own.stack.gemini!.requests.filter((r) => r.media.length > 0).at(-1)!;
    expect(read.body.contents[0].parts[0].inlineData.mimeType).toBe('image/jpeg');
    expect(read.promptText).toContain('"RSVP for this tomorrow"');
    await chat.settled();
    const [command] = await own.store.all<{ payload_json: string }>('SELECT payload_json FROM commands WHERE user_id = ?', [`telegram:${user.userId}`]);
    expect(JSON.parse(command.payload_json).text).toMatch(/^RSVP for this tomorrow\n\nIn the photo: Invitation to Sam's birthday party/);
    expect(chat.tasksTitled(JSON.parse((await chat.draftRow(draftIdOf(card)))!.draft_json).title)).toHaveLength(0);
  });

  it('a file over 20 MB gets a clear reply before anything is downloaded, and so does one only getFile finds too big; nothing is queued', async () => {
    const user = users.big;
    const calls = Math.max(0, ...own.stack.telegram.callsSince().map((c) => c.seq));
    own.stack.telegram.sendUserMedia({ ...user, kind: 'voice', says: 'buy milk', fileSize: BOT_DOWNLOAD_LIMIT_BYTES + 1 });
    await chat.waitForBot(user, (m) => m.text === mediaTooBig('voice'), 'saying the voice note is too big');
    expect(own.stack.telegram.callsSince(calls, 'getFile')).toHaveLength(0);

    // No file_size in the update: getFile's own "file is too big" is the answer.
    const lastSeen = lastMessageId(user);
    own.stack.telegram.sendUserMedia({ ...user, kind: 'audio', says: 'buy milk', fileSize: BOT_DOWNLOAD_LIMIT_BYTES + 1, omitFileSize: true });
    await chat.waitForBot(user, (m) => m.message_id > lastSeen && m.text === mediaTooBig('audio'), 'saying the audio file is too big, after getFile refused it');
    expect(own.stack.telegram.callsSince(calls, 'getFile').map((c) => c.response.ok)).toEqual([false]);

    // Silence: nothing heard.
    own.stack.telegram.sendUserMedia({ ...user, kind: 'voice', says: '' });
    await chat.waitForBot(user, (m) => m.text === mediaNothingFound('voice'), 'saying nothing was heard');
    await sleep(500);
    expect(await chat.commandsOf(user)).toEqual([]);
    expect(chat.botMessages(user).filter(isCard)).toHaveLength(0);
    const failed = (await own.n8n.listExecutions()).filter((e) => e.status === 'error' || e.status === 'crashed');
    expect(failed).toEqual([]);
  });

  it('a voice note or photo from someone not on the allowlist is never downloaded nor read, and gets no answer', async () => {
    const stranger: UserSpec = { userId: 616199, firstName: 'Mallory' };
    const calls = Math.max(0, ...own.stack.telegram.callsSince().map((c) => c.seq));
    const downloads = own.stack.telegram.downloadsSince().length;
    const geminiCalls = own.stack.gemini!.requests.length;
    const sent = [
      own.stack.telegram.sendUserMedia({ ...stranger, kind: 'voice', says: 'buy milk for Mallory' }),
      own.stack.telegram.sendUserMedia({ ...stranger, kind: 'photo', shows: 'a flyer for Mallory', caption: 'remind me' }),
    ];
    // Both reached n8n's webhook (answered 200), and the trigger dropped them.
    const delivered = () => sent.every((u) => own.stack.telegram.deliveryStatus(u.update_id) === 200);
    for (let i = 0; i < 100 && !delivered(); i++) await sleep(100);
    expect(delivered()).toBe(true);
    await sleep(1_500);
    expect(own.stack.telegram.callsSince(calls, 'getFile')).toHaveLength(0);
    expect(own.stack.telegram.downloadsSince().length).toBe(downloads);
    expect(own.stack.gemini!.requests.length).toBe(geminiCalls);
    expect(chat.botMessages(stranger)).toEqual([]);
    expect(await own.store.get('SELECT user_id FROM users WHERE user_id = ?', [`telegram:${stranger.userId}`])).toBeUndefined();
  });

  it('a voice note while an edit is pending revises that draft, in its card', async () => {
    const user = users.editor;
    const first = await chat.sayAndGetCard(user, 'call the dentist tomorrow');
    chat.press(user, first, 'edit');
    await chat.waitForBot(user, (m) => m.message_id > first.message_id && /What should I change/.test(m.text ?? ''), 'asking what to change');
    const before = draftIdOf(first);
    own.stack.telegram.sendUserMedia({ ...user, kind: 'voice', says: 'rename to Call the dentist about the crown' });
    const revised = await chat.waitForBot(user, (m) => m.message_id === first.message_id && isCard(m) && draftIdOf(m) !== before, 'revising the card after the voice note');
    expect(revised.text).toMatch(/^🎤 rename to Call the dentist about the crown\n\n📝 Task Draft/);
    expect(revised.text).toContain('Title: Call the dentist about the crown');
    expect((await chat.draftRow(before))!.status).toBe('superseded');
    await chat.settled();
    expect((await chat.commandsOf(user)).map((c) => c.type)).toEqual(['draft_task_from_text', 'edit_draft', 'revise_draft']);

    chat.press(user, revised, 'confirm');
    await chat.waitForBot(user, (m) => /Task created successfully/.test(m.text ?? '') && /crown/.test(m.text ?? ''), 'confirming the revision');
    await chat.settled();
    expect(chat.tasksTitled('Call the dentist about the crown')).toHaveLength(1);
    expect(chat.tasksTitled('Call the dentist')).toHaveLength(0);
  });

  it('a refused Gemini key: the user is told, the owner is told what to change (once), and nothing is queued', async () => {
    const user = users.photo;
    const owner = users.voice;
    const gemini = own.stack.gemini!;
    const workingKey = gemini.apiKey;
    // The owner's chat with the bot exists (the Error Notifier writes there), also when this test runs alone.
    const ownerSeen = lastMessageId(owner);
    own.stack.telegram.sendUserText({ ...owner, text: '/help' });
    await chat.waitForBot(owner, (m) => m.message_id > ownerSeen, 'answering /help');
    await chat.settled();
    const before = (await chat.commandsOf(user)).length;
    gemini.apiKey = 'a-key-the-credential-does-not-have';
    try {
      own.stack.telegram.sendUserMedia({ ...user, kind: 'voice', says: 'water the plants' });
      await chat.waitForBot(user, (m) => /refused the connection/.test(m.text ?? ''), 'saying the AI service refused the connection');
      const notice = await chat.waitForBot(owner, (m) => /Something went wrong in .*Inbound Router/.test(m.text ?? ''), 'telling the owner what to change');
      expect(notice.text).toMatch(/credential/);
      own.stack.telegram.sendUserMedia({ ...user, kind: 'photo', shows: 'a flyer' });
      await chat.waitForBot(user, (m) => (m.text ?? '').startsWith("I couldn't read that photo"), 'answering the second one');
    } finally {
      gemini.apiKey = workingKey;
    }
    await sleep(1_000);
    expect(chat.botMessages(owner).filter((m) => /Something went wrong in .*Inbound Router/.test(m.text ?? ''))).toHaveLength(1);
    expect(await chat.commandsOf(user)).toHaveLength(before);
  });

  it('a busy Gemini: the user is asked to send the voice note again, and nothing is queued', async () => {
    const user = users.big;
    const before = (await chat.commandsOf(user)).length;
    own.stack.gemini!.enqueue(geminiResponses.rateLimited('120s'));
    own.stack.telegram.sendUserMedia({ ...user, kind: 'voice', says: 'water the plants' });
    await chat.waitForBot(user, (m) => /AI service is busy/.test(m.text ?? '') && /send it again/.test(m.text ?? ''), 'asking to send it again');
    await sleep(500);
    expect(await chat.commandsOf(user)).toHaveLength(before);
  });
});

describe('voice notes and photos with Gemini off (the offline fallback)', () => {
  const user: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
  const own = useStack({ name: 'media-offline', geminiFallback: 'always' });
  const chat = new Conversation(() => own.stack, () => own.store, () => own.stack.n8n.logTail(40));

  it('get a clear reply that they need Gemini, nothing crashes, and a pending edit stays pending', async () => {
    const card = await chat.sayAndGetCard(user, 'buy bread tomorrow');
    chat.press(user, card, 'edit');
    await chat.waitForBot(user, (m) => m.message_id > card.message_id && /What should I change/.test(m.text ?? ''), 'asking what to change');
    own.stack.telegram.sendUserMedia({ ...user, kind: 'voice', says: 'make it Friday' });
    await chat.waitForBot(user, (m) => m.text === mediaNeedsGemini('voice'), 'saying voice notes need Gemini');
    own.stack.telegram.sendUserMedia({ ...user, kind: 'photo', shows: 'A flyer', caption: 'remind me' });
    await chat.waitForBot(user, (m) => m.text === mediaNeedsGemini('photo'), 'saying photos need Gemini');
    await chat.settled();
    expect((await chat.commandsOf(user)).map((c) => c.type)).toEqual(['draft_task_from_text', 'edit_draft']);
    // The edit is still pending: typed text revises the draft.
    const revised = await chat.reviseAndGetCard(user, card, 'rename to Buy rye bread');
    expect(revised.text).toContain('Title: Buy rye bread');
    expect(revised.text).not.toMatch(/🎤|📷/);
    const failed = (await own.n8n.listExecutions()).filter((e) => e.status === 'error' || e.status === 'crashed');
    expect(failed).toEqual([]);
  });
});
