// Google Calendar from inside n8n: requests go through n8n's httpRequestWithAuthentication with
// the built-in Google Calendar OAuth2 credential (n8n signs them, refreshes an expired token on a
// 401 and stores the new one), by the same transport as the Task Executor's.
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { createCalendarClient, DEFAULT_CALENDAR_ID, DEFAULT_CALENDAR_ROOT_URL, type CalendarClient } from '../shared/calendar/client';
import { n8nTasksTransport } from '../TaskExecutor/transport';

export const GOOGLE_CALENDAR_CREDENTIAL = 'googleCalendarOAuth2Api';

/**
 * Set on the n8n process to point every Event Executor whose API Base URL is empty at an
 * emulator or a proxy, without editing the workflows (the playground and the e2e suite).
 */
export const CALENDAR_URL_ENV = 'DRAFT_ASSISTANT_GOOGLE_CALENDAR_URL';

// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- an operator's setting of the n8n process, read only as a fallback
export function calendarRootUrl(apiBaseUrl: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof apiBaseUrl === 'string' && apiBaseUrl.trim()) return apiBaseUrl.trim();
  return env[CALENDAR_URL_ENV]?.trim() || DEFAULT_CALENDAR_ROOT_URL;
}

export function calendarClientFor(ctx: IExecuteFunctions | ILoadOptionsFunctions, apiBaseUrl: unknown): CalendarClient {
  return createCalendarClient({ transport: n8nTasksTransport(ctx, GOOGLE_CALENDAR_CREDENTIAL), rootUrl: calendarRootUrl(apiBaseUrl) });
}

/** Accepts a plain calendar id or a resource-locator value ({ __rl, value }); empty stays empty (the user's calendar). */
export function calendarIdFrom(value: unknown): string {
  const raw = value && typeof value === 'object' ? (value as { value?: unknown }).value : value;
  return typeof raw === 'string' ? raw.trim() : '';
}

export { DEFAULT_CALENDAR_ID };
