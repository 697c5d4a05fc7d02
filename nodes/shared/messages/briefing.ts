// What the daily briefing (Workflow F) says. Telegram HTML: a value put in is escaped here.
import { escapeHtml } from '../telegram/html';
import { TELEGRAM_TEXT_LIMIT } from '../contracts';
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
  /** Today's events, one line each ("19:30–20:30 · Dinner with Ana"), from the user's calendar. */
  events: string[];
}

/** At most this many lines per section; the rest is "… and N more". */
const SECTION_MAX_LINES = 10;

export function briefingMessage(content: BriefingContent): string {
  const late = content.lateSince ? ` <i>(late: it was due at ${escapeHtml(content.lateSince)}, when I was not running)</i>` : '';
  const heading = `☀️ <b>Your briefing for ${escapeHtml(content.day)}</b>${late}`;
  const waiting = [
    ...content.openDrafts.map((title) => `${line(title)} <i>(a draft waiting for ✅ Confirm)</i>`),
    ...(content.question ? [`${line(content.question)} <i>(my question, waiting for your answer)</i>`] : []),
  ];
  const sections = [
    { title: "📅 <b>Today's events</b>", lines: content.events.map(line) },
    { title: '⚠️ <b>Overdue</b>', lines: content.overdue.map((t) => `${line(t.title)} <i>(${escapeHtml(t.dueText)})</i>`) },
    { title: '📌 <b>Due today</b>', lines: content.today.map(line) },
    { title: '⏳ <b>Waiting for you</b>', lines: waiting },
  ]
    .filter((section) => section.lines.length > 0)
    .map((section) => ({ ...section, shown: Math.min(section.lines.length, SECTION_MAX_LINES) }));
  const render = () => {
    const parts = [heading];
    for (const section of sections) {
      const more = section.lines.length - section.shown;
      parts.push(`\n${section.title}\n${[...section.lines.slice(0, section.shown), ...(more > 0 ? [`• <i>… and ${more} more</i>`] : [])].join('\n')}`);
    }
    if (sections.length === 0) parts.push('\nNothing due today, nothing overdue, nothing waiting. 🎉');
    return parts.join('\n');
  };
  // Within Telegram's limit: the longest section gives up lines first, each keeps at least one.
  let text = render();
  while (text.length > TELEGRAM_TEXT_LIMIT) {
    const longest = sections.filter((s) => s.shown > 1).sort((a, b) => b.shown - a.shown)[0];
    if (!longest) return clipText(text.replace(/<[^>]*>/g, ''), TELEGRAM_TEXT_LIMIT);
    longest.shown -= 1;
    text = render();
  }
  return text;
}

/** How the briefing names an all-day event's time, and an event without a title. */
export const BRIEFING_ALL_DAY = 'All day';
export const BRIEFING_UNTITLED_EVENT = '(no title)';

/** A task's button under the briefing: "✓ Buy milk". */
export function briefingDoneLabel(title: string): string {
  return `✓ ${clipText(title, 40)}`;
}

/** The briefing's last button: the same briefing again in an hour. */
export const BRIEFING_SNOOZE_LABEL = '💤 1 hour';
