// Workflow D's "Planner mode": a task description (or an edit, or an answer to our
// question) becomes a validated Google Tasks draft, with dates resolved against the user's
// own calendar day.
import { InputError } from '../errors';
import type { Failure, PlanOutcome } from '../outcome';
import type { GenerateFn, GeminiThinkingLevel } from './adapter';
import { callStructured } from './call';
import type { CallPolicy, Checked, Usage } from './call';
import { assertTimeZone, todayIn, weekdayName } from './dates';
import { draftLocally, findDateMention, formatClock } from './fallback';
import type { ReferencePoint } from './fallback';
import { assertRunsWithoutCredential, fallbackCovers } from './options';
import type { FallbackMode } from './options';
import { PLANNER_SYSTEM_INSTRUCTION, buildPrompt } from './prompts';
import type { PromptFields } from './prompts';
import { plannerSchema } from './schemas';
import type { PlannerReply } from './schemas';
import { validateAgainstSchema } from './validate';
import { fitTaskDraft, MAX_SUBTASKS, NOTES_MAX_CHARS, TITLE_MAX_CHARS, type CompleteTaskDraft } from '../draft/taskDraft';
import { sliceWhole } from '../text';
import { EMPTY_REQUEST, NO_DRAFT_TO_REVISE } from '../messages/failures';
import { TIME_KEPT_IN_NOTES, timeOfDayNote } from '../messages/draftCard';
import { isCalendarDate, wallClockIn } from '../time';

export const PLANNER_MODES = ['create', 'revise', 'answer'] as const;
export type PlannerMode = (typeof PLANNER_MODES)[number];

export interface PlannerInput {
  mode: PlannerMode;
  text: string;
  /** YYYY-MM-DD, or '' for the reference time's day in timeZone. */
  currentDate: string;
  /**
   * When the user sent the message: unix seconds (Telegram's message.date, as a number or
   * digits) or an ISO 8601 time. Empty: now. Relative dates and times count from it.
   */
  referenceTime?: string | number | null;
  timeZone: string;
  /** The draft being revised: an object or its JSON text. */
  previousDraft?: unknown;
  question?: string;
  originalText?: string;
  model: string;
  /** null sends no sampling parameters (the default since the current models deprecate them). */
  temperature: number | null;
  /** null (or absent) leaves thinking to the model's default. */
  thinkingLevel?: GeminiThinkingLevel | null;
  maxSubtasks: number;
  fallback: FallbackMode;
}

export interface PlannerDeps {
  generate: GenerateFn | null;
  now?: () => Date;
  policy?: Partial<CallPolicy>;
}

/** What a planner (tasks, events) answers with: the draft it made, or its question, and how it got there. */
export interface PlanResult<Draft> {
  /** Where the workflow branches: 'drafted' (`draft` is set) or 'clarification_needed'. */
  outcome: Exclude<PlanOutcome, 'failed'>;
  clarification_needed: boolean;
  clarification_question: string | null;
  draft: Draft | null;
  source: 'gemini' | 'offline';
  offline: boolean;
  usage: Usage | null;
  latencyMs: number;
  model: string | null;
  repaired: boolean;
  samplingDropped: boolean;
  /** The model refused the thinking level and answered with its default. */
  thinkingDropped: boolean;
}

/** A planner's result, or why it has none. */
export type PlanResultOutcome<Draft> =
  | ({ ok: true } & PlanResult<Draft>)
  | { ok: false; outcome: Extract<PlanOutcome, 'failed'>; failure: Failure; usage: Usage | null; latencyMs: number; model: string };

export type PlannerResult = PlanResult<CompleteTaskDraft>;
export type PlannerOutcome = PlanResultOutcome<CompleteTaskDraft>;

