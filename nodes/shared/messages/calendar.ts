// Google Calendar: what a user reads when an event cannot be created or checked. Sent as
// Telegram HTML: values are escaped here.
import { escapeHtml } from '../telegram/html';

/** Google Calendar, by failure kind. */
export const CALENDAR_FAILURES = {
  reconnect_google:
    'Google no longer accepts this connection. Reconnect your Google account in n8n (Credentials → Google Calendar OAuth2 API → Reconnect), then try again.',
  quota_exhausted:
    "Google Calendar's daily limit is used up. Your confirmed event is saved and I'll create it when the limit resets (around midnight Pacific time).",
  rate_limited: 'Google Calendar is busy right now. I will try again shortly.',
  service_unavailable: 'Google Calendar did not answer. I will try again shortly; nothing will be created twice.',
  id_taken: 'Google Calendar already has a different event under this draft\'s id, so nothing was created. Please send the event again as a new message.',
} as const;

/** Google refused the event for good, in its own words. */
export function calendarRefused(googleSays: string): string {
  return `Google Calendar refused the event: ${escapeHtml(googleSays)}`;
}

/** The confirmed draft breaks Google Calendar's rules. */
export function eventCannotBeCreated(problems: string[]): string {
  return `I can't create this event: ${escapeHtml(problems.join('; '))}. Please edit the draft.`;
}

/** Creating an event was asked for a draft that is not an event. */
export const NOT_AN_EVENT_DRAFT = 'This draft is a task, not an event.';

/** A link sent for an event (draft_event_from_url), by why it gave no event. */
export const EVENT_LINK_FAILURES = {
  bad_url: "That doesn't look like a link I can open.",
  scheme: 'I can only open http and https links.',
  credentials_in_url: "I don't open links that carry a user name or password.",
  private_address: "I don't open links to private or local network addresses.",
  unresolvable: "I couldn't find that website.",
  too_large: 'That page is too large for me to read.',
  timeout: 'That page took too long to load.',
  too_many_redirects: 'That link redirects too many times.',
  http_error: "That page didn't load (the website answered with an error).",
  unsupported_type: "That link isn't a web page or a calendar file.",
  network: "I couldn't reach that website.",
  nothing: "I couldn't find an event on that page. Tell me the event in words, for example \"concert on Friday at 8pm\".",
} as const;
