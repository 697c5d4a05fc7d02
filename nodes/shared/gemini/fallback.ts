// The deterministic local stand-in for Gemini: simple rules for intents and a chrono-node
// based parser for task drafts. It runs when the node's fallback is on (the playground,
// or Gemini unreachable / out of quota) and also powers the scripted emulator in tests.
// It is deliberately plain: a usable draft, clearly marked, never a clever guess.
import * as chrono from 'chrono-node';
import { addDays, formatDate, weekdayName } from './dates';
import { clipText, sliceWhole } from '../text';
import { NOTES_MAX_CHARS, TITLE_MAX_CHARS, type CompleteTaskDraft } from '../draft/taskDraft';
import type { Intent, PlannerReply } from './schemas';

export const OFFLINE_MARK = 'Drafted offline without Gemini.';

// ---------------------------------------------------------------- intents

export interface IntentContext {
  awaitingEdit: boolean;
  pendingQuestion: string;
}

export interface LocalIntent {
  intent: Intent;
  confidence: number;
  parameters: { task_description?: string; instruction?: string; answer?: string };
}

const CANCEL_PATTERN = /^(cancel|stop|abort|never\s?mind|forget (it|that)|no,? thanks|discard( it| the draft)?|don'?t bother)\b[\s.!]*$/i;
const HELP_PATTERN = /^(help|\?+|what can you do\??|how does this work\??|commands)[\s.!?]*$/i;
const SMALL_TALK_PATTERN = /^(hi|hello|hey|yo|thanks|thank you|thx|ok|okay|cool|good (morning|night|evening))\b[\s.!]*$/i;
/** Words that start a change to an existing draft rather than a new task. */
const REVISION_START = /^(make it|change|move|rename|call it|set|add|remove|drop|delete|no subtasks|without|also|instead|actually|due|push|postpone|shift)\b/i;

export function classifyLocally(text: string, context: IntentContext): LocalIntent {
  const trimmed = text.trim();
  if (CANCEL_PATTERN.test(trimmed)) return { intent: 'cancel', confidence: 0.95, parameters: {} };
  if (HELP_PATTERN.test(trimmed)) return { intent: 'help', confidence: 0.95, parameters: {} };
  if (context.pendingQuestion.trim()) return { intent: 'answer_clarification', confidence: 0.85, parameters: { answer: trimmed } };
  if (context.awaitingEdit) return { intent: 'revise_draft', confidence: 0.85, parameters: { instruction: trimmed } };
  if (SMALL_TALK_PATTERN.test(trimmed)) return { intent: 'unknown', confidence: 0.9, parameters: {} };
  if (REVISION_START.test(trimmed) && trimmed.split(/\s+/).length <= 6) {
    // Sounds like an edit, but no draft awaits one: ask rather than guess.
    return { intent: 'revise_draft', confidence: 0.4, parameters: { instruction: trimmed } };
  }
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return { intent: 'unknown', confidence: 0.3, parameters: {} };
  return { intent: 'create_task', confidence: 0.8, parameters: { task_description: trimmed } };
}

// ---------------------------------------------------------------- dates

// English first; the others catch common non-English phrasings ("morgen", "demain", "mañana").
const WORD_NUMBERS: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, six: 6 };
const PARSERS = [chrono.en.casual, chrono.de.casual, chrono.fr.casual, chrono.es.casual, chrono.pt.casual, chrono.it.casual, chrono.nl.casual, chrono.ja.casual, chrono.zh.casual, chrono.ru.casual];

export interface DateMention {
  /** The words that named the date, as written. */
  text: string;
  index: number;
  date: string;
  /** The time of day exactly as written ("at 5pm"), when the user gave one. */
  timeText: string | null;
  hour: number | null;
  minute: number | null;
}

export interface ReferencePoint {
  /** The user's local date (YYYY-MM-DD). */
  date: string;
  /** Minutes since local midnight; 0 when unknown, so "at 9am" stays on the given date. */
  minutesIntoDay?: number;
}

