// What reminders (Workflow G), /reminders, the snooze buttons and /briefing say. Telegram HTML:
// a value put in is escaped here.
import { escapeHtml } from '../telegram/html';
import { TELEGRAM_TEXT_LIMIT } from '../contracts';
import { clipText } from '../text';

const TITLE_MAX = 200;
const title = (text: string) => `<b>${escapeHtml(clipText(text, TITLE_MAX))}</b>`;

/** The reminder itself, at its time: "⏰ Call mom · 21:00". */
export function reminderMessage(taskTitle: string, time: string): string {
  return `⏰ ${title(taskTitle)} · ${escapeHtml(time)}`;
}

/** The reminder's message once a snooze moved it. */
export function reminderSnoozed(taskTitle: string, when: string): string {
  return `💤 ${title(taskTitle)}: I'll remind you again ${escapeHtml(when)}.`;
}

/** "at 22:05" today, "tomorrow at 21:00", or "on Wed 2 Dec at 21:00". */
export function reminderWhen(time: string, daysFromToday: number, weekdayAndDate: string): string {
  if (daysFromToday === 0) return `at ${time}`;
  if (daysFromToday === 1) return `tomorrow at ${time}`;
  return `on ${weekdayAndDate} at ${time}`;
}

/** A snooze press on a reminder that is not the presser's, or that was not sent. */
export const NOT_YOUR_REMINDER = 'That button belongs to someone else’s reminder: send /reminders for your own.';

export const NO_REMINDERS = '⏰ No reminders to come. Add a time to a task ("call mom at 9pm tomorrow", "stretch in 20 minutes") and I\'ll remind you then.';

/**
 * /reminders: the heading (with `total`, all of them), then one line per reminder, as many as fit
 * in Telegram's limit, and "… and N more" for the rest.
 */
export function remindersList(lines: { title: string; when: string }[], total = lines.length): string {
  const rendered = lines.map((line) => `• ${title(line.title)}: ${escapeHtml(line.when)}`);
  const text = (shown: number) => {
    const more = total - shown;
    return [`⏰ <b>Your reminders</b> (${total})`, ...rendered.slice(0, shown), ...(more > 0 ? [`• <i>… and ${more} more</i>`] : [])].join('\n');
  };
  let shown = rendered.length;
  while (shown > 1 && text(shown).length > TELEGRAM_TEXT_LIMIT) shown -= 1;
  return text(shown);
}

export const BRIEFING_USAGE = 'Send /briefing 07:30 for a daily briefing at that time, /briefing always to get one even on days with nothing in it, or /briefing off.';

/** "/briefing 24:00", "/briefing 7:5": what was sent is not a time of day. */
export function briefingNotATime(sent: string): string {
  return `“${escapeHtml(clipText(sent, 40))}” is not a time of day I can use: send it as HH:MM, from 00:00 to 23:59, for example /briefing 07:30.`;
}

export function briefingSet(time: string, always: boolean, timezone: string): string {
  const quiet = always ? 'every day, even when there is nothing to report' : 'on days with something to report';
  return `☀️ Daily briefing at <b>${escapeHtml(time)}</b> (${escapeHtml(timezone)}), ${quiet}. /briefing off stops it.`;
}

export const BRIEFING_OFF = '☀️ Daily briefing off.';
export const BRIEFING_ALWAYS_NEEDS_TIME = 'Set the time first, for example /briefing 07:30; then /briefing always sends it even on quiet days.';
