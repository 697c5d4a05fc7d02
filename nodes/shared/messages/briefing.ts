// What the daily briefing (Workflow F) says. Telegram HTML: a value put in is escaped here.
import { escapeHtml } from '../telegram/html';
import { clipText } from '../text';

const line = (text: string) => `• ${escapeHtml(clipText(text, 200))}`;

export interface BriefingContent {
  /** "Tue 1 Dec": the day the briefing is for. */
  day: string;
  /** The local time it was due, when it goes out late (n8n was not running then), else null. */
  lateSince: string | null;
  overdue: { title: string; dueText: string }[];
  today: string[];
  /** Drafts waiting for ✅ Confirm, by title. */
  openDrafts: string[];
  /** A question of ours still waiting for the user's answer. */
  question: string | null;
  /** Today's events (Workflow C, the calendar, fills these in; empty until then). */
  events: string[];
}

export function briefingMessage(content: BriefingContent): string {
  const late = content.lateSince ? ` <i>(late: it was due at ${escapeHtml(content.lateSince)}, when I was not running)</i>` : '';
  const parts = [`☀️ <b>Your briefing for ${escapeHtml(content.day)}</b>${late}`];
  if (content.events.length) parts.push(`\n📅 <b>Today's events</b>\n${content.events.map(line).join('\n')}`);
  if (content.overdue.length) parts.push(`\n⚠️ <b>Overdue</b>\n${content.overdue.map((t) => `${line(t.title)} <i>(${escapeHtml(t.dueText)})</i>`).join('\n')}`);
  if (content.today.length) parts.push(`\n📌 <b>Due today</b>\n${content.today.map(line).join('\n')}`);
  const waiting = [
    ...content.openDrafts.map((title) => `${line(title)} <i>(a draft waiting for ✅ Confirm)</i>`),
    ...(content.question ? [`${line(content.question)} <i>(my question, waiting for your answer)</i>`] : []),
  ];
  if (waiting.length) parts.push(`\n⏳ <b>Waiting for you</b>\n${waiting.join('\n')}`);
  if (parts.length === 1) parts.push('\nNothing due today, nothing overdue, nothing waiting. 🎉');
  return parts.join('\n');
}

/** A task's button under the briefing: "✓ Buy milk". */
export function briefingDoneLabel(title: string): string {
  return `✓ ${clipText(title, 40)}`;
}

/** The briefing's last button: the same briefing again in an hour. */
export const BRIEFING_SNOOZE_LABEL = '💤 1 hour';
