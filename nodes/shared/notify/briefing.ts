// The daily briefing (Workflow F): at the user's local time (/briefing 07:30), one message with
// the overdue tasks, the tasks due today and what waits for the user (an open draft, a question
// of ours), with ✓ Done per task and 💤 1 hour. Nothing is sent on a day with nothing to say,
// unless /briefing always. One per user and local day (the notification key names the date),
// across workers and restarts; one missed while n8n was down goes out late, once, with its date.
//
// Today's calendar events come from the Event Executor (List User's Events) run before it; when the
// calendar could not give them (no credential, an outage) the briefing is the tasks alone.
import { taskCallbackData } from '../contracts';
import { InputError } from '../errors';
import { BRIEFING_ALL_DAY, BRIEFING_SNOOZE_LABEL, BRIEFING_UNTITLED_EVENT, briefingDoneLabel, briefingMessage, type BriefingContent } from '../messages/briefing';
import type { DayEvent } from '../calendar/events';
import type { Failure } from '../outcome';
import type { Store } from '../store/db';
import { dueText } from '../tasks/chatTasks';
import type { TasksClient } from '../tasks/client';
import { listOpenTasks, type ReadOptions } from '../tasks/lists';
import { ensureUser } from '../users';
import { clockText, dueBriefing, localTimeOf } from './dueTime';
import { getNotification, scheduleNotification } from './notifications';

/** At most this many ✓ Done buttons under one briefing (one row each; Workflow F has a Send node per count). */
export const BRIEFING_BUTTONS = 4;
/** A briefing sent more than this after its time says it is late. */
const LATE_AFTER_MS = 15 * 60_000;
const WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

export const briefingKey = (userId: string, date: string) => `briefing:${userId}:${date}`;

/**
 * Every user whose briefing is due by now gets its notification for that local day, once (the key
 * names the day: a second run, another worker, a restart insert nothing). Returns how many are new.
 */
export async function scheduleDueBriefings(store: Store, now = new Date()): Promise<{ scheduled: number }> {
  const users = await store.all<{ user_id: string; timezone: string; briefing_time: string; briefing_since: number | null; telegram_chat_id: string | null }>(
    'SELECT user_id, timezone, briefing_time, briefing_since, telegram_chat_id FROM users WHERE briefing_time IS NOT NULL ORDER BY user_id',
  );
  let scheduled = 0;
  for (const user of users) {
    const due = dueBriefing(user.timezone, user.briefing_time, now, user.briefing_since === null ? null : new Date(Number(user.briefing_since)));
    if (!due) continue;
    const { duplicate } = await scheduleNotification(store, {
      userId: user.user_id,
      kind: 'briefing',
      dedupeKey: briefingKey(user.user_id, due.date),
      chatId: user.telegram_chat_id || user.user_id.replace(/^telegram:/, ''),
      dueAt: due.at.getTime(),
      payload: { date: due.date, time: user.briefing_time, title: 'Your briefing' },
    });
    if (!duplicate) scheduled += 1;
  }
  return { scheduled };
}

/**
 * The events handed to Compose Briefing (List User's Events' `events`, as JSON or as the array):
 * null for none given (the calendar could not say); anything else that is not a list of events is
 * refused with a clear message, so a miswired parameter does not quietly drop them.
 */
export function parseBriefingEvents(value: unknown): DayEvent[] | null {
  if (value === undefined || value === null || value === '') return null;
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new InputError('Events must be JSON: the events array of Event Executor › List User\'s Events');
    }
  }
  if (list === null) return null;
  const isEvent = (e: unknown): e is DayEvent => {
    const event = e as Partial<DayEvent> | null;
    return !!event && typeof event.start === 'string' && typeof event.end === 'string' && typeof event.allDay === 'boolean' && typeof (event.title ?? '') === 'string';
  };
  if (!Array.isArray(list) || !list.every(isEvent)) {
    throw new InputError('Events must be the events array of Event Executor › List User\'s Events ({ title, allDay, start, end } each)');
  }
  return list;
}

/** Today's events as briefing lines, in start order: "All day · Sam's birthday", "19:30–20:30 · Dinner with Ana". */
export function briefingEventLines(events: readonly DayEvent[], date: string): string[] {
  const clock = (local: string) => local.slice(11, 16);
  const span = (event: DayEvent) => {
    if (event.allDay) return BRIEFING_ALL_DAY;
    const end = event.end.slice(0, 10) === date ? clock(event.end) : `${event.end.slice(5, 10).split('-').reverse().join('.')} ${clock(event.end)}`;
    // An event that began before today shows from midnight.
    return `${event.start.slice(0, 10) < date ? '00:00' : clock(event.start)}–${end}`;
  };
  return [...events]
    .sort((a, b) => Number(b.allDay) - Number(a.allDay) || a.start.localeCompare(b.start))
    .map((event) => `${span(event)} · ${event.title || BRIEFING_UNTITLED_EVENT}`);
}

