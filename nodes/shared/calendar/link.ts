// A link the user sent for an event (draft_event_from_url): the page's stated event as an event
// draft in the user's zone, else its text for the event planner, else why not, in the user's words.
import { EVENT_LINK_FAILURES } from '../messages/calendar';
import { clipText } from '../text';
import type { Failure } from '../outcome';
import type { EventDraft } from '../draft/eventDraft';
import { eventDraftFromFound, extractPageContent, fetchEventPage, PageFetchError, type FetchPageOptions } from './fromUrl';

/** How much of a page without a stated event the planner reads. */
export const PAGE_TEXT_FOR_PLANNER = 2000;

export type EventLinkResult =
  | { ok: true; outcome: 'found'; draft: EventDraft }
  | { ok: true; outcome: 'text'; text: string }
  | { ok: false; outcome: 'refused'; failure: Failure };

function refused(reason: keyof typeof EVENT_LINK_FAILURES, message: string): EventLinkResult {
  return { ok: false, outcome: 'refused', failure: { kind: 'invalid_input', retryable: false, message, userMessage: EVENT_LINK_FAILURES[reason] ?? EVENT_LINK_FAILURES.nothing } };
}

export async function readEventLink(rawUrl: string, timeZone: string, options: FetchPageOptions = {}): Promise<EventLinkResult> {
  const url = rawUrl.trim().replace(/^<|>$/g, '');
  try {
    const page = await fetchEventPage(url, options);
    const content = extractPageContent(page);
    if (content.kind === 'event') return { ok: true, outcome: 'found', draft: eventDraftFromFound(content.event, timeZone, page.url) };
    if (content.kind === 'text') return { ok: true, outcome: 'text', text: clipText([content.title, content.text].filter(Boolean).join('\n'), PAGE_TEXT_FOR_PLANNER) };
    return refused('nothing', 'no event on the page');
  } catch (error) {
    if (error instanceof PageFetchError) return refused(error.reason, error.message);
    throw error;
  }
}