/**
 * Finds the first date the text mentions, resolved against the user's local date. Chrono
 * runs on a "wall clock as UTC" instant, so its answer's UTC fields are the user's local date.
 */
export function findDateMention(text: string, reference: ReferencePoint): DateMention | null {
  const [year, month, day] = reference.date.split('-').map(Number);
  const minutes = reference.minutesIntoDay ?? 0;
  const instant = new Date(Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60));
  const endOfWeek = /\b(by |until )?(the )?end of (the |this )?week\b/i.exec(text);
  if (endOfWeek) {
    // chrono has no "end of the week"; we take the coming Sunday (today if it is Sunday).
    const daysToSunday = (7 - new Date(instant).getUTCDay()) % 7;
    return { text: endOfWeek[0], index: endOfWeek.index, date: addDays(reference.date, daysToSunday), timeText: null, hour: null, minute: null };
  }
  const monthsAhead = /\b(?:next month|in (\d+|a|one|two|three|six) months?)\b/i.exec(text);
  if (monthsAhead) {
    // chrono overflows (Jan 31 + 1 month = Mar 3); people mean the same day or the month's last day.
    const count = monthsAhead[1] ? (WORD_NUMBERS[monthsAhead[1].toLowerCase()] ?? Number(monthsAhead[1])) : 1;
    const target = new Date(Date.UTC(year, month - 1 + count, 1));
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    const date = formatDate(target.getUTCFullYear(), target.getUTCMonth() + 1, Math.min(day, lastDay));
    return { text: monthsAhead[0], index: monthsAhead.index, date, timeText: null, hour: null, minute: null };
  }
  for (const [parserIndex, parser] of PARSERS.entries()) {
    const results = parser
      .parse(text, { instant, timezone: 0 }, { forwardDate: true })
      // Other locales read short English words as dates ("do" = Donnerstag, "sam" = samedi).
      .filter((r) => parserIndex === 0 || r.text.length >= 4 || /\d|[^\x00-\x7F]/.test(r.text));
    // "now" ("right now", "jetzt") means today, not the clock time the message was read at; a
    // real date or time elsewhere in the text wins over it.
    const result = results.find((r) => !isNow(r)) ?? results[0];
    if (!result) continue;
    const resolved = result.start.date();
    const hasTime = result.start.isCertain('hour') && !isNow(result);
    const timeMatch = hasTime ? /(?:\b(?:at|um|à|a las|às|alle|om)\s+)?\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?|h|uhr)?|\bnoon\b|\bmidnight\b/i.exec(result.text) : null;
    return {
      text: result.text,
      index: result.index,
      date: formatDate(resolved.getUTCFullYear(), resolved.getUTCMonth() + 1, resolved.getUTCDate()),
      timeText: hasTime ? (timeMatch?.[0] ?? result.text).trim() : null,
      hour: hasTime ? resolved.getUTCHours() : null,
      minute: hasTime ? resolved.getUTCMinutes() : null,
    };
  }
  return null;
}

function isNow(result: chrono.ParsedResult): boolean {
  return result.tags().has('casualReference/now');
}

