// Due times of reminders and briefings: resolved in the user's time zone, across DST changes,
// and snoozes that keep the wall clock (tomorrow) or the real hour (in an hour).
import { draftLocally } from '../nodes/shared/gemini/fallback';
import { dueBriefing, instantOfLocalTime, localTimeOf, parseClock, reminderFromText, snoozedTime } from '../nodes/shared/notify/dueTime';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

describe('instantOfLocalTime', () => {
  it('turns a local time into the instant of that zone, in summer and in winter', () => {
    expect(instantOfLocalTime(BERLIN, { date: '2026-07-01', hour: 21, minute: 0 }).toISOString()).toBe('2026-07-01T19:00:00.000Z');
    expect(instantOfLocalTime(BERLIN, { date: '2026-12-01', hour: 21, minute: 0 }).toISOString()).toBe('2026-12-01T20:00:00.000Z');
    expect(instantOfLocalTime('Asia/Kolkata', { date: '2026-12-01', hour: 9, minute: 15 }).toISOString()).toBe('2026-12-01T03:45:00.000Z');
    expect(instantOfLocalTime('UTC', { date: '2026-12-01', hour: 0, minute: 0 }).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('moves a time in the spring-forward gap forward by the gap, and takes the first of a repeated fall-back time', () => {
    // Berlin, 2026-03-29: 02:00 → 03:00. 02:30 does not exist: 03:30 CEST.
    expect(instantOfLocalTime(BERLIN, { date: '2026-03-29', hour: 2, minute: 30 }).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // Berlin, 2026-10-25: 03:00 → 02:00. 02:30 happens twice: the first (CEST).
    expect(instantOfLocalTime(BERLIN, { date: '2026-10-25', hour: 2, minute: 30 }).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    // New York, 2026-03-08 02:30 does not exist: 03:30 EDT.
    expect(instantOfLocalTime(NEW_YORK, { date: '2026-03-08', hour: 2, minute: 30 }).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(localTimeOf(NEW_YORK, instantOfLocalTime(NEW_YORK, { date: '2026-11-01', hour: 1, minute: 30 }))).toEqual({ date: '2026-11-01', hour: 1, minute: 30 });
  });
});

describe('reminderFromText', () => {
  const sentAt = new Date('2026-12-01T14:00:00Z'); // 15:00 in Berlin

  it('reads a time of day on the draft\'s date in the user\'s zone', () => {
    expect(reminderFromText('call mom at 9pm tomorrow', BERLIN, sentAt, '2026-12-02')).toEqual({ at: '2026-12-02T20:00:00.000Z', date: '2026-12-02', time: '21:00' });
    expect(reminderFromText('call mom at 9pm tomorrow', NEW_YORK, sentAt, '2026-12-02')).toEqual({ at: '2026-12-03T02:00:00.000Z', date: '2026-12-02', time: '21:00' });
    // Without the planner's date, the text's own.
    expect(reminderFromText('dentist tomorrow at 8:15', BERLIN, sentAt)?.at).toBe('2026-12-02T07:15:00.000Z');
  });

  it('reads a delay from the message\'s time, in real minutes', () => {
    expect(reminderFromText('remind me to stretch in 20 minutes', BERLIN, sentAt)).toEqual({ at: '2026-12-01T14:20:00.000Z', date: '2026-12-01', time: '15:20' });
    expect(reminderFromText('check the oven in 2 hours', 'UTC', sentAt)?.at).toBe('2026-12-01T16:00:00.000Z');
    expect(reminderFromText('check the oven in an hour', 'UTC', sentAt)?.at).toBe('2026-12-01T15:00:00.000Z');
    // Across the fall-back change: 01:50 CEST + 20 min is 02:10 CEST (wall clock), not 02:10 CET.
    const beforeChange = new Date('2026-10-24T23:50:00Z');
    expect(reminderFromText('stretch in 20 minutes', BERLIN, beforeChange)?.at).toBe('2026-10-25T00:10:00.000Z');
  });

  // The draft card shows both the planner's time note and the reminder: they must name the same
  // minute. The planner counts a delay from the minute the message was sent in (its clock, to the
  // minute), so the reminder does too, whatever the seconds.
  it.each([
    ['remind me to stretch in 1 minute', '2026-12-01T15:22:30Z', '15:23'],
    ['remind me to stretch in 1 minute', '2026-12-01T15:22:59.900Z', '15:23'],
    ['stretch in 20 minutes', '2026-12-01T15:22:01Z', '15:42'],
    ['check the oven in 2 hours', '2026-12-01T23:59:45Z', '01:59'],
  ])('counts "%s" sent at %s from the minute it was sent in: %s', (text, sent, time) => {
    const reminder = reminderFromText(text, 'UTC', new Date(sent));
    expect(reminder?.time).toBe(time);
    const at = new Date(sent);
    const planned = draftLocally({ mode: 'create', text, reference: { date: sent.slice(0, 10), minutesIntoDay: at.getUTCHours() * 60 + at.getUTCMinutes() }, timeZone: 'UTC', maxSubtasks: 10, markOffline: false });
    expect(planned.notes ?? '').toContain(`Time: ${time}`);
  });

  it('makes a time of day alone that has passed today tomorrow\'s, and gives no reminder for a date alone', () => {
    expect(reminderFromText('call the bank at 9am', BERLIN, sentAt, '2026-12-01')?.at).toBe('2026-12-02T08:00:00.000Z');
    expect(reminderFromText('buy milk tomorrow', BERLIN, sentAt, '2026-12-02')).toBeNull();
    expect(reminderFromText('plan the party next Saturday', BERLIN, sentAt)).toBeNull();
  });

  it('puts a reminder on a DST day at the wall-clock time asked for', () => {
    const saturday = new Date('2026-03-28T12:00:00Z');
    expect(reminderFromText('run at 9am tomorrow', BERLIN, saturday, '2026-03-29')?.at).toBe('2026-03-29T07:00:00.000Z');
  });
});

describe('snoozedTime', () => {
  const reminderAt = new Date('2026-10-24T19:00:00Z'); // Saturday 21:00 CEST

  it('in an hour: an hour of real time from the press, to the minute', () => {
    expect(snoozedTime('hour', BERLIN, new Date('2026-10-24T19:00:30Z'), reminderAt)).toEqual({ at: '2026-10-24T20:01:00.000Z', date: '2026-10-24', time: '22:01' });
  });

  it('tomorrow: the same local time on the next day, across the DST change', () => {
    // Sunday 21:00 is CET, an offset later: 20:00 UTC.
    expect(snoozedTime('tomorrow', BERLIN, new Date('2026-10-24T19:01:00Z'), reminderAt)).toEqual({ at: '2026-10-25T20:00:00.000Z', date: '2026-10-25', time: '21:00' });
    // Pressed two days late: the day after the press.
    expect(snoozedTime('tomorrow', BERLIN, new Date('2026-10-26T09:00:00Z'), reminderAt).date).toBe('2026-10-27');
  });
});

describe('dueBriefing', () => {
  it('is today\'s once its local time has passed, else yesterday\'s (missed while down), never one before it was set or older than a day', () => {
    const at0730 = new Date('2026-12-01T06:30:00Z'); // 07:30 Berlin
    expect(dueBriefing(BERLIN, '07:30', new Date('2026-12-01T06:29:00Z'), null)?.date).toBe('2026-11-30');
    expect(dueBriefing(BERLIN, '07:30', at0730, null)).toEqual({ date: '2026-12-01', at: at0730 });
    expect(dueBriefing(BERLIN, '07:30', new Date('2026-12-01T11:00:00Z'), null)?.date).toBe('2026-12-01');
    // Set at 10:00 today for 07:30: the first is tomorrow's.
    expect(dueBriefing(BERLIN, '07:30', new Date('2026-12-01T09:05:00Z'), new Date('2026-12-01T09:00:00Z'))).toBeNull();
    expect(dueBriefing(BERLIN, 'later', at0730, null)).toBeNull();
  });

  it('finds the briefing of a DST day at its wall-clock time', () => {
    expect(dueBriefing(BERLIN, '07:30', new Date('2026-03-29T05:30:00Z'), null)?.at.toISOString()).toBe('2026-03-29T05:30:00.000Z');
    expect(dueBriefing(BERLIN, '02:30', new Date('2026-03-29T02:00:00Z'), null)?.at.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('reads HH:MM', () => {
    expect(parseClock('07:30')).toEqual({ hour: 7, minute: 30 });
    expect(parseClock('7:05')).toEqual({ hour: 7, minute: 5 });
    expect(parseClock('24:00')).toBeNull();
  });
});
