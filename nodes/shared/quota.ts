// When Google's per-day quotas (Gemini, Google Tasks) reset: midnight in America/Los_Angeles.
// A Pacific day has 23 or 25 hours on the daylight-saving change days, so the reset is found
// as the instant of the next local midnight, never as "24 hours minus the time of day".

import { wallClockIn, type WallClock } from './time';

const QUOTA_TIME_ZONE = 'America/Los_Angeles';
const DAY_MS = 24 * 60 * 60_000;

function localClock(instantMs: number): WallClock {
  return wallClockIn(QUOTA_TIME_ZONE, new Date(instantMs));
}

/** The zone's offset from UTC at an instant, in ms (negative west of Greenwich). */
function offsetMs(instantMs: number): number {
  const c = localClock(instantMs);
  const asUtc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The instant of 00:00 local time on the given local calendar day (midnight always exists in Los Angeles). */
function localMidnightMs(year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall - offsetMs(wall);
  // A second pass corrects a guess that landed on the other side of an offset change.
  guess = wall - offsetMs(guess);
  return guess;
}

/** Milliseconds from `now` until the next midnight Pacific time (a full day when `now` is that midnight). */
export function msUntilQuotaReset(now: Date): number {
  const nowMs = now.getTime();
  const today = localClock(nowMs);
  const next = localMidnightMs(today.year, today.month, today.day + 1);
  const remaining = next - nowMs;
  // Date.UTC normalises day + 1 across month and year ends; a remaining time outside (0, 25 h]
  // would mean the zone data is unusable, and a day is then the honest estimate.
  return remaining > 0 && remaining <= DAY_MS + 3_600_000 ? remaining : DAY_MS;
}