export function formatClock(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- drafts

const FILLER_START =
  /^(please\s+|pls\s+|can you\s+|could you\s+|remind me (to|about)\s+|reminder:?\s*(to\s+)?|remember to\s+|don'?t forget (to\s+)?|i (need|have|want|should|must) to\s+|i need\s+|todo:?\s*|to-?do:?\s*|task:?\s*|add (a )?task:?\s*(to\s+)?|create (a )?task:?\s*(to\s+)?)+/i;
const VAGUE_WORDS = new Set(['stuff', 'things', 'thing', 'something', 'task', 'todo', 'to-do', 'reminder', 'remind me', 'it', 'this', 'that', 'do it', 'help me', 'idk', 'hmm', 'later', 'tasks', 'remember']);
const TITLE_SOFT_LIMIT = 120;

/** Suggested steps for a few kinds of event people commonly plan; everything else gets none. */
const SUBTASK_TEMPLATES: Array<{ pattern: RegExp; subtasks: string[] }> = [
  { pattern: /\b(birthday|party|celebration|anniversary)\b/i, subtasks: ['Draw up the guest list', 'Send the invitations', 'Order or bake the cake', 'Buy decorations and supplies', 'Plan food and drinks'] },
  { pattern: /\b(trip|vacation|holiday|travel|flight)\b/i, subtasks: ['Book transport', 'Book accommodation', 'Make a packing list', 'Pack'] },
  { pattern: /\b(move|moving|relocat\w*)\b/i, subtasks: ['Get packing boxes', 'Book a moving van or movers', 'Update your address', 'Pack room by room'] },
  { pattern: /\b(wedding)\b/i, subtasks: ['Set the budget', 'Choose the venue', 'Send save-the-dates', 'Book catering'] },
  { pattern: /\b(dinner|bbq|barbecue|potluck)\b.*\b(friends|guests|people|family)\b|\bhost\w*\b/i, subtasks: ['Invite the guests', 'Plan the menu', 'Shop for ingredients'] },
  { pattern: /\b(presentation|talk|pitch)\b/i, subtasks: ['Outline the content', 'Prepare the slides', 'Rehearse'] },
];

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

function cleanTitle(text: string): string {
  return text
    .replace(FILLER_START, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+(on|by|for|at|until|due|before)\s*$/i, '')
    .replace(/^[\s,.;:!?-]+|[\s,;:-]+$/g, '')
    .replace(/[.!]+$/, '')
    .trim();
}

function shortenTitle(title: string): string {
  if (title.length <= TITLE_SOFT_LIMIT) return title;
  const firstSentence = /^(.{10,}?[.!?])\s/.exec(title)?.[1];
  if (firstSentence && firstSentence.length <= TITLE_SOFT_LIMIT) return firstSentence.replace(/[.!]$/, '');
  return sliceWhole(title, TITLE_SOFT_LIMIT - 1).replace(/\s+\S*$/, '') + '…';
}

function isVague(title: string): boolean {
  const normalized = title.toLowerCase().replace(/[^\p{L}\p{N}\s'-]/gu, '').trim();
  return !normalized || VAGUE_WORDS.has(normalized);
}

export interface LocalDraftInput {
  mode: 'create' | 'revise' | 'answer';
  text: string;
  reference: ReferencePoint;
  timeZone: string;
  maxSubtasks: number;
  previousDraft?: CompleteTaskDraft | null;
  question?: string;
  originalText?: string;
  /** Say in the draft that Gemini was not used (true for the real fallback). */
  markOffline: boolean;
}

const clip = clipText;

function joinNotes(...parts: Array<string | null | undefined>): string {
  return clip(parts.filter((part) => part && part.trim()).join('\n'), NOTES_MAX_CHARS);
}

function timeNote(mention: DateMention | null): string | null {
  if (!mention || mention.hour === null) return null;
  return `Time: ${formatClock(mention.hour, mention.minute ?? 0)} ("${mention.timeText}").`;
}

function dateReasoning(mention: DateMention | null, input: LocalDraftInput): string {
  const offline = input.markOffline ? ` ${OFFLINE_MARK}` : '';
  if (!mention) return `No date was mentioned, so there is no due date.${offline}`;
  const timePart = mention.hour !== null ? ' The time of day is kept in the notes because Google Tasks stores dates only.' : '';
  return `"${mention.text}" counted from ${input.reference.date} (${weekdayName(input.reference.date)}, ${input.timeZone}) is ${mention.date}.${timePart}${offline}`;
}

function clarification(question: string): PlannerReply {
  return { title: '', due_date: null, due_date_reasoning: '', notes: '', subtasks: [], clarification_needed: true, clarification_question: question };
}

function draftFromRequest(text: string, input: LocalDraftInput): PlannerReply {
  const mention = findDateMention(text, input.reference);
  const withoutDate = mention ? text.slice(0, mention.index) + ' ' + text.slice(mention.index + mention.text.length) : text;
  const fullTitle = capitalize(cleanTitle(withoutDate));
  if (isVague(fullTitle)) {
    const when = mention ? ` for ${mention.date}` : '';
    return clarification(`What exactly should I put on your list${when}?`);
  }
  const title = clip(shortenTitle(fullTitle), TITLE_MAX_CHARS);
  const template = SUBTASK_TEMPLATES.find((entry) => entry.pattern.test(text));
  const subtasks = (template?.subtasks ?? []).slice(0, input.maxSubtasks).map((subtask) => ({ title: subtask, suggested: true }));
  return {
    title,
    due_date: mention?.date ?? null,
    due_date_reasoning: dateReasoning(mention, input),
    notes: joinNotes(timeNote(mention), title !== fullTitle ? text.trim() : null, input.markOffline ? OFFLINE_MARK : null),
    subtasks,
    clarification_needed: false,
    clarification_question: null,
  };
}

const NO_DATE_PATTERN = /\b(no|without( a)?|remove( the)?|drop( the)?|clear( the)?) (due )?date\b/i;
const RENAME_PATTERN = /^(?:rename(?: it)?(?: to)?|call it|title(?: it)?(?: to)?|change the title to)\s+["“]?(.+?)["”]?\s*$/i;
const ADD_SUBTASK_PATTERN = /^(?:add|also|plus|include)(?: a)?(?: subtask| step)?:?\s+(.+)$/i;
const REMOVE_SUBTASKS_PATTERN = /\b(no|remove( the| all)?|drop( the)?|without) (sub-?tasks|steps)\b/i;

function reviseDraft(previous: CompleteTaskDraft, instruction: string, input: LocalDraftInput): PlannerReply {
  const draft: PlannerReply = { ...previous, subtasks: previous.subtasks.map((s) => ({ ...s })), clarification_needed: false, clarification_question: null };
  const text = instruction.trim();
  const rename = RENAME_PATTERN.exec(text);
  const addSubtask = ADD_SUBTASK_PATTERN.exec(text);
  const mention = findDateMention(text, input.reference);
  let understood = false;
  if (NO_DATE_PATTERN.test(text)) {
    draft.due_date = null;
    draft.due_date_reasoning = 'The due date was removed as requested.';
    understood = true;
  } else if (mention) {
    draft.due_date = mention.date;
    draft.due_date_reasoning = dateReasoning(mention, input);
    const note = timeNote(mention);
    if (note) draft.notes = joinNotes(draft.notes, note);
    understood = true;
  }
  if (rename) {
    draft.title = clip(capitalize(rename[1].trim()), TITLE_MAX_CHARS);
    understood = true;
  } else if (addSubtask && !mention) {
    draft.subtasks = [...draft.subtasks, { title: capitalize(cleanTitle(addSubtask[1])), suggested: true }].slice(0, input.maxSubtasks);
    understood = true;
  }
  if (REMOVE_SUBTASKS_PATTERN.test(text)) {
    draft.subtasks = [];
    understood = true;
  }
  if (!understood) draft.notes = joinNotes(draft.notes, `Requested change: ${text}`);
  if (input.markOffline && !draft.due_date_reasoning.includes(OFFLINE_MARK)) {
    draft.due_date_reasoning = `${draft.due_date_reasoning} ${OFFLINE_MARK}`.trim();
  }
  return draft;
}

/** Builds a planner reply (same shape Gemini returns) from local rules. */
export function draftLocally(input: LocalDraftInput): PlannerReply {
  if (input.mode === 'revise') {
    if (!input.previousDraft) return clarification('Which task should I change?');
    return reviseDraft(input.previousDraft, input.text, input);
  }
  if (input.mode === 'answer') {
    // A vague original ("stuff") adds nothing but its date; a real one is completed by the answer.
    const original = input.originalText?.trim() ?? '';
    const originalMention = findDateMention(original, input.reference);
    const originalCore = originalMention ? original.replace(originalMention.text, ' ') : original;
    const parts = isVague(cleanTitle(originalCore)) ? [input.text.trim(), originalMention?.text] : [original, input.text.trim()];
    return draftFromRequest(parts.filter(Boolean).join(' '), input);
  }
  return draftFromRequest(input.text, input);
}
