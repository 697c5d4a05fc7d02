// What the workflows and the core agree on, in one place: the command types and how the
// executor groups them, what a draft card's buttons carry, the payload each command type is
// enqueued with, and the audit details Workflows A and D record. The workflow generator
// (workflows/src), the nodes, retention and the health report all read these.
import { clipText } from './text';

import { EVENT_PLANNING } from './messages/eventCard';

/** Telegram's limit on a message's text, in characters. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit on a button's callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT_BYTES = 64;
/** The largest file a bot may download from Telegram (getFile): 20 MB. */
export const TELEGRAM_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

// ---------------------------------------------------------------- voice notes and photos

/** What Workflow A reads with Gemini besides text: a voice note, an audio file, a photo (or an image sent as a file). */
export const MEDIA_KINDS = ['voice', 'audio', 'photo'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The most of what Gemini heard or read that a draft keeps and its card shows, in characters. */
export const MEDIA_SUMMARY_MAX_CHARS = 500;

/**
 * What a voice note, an audio file or a photo brought to a command, and to the draft made from
 * it: Telegram's file id and what Gemini heard (the transcript) or read (a short description).
 * Never the file's bytes: they pass through n8n's execution and are not stored by the assistant.
 */
export interface MediaNote {
  kind: MediaKind;
  /** Telegram's file_id, valid for this bot: the file can be fetched again from Telegram. */
  fileId: string;
  /** The line the card shows after 🎤 / 📷, at most MEDIA_SUMMARY_MAX_CHARS characters. */
  summary: string;
}

/** A MediaNote from a payload, a node parameter or a database column (object or JSON text); null for anything else. */
export function parseMediaNote(value: unknown): MediaNote | null {
  let parsed = value;
  if (typeof value === 'string') {
    if (!value.trim()) return null;
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const { kind, fileId, summary } = parsed as Record<string, unknown>;
  if (!(MEDIA_KINDS as readonly string[]).includes(String(kind)) || typeof summary !== 'string' || !summary.trim()) return null;
  return { kind: kind as MediaKind, fileId: typeof fileId === 'string' ? fileId : '', summary: clipText(summary.trim(), MEDIA_SUMMARY_MAX_CHARS) };
}

/** Command types the executor knows how to route. Workflow A enqueues these; Workflow B switches on them. */
export const COMMAND_TYPES = [
  'draft_task_from_text',
  'revise_draft',
  'answer_clarification',
  'confirm_draft',
  'cancel_draft',
  'edit_draft',
  /** "/list", "what's on my list?": the open tasks, each with a ✓ Done button. */
  'list_tasks',
  /** A ✓ Done press on a listed task. */
  'complete_task',
  /** "/undo", "undo that": asks whether to take back the task created last. */
  'undo_last',
  /** ✅ Remove under the /undo question: deletes that task and its subtasks. */
  'confirm_undo',
  /** ❌ Keep under the /undo question. */
  'cancel_undo',
  /** "/reminders": the reminders still to come. */
  'list_reminders',
  /** 💤 1 hour under a reminder (Workflow G's message). */
  'snooze_hour',
  /** ➡️ Tomorrow under a reminder. */
  'snooze_tomorrow',
  /** "/briefing 07:30", "/briefing off", "/briefing always": the daily briefing's time. */
  'set_briefing',
  /** A clear event request in words ("dinner with Ana on Friday at 7:30"): Workflow C drafts an event. */
  'draft_event_from_text',
  /** A message that is just a link to an event page: Workflow C reads the page and drafts the event. */
  'draft_event_from_url',
  /** 🕒 Move to … under an event card: the draft moves to the next free slot. */
  'move_event',
  /** 📅 Event under a task card, ✅ Task under an event card: the draft becomes the other kind. */
  'switch_to_event',
  'switch_to_task',
  /** /calendar: the user's calendars, each with a button to pick it. */
  'list_calendars',
  /** A press on one of /calendar's buttons. */
  'set_calendar',
  'help',
  'unknown',
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** Run by Workflow D (Gemini drafts or revises a task). */
export const DRAFTING_COMMAND_TYPES = ['draft_task_from_text', 'revise_draft', 'answer_clarification'] as const satisfies readonly CommandType[];
/** Run by Workflow E (a button pressed on a draft card). */
export const DECISION_COMMAND_TYPES = ['confirm_draft', 'cancel_draft', 'edit_draft'] as const satisfies readonly CommandType[];
/** Run by Workflow L (the user's tasks: /list, ✓ Done, /undo and its buttons). */
export const TASK_COMMAND_TYPES = [
  'list_tasks',
  'complete_task',
  'undo_last',
  'confirm_undo',
  'cancel_undo',
  'list_reminders',
  'snooze_hour',
  'snooze_tomorrow',
  'set_briefing',
] as const satisfies readonly CommandType[];
/** Run by Workflow C (event drafts: from words, from a link, moved, switched; /calendar). */
export const EVENT_COMMAND_TYPES = [
  'draft_event_from_text',
  'draft_event_from_url',
  'move_event',
  'switch_to_event',
  'switch_to_task',
  'list_calendars',
  'set_calendar',
] as const satisfies readonly CommandType[];
/** The event commands a typed message becomes: they get the router's "Got it!", which becomes the card. */
export const EVENT_DRAFTING_COMMAND_TYPES = ['draft_event_from_text', 'draft_event_from_url'] as const satisfies readonly CommandType[];
/** Answered by Workflow B itself with the reply the intent carried. */
export const REPLY_COMMAND_TYPES = ['help', 'unknown'] as const satisfies readonly CommandType[];
export type DraftingCommandType = (typeof DRAFTING_COMMAND_TYPES)[number];
export type DecisionCommandType = (typeof DECISION_COMMAND_TYPES)[number];
export type ReplyCommandType = (typeof REPLY_COMMAND_TYPES)[number];
export type TaskCommandType = (typeof TASK_COMMAND_TYPES)[number];
export type EventCommandType = (typeof EVENT_COMMAND_TYPES)[number];

/** The one question Workflow C asks of a new event (no day given): its answer goes back to C. */
export const EVENT_DAY_QUESTION = EVENT_PLANNING.whenIsIt;

export function isDraftingCommand(type: string): type is DraftingCommandType {
  return (DRAFTING_COMMAND_TYPES as readonly string[]).includes(type);
}

// ---------------------------------------------------------------- buttons

/** The buttons under a draft card, and the command a press on each becomes. */
export const COMMAND_FOR_ACTION = { confirm: 'confirm_draft', edit: 'edit_draft', cancel: 'cancel_draft' } as const satisfies Record<string, DecisionCommandType>;
export type DraftAction = keyof typeof COMMAND_FOR_ACTION;
export const DRAFT_ACTIONS = Object.keys(COMMAND_FOR_ACTION) as DraftAction[];

/**
 * The buttons of /list (✓ Done on a listed task) and /undo (✅ Remove, ❌ Keep), and the command a
 * press on each becomes. Their number is ours, checked against the presser before anything is
 * done: a list entry (listed_tasks.id) for done, an execution id for undo and keep.
 */
export const COMMAND_FOR_TASK_ACTION = {
  done: 'complete_task',
  undo: 'confirm_undo',
  keep: 'cancel_undo',
  /** 💤 1 hour and ➡️ Tomorrow under a reminder: they name a notification (notifications.id) of the presser's. */
  snooze: 'snooze_hour',
  tomorrow: 'snooze_tomorrow',
} as const satisfies Record<string, TaskCommandType>;
export type TaskAction = keyof typeof COMMAND_FOR_TASK_ACTION;
export const TASK_ACTIONS = Object.keys(COMMAND_FOR_TASK_ACTION) as TaskAction[];
/**
 * The extra buttons of a draft card: 🕒 Move to … (event, on an overlap), 📅 Event (a task
 * card), ✅ Task (an event card), and the calendars of /calendar (by their place in the list the
 * press re-reads: a calendar id can be longer than Telegram allows in a button).
 */
export const COMMAND_FOR_EVENT_ACTION = { move: 'move_event', toevent: 'switch_to_event', totask: 'switch_to_task', cal: 'set_calendar' } as const satisfies Record<string, EventCommandType>;
export type EventAction = keyof typeof COMMAND_FOR_EVENT_ACTION;
export const EVENT_ACTIONS = Object.keys(COMMAND_FOR_EVENT_ACTION) as EventAction[];
export type ButtonAction = DraftAction | TaskAction | EventAction;

/** Ids in button data: at most 15 digits, so they stay exact as JavaScript numbers. */
const CALLBACK_DATA_PATTERN = new RegExp(`^(${DRAFT_ACTIONS.join('|')}):(\\d{1,15})$`);
const TASK_CALLBACK_DATA_PATTERN = new RegExp(`^(${TASK_ACTIONS.join('|')}):(\\d{1,15})$`);

function checkedData(data: string): string {
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT_BYTES) throw new Error(`callback_data "${data}" exceeds ${CALLBACK_DATA_LIMIT_BYTES} bytes`);
  return data;
}

/** `confirm:42` — readable in logs, and far below Telegram's 64-byte limit for any draft id. */
export function callbackData(action: DraftAction, draftId: number): string {
  return checkedData(`${action}:${draftId}`);
}

/** The action and draft id a button's data names, or null for data we did not write. */
export function parseCallbackData(data: unknown): { action: DraftAction; draftId: number } | null {
  const match = typeof data === 'string' ? CALLBACK_DATA_PATTERN.exec(data) : null;
  return match ? { action: match[1] as DraftAction, draftId: Number(match[2]) } : null;
}

const EVENT_CALLBACK_DATA_PATTERN = new RegExp(`^(${EVENT_ACTIONS.join('|')}):(\\d{1,15})$`);

/** `move:42`, `toevent:42`, `totask:42` (draft 42); `cal:3` (the 3rd calendar /calendar listed). */
export function eventCallbackData(action: EventAction, target: number): string {
  if (!Number.isSafeInteger(target) || target < 0) throw new Error(`A ${action} button needs a whole number (got ${target})`);
  return checkedData(`${action}:${target}`);
}

/** The action and number an event button's data names, or null for data we did not write. */
export function parseEventCallbackData(data: unknown): { action: EventAction; target: number } | null {
  const match = typeof data === 'string' ? EVENT_CALLBACK_DATA_PATTERN.exec(data) : null;
  return match ? { action: match[1] as EventAction, target: Number(match[2]) } : null;
}

/** `done:7` (list entry 7), `undo:12` / `keep:12` (execution 12), `snooze:5` / `tomorrow:5` (notification 5). */
export function taskCallbackData(action: TaskAction, target: number): string {
  if (!Number.isSafeInteger(target) || target <= 0) throw new Error(`A ${action} button needs a positive whole number (got ${target})`);
  return checkedData(`${action}:${target}`);
}

/** The action and number a /list or /undo button's data names, or null for data we did not write. */
export function parseTaskCallbackData(data: unknown): { action: TaskAction; target: number } | null {
  const match = typeof data === 'string' ? TASK_CALLBACK_DATA_PATTERN.exec(data) : null;
  return match ? { action: match[1] as TaskAction, target: Number(match[2]) } : null;
}

// ---------------------------------------------------------------- command payloads

/** What Workflow A enqueues for a text message (drafting and reply types): the message and its chat context. */
export interface TextCommandPayload {
  text: string;
  chatId: string;
  messageId: number;
  /** When the user sent it (unix seconds), or null. */
  sentAt: number | null;
  timezone: string;
  /** The draft being revised (an edit in progress), else null. */
  draftId: number | null;
  previousDraft: unknown;
  /** 'event' when the draft being revised (or the question being answered) is an event draft. */
  previousDraftType?: string | null;
  /** The card of the draft being revised: edited in place into the revised draft. */
  previousMessageId: number | null;
  /**
   * The "Got it!" acknowledgement Workflow A sent for a drafting command (null when it was not
   * sent): Workflow D edits it into the draft card or the question, one bubble instead of two.
   */
  ackMessageId: number | null;
  /** The clarification question being answered, and the message that led to it. */
  question: string | null;
  originalText: string | null;
  intent: string | null;
  parameters: unknown;
  reply: string | null;
  intentFailure: string | null;
  /** A voice note, audio file or photo: what Gemini heard or read (the text above is made from it); null for typed text. */
  media: MediaNote | null;
}

/** What Workflow A enqueues for a button press (decision types, and the task buttons). */
export interface ButtonCommandPayload {
  /** The draft a draft card's button names; null for a task button. */
  draftId: number | null;
  /** What a task button names (a list entry, an execution); null for a draft card's button. */
  target: number | null;
  chatId: string;
  /** The message the button was on: a press counts only from the draft's own card. */
  cardMessageId: number;
  callbackQueryId: string;
}

/** The command types a press on a task button becomes. */
export type TaskButtonCommandType = (typeof COMMAND_FOR_TASK_ACTION)[TaskAction] | (typeof COMMAND_FOR_EVENT_ACTION)[EventAction];
export type CommandPayload<T extends CommandType> = T extends DecisionCommandType | TaskButtonCommandType ? ButtonCommandPayload : TextCommandPayload;

/** The payload field retention and the queue read to find the draft a command names. */
export const PAYLOAD_DRAFT_ID_FIELD = 'draftId' satisfies keyof TextCommandPayload & keyof ButtonCommandPayload;

// ---------------------------------------------------------------- audit details

/** Token counts of one Gemini call. */
export interface GeminiUsage {
  promptTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Thinking tokens, part of outputTokens as billed (models that think). */
  thoughtsTokens?: number;
}

/** What a Gemini call's audit row records (under `context` in `details_json`); the health report counts calls from it. */
export interface GeminiAuditDetails {
  /** 'gemini' when the model answered; otherwise the rules or the offline fallback did. */
  source: string;
  usage: GeminiUsage | null;
  latencyMs: number;
  model: string;
}

/** Workflow A's details for the 'command_created' audit row: the intent Gemini classified. */
export interface IntentAuditDetails extends GeminiAuditDetails {
  intent: string;
  confidence: number;
  /** The failure kind when the call failed. */
  failure: string | undefined;
  /** A voice note, audio file or photo: its kind (the message text is what Gemini heard or read). */
  media?: MediaKind | null;
}

/** Workflow D's details for the 'draft_created' audit row: the planner's call. */
export interface PlannerAuditDetails extends GeminiAuditDetails {
  repaired: boolean;
}

/** Where recordAudit puts the details a node passes (commands.ts, drafts.ts). */
export const AUDIT_CONTEXT_FIELD = 'context';
