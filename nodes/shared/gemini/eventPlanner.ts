// Workflow C's planner: an event request in words ("dinner with Ana on Friday at 7:30") or an
// edit of an event draft ("at 8pm", "for 2 hours") becomes an event draft in the user's zone.
// Gemini answers the day, the clock times and the duration; the times themselves are always
// resolved here (calendar/time.ts), across daylight-saving changes, so a model never does
// offset arithmetic. The offline fallback (and the scripted emulator) answer the same reply
// from the local date rules of fallback.ts.
import type { GenerateFn, GeminiThinkingLevel } from './adapter';
import { callStructured } from './call';
import type { CallPolicy, Checked } from './call';
import { addDays, assertTimeZone, daysBetween, todayIn, weekdayName } from './dates';
import { capitalize, cleanTitle, findDateMention, formatClock, type DateMention, type ReferencePoint } from './fallback';
import { assertRunsWithoutCredential, fallbackCovers } from './options';
import type { FallbackMode } from './options';
import { buildPrompt, EVENT_PLANNER_SYSTEM_INSTRUCTION, type PromptFields } from './prompts';
import { EVENT_PLANNER_SCHEMA, type EventPlannerReply } from './schemas';
import { validateAgainstSchema } from './validate';
import { parseReferenceTime, type PlanResult, type PlanResultOutcome } from './planner';
import { fitEventDraft, parseEventDraft, validateEventDraft, type EventDraft } from '../draft/eventDraft';
import { resolveEventTiming, eventSpanMs } from '../calendar/time';
import { isCalendarDate, wallClockIn } from '../time';
import { EVENT_PLANNING } from '../messages/eventCard';
import { EMPTY_REQUEST } from '../messages/failures';
import { InputError } from '../errors';

export const EVENT_PLANNER_MODES = ['event', 'reviseEvent'] as const;
export type EventPlannerMode = (typeof EVENT_PLANNER_MODES)[number];

export type { EventPlannerReply } from './schemas';

export interface EventPlannerInput {
  mode: EventPlannerMode;
  text: string;
  /** YYYY-MM-DD, or '' for the reference time's day in timeZone. */
  currentDate: string;
  referenceTime?: string | number | null;
  timeZone: string;
  /** reviseEvent: the event draft being revised (object or JSON). */
  previousDraft?: unknown;
  model: string;
  temperature: number | null;
  thinkingLevel?: GeminiThinkingLevel | null;
  fallback: FallbackMode;
}

export type EventPlannerResult = PlanResult<EventDraft>;
export type EventPlannerOutcome = PlanResultOutcome<EventDraft>;

// ---------------------------------------------------------------- local rules

const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, half: 0.5 };
const DURATION = /(?<![\p{L}\p{N}])for\s+(\d+(?:[.,]\d+)?|an?|one|two|three|four|five|six|half an?)\s*(hours?|hrs?|h|minutes?|mins?)(?![\p{L}])/iu;
const UNTIL = /(?<![\p{L}\p{N}])(?:until|till|to|-|–)\s*(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?![\p{L}\p{N}])/iu;
const EVENING_WORDS = /(?<![\p{L}])(?:dinner|supper|drinks|party|concert|show|theatre|theater|movie|cinema|evening|tonight|gig|date night)(?![\p{L}])/iu;

function hasMeridiem(timeText: string | null): boolean {
  return !!timeText && /a\.?m\.?|p\.?m\.?|uhr|\bh\b|\d{2}:\d{2}/i.test(timeText.replace(/^\D*(\d{1,2}):\d{2}/, (m, h) => (Number(h) >= 13 ? '13:00' : m)))
    ? /a\.?m\.?|p\.?m\.?|uhr/i.test(timeText) || /(?:^|\D)(1[3-9]|2[0-3]):\d{2}/.test(timeText)
    : false;
}

