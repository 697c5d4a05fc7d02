// Users are created on first contact and keep their chat id and time zone.
import { recordAudit } from './store/audit';
import type { Queryable, Store } from './store/db';
import { InputError } from './errors';
import { isoOrNull, isValidTimeZone } from './time';
import { TIMEZONE_MISSING, timezoneUnknown } from './messages/account';

export interface User {
  userId: string;
  channel: string;
  telegramUserId: string | null;
  telegramChatId: string | null;
  displayName: string | null;
  timezone: string;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface UserInput {
  userId: string;
  channel?: string;
  telegramUserId?: string | null;
  telegramChatId?: string | null;
  displayName?: string | null;
  /** Only used when the user is new: an existing user's time zone is theirs to change. */
  timezone?: string | null;
}

export function toUser(row: Record<string, unknown>): User {
  return {
    userId: String(row.user_id),
    channel: String(row.channel),
    telegramUserId: (row.telegram_user_id as string | null) ?? null,
    telegramChatId: (row.telegram_chat_id as string | null) ?? null,
    displayName: (row.display_name as string | null) ?? null,
    timezone: String(row.timezone),
    createdAt: isoOrNull(row.created_at),
    updatedAt: isoOrNull(row.updated_at),
  };
}

export function requireUserId(userId: unknown): string {
  const id = typeof userId === 'number' ? String(userId) : userId;
  if (typeof id !== 'string' || id.trim() === '') {
    throw new InputError('User ID is empty', 'Map the user, e.g. "telegram:{{ $json.message.from.id }}".');
  }
  if (id.length > 200) throw new InputError('User ID is longer than 200 characters');
  return id.trim();
}

/** Creates the user on first contact; later calls refresh the chat id and name. One statement. */
export async function ensureUser(tx: Queryable, input: UserInput): Promise<User> {
  const userId = requireUserId(input.userId);
  const timezone = input.timezone || 'UTC';
  if (!isValidTimeZone(timezone)) throw new InputError(`Unknown time zone "${timezone}"`, 'Use an IANA name such as Europe/Berlin.');
  // A known user whose details did not change is not rewritten: most messages come from known
  // users, and a write makes the transaction's commit sync the file (the Chat Context step of
  // every message would otherwise pay for one). RETURNING then gives nothing, hence the read.
  const row = await tx.get<Record<string, unknown>>(
    `INSERT INTO users (user_id, channel, telegram_user_id, telegram_chat_id, display_name, timezone, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ${tx.nowMs}, ${tx.nowMs})
     ON CONFLICT (user_id) DO UPDATE SET
       telegram_user_id = COALESCE(excluded.telegram_user_id, users.telegram_user_id),
       telegram_chat_id = COALESCE(excluded.telegram_chat_id, users.telegram_chat_id),
       display_name = COALESCE(excluded.display_name, users.display_name),
       updated_at = excluded.updated_at
     WHERE COALESCE(excluded.telegram_user_id, users.telegram_user_id) IS DISTINCT FROM users.telegram_user_id
        OR COALESCE(excluded.telegram_chat_id, users.telegram_chat_id) IS DISTINCT FROM users.telegram_chat_id
        OR COALESCE(excluded.display_name, users.display_name) IS DISTINCT FROM users.display_name
     RETURNING *`,
    [
      userId,
      input.channel ?? 'telegram',
      input.telegramUserId ?? null,
      input.telegramChatId ?? null,
      input.displayName ?? null,
      timezone,
    ],
  );
  return toUser(row ?? (await tx.get<Record<string, unknown>>('SELECT * FROM users WHERE user_id = ?', [userId]))!);
}

export async function getUser(db: Queryable, userId: string): Promise<User | undefined> {
  const row = await db.get<Record<string, unknown>>('SELECT * FROM users WHERE user_id = ?', [userId]);
  return row && toUser(row);
}

export async function setUserTimezone(tx: Queryable, userId: string, timezone: string): Promise<User> {
  if (!isValidTimeZone(timezone)) throw new InputError(`Unknown time zone "${timezone}"`, 'Use an IANA name such as Europe/Berlin.');
  const row = await tx.get<Record<string, unknown>>(
    `UPDATE users SET timezone = ?, updated_at = ${tx.nowMs} WHERE user_id = ? RETURNING *`,
    [timezone, userId],
  );
  if (!row) throw new InputError(`No user "${userId}"`);
  return toUser(row);
}

/** `message`: the answer for the user, as Telegram HTML. */
export type TimezoneChange = { ok: true; user: User } | { ok: false; message: string };

/** `/timezone Europe/Berlin` from chat: an unknown zone is an answer for the user, not an error. */
export async function changeTimezone(store: Store, userIdInput: unknown, timezone: unknown): Promise<TimezoneChange> {
  const userId = requireUserId(userIdInput);
  const zone = typeof timezone === 'string' ? timezone.trim() : '';
  if (!zone) return { ok: false, message: TIMEZONE_MISSING };
  if (!isValidTimeZone(zone)) return { ok: false, message: timezoneUnknown(zone) };
  const user = await store.transaction(async (tx) => {
    await ensureUser(tx, { userId });
    const changed = await setUserTimezone(tx, userId, zone);
    await recordAudit(tx, { action: 'timezone_changed', entityType: 'user', entityId: userId, userId, details: { timezone: changed.timezone } });
    return changed;
  });
  return { ok: true, user };
}
