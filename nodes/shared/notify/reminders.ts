// Reminders (Workflow G): a confirmed task whose draft carries a reminder time is scheduled as a
// notification when its Google Task exists; at its time the checker looks at the task in Google
// Tasks first (a task completed or deleted meanwhile is not reminded of), and sends
// "⏰ Call mom · 21:00" with ✓ Done (a /list entry: Workflow L's own ✓ Done path), 💤 1 hour and
// ➡️ Tomorrow (they name the notification, checked against the presser).
import { InputError } from '../errors';
import { taskCallbackData } from '../contracts';
import type { Draft } from '../draft/drafts';
import { getDraftForUser } from '../draft/drafts';
import type { Failure } from '../outcome';
import type { Store } from '../store/db';
import type { TasksClient } from '../tasks/client';
import { listOpenTasks, type ReadOptions } from '../tasks/lists';
import { privateChatOf } from '../tasks/chatTasks';
import { ensureUser, getUser, requireUserId } from '../users';
import {
  BRIEFING_ALWAYS_NEEDS_TIME,
  BRIEFING_OFF,
  BRIEFING_USAGE,
  briefingNotATime,
  briefingSet,
  NO_REMINDERS,
  NOT_YOUR_REMINDER,
  reminderMessage,
  reminderSnoozed,
  reminderWhen,
  remindersList,
} from '../messages/reminders';
import { recordAudit } from '../store/audit';
import type { ReminderTime, SnoozeChoice } from './dueTime';
import { clockText, localTimeOf, parseClock, snoozedTime } from './dueTime';
import { getNotification, scheduleNotification, snoozeReminder, upcomingReminders, type Notification } from './notifications';

/** The key of a draft's reminder: one per confirmed task. */
export const reminderKey = (draftId: number) => `reminder:${draftId}`;

export function reminderOf(draft: Pick<Draft, 'task'>): ReminderTime | null {
  const reminder = draft.task.reminder as Partial<ReminderTime> | undefined;
  return reminder && typeof reminder.at === 'string' && Number.isFinite(Date.parse(reminder.at)) && typeof reminder.time === 'string'
    ? (reminder as ReminderTime)
    : null;
}

export type ScheduleReminderOutcome =
  | { ok: true; outcome: 'scheduled' | 'duplicate'; notificationId: number; at: string; time: string }
  | { ok: true; outcome: 'none' };

/** After Confirm created the task: the draft's reminder, if it has one, is scheduled (once per draft). */
export async function scheduleDraftReminder(store: Store, input: { draftId: unknown; userId: unknown }): Promise<ScheduleReminderOutcome> {
  const draft = await getDraftForUser(store, input.draftId, input.userId);
  const reminder = reminderOf(draft);
  if (!reminder) return { ok: true, outcome: 'none' };
  if (draft.status !== 'executed') throw new InputError(`Draft ${draft.id} is ${draft.status}: a reminder is scheduled once its task is created`);
  const { notification, duplicate } = await scheduleNotification(store, {
    userId: draft.userId,
    kind: 'reminder',
    dedupeKey: reminderKey(draft.id),
    chatId: draft.chatId ?? privateChatOf(draft.userId),
    dueAt: reminder.at,
    draftId: draft.id,
    payload: { title: draft.task.title, time: reminder.time, date: reminder.date, at: reminder.at },
  });
  return { ok: true, outcome: duplicate ? 'duplicate' : 'scheduled', notificationId: notification.id, at: notification.dueAt, time: reminder.time };
}

export type CheckReminderOutcome =
  | { ok: true; outcome: 'send'; notificationId: number; chatId: string; text: string; doneData: string; snoozeData: string; tomorrowData: string }
  | { ok: true; outcome: 'skip'; notificationId: number; reason: 'task_done_or_deleted' | 'no_task' }
  | { ok: false; outcome: 'failed'; notificationId: number; failure: Failure };

/**
 * Right before a claimed reminder is sent: is its task still open in Google Tasks? If so, the
 * message and its buttons (✓ Done names a new /list entry for the task, like Workflow L's).
 */