/** "at 7:30" for a dinner is 19:30; any "at 3" with no am/pm is 15:00 (nobody meets at 3 am). */
function plausibleHour(hour: number, mention: DateMention, text: string): number {
  if (hasMeridiem(mention.timeText) || hour === 0 || hour >= 12) return hour;
  if (EVENING_WORDS.test(text) || hour <= 6) return hour + 12;
  return hour;
}

function readDuration(text: string): { minutes: number; span: { index: number; length: number } } | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  const amount = match[1].toLowerCase();
  const value = amount.startsWith('half') ? 0.5 : NUMBER_WORDS[amount] ?? Number(amount.replace(',', '.'));
  const minutes = /^h/i.test(match[2]) ? value * 60 : value;
  return minutes > 0 ? { minutes: Math.round(minutes), span: { index: match.index, length: match[0].length } } : null;
}

function readEndTime(text: string, startHour: number, mention: DateMention): { time: string; span: { index: number; length: number } } | null {
  const after = mention.spans.length ? Math.max(...mention.spans.map((s) => s.index + s.length)) : 0;
  const rest = text.slice(after);
  const match = UNTIL.exec(rest);
  if (!match || match.index > 3) return null;
  let hour = Number(match[1]);
  const minute = match[2] ? Number(match[2]) : 0;
  const mark = match[3]?.toLowerCase().replace(/\./g, '');
  if (mark === 'pm' && hour < 12) hour += 12;
  else if (!mark && hour < 12 && startHour >= 12) hour += 12;
  if (hour > 23 || minute > 59) return null;
  return { time: formatClock(hour, minute), span: { index: after + match.index, length: match[0].length } };
}

function removeSpans(text: string, spans: { index: number; length: number }[]): string {
  let result = text;
  for (const span of [...spans].sort((a, b) => b.index - a.index)) result = `${result.slice(0, span.index)} ${result.slice(span.index + span.length)}`;
  return result;
}

function offlineMark(offline: boolean): string {
  return offline ? ` ${EVENT_PLANNING.offline}` : '';
}

function question(text: string): EventPlannerReply {
  return { title: '', date: null, time: null, end_date: null, end_time: null, duration_minutes: null, location: '', notes: '', time_reasoning: '', clarification_needed: true, clarification_question: text };
}

/** The text with the length ("for 2 hours") blanked out, so the date rules do not read it as a time. */
function withoutDuration(text: string): { text: string; duration: { minutes: number } | null } {
  const duration = readDuration(text);
  if (!duration) return { text, duration: null };
  return { text: `${text.slice(0, duration.span.index)}${' '.repeat(duration.span.length)}${text.slice(duration.span.index + duration.span.length)}`, duration };
}

/** An event request in words, by the local rules. */
function draftEventFromText(raw: string, reference: ReferencePoint, timeZone: string, markOffline: boolean): EventPlannerReply {
  const { text, duration } = withoutDuration(raw);
  const mention = findDateMention(text, reference, timeZone);
  if (!mention) return question(EVENT_PLANNING.whenIsIt);
  const hour = mention.hour === null ? null : plausibleHour(mention.hour, mention, text);
  const end = hour === null ? null : readEndTime(text, hour, mention);
  const title = capitalize(cleanTitle(removeSpans(text, [...mention.spans, ...(end ? [end.span] : [])]).replace(/\s+/g, ' ')));
  const words = [mention.text, mention.timeText].filter((w, i, all) => w && all.indexOf(w) === i).join(', ');
  return {
    title: title || raw.trim(),
    date: mention.date,
    time: hour === null ? null : formatClock(hour, mention.minute ?? 0),
    end_date: null,
    end_time: end?.time ?? null,
    duration_minutes: duration?.minutes ?? null,
    location: '',
    notes: '',
    time_reasoning: `${EVENT_PLANNING.fromWords(words)}${offlineMark(markOffline)}`,
    clarification_needed: false,
    clarification_question: null,
  };
}

