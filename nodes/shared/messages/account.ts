// Replies about the user's own settings (/timezone). Telegram HTML: values are escaped here.
import { escapeHtml } from '../telegram/html';

export const TIMEZONE_MISSING = 'Tell me your time zone like this: /timezone Europe/Berlin';

export function timezoneUnknown(zone: string): string {
  return escapeHtml(`"${zone}" is not a time zone I know. Use a name like Europe/Berlin or America/New_York.`);
}

export function timezoneSet(zone: string): string {
  return `🕒 Time zone set to <b>${escapeHtml(zone)}</b>.`;
}