export async function checkReminder(store: Store, client: TasksClient, input: { notificationId: unknown } & ReadOptions): Promise<CheckReminderOutcome> {
  const notification = await getNotification(store, input.notificationId);
  if (!notification || notification.kind !== 'reminder') throw new InputError(`Notification ${String(input.notificationId)} is not a reminder`);
  const notificationId = notification.id;
  const task = notification.draftId
    ? await store.get<{ remote_id: string; task_list_id: string; title: string }>(
        `SELECT i.remote_id, COALESCE(e.resolved_task_list_id, e.task_list_id) AS task_list_id, i.title
         FROM executions e JOIN execution_items i ON i.execution_id = e.id AND i.seq = 0
         WHERE e.draft_id = ? AND e.user_id = ? AND e.status = 'success' AND e.undone_at IS NULL AND i.status = 'created' AND i.remote_id IS NOT NULL
         ORDER BY e.id DESC LIMIT 1`,
        [notification.draftId, notification.userId],
      )
    : undefined;
  if (!task) return { ok: true, outcome: 'skip', notificationId, reason: 'no_task' };
  const open = await listOpenTasks(client, task.task_list_id, { ...input, maxTasks: 1000 });
  if (!open.ok) return { ok: false, outcome: 'failed', notificationId, failure: open.failure };
  const current = open.tasks.find((t) => t.id === task.remote_id);
  if (!current) return { ok: true, outcome: 'skip', notificationId, reason: 'task_done_or_deleted' };
  const entry = await store.transaction(async (tx) => {
    await ensureUser(tx, { userId: notification.userId });
    return tx.get<{ id: number }>(
      `INSERT INTO listed_tasks (user_id, task_list_id, remote_id, title, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'open', ${tx.nowMs}, ${tx.nowMs}) RETURNING id`,
      [notification.userId, task.task_list_id, task.remote_id, current.title],
    );
  });
  // The moment it was set for, told in the user's zone now (a /timezone change since moved the wall clock, not the moment).
  const at = Date.parse(String(notification.payload.at ?? ''));
  const zone = Number.isFinite(at) ? (await getUser(store, notification.userId))?.timezone : undefined;
  const local = zone ? localTimeOf(zone, new Date(at)) : null;
  const time = local ? clockText(local.hour, local.minute) : String(notification.payload.time ?? '');
  return {
    ok: true,
    outcome: 'send',
    notificationId,
    chatId: notification.chatId,
    text: reminderMessage(current.title, time),
    doneData: taskCallbackData('done', Number(entry!.id)),
    snoozeData: taskCallbackData('snooze', notificationId),
    tomorrowData: taskCallbackData('tomorrow', notificationId),
  };
}

const DAY_MS = 86_400_000;
const WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

/** When a reminder is due, in words, in the user's zone: "at 22:05", "tomorrow at 21:00". */
export function whenInWords(at: Date, timeZone: string, now: Date): string {
  const local = localTimeOf(timeZone, at);
  const today = localTimeOf(timeZone, now).date;
  const day = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const days = Math.round((day(local.date) - day(today)) / DAY_MS);
  const time = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
  return reminderWhen(time, days, WEEKDAY.format(new Date(day(local.date))).replace(',', ''));
}

export type SnoozeOutcome =
  | { ok: true; outcome: 'snoozed' | 'already_snoozed'; notificationId: number; message: string; at: string }
  | { ok: true; outcome: 'refused'; message: string; replyChatId: string };

/** 💤 1 hour or ➡️ Tomorrow on reminder (or briefing) `notificationId`, pressed by `userId`. */
export async function snoozeFromButton(
  store: Store,
  input: { notificationId: unknown; userId: unknown; choice: SnoozeChoice; now?: Date },
): Promise<SnoozeOutcome> {
  const userId = requireUserId(input.userId);
  const now = input.now ?? new Date();
  const refused = { ok: true as const, outcome: 'refused' as const, message: NOT_YOUR_REMINDER, replyChatId: privateChatOf(userId) };
  const source = await getNotification(store, input.notificationId).catch(() => undefined);
  if (!source || source.userId !== userId) return refused;
  const user = await store.transaction((tx) => ensureUser(tx, { userId }));
  const timezone = user.timezone;
  const moved = snoozedTime(input.choice, timezone, now, new Date(source.dueAt));
  const result = await snoozeReminder(store, { id: source.id, userId, dueAt: moved.at, label: input.choice });
  if (result.outcome === 'refused' || !result.notification) return refused;
  const title = String(source.payload.title ?? '');
  const at = new Date(result.notification.dueAt);
  return { ok: true, outcome: result.outcome, notificationId: result.notification.id, at: at.toISOString(), message: reminderSnoozed(title, whenInWords(at, timezone, now)) };
}