/** Accepts a draft object or its JSON text, as stored by the drafts table. */
export function parsePreviousDraft(value: unknown): CompleteTaskDraft {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InputError('"Previous Draft" is not valid JSON', 'Pass the draft object (or its JSON text) that is being revised.');
    }
  }
  const record = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  // Drafts may be stored wrapped, e.g. {draft: {...}} as this node outputs them.
  const draft = (record.draft && typeof record.draft === 'object' ? record.draft : record) as Record<string, unknown>;
  if (typeof draft.title !== 'string' || !draft.title.trim()) {
    throw new InputError('"Previous Draft" has no title', 'Revise mode needs the current draft, e.g. {{ $json.draft_json }}.');
  }
  const subtasks = Array.isArray(draft.subtasks) ? draft.subtasks : [];
  return {
    title: draft.title,
    due_date: typeof draft.due_date === 'string' && isCalendarDate(draft.due_date) ? draft.due_date : null,
    due_date_reasoning: typeof draft.due_date_reasoning === 'string' ? draft.due_date_reasoning : '',
    notes: typeof draft.notes === 'string' ? draft.notes : '',
    subtasks: subtasks
      .map((s) => (typeof s === 'string' ? s : typeof s?.title === 'string' ? s.title : ''))
      .filter((title: string) => title.trim())
      .map((title: string) => ({ title, suggested: true as const })),
  };
}

interface PreparedInput {
  input: PlannerInput;
  reference: ReferencePoint;
  previousDraft: CompleteTaskDraft | null;
}

/** The moment relative dates count from: the reference time, never later than now. */
export function parseReferenceTime(value: PlannerInput['referenceTime'], now: Date): Date {
  const text = value === undefined || value === null ? '' : String(value).trim();
  if (!text) return now;
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new InputError(`"Reference Time" must be unix seconds or an ISO 8601 time, got "${text}"`, "Map it to Telegram's message.date, or leave it empty for now.");
  }
  // A message cannot be sent in the future; a clock ahead of ours (or a forged date) counts as now.
  return new Date(Math.min(ms, now.getTime()));
}

/**
 * The command's own data cannot be planned, and running it again will not change that: one
 * final answer for the user instead of retries.
 */
function unplannable(message: string, userMessage: string): Failure {
  return { kind: 'invalid_input', retryable: false, message, userMessage };
}

export const NO_DRAFT_TO_REVISE_MESSAGE = NO_DRAFT_TO_REVISE;

/** Problems of the message itself (not of the node's settings): a Failure, not an error. */
function checkCommandData(input: PlannerInput): Failure | null {
  if (!input.text.trim()) {
    const what = { create: 'task description', revise: 'revision instruction', answer: 'answer' }[input.mode];
    return unplannable(`The ${what} is empty`, EMPTY_REQUEST);
  }
  if (input.mode === 'revise') {
    try {
      parsePreviousDraft(input.previousDraft);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return unplannable(`Revise mode without a usable draft: ${error.message}`, NO_DRAFT_TO_REVISE_MESSAGE);
    }
  }
  return null;
}

function prepare(input: PlannerInput, now: Date): PreparedInput {
  assertTimeZone(input.timeZone);
  if (!PLANNER_MODES.includes(input.mode)) throw new InputError(`Unknown mode "${input.mode}"`, 'Use create, revise or answer.');
  if (!Number.isInteger(input.maxSubtasks) || input.maxSubtasks < 0 || input.maxSubtasks > MAX_SUBTASKS) {
    throw new InputError(`"Max Subtasks" must be a whole number from 0 to ${MAX_SUBTASKS}`);
  }
  let reference: ReferencePoint;
  if (input.currentDate.trim()) {
    if (!isCalendarDate(input.currentDate.trim())) {
      throw new InputError(`"Current Date" must be YYYY-MM-DD, got "${input.currentDate}"`, 'Leave it empty to use today in the given time zone.');
    }
    reference = { date: input.currentDate.trim() };
  } else {
    const sentAt = parseReferenceTime(input.referenceTime, now);
    const clock = wallClockIn(input.timeZone, sentAt);
    reference = { date: todayIn(input.timeZone, sentAt), minutesIntoDay: clock.hour * 60 + clock.minute };
  }
  const previousDraft = input.mode === 'revise' ? parsePreviousDraft(input.previousDraft) : null;
  return { input, reference, previousDraft };
}

function promptFor({ input, reference, previousDraft }: PreparedInput): string {
  const fields: PromptFields = {
    request: { create: 'plan_task', revise: 'revise_draft', answer: 'answer_clarification' }[input.mode] as PromptFields['request'],
    currentDate: reference.date,
    weekday: weekdayName(reference.date),
    currentTime: reference.minutesIntoDay === undefined ? undefined : formatClock(Math.floor(reference.minutesIntoDay / 60), reference.minutesIntoDay % 60),
    timeZone: input.timeZone,
    maxSubtasks: input.maxSubtasks,
    userMessage: input.text.trim(),
  };
  if (previousDraft) fields.previousDraft = previousDraft;
  if (input.mode === 'answer') {
    fields.originalRequest = input.originalText?.trim() ?? '';
    fields.clarificationQuestion = input.question?.trim() ?? '';
  }
  return buildPrompt(fields);
}

