// Calendar helpers. Google Tasks stores dates only, so everything here works on
// YYYY-MM-DD strings in the user's time zone.
import { InputError } from '../errors';
import { isValidTimeZone, wallClockIn } from '../time';

export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new InputError(`Unknown time zone "${timeZone}"`, 'Set "Time Zone" to an IANA name such as Europe/Berlin or America/New_York.');
  }
}

export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function todayIn(timeZone: string, now: Date): string {
  const clock = wallClockIn(timeZone, now);
  return formatDate(clock.year, clock.month, clock.day);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return formatDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

export function weekdayName(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
}

/** Gemini's per-day quotas reset at midnight Pacific time, as Google Tasks' do. */
export { msUntilQuotaReset } from '../quota';
