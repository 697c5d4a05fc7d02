// Driving a conversation with the assistant through the Telegram emulator, and reading what it
// left in the store and in Google Tasks. Shared by the regular and the queue-mode e2e suites.
import type { Store } from '../../nodes/shared/store/db';
import type { Stack } from '../../playground/stack';
import type { ChatHistoryEntry, UserSpec } from '../../emulators/telegram';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function buttonsOf(message: ChatHistoryEntry): string[] {
  return (message.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');
}

/** A draft card's buttons: ✅ Confirm ✏️ Edit ❌ Cancel (and a second row: 📅 Event, ✅ Task or 🕒 Move to …). */
export function hasDraftButtons(message: ChatHistoryEntry): boolean {
  const data = buttonsOf(message);
  return ['confirm:', 'edit:', 'cancel:'].every((prefix) => data.some((d) => d.startsWith(prefix)));
}

export function draftIdOf(card: ChatHistoryEntry): number {
  return Number(buttonsOf(card)[0].split(':')[1]);
}

export class Conversation {
  constructor(
    readonly stack: () => Stack,
    readonly store: () => Store,
    /** What to print when a wait times out (n8n's log, workers' logs). */
    private readonly logs: () => string,
    private readonly defaultTimeoutMs = 30_000,
  ) {}

  // Apart from the update ids the tests write out (990000001 and up), so no forged press is taken for a redelivery.
  private forgedUpdateId = 996_000_000;

  /** Posts an update straight to n8n's webhook with the registered secret, as a forger who has it would. */
  async deliverForged(update: Record<string, unknown>): Promise<number> {
    const control = await fetch(`${this.stack().telegram.url}/_control/webhook`);
    const { webhook } = (await control.json()) as { webhook: { url: string; secret_token: string } };
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhook.secret_token },
      body: JSON.stringify(update),
    });
    return response.status;
  }

  /** A press of `data` from `user` that Telegram would never deliver (not on a message shown there): a forged update. */
  forgedPress(user: UserSpec, data: string, on: { messageId: number; chatId?: number }): Promise<number> {
    this.forgedUpdateId += 1;
    return this.deliverForged({
      update_id: this.forgedUpdateId,
      callback_query: {
        id: String(this.forgedUpdateId),
        from: { id: user.userId, is_bot: false, first_name: user.firstName },
        chat_instance: '1',
        data,
        message: { message_id: on.messageId, date: Math.floor(Date.now() / 1000), chat: { id: on.chatId ?? user.userId, type: 'private' }, text: 'forged' },
      },
    });
  }

  history(user: UserSpec): ChatHistoryEntry[] {
    return this.stack().telegram.history(user.userId!);
  }

  botMessages(user: UserSpec): ChatHistoryEntry[] {
    return this.history(user).filter((m) => m.sender === 'bot' && !m.deleted);
  }

  describeChat(user: UserSpec): string {
    return this.history(user)
      .map((m) => `  #${m.message_id} ${m.sender}: ${(m.text ?? `[${m.kind}]`).replace(/\n/g, ' | ').slice(0, 160)}${m.reply_markup ? ' [buttons]' : ''}`)
      .join('\n');
  }

  async waitForBot(user: UserSpec, matches: (m: ChatHistoryEntry) => boolean, what: string, timeoutMs = this.defaultTimeoutMs): Promise<ChatHistoryEntry> {
    const found = await this.stack().telegram.waitFor(() => this.botMessages(user).find(matches), timeoutMs);
    if (!found) throw new Error(`No bot message ${what} within ${timeoutMs} ms. Chat:\n${this.describeChat(user)}\n${this.logs()}`);
    return found;
  }

  /** The user writes; resolves with the draft card that follows the message. */
  async sayAndGetCard(user: UserSpec, text: string): Promise<ChatHistoryEntry> {
    const lastSeen = Math.max(0, ...this.history(user).map((m) => m.message_id));
    this.stack().telegram.sendUserText({ ...user, text });
    return this.waitForBot(user, (m) => m.message_id > lastSeen && /Task Draft/.test(m.text ?? '') && hasDraftButtons(m), `with a draft card after "${text}"`);
  }

  /**
   * The user sends an edit instruction for `card`; resolves with the same message once it shows
   * the revised draft (new buttons: the revision is a new draft, edited into the old card).
   */
  async reviseAndGetCard(user: UserSpec, card: ChatHistoryEntry, text: string): Promise<ChatHistoryEntry> {
    const before = draftIdOf(card);
    this.stack().telegram.sendUserText({ ...user, text });
    return this.waitForBot(
      user,
      (m) => m.message_id === card.message_id && hasDraftButtons(m) && draftIdOf(m) !== before,
      `editing card #${card.message_id} into the revision after "${text}"`,
    );
  }

  /** A press on a card's button: Confirm, Edit, Cancel, or the second row's (🕒 move, 📅 toevent, ✅ totask). */
  press(user: UserSpec, card: ChatHistoryEntry, action: 'confirm' | 'edit' | 'cancel' | 'move' | 'toevent' | 'totask') {
    const data = buttonsOf(card).find((d) => d.startsWith(`${action}:`));
    if (!data) throw new Error(`card #${card.message_id} has no ${action} button`);
    return this.stack().telegram.pressButton({ ...user, messageId: card.message_id, data });
  }

  tasksTitled(title: string) {
    return this.stack().tasks.allTasks().filter((t) => t.title === title && !t.deleted);
  }

  async draftRow(id: number) {
    return this.store().get<{ status: string; user_id: string; draft_json: string }>('SELECT status, user_id, draft_json FROM drafts WHERE id = ?', [id]);
  }

  async commandsOf(user: UserSpec) {
    return this.store().all<{ id: number; type: string; status: string; dedupe_key: string; attempts: number }>(
      'SELECT id, type, status, dedupe_key, attempts FROM commands WHERE user_id = ? ORDER BY id',
      [`telegram:${user.userId}`],
    );
  }

  /** Waits until the router has queued this user's commands (it runs after the webhook's 200). */
  async commandsArrive(user: UserSpec, count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (await this.commandsOf(user)).length < count) await sleep(100);
    const arrived = (await this.commandsOf(user)).length;
    if (arrived < count) throw new Error(`Only ${arrived} of ${count} commands of user ${user.userId} arrived\n${this.logs()}`);
  }

  /** Waits until no command is pending or processing: the executor has finished all the work. */
  async settled(timeoutMs = this.defaultTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const open = await this.store().get<{ n: number }>("SELECT COUNT(*) AS n FROM commands WHERE status IN ('pending', 'processing')");
      if (Number(open?.n) === 0) return;
      await sleep(200);
    }
    throw new Error(`Commands still open after ${timeoutMs} ms\n${this.logs()}`);
  }
}