/** The words whose date the draft carries: in answer mode the answer's, unless it names none. */
function dateSourceText({ input, reference }: PreparedInput): string {
  if (input.mode !== 'answer') return input.text;
  return findDateMention(input.text, reference, input.timeZone) ? input.text : (input.originalText ?? '');
}

/** The answer names its own day, and the reply took the original request's instead. */
function tookOriginalDate(reply: PlannerReply, { input, reference }: PreparedInput): string | null {
  if (input.mode !== 'answer' || reply.due_date === null) return null;
  const answer = findDateMention(input.text, reference, input.timeZone);
  const original = findDateMention(input.originalText ?? '', reference, input.timeZone);
  if (!answer || answer.alternatives || answer.timeOnly || !original || original.timeOnly || original.date === answer.date) return null;
  return reply.due_date === original.date ? `$.due_date must come from the answer ("${answer.text}" → ${answer.date}), not from the original request` : null;
}

function normalized(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').replace(/[\s.!?]+$/, '').trim();
}

/** A revision that parked the instruction in the notes instead of applying it (or asking). */
function parkedInstruction(reply: PlannerReply, { input, previousDraft }: PreparedInput): string | null {
  if (input.mode !== 'revise' || !previousDraft) return null;
  const before = normalized(previousDraft.notes);
  const after = normalized(reply.notes);
  const instruction = normalized(input.text);
  const parked = (instruction.length >= 3 && after.includes(instruction) && !before.includes(instruction)) || (/requested change/.test(after) && !/requested change/.test(before));
  return parked ? '$.notes must not carry the edit instruction: apply it to the fields, or set clarification_needed true and ask one short question' : null;
}

/** Schema first, then the rules the schema cannot express. */
function checkPlannerReply(parsed: unknown, prepared: PreparedInput): Checked<PlannerReply> {
  const maxSubtasks = prepared.input.maxSubtasks;
  const errors = validateAgainstSchema(parsed, plannerSchema(maxSubtasks));
  if (errors.length) return { errors };
  const reply = parsed as PlannerReply;
  if (reply.clarification_needed) {
    if (!reply.clarification_question?.trim()) errors.push('$.clarification_question must be a question when clarification_needed is true');
    return errors.length ? { errors } : { value: reply };
  }
  if (!reply.title.trim()) errors.push('$.title must not be empty');
  if (reply.due_date !== null && !isCalendarDate(reply.due_date)) errors.push(`$.due_date must be a real date as YYYY-MM-DD or null (got "${reply.due_date}")`);
  reply.subtasks.forEach((subtask, index) => {
    if (!subtask.title.trim()) errors.push(`$.subtasks[${index}].title must not be empty`);
  });
  for (const problem of [tookOriginalDate(reply, prepared), parkedInstruction(reply, prepared)]) if (problem) errors.push(problem);
  return errors.length ? { errors } : { value: reply };
}

function mentionsTime(notes: string, hour: number, minute: number, timeText: string | null): boolean {
  const lower = notes.toLowerCase();
  const twelveHour = `${hour % 12 || 12}${minute ? `:${String(minute).padStart(2, '0')}` : ''}`;
  const candidates = [formatClock(hour, minute), `${hour}:${String(minute).padStart(2, '0')}`, `${twelveHour}pm`, `${twelveHour} pm`, `${twelveHour}am`, `${twelveHour} am`, `${twelveHour} p.m.`, `${twelveHour} a.m.`];
  if (timeText) candidates.push(timeText.toLowerCase());
  return candidates.some((candidate) => lower.includes(candidate));
}

/**
 * Google Tasks drops times, so a time the user gave must survive in the notes. Models
 * usually do this when told; this makes sure of it.
 */