const RENAME = /^(?:rename(?: it)?(?: to)?|call it|title(?: it)?|change the (?:title|name) to)\s*[:\-–]?\s*["“']?(.+?)["”']?[\s.!]*$/i;
const LOCATION = /^(?:(?:the )?(?:location|place|where)(?: is)?|it'?s at|at the|in the|move it to the|location:)\s*[:\-–]?\s*(.+?)[\s.!]*$/i;
const NOTE = /^(?:add (?:a )?note|note|notes?)\s*[:\-–]?\s*(\S.*)$/i;

function replyOf(event: EventDraft, extra: Partial<EventPlannerReply> = {}): EventPlannerReply {
  const span = eventSpanMs(event);
  return {
    title: event.title,
    date: event.start.slice(0, 10),
    time: event.all_day ? null : event.start.slice(11, 16),
    end_date: event.all_day ? addDays(event.end, -1) : null,
    end_time: null,
    duration_minutes: event.all_day ? null : event.duration_defaulted ? null : Math.round((span.endMs - span.startMs) / 60_000),
    location: event.location ?? '',
    notes: event.notes ?? '',
    time_reasoning: event.time_reasoning ?? '',
    clarification_needed: false,
    clarification_question: null,
    ...extra,
  };
}

/** An edit of an event draft, by the local rules: a day and/or time, a length, a title, a place, a note. */
function reviseEventLocally(previous: EventDraft, instruction: string, reference: ReferencePoint, timeZone: string, markOffline: boolean): EventPlannerReply {
  const text = instruction.trim();
  const rename = RENAME.exec(text);
  if (rename) return replyOf(previous, { title: rename[1].trim() });
  const note = NOTE.exec(text);
  if (note) return replyOf(previous, { notes: [previous.notes, note[1].trim()].filter(Boolean).join('\n') });
  const { text: rest, duration } = withoutDuration(text);
  const mention = /[\p{L}\p{N}]/u.test(rest) ? findDateMention(rest, reference, timeZone) : null;
  if (!mention && duration) return replyOf(previous, { duration_minutes: duration.minutes, time_reasoning: previous.time_reasoning ?? '' });
  if (mention) {
    const hour = mention.hour === null ? null : plausibleHour(mention.hour, mention, `${previous.title} ${text}`);
    // "at 8pm" alone keeps the day; "on Saturday" alone keeps the time.
    const date = mention.timeOnly ? previous.start.slice(0, 10) : mention.date;
    const time = hour !== null ? formatClock(hour, mention.minute ?? 0) : previous.all_day ? null : previous.start.slice(11, 16);
    const kept = replyOf(previous);
    return {
      ...kept,
      date,
      time,
      // An all-day event moved to another day keeps its number of days.
      end_date: time === null && previous.all_day && date !== previous.start.slice(0, 10) ? (kept.end_date ? addDays(date, daysBetween(previous.start.slice(0, 10), kept.end_date)) : null) : kept.end_date,
      duration_minutes: duration?.minutes ?? kept.duration_minutes,
      time_reasoning: `${EVENT_PLANNING.fromWords([mention.text, mention.timeText].filter((w, i, all) => w && all.indexOf(w) === i).join(', '))}${offlineMark(markOffline)}`,
    };
  }
  const location = LOCATION.exec(text);
  if (location) return replyOf(previous, { location: location[1].trim() });
  return question(EVENT_PLANNING.whatToChange);
}

export interface LocalEventInput {
  mode: EventPlannerMode;
  text: string;
  reference: ReferencePoint;
  timeZone: string;
  previousDraft?: EventDraft | null;
  markOffline: boolean;
}

/** The planner reply (same shape Gemini returns) from the local rules. */
export function draftEventLocally(input: LocalEventInput): EventPlannerReply {
  if (input.mode === 'reviseEvent') {
    if (!input.previousDraft) return question(EVENT_PLANNING.whatToChange);
    return reviseEventLocally(input.previousDraft, input.text, input.reference, input.timeZone, input.markOffline);
  }
  return draftEventFromText(input.text, input.reference, input.timeZone, input.markOffline);
}

// ---------------------------------------------------------------- the reply as a draft

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function checkReply(parsed: unknown): Checked<EventPlannerReply> {
  const errors = validateAgainstSchema(parsed, EVENT_PLANNER_SCHEMA);
  if (errors.length) return { errors };
  const reply = parsed as EventPlannerReply;
  if (reply.clarification_needed) return reply.clarification_question?.trim() ? { value: reply } : { errors: ['$.clarification_question must be a question when clarification_needed is true'] };
  if (!reply.title.trim()) errors.push('$.title must not be empty');
  if (!reply.date || !isCalendarDate(reply.date)) errors.push('$.date must be a real date as YYYY-MM-DD (or ask)');
  for (const field of ['time', 'end_time'] as const) if (reply[field] !== null && !HH_MM.test(reply[field]!)) errors.push(`$.${field} must be HH:MM or null`);
  if (reply.end_date !== null && !isCalendarDate(reply.end_date)) errors.push('$.end_date must be YYYY-MM-DD or null');
  if (!errors.length) {
    const problems = toDraft(reply, 'UTC');
    if ('problems' in problems) errors.push(...problems.problems.map((p) => `the event: ${p}`));
  }
  return errors.length ? { errors } : { value: reply };
}

function toDraft(reply: EventPlannerReply, timeZone: string): { draft: EventDraft } | { problems: string[] } {
  try {
    const timing = resolveEventTiming({
      date: reply.date!,
      time: reply.time,
      end_date: reply.end_date,
      end_time: reply.end_time,
      duration_minutes: reply.duration_minutes,
      time_zone: timeZone,
    });
    const { duration_minutes: _minutes, ...times } = timing;
    const draft: EventDraft = fitEventDraft({
      title: reply.title,
      ...times,
      ...(times.duration_defaulted ? {} : { duration_defaulted: false }),
      ...(reply.location.trim() ? { location: reply.location } : {}),
      ...(reply.notes.trim() ? { notes: reply.notes } : {}),
      ...(reply.time_reasoning.trim() ? { time_reasoning: reply.time_reasoning.trim() } : {}),
    });
    const checked = validateEventDraft(draft);
    return checked.ok ? { draft: checked.event } : { problems: checked.problems };
  } catch (error) {
    if (error instanceof InputError) return { problems: [error.message] };
    throw error;
  }
}

function toResult(reply: EventPlannerReply, timeZone: string, mode: EventPlannerMode): Pick<EventPlannerResult, 'outcome' | 'clarification_needed' | 'clarification_question' | 'draft'> {
  // A new event lacks only its day: always the same question, so that its answer finds its way
  // back to Workflow C (EVENT_DAY_QUESTION in contracts.ts). An edit's question stays the model's.
  if (reply.clarification_needed) {
    const question = mode === 'event' ? EVENT_PLANNING.whenIsIt : reply.clarification_question!.trim();
    return { outcome: 'clarification_needed', clarification_needed: true, clarification_question: question, draft: null };
  }
  const made = toDraft(reply, timeZone);
  if ('problems' in made) return { outcome: 'clarification_needed', clarification_needed: true, clarification_question: mode === 'event' ? EVENT_PLANNING.whenIsIt : EVENT_PLANNING.whatToChange, draft: null };
  return { outcome: 'drafted', clarification_needed: false, clarification_question: null, draft: made.draft };
}

function parsePrevious(value: unknown): EventDraft {
  const record = typeof value === 'string' && value.trim() ? JSON.parse(value) : value;
  const inner = record && typeof record === 'object' && 'draft' in record && (record as { draft: unknown }).draft ? (record as { draft: unknown }).draft : record;
  return parseEventDraft(inner);
}

export async function planEvent(input: EventPlannerInput, deps: { generate: GenerateFn | null; now?: () => Date; policy?: Partial<CallPolicy> }): Promise<EventPlannerOutcome> {
  const failed = (message: string, userMessage: string): EventPlannerOutcome => ({
    ok: false,
    outcome: 'failed',
    failure: { kind: 'invalid_input', retryable: false, message, userMessage },
    usage: null,
    latencyMs: 0,
    model: input.model,
  });
  if (!input.text.trim()) return failed('empty event request', EMPTY_REQUEST);
  assertTimeZone(input.timeZone);
  if (!EVENT_PLANNER_MODES.includes(input.mode)) throw new InputError(`Unknown event mode "${input.mode}"`);
  let previousDraft: EventDraft | null = null;
  if (input.mode === 'reviseEvent') {
    try {
      previousDraft = parsePrevious(input.previousDraft);
    } catch {
      return failed('reviseEvent: no usable previous event draft', EVENT_PLANNING.whatToChange);
    }
  }
  const now = (deps.now ?? (() => new Date()))();
  let reference: ReferencePoint;
  if (input.currentDate.trim()) {
    if (!isCalendarDate(input.currentDate.trim())) throw new InputError(`"Current Date" must be YYYY-MM-DD, got "${input.currentDate}"`);
    reference = { date: input.currentDate.trim() };
  } else {
    const sentAt = parseReferenceTime(input.referenceTime, now);
    const clock = wallClockIn(input.timeZone, sentAt);
    reference = { date: todayIn(input.timeZone, sentAt), minutesIntoDay: clock.hour * 60 + clock.minute };
  }
  const offline = (stats: Partial<EventPlannerResult> = {}): EventPlannerOutcome => ({
    ok: true,
    ...toResult(draftEventLocally({ mode: input.mode, text: input.text, reference, timeZone: input.timeZone, previousDraft, markOffline: true }), input.timeZone, input.mode),
    source: 'offline',
    offline: true,
    usage: null,
    latencyMs: 0,
    model: null,
    repaired: false,
    samplingDropped: false,
    thinkingDropped: false,
    ...stats,
  });
  if (input.fallback === 'always') return offline();
  if (!deps.generate) {
    assertRunsWithoutCredential(input.fallback, 'none is configured');
    return offline();
  }
  const fields: PromptFields = {
    request: input.mode === 'reviseEvent' ? 'revise_event' : 'plan_event',
    currentDate: reference.date,
    weekday: weekdayName(reference.date),
    currentTime: reference.minutesIntoDay === undefined ? undefined : formatClock(Math.floor(reference.minutesIntoDay / 60), reference.minutesIntoDay % 60),
    timeZone: input.timeZone,
    userMessage: input.text.trim(),
    ...(previousDraft ? { previousDraft } : {}),
  };
  const result = await callStructured({
    generate: deps.generate,
    model: input.model,
    temperature: input.temperature,
    thinkingLevel: input.thinkingLevel ?? null,
    systemInstruction: EVENT_PLANNER_SYSTEM_INSTRUCTION,
    prompt: buildPrompt(fields),
    schema: EVENT_PLANNER_SCHEMA,
    check: checkReply,
    policy: deps.policy,
  });
  const stats = { usage: result.usage, latencyMs: result.latencyMs, model: result.model, samplingDropped: result.samplingDropped, thinkingDropped: result.thinkingDropped };
  if (!result.ok) {
    if (input.fallback === 'whenUnavailable' && fallbackCovers(result.failure)) return offline(stats);
    return { ok: false, outcome: 'failed', failure: result.failure, usage: result.usage, latencyMs: result.latencyMs, model: result.model };
  }
  return { ok: true, ...toResult(result.value, input.timeZone, input.mode), source: 'gemini', offline: false, repaired: result.repaired, ...stats };
}