/** /reminders: the user's reminders still to come, in words. */
export async function listReminders(store: Store, input: { userId: unknown; now?: Date }): Promise<{ ok: true; count: number; message: string; reminders: Notification[] }> {
  const userId = requireUserId(input.userId);
  const now = input.now ?? new Date();
  const user = await store.transaction((tx) => ensureUser(tx, { userId }));
  const reminders = await upcomingReminders(store, userId);
  if (reminders.length === 0) return { ok: true, count: 0, message: NO_REMINDERS, reminders };
  // The first 20 are listed; the heading counts them all.
  const total = Number((await store.get<{ n: number }>("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND kind = 'reminder' AND status IN ('scheduled', 'claimed')", [userId]))?.n ?? reminders.length);
  const lines = reminders.map((r) => ({ title: String(r.payload.title ?? ''), when: whenInWords(new Date(r.dueAt), user.timezone, now) }));
  return { ok: true, count: Math.max(total, reminders.length), message: remindersList(lines, Math.max(total, reminders.length)), reminders };
}

// ---------------------------------------------------------------- /briefing

export type BriefingSetting = { outcome: 'set'; time: string; always: boolean } | { outcome: 'off' } | { outcome: 'usage' };

/** What "/briefing 07:30", "/briefing off", "/briefing always" (or "/briefing 7:30 always") ask for. */
export function parseBriefingCommand(text: string): { time?: string; always?: boolean; off?: true } | null {
  const args = text.replace(/^\/briefing(@\w+)?/i, '').trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (args.length === 0) return null;
  const result: { time?: string; always?: boolean; off?: true } = {};
  for (const arg of args) {
    const clock = parseClock(arg);
    if (clock) result.time = `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
    else if (arg === 'off' || arg === 'stop') result.off = true;
    else if (arg === 'always') result.always = true;
    else if (arg === 'quiet') result.always = false;
    else return null;
  }
  return result;
}

/**
 * Sets the user's daily briefing from a /briefing command: one UPDATE of the user. A new time
 * counts from now (briefing_since), so a time set after today's moment starts tomorrow. Turning
 * it off also cancels a briefing already scheduled.
 */
export async function setBriefing(store: Store, input: { userId: unknown; text: string }): Promise<{ ok: true; outcome: 'set' | 'off' | 'usage'; message: string }> {
  const userId = requireUserId(input.userId);
  const asked = parseBriefingCommand(input.text ?? '');
  if (!asked) {
    // Something meant as a time that is not one ("24:00", "7:5", "0730") is named in the answer.
    const args = String(input.text ?? '').replace(/^\/briefing(@\w+)?/i, '').trim().split(/\s+/);
    const notATime = args.find((arg) => /^\d{1,4}([:.h]\d{0,3})?$/i.test(arg) && !parseClock(arg));
    return { ok: true, outcome: 'usage', message: notATime ? briefingNotATime(notATime) : BRIEFING_USAGE };
  }
  return store.transaction(async (tx) => {
    const user = await ensureUser(tx, { userId });
    if (asked.off) {
      await tx.run(`UPDATE users SET briefing_time = NULL, briefing_always = 0, briefing_since = NULL, updated_at = ${tx.nowMs} WHERE user_id = ?`, [userId]);
      await tx.run(`UPDATE notifications SET status = 'cancelled', outcome = 'briefing off', updated_at = ${tx.nowMs} WHERE user_id = ? AND kind = 'briefing' AND status = 'scheduled'`, [userId]);
      await recordAudit(tx, { action: 'briefing_off', entityType: 'user', entityId: userId, userId });
      return { ok: true as const, outcome: 'off' as const, message: BRIEFING_OFF };
    }
    const row = await tx.get<{ briefing_time: string | null; briefing_always: number }>(
      `UPDATE users SET briefing_time = COALESCE(?, briefing_time), briefing_always = COALESCE(?, briefing_always),
              briefing_since = CASE WHEN CAST(? AS TEXT) IS NULL THEN briefing_since ELSE ${tx.nowMs} END, updated_at = ${tx.nowMs}
       WHERE user_id = ? RETURNING briefing_time, briefing_always`,
      [asked.time ?? null, asked.always === undefined ? null : asked.always ? 1 : 0, asked.time ?? null, userId],
    );
    if (!row?.briefing_time) {
      return { ok: true as const, outcome: 'usage' as const, message: BRIEFING_ALWAYS_NEEDS_TIME };
    }
    await recordAudit(tx, { action: 'briefing_set', entityType: 'user', entityId: userId, userId, details: { time: row.briefing_time, always: Boolean(Number(row.briefing_always)) } });
    return { ok: true as const, outcome: 'set' as const, message: briefingSet(row.briefing_time, Boolean(Number(row.briefing_always)), user.timezone) };
  });
}