function keepTimeOfDay(draft: CompleteTaskDraft, userText: string, reference: ReferencePoint, timeZone: string): CompleteTaskDraft {
  const mention = findDateMention(userText, reference, timeZone);
  if (!mention || mention.hour === null || mentionsTime(draft.notes, mention.hour, mention.minute ?? 0, mention.timeText)) return draft;
  const note = timeOfDayNote(formatClock(mention.hour, mention.minute ?? 0), mention.timeText);
  const notes = sliceWhole(draft.notes.trim() ? `${draft.notes.trim()}\n${note}` : note, NOTES_MAX_CHARS);
  const reasoning = /time/i.test(draft.due_date_reasoning)
    ? draft.due_date_reasoning
    : `${draft.due_date_reasoning} ${TIME_KEPT_IN_NOTES}`.trim();
  return { ...draft, notes, due_date_reasoning: reasoning };
}

function toResult(reply: PlannerReply, prepared: PreparedInput): Pick<PlannerResult, 'outcome' | 'clarification_needed' | 'clarification_question' | 'draft'> {
  if (reply.clarification_needed) {
    return { outcome: 'clarification_needed', clarification_needed: true, clarification_question: reply.clarification_question!.trim(), draft: null };
  }
  const draft: CompleteTaskDraft = {
    title: sliceWhole(reply.title.trim(), TITLE_MAX_CHARS),
    due_date: reply.due_date,
    due_date_reasoning: reply.due_date_reasoning.trim(),
    notes: sliceWhole(reply.notes.trim(), NOTES_MAX_CHARS),
    subtasks: reply.subtasks.slice(0, prepared.input.maxSubtasks).map((subtask) => ({ title: subtask.title.trim(), suggested: true })),
  };
  // Fitted to the rules the Draft Store and the Task Executor apply, so a draft the user can
  // confirm is one that can be created.
  return { outcome: 'drafted', clarification_needed: false, clarification_question: null, draft: fitTaskDraft(keepTimeOfDay(draft, dateSourceText(prepared), prepared.reference, prepared.input.timeZone)) };
}

function planOffline(prepared: PreparedInput, stats: Partial<PlannerResult> = {}): PlannerOutcome {
  const { input } = prepared;
  const reply = draftLocally({
    mode: input.mode,
    text: input.text,
    reference: prepared.reference,
    timeZone: input.timeZone,
    maxSubtasks: input.maxSubtasks,
    previousDraft: prepared.previousDraft,
    question: input.question,
    originalText: input.originalText,
    markOffline: true,
  });
  return {
    ok: true,
    ...toResult(reply, prepared),
    source: 'offline',
    offline: true,
    usage: null,
    latencyMs: 0,
    model: null,
    repaired: false,
    samplingDropped: false,
    thinkingDropped: false,
    ...stats,
  };
}

export async function planTask(input: PlannerInput, deps: PlannerDeps): Promise<PlannerOutcome> {
  if (PLANNER_MODES.includes(input.mode)) {
    const refused = checkCommandData(input);
    if (refused) return { ok: false, outcome: 'failed', failure: refused, usage: null, latencyMs: 0, model: input.model };
  }
  const prepared = prepare(input, (deps.now ?? (() => new Date()))());
  if (input.fallback === 'always') return planOffline(prepared);
  if (!deps.generate) {
    assertRunsWithoutCredential(input.fallback, 'none is configured');
    return planOffline(prepared);
  }
  const result = await callStructured({
    generate: deps.generate,
    model: input.model,
    temperature: input.temperature,
    thinkingLevel: input.thinkingLevel ?? null,
    systemInstruction: PLANNER_SYSTEM_INSTRUCTION,
    prompt: promptFor(prepared),
    schema: plannerSchema(input.maxSubtasks),
    check: (parsed) => checkPlannerReply(parsed, prepared),
    policy: deps.policy,
  });
  if (!result.ok) {
    if (input.fallback === 'whenUnavailable' && fallbackCovers(result.failure)) {
      return planOffline(prepared, {
        usage: result.usage,
        latencyMs: result.latencyMs,
        model: result.model,
        samplingDropped: result.samplingDropped,
        thinkingDropped: result.thinkingDropped,
      });
    }
    return { ok: false, outcome: 'failed', failure: result.failure, usage: result.usage, latencyMs: result.latencyMs, model: result.model };
  }
  return {
    ok: true,
    ...toResult(result.value, prepared),
    source: 'gemini',
    offline: false,
    usage: result.usage,
    latencyMs: result.latencyMs,
    model: result.model,
    repaired: result.repaired,
    samplingDropped: result.samplingDropped,
    thinkingDropped: result.thinkingDropped,
  };
}
