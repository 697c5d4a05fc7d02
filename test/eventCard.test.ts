// The event draft card: times in words, the default duration stated, all-day events, the overlap
// warning and the next-free-slot label, escaping, and the 4096-character limit.
import { describeEventTime, describeSpan, renderEventCard } from '../nodes/shared/telegram/eventCard';
import { moveToSlotButton } from '../nodes/shared/messages/eventCard';
import type { EventDraft } from '../nodes/shared/draft/eventDraft';
import { parseHtml } from '../emulators/telegramFormatting';

const dinner: EventDraft = { title: 'Dinner with Anna', all_day: false, start: '2026-12-03T19:00', end: '2026-12-03T20:00', time_zone: 'Europe/Berlin', duration_defaulted: true, location: "Luigi's" };

describe('the event card', () => {
  it('shows title, when (with the default duration said), zone, place and the overlap', () => {
    const card = renderEventCard({ ...dinner, start: '2026-12-03T19:30', end: '2026-12-03T20:30' }, { durationMinutes: 60, conflicts: [{ startLocal: '2026-12-03T19:00', endLocal: '2026-12-03T20:00' }] });
    expect(card).toBe(
      [
        '📅 <b>Event Draft</b>',
        '',
        '<b>Title:</b> Dinner with Anna',
        '<b>When:</b> Thu 3 Dec 2026, 19:30–20:30 <i>(1 hour: no end was given)</i>',
        '<b>Time zone:</b> Europe/Berlin',
        "<b>Where:</b> Luigi's",
        '',
        '⚠️ Overlaps with 19:00–20:00 busy',
      ].join('\n'),
    );
    expect(moveToSlotButton(describeSpan({ startLocal: '2026-12-03T20:30', endLocal: '2026-12-03T21:30' }, '2026-12-03'))).toBe('🕒 Move to 20:30–21:30');
  });

  it.each<[string, Pick<EventDraft, 'all_day' | 'start' | 'end'>, string]>([
    ['one day', { all_day: true, start: '2026-12-12', end: '2026-12-13' }, 'Sat 12 Dec 2026, all day'],
    ['several days', { all_day: true, start: '2026-12-24', end: '2026-12-27' }, 'Thu 24 Dec – Sat 26 Dec 2026, all day'],
    ['across a new year', { all_day: true, start: '2026-12-31', end: '2027-01-02' }, 'Thu 31 Dec 2026 – Fri 1 Jan 2027, all day'],
    ['across midnight', { all_day: false, start: '2026-12-31T22:00', end: '2027-01-01T01:00' }, 'Thu 31 Dec 2026, 22:00 – Fri 1 Jan 2027, 01:00'],
  ])('says when an event %s is', (_name, event, text) => {
    expect(describeEventTime(event)).toBe(text);
  });

  it('names the day of a busy time on another day', () => {
    expect(describeSpan({ startLocal: '2026-12-02T23:00', endLocal: '2026-12-03T01:00' }, '2026-12-03')).toBe('Wed 2 Dec 23:00–Thu 3 Dec 01:00');
  });

  it('leaves the zone out of an all-day event and the default note out when a length was given', () => {
    const card = renderEventCard({ title: "Anna's birthday", all_day: true, start: '2026-12-12', end: '2026-12-13', time_zone: 'Europe/Berlin' });
    expect(card).not.toContain('Time zone');
    expect(renderEventCard({ ...dinner, duration_defaulted: false }, { durationMinutes: 60 })).not.toContain('no end was given');
    expect(renderEventCard(dinner, { durationMinutes: 90 })).toContain('(90 minutes: no end was given)');
  });

  it('escapes what the user wrote and stays within 4096 characters, shortening the notes', () => {
    const card = renderEventCard({ ...dinner, title: '<b>Tom & Jerry</b>', notes: '<&>'.repeat(3000) }, { status: 'executed' });
    expect(card.length).toBeLessThanOrEqual(4096);
    expect(card).toContain('&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;');
    expect(card).toContain('event created in Google Calendar');
    expect(() => parseHtml(card)).not.toThrow();
  });

  it('says when the calendar could not be checked', () => {
    expect(renderEventCard(dinner, { conflictCheckFailed: true })).toContain('Could not check your calendar for overlaps.');
  });
});
