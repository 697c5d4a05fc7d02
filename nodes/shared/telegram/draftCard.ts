// How drafts look in Telegram: HTML (Telegram's legacy Markdown breaks on a stray `_` or `*`
// in user text), at most 4096 characters, and buttons whose callback_data stays ≤ 64 bytes.
// The words are in messages/draftCard.ts; this is the layout.

import { TITLE_MAX_CHARS, type TaskDraft } from '../draft/taskDraft';
import type { Draft, DraftStatus } from '../draft/drafts';
import { clipText } from '../text';
import { clarificationQuestion, DRAFT_CANCELLED, DRAFT_CARD, DRAFT_STATUS_LINES, moreSubtasks, taskCreated } from '../messages/draftCard';
import { callbackData, eventCallbackData, type MediaNote, MEDIA_SUMMARY_MAX_CHARS, TELEGRAM_TEXT_LIMIT } from '../contracts';
import { mediaCardLine } from '../messages/media';
import { EVENT_OR_TASK } from '../messages/eventCard';
import { eventDraftCard } from './eventCard';
import { escapeHtml } from './html';

export { escapeHtml } from './html';

function formatDate(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return date.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** Cuts plain text to fit, marking the cut; never splits a surrogate pair. */
const clip = clipText;

const STATUS_LINES: Partial<Record<DraftStatus, string>> = DRAFT_STATUS_LINES;

/**
 * The draft card ("📝 Task Draft: Title / Due / Subtasks"), below what was heard or read when
 * the draft came from a voice note or photo ("🎤 …"). Escapes everything the user or the model
 * wrote, and shortens notes first, then subtasks, so the whole stays ≤ 4096.
 */
export function renderDraftCard(task: TaskDraft, status: DraftStatus = 'drafted', media: Pick<MediaNote, 'kind' | 'summary'> | null = null): string {
  const heard = media?.summary.trim() ? [mediaCardLine(media.kind, clip(media.summary.trim(), MEDIA_SUMMARY_MAX_CHARS)), ''] : [];
  const head = [...heard, DRAFT_CARD.heading, '', `${DRAFT_CARD.titleLabel} ${escapeHtml(clip(task.title, TITLE_MAX_CHARS))}`];
  if (task.due_date) {
    const why = task.due_date_reasoning ? ` <i>(${escapeHtml(clip(task.due_date_reasoning, 300))})</i>` : '';
    head.push(`${DRAFT_CARD.dueLabel} ${escapeHtml(formatDate(task.due_date))}${why}`);
  } else {
    // The reasoning says why there is no date, and carries the "drafted offline" mark.
    const why = task.due_date_reasoning ? ` <i>(${escapeHtml(clip(task.due_date_reasoning, 300))})</i>` : '';
    head.push(`${DRAFT_CARD.dueLabel} ${DRAFT_CARD.noDueDate}${why}`);
  }
  const reminder = task.reminder as { date?: unknown; time?: unknown } | undefined;
  if (reminder && typeof reminder.date === 'string' && typeof reminder.time === 'string') {
    head.push(`${DRAFT_CARD.reminderLabel} ${escapeHtml(formatDate(reminder.date))} · ${escapeHtml(reminder.time)}`);
  }
  const statusLine = STATUS_LINES[status];
  const tail = statusLine ? ['', statusLine] : [];
  // A subtask counts as suggested unless the user named it (suggested: false).
  const isSuggested = (subtask: TaskDraft['subtasks'][number]) => subtask.suggested !== false;
  const allSuggested = task.subtasks.every(isSuggested);
  const subtasksHeading = allSuggested ? DRAFT_CARD.suggestedSubtasksHeading : DRAFT_CARD.subtasksHeading;
  const subtasks = task.subtasks.length
    ? ['', subtasksHeading, ...task.subtasks.map((s) => `• ${escapeHtml(clip(s.title, 300))}${!allSuggested && isSuggested(s) ? DRAFT_CARD.suggestedMark : ''}`)]
    : [];
  const fixed = [...head, ...subtasks, ...tail].join('\n');
  const notes = task.notes ? escapeHtml(task.notes) : '';
  let room = TELEGRAM_TEXT_LIMIT - fixed.length - `\n\n${DRAFT_CARD.notesLabel} `.length;
  if (notes && room > 20) {
    const shown = notes.length <= room ? notes : clipEscaped(notes, room);
    return [...head, '', `${DRAFT_CARD.notesLabel} ${shown}`, ...subtasks, ...tail].join('\n');
  }
  if (fixed.length <= TELEGRAM_TEXT_LIMIT) return fixed;
  // Very many long subtasks: keep as many as fit and say how many more there are.
  const lines = [...head, '', subtasksHeading];
  room = TELEGRAM_TEXT_LIMIT - lines.join('\n').length - tail.join('\n').length - 40;
  let shown = 0;
  for (const line of subtasks.slice(2)) {
    if (line.length + 1 > room) break;
    lines.push(line);
    room -= line.length + 1;
    shown += 1;
  }
  lines.push(moreSubtasks(task.subtasks.length - shown));
  return [...lines, ...tail].join('\n');
}

/** Clips escaped text without cutting through an entity such as `&amp;`. */
function clipEscaped(escaped: string, max: number): string {
  let cut = clip(escaped, max);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = `${cut.slice(0, amp)}…`;
  return cut;
}

/** "✅ Task created successfully!", with the title and how many subtasks came with it. */
export function renderStatusMessage(task: TaskDraft, status: DraftStatus): string | null {
  if (status === 'executed') return taskCreated(clip(task.title, TITLE_MAX_CHARS), task.subtasks.length);
  if (status === 'cancelled') return DRAFT_CANCELLED;
  return null;
}

/** A clarification question as sent to the user. */
export function renderQuestion(question: string): string {
  return clarificationQuestion(clip(question, TELEGRAM_TEXT_LIMIT - 10));
}

export interface DraftCard {
  text: string;
  /** A short message about the draft's outcome, once it has one (created, cancelled). */
  statusText: string | null;
  confirmData: string;
  editData: string;
  cancelData: string;
  /** The second row's one button: 📅 Event under a task card; 🕒 Move to … or ✅ Task under an event card. */
  extraText: string;
  extraData: string;
}

export function draftCard(draft: Pick<Draft, 'id' | 'task' | 'status'> & Partial<Pick<Draft, 'media'>> & { draftType?: string }): DraftCard {
  if (draft.draftType === 'event') return eventDraftCard(draft);
  return {
    text: renderDraftCard(draft.task, draft.status, draft.media ?? null),
    statusText: renderStatusMessage(draft.task, draft.status),
    confirmData: callbackData('confirm', draft.id),
    editData: callbackData('edit', draft.id),
    cancelData: callbackData('cancel', draft.id),
    extraText: EVENT_OR_TASK.event,
    extraData: eventCallbackData('toevent', draft.id),
  };
}