export interface BriefingRow {
  row: { buttons: { text: string; additionalFields: { callback_data: string } }[] };
}

export type ComposeBriefingOutcome =
  | { ok: true; outcome: 'send'; notificationId: number; chatId: string; text: string; keyboard: { rows: BriefingRow[] } }
  | { ok: true; outcome: 'skip'; notificationId: number; reason: 'nothing_to_say' }
  | { ok: false; outcome: 'failed'; notificationId: number; failure: Failure };

/** The briefing of a claimed notification: its text, and its buttons as n8n's Telegram node takes them. */
export async function composeBriefing(
  store: Store,
  client: TasksClient,
  input: {
    notificationId: unknown;
    now?: Date;
    taskListId?: string;
    /** The user's events of the briefing's day (Event Executor › List User's Events); null when the calendar could not say. */
    events?: readonly DayEvent[] | null;
  } & ReadOptions,
): Promise<ComposeBriefingOutcome> {
  const notification = await getNotification(store, input.notificationId);
  if (!notification || notification.kind !== 'briefing') throw new InputError(`Notification ${String(input.notificationId)} is not a briefing`);
  const notificationId = notification.id;
  const now = input.now ?? new Date();
  const user = await store.transaction((tx) => ensureUser(tx, { userId: notification.userId }));
  const always = Number((await store.get<{ always: number }>('SELECT briefing_always AS always FROM users WHERE user_id = ?', [user.userId]))?.always ?? 0) === 1;
  const date = String(notification.payload.date ?? localTimeOf(user.timezone, new Date(notification.dueAt)).date);

  const open = await listOpenTasks(client, input.taskListId ?? '@default', { ...input, maxTasks: 1000 });
  if (!open.ok) return { ok: false, outcome: 'failed', notificationId, failure: open.failure };
  const topLevel = open.tasks.filter((t) => !t.parent && t.due);
  const overdue = topLevel.filter((t) => t.due! < date);
  const today = topLevel.filter((t) => t.due === date);
  const drafts = await store.all<{ draft_json: string }>(
    "SELECT draft_json FROM drafts WHERE user_id = ? AND status = 'drafted' AND updated_at > ? ORDER BY id",
    [user.userId, now.getTime() - 7 * 86_400_000],
  );
  const question = await store.get<{ question: string | null }>(
    "SELECT question FROM chat_state WHERE user_id = ? AND mode = 'awaiting_clarification' AND expires_at > ?",
    [user.userId, now.getTime()],
  );
  const dueAt = new Date(notification.dueAt);
  const local = localTimeOf(user.timezone, dueAt);
  const content: BriefingContent = {
    day: WEEKDAY.format(new Date(`${date}T00:00:00Z`)).replace(',', ''),
    lateSince: now.getTime() - dueAt.getTime() > LATE_AFTER_MS ? `${clockText(local.hour, local.minute)}${local.date === localTimeOf(user.timezone, now).date ? '' : ` on ${WEEKDAY.format(new Date(`${local.date}T00:00:00Z`)).replace(',', '')}`}` : null,
    overdue: overdue.map((t) => ({ title: t.title, dueText: dueText(t.due, user.timezone, now) ?? '' })),
    today: today.map((t) => t.title),
    openDrafts: drafts.map((d) => String((JSON.parse(d.draft_json) as { title?: unknown }).title ?? '')),
    question: question?.question ?? null,
    events: briefingEventLines(input.events ?? [], date),
  };
  const empty = !content.overdue.length && !content.today.length && !content.openDrafts.length && !content.question && !content.events.length;
  if (empty && !always) return { ok: true, outcome: 'skip', notificationId, reason: 'nothing_to_say' };

  const buttons = [...overdue, ...today].slice(0, BRIEFING_BUTTONS);
  const rows = await store.transaction(async (tx) => {
    const made: BriefingRow[] = [];
    for (const task of buttons) {
      const entry = await tx.get<{ id: number }>(
        `INSERT INTO listed_tasks (user_id, task_list_id, remote_id, title, status, shown_in, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'open', 'briefing', ${tx.nowMs}, ${tx.nowMs}) RETURNING id`,
        [user.userId, open.taskListId, task.id, task.title],
      );
      made.push({ row: { buttons: [{ text: briefingDoneLabel(task.title), additionalFields: { callback_data: taskCallbackData('done', Number(entry!.id)) } }] } });
    }
    return made;
  });
  rows.push({ row: { buttons: [{ text: BRIEFING_SNOOZE_LABEL, additionalFields: { callback_data: taskCallbackData('snooze', notificationId) } }] } });
  return { ok: true, outcome: 'send', notificationId, chatId: notification.chatId, text: briefingMessage(content), keyboard: { rows } };
}
