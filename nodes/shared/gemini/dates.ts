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

function parts(date: string): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number);
  return [year, month, day];
}

function utcDate(date: string): Date {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day));
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = parts(date);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return formatDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** Whole days from one date to another (YYYY-MM-DD; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day `count` months later, or that month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsClamped(date: string, count: number): string {
  const [year, month, day] = parts(date);
  const target = new Date(Date.UTC(year, month - 1 + count, 1));
  const targetYear = target.getUTCFullYear();
  const targetMonth = target.getUTCMonth() + 1;
  return formatDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** The last day of the month `monthsAhead` after the date's month. */
export function endOfMonth(date: string, monthsAhead = 0): string {
  const [year, month] = parts(date);
  const target = new Date(Date.UTC(year, month - 1 + monthsAhead, 1));
  return formatDate(target.getUTCFullYear(), target.getUTCMonth() + 1, daysInMonth(target.getUTCFullYear(), target.getUTCMonth() + 1));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayIndex(date: string): number {
  return utcDate(date).getUTCDay();
}

export function weekdayName(date: string): string {
  return utcDate(date).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
}

/** "Wed 2 Dec", with the year when it is not the reference date's year ("Fri 5 Mar 2027"). */
export function humanDate(date: string, referenceDate?: string): string {
  const value = utcDate(date);
  const weekday = value.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
  const dayMonth = value.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const sameYear = referenceDate !== undefined && referenceDate.slice(0, 4) === date.slice(0, 4);
  return `${weekday} ${dayMonth}${sameYear ? '' : ` ${date.slice(0, 4)}`}`;
}

/**
 * The one rule for weekday names, used by the offline planner and stated to Gemini word for
 * word (prompts.ts), so both read "next Saturday" the same way.
 */
export const WEEKDAY_RULE =
  '"Friday" and "this Friday" mean the coming Friday (today if today is a Friday). "next Friday" and "coming Friday" mean the first Friday after today: on a Tuesday that is in 3 days, and on a Friday it is a week later.';

export type WeekdayReading = 'this' | 'next';

/** The date of a weekday (0 = Sunday) per WEEKDAY_RULE. */
export function resolveWeekday(today: string, weekday: number, reading: WeekdayReading): string {
  const ahead = (weekday - weekdayIndex(today) + 7) % 7;
  return addDays(today, ahead === 0 && reading === 'next' ? 7 : ahead);
}

/** The first date on or after today with this month and day (Feb 29 waits for a leap year). */
export function nextMonthDay(today: string, month: number, day: number): string | null {
  const [year] = parts(today);
  for (let candidate = year; candidate <= year + 8; candidate += 1) {
    if (day > daysInMonth(candidate, month)) continue;
    const date = formatDate(candidate, month, day);
    if (date >= today) return date;
  }
  return null;
}

/** The first date on or after today that has this day of the month (the 31st skips short months). */
export function nextDayOfMonth(today: string, day: number): string | null {
  const [year, month] = parts(today);
  for (let offset = 0; offset <= 12; offset += 1) {
    const target = new Date(Date.UTC(year, month - 1 + offset, 1));
    const targetYear = target.getUTCFullYear();
    const targetMonth = target.getUTCMonth() + 1;
    if (day > daysInMonth(targetYear, targetMonth)) continue;
    const date = formatDate(targetYear, targetMonth, day);
    if (date >= today) return date;
  }
  return null;
}

/** Easter Sunday (Gregorian, the anonymous algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDate(year, month, day);
}

/** The nth (1-based) weekday of a month, e.g. US Thanksgiving: the 4th Thursday of November. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): string {
  const first = formatDate(year, month, 1);
  return addDays(first, ((weekday - weekdayIndex(first) + 7) % 7) + 7 * (n - 1));
}

/** The first date on or after today that a yearly rule gives (this year's or next year's). */
export function nextYearly(today: string, dateInYear: (year: number) => string): string {
  const [year] = parts(today);
  const thisYear = dateInYear(year);
  return thisYear >= today ? thisYear : dateInYear(year + 1);
}

/**
 * How the user's region writes a short numeric date such as 12/03: month first in the United
 * States and Canada (and the East Asian zones that write month/day), day first in Europe,
 * Latin America, Africa, Oceania and most of Asia; unknown for UTC and other zones that say
 * nothing about a place, where the planner asks when both readings are possible.
 */
export type SlashOrder = 'month-first' | 'day-first' | null;

const DAY_FIRST_AMERICAS =
  /^America\/(Mexico_City|Monterrey|Merida|Cancun|Chihuahua|Hermosillo|Mazatlan|Tijuana|Bahia_Banderas|Matamoros|Ojinaga|Sao_Paulo|Bahia|Belem|Fortaleza|Recife|Maceio|Manaus|Cuiaba|Campo_Grande|Porto_Velho|Rio_Branco|Boa_Vista|Santarem|Araguaina|Noronha|Argentina\/.+|Buenos_Aires|Cordoba|Bogota|Lima|Santiago|Punta_Arenas|Caracas|Montevideo|La_Paz|Asuncion|Guayaquil|Havana|Panama|Costa_Rica|Guatemala|El_Salvador|Tegucigalpa|Managua|Santo_Domingo|Cayenne|Paramaribo|Guyana)$/;
const MONTH_FIRST_ELSEWHERE = /^(US\/.+|Canada\/.+|Pacific\/Honolulu|Asia\/(Manila|Tokyo|Shanghai|Seoul|Taipei|Chongqing|Harbin|Urumqi))$/;

export function slashOrderFor(timeZone: string): SlashOrder {
  if (DAY_FIRST_AMERICAS.test(timeZone)) return 'day-first';
  if (timeZone.startsWith('America/') || MONTH_FIRST_ELSEWHERE.test(timeZone)) return 'month-first';
  if (/^(Europe|Africa|Australia|Atlantic|Indian|Asia|Antarctica)\//.test(timeZone) || /^Pacific\/(Auckland|Fiji|Chatham|Port_Moresby|Guam)$/.test(timeZone)) return 'day-first';
  return null;
}

/** Gemini's per-day quotas reset at midnight Pacific time, as Google Tasks' do. */
export { msUntilQuotaReset } from '../quota';
