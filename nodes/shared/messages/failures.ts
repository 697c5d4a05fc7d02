// The user's side of a failure (Failure.userMessage): what went wrong, in a sentence, and what
// happens next. Sent as Telegram HTML: values are escaped here. The technical side
// (Failure.message) stays with the code that found the failure.
import { escapeHtml } from '../telegram/html';

/** Gemini (intent and planner calls), by failure kind. */
export const GEMINI_FAILURES = {
  rate_limited: 'The AI service is busy right now. Your request is saved and I will try again in a moment.',
  unavailable: 'The AI service is temporarily unavailable. Your request is saved and I will try again shortly.',
  quota_exhausted:
    "I've used up today's AI quota. Your request is saved and I'll pick it up when the quota resets (around midnight Pacific time).",
  invalid_response: "Sorry, I couldn't turn that into a proper answer. Could you rephrase it?",
  blocked: "Sorry, I can't help with that message. Could you rephrase it?",
  invalid_request: 'Something is wrong with how the assistant calls the AI service. The admin has been notified in the log.',
  gemini_not_configured:
    "The assistant is not set up right: its AI service refused the connection. Your message is saved, the owner has been told, and I'll draft it once that is fixed.",
} as const;

/** The planner got nothing to plan. */
export const EMPTY_REQUEST = 'Your message was empty, so there is nothing to draft. Tell me a task in words, for example "buy milk tomorrow".';

/** An edit instruction arrived, but the draft it was for is gone. */
export const NO_DRAFT_TO_REVISE =
  "I don't have a draft to change any more. Tap ✏️ Edit under a draft first, or send the whole task as a new message.";

/** Google Tasks, by failure kind. */
export const TASKS_FAILURES = {
  reconnect_google:
    'Google no longer accepts this connection. Reconnect your Google account in n8n (Credentials → Google Tasks OAuth2 API → Reconnect), then try again.',
  quota_exhausted:
    "Google Tasks' daily limit is used up. Your confirmed task is saved and I'll create it when the limit resets (around midnight Pacific time).",
  rate_limited: 'Google Tasks is busy right now. I will try again shortly.',
  service_unavailable: 'Google Tasks did not answer. I will try again shortly; nothing will be created twice.',
} as const;

/** Google refused the task for good, in its own words (escaped: they must not be read as markup). */
export function tasksRefused(googleSays: string): string {
  return `Google Tasks refused the task: ${escapeHtml(googleSays)}`;
}

/** The confirmed draft breaks Google Tasks' rules (too long, empty title). */
export function draftCannotBeCreated(problems: string[]): string {
  return `I can't create this task: ${escapeHtml(problems.join('; '))}. Please edit the draft.`;
}

/** Creating was asked for a draft that is not (or no longer) confirmed. */
export function draftNotConfirmed(status: string): string {
  return status === 'cancelled' ? 'This draft was cancelled, so nothing was created.' : `This draft is ${escapeHtml(status)}; only a confirmed draft can be created.`;
}

/** Another worker is creating this draft's task right now. */
export const TASK_BEING_CREATED = 'This task is being created right now.';

export const NOTHING_TO_UNDO = 'There is nothing to undo: the task was not created.';

export function tooLateToUndo(minutes: number): string {
  return `It is too late to undo this (more than ${minutes} minutes ago). Delete the task in Google Tasks instead.`;
}
