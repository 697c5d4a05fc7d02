// Conflicts of an event with the user's busy times, and the next free slot of the same length.
// Pure functions over instants (epoch ms); calendar/events.ts asks Google's freeBusy for the
// busy intervals and never writes anything.

import { dayBounds, instantOf, localDateTimeOf } from './time';
import { addDays } from '../gemini/dates';

export interface Interval {
  startMs: number;
  endMs: number;
}

/** Sorted, overlapping and touching intervals joined; empty ones dropped. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.endMs > i.startMs).sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.startMs <= last.endMs) last.endMs = Math.max(last.endMs, interval.endMs);
    else merged.push({ ...interval });
  }
  return merged;
}

/** The busy intervals that overlap [startMs, endMs) (touching is not overlapping: 19:00–20:00 and 20:00–21:00 do not conflict). */
export function overlapping(busy: readonly Interval[], span: Interval): Interval[] {
  return mergeIntervals(busy).filter((b) => b.startMs < span.endMs && b.endMs > span.startMs);
}

export interface FreeSlotOptions {
  /** The slot's length. */
  durationMs: number;
  /** Search from here (the event's own start): a slot never starts earlier. */
  fromMs: number;
  /** Give up at this instant (the end of what freeBusy was asked about). */
  untilMs: number;
  /** Slots start on multiples of this many minutes of the local clock (default 15). */
  stepMinutes?: number;
  /** The user's zone, for the step and the day window. */
  timeZone: string;
  /** Only slots within these local hours [start, end) count (default 08–22): nobody wants a 03:00 dinner. */
  dayWindow?: { startHour: number; endHour: number };
}

const MINUTE_MS = 60_000;

function roundUpToStep(ms: number, stepMinutes: number, timeZone: string): number {
  // Whole minutes of the local clock: zones with a 30- or 45-minute offset step on their own clock.
  const local = localDateTimeOf(ms, timeZone);
  const minutes = Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
  const base = instantOf(`${local.slice(0, 10)}T00:00`, timeZone);
  const exact = ms % MINUTE_MS === 0 && minutes % stepMinutes === 0;
  if (exact) return ms;
  const next = (Math.floor(minutes / stepMinutes) + 1) * stepMinutes;
  // Measured from the local midnight; a daylight-saving change that day shifts it by its jump,
  // which at most makes a slot start off the step for that one day.
  return Math.max(ms, base + next * MINUTE_MS);
}

function localHour(ms: number, timeZone: string): number {
  const local = localDateTimeOf(ms, timeZone);
  return Number(local.slice(11, 13)) + Number(local.slice(14, 16)) / 60;
}

/**
 * The earliest start ≥ fromMs of a slot of durationMs that overlaps no busy interval, lies
 * within the day window of one local day, and ends by untilMs; undefined when there is none.
 */
export function nextFreeSlot(busyInput: readonly Interval[], options: FreeSlotOptions): Interval | undefined {
  const busy = mergeIntervals(busyInput);
  const step = options.stepMinutes ?? 15;
  const window = options.dayWindow ?? { startHour: 8, endHour: 22 };
  const zone = options.timeZone;
  let candidate = roundUpToStep(options.fromMs, step, zone);
  for (let guard = 0; guard < 10_000 && candidate + options.durationMs <= options.untilMs; guard++) {
    const end = candidate + options.durationMs;
    const blocking = busy.find((b) => b.startMs < end && b.endMs > candidate);
    if (blocking) {
      candidate = roundUpToStep(blocking.endMs, step, zone);
      continue;
    }
    const day = localDateTimeOf(candidate, zone).slice(0, 10);
    const startHour = localHour(candidate, zone);
    const sameDay = localDateTimeOf(end - 1, zone).slice(0, 10) === day;
    const endHour = sameDay ? localHour(end, zone) || 24 : 24 + localHour(end, zone);
    if (startHour < window.startHour) {
      candidate = Math.max(candidate, instantOf(`${day}T${String(window.startHour).padStart(2, '0')}:00`, zone));
      continue;
    }
    if (endHour > window.endHour) {
      const nextDay = addDays(day, 1);
      candidate = window.startHour > 0 ? instantOf(`${nextDay}T${String(window.startHour).padStart(2, '0')}:00`, zone) : dayBounds(nextDay, zone).startMs;
      continue;
    }
    return { startMs: candidate, endMs: end };
  }
  return undefined;
}
