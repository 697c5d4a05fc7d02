// The event draft: one validator for the Draft Store and the Event Executor, stored as drafts of type 'event'.
import { EVENT_TITLE_MAX_CHARS, MAX_EVENT_DAYS, fitEventDraft, parseEventDraft, validateEventDraft, type EventDraft } from '../nodes/shared/draft/eventDraft';
import { createDraft, getDraft } from '../nodes/shared/draft/drafts';
import { InputError } from '../nodes/shared/errors';
import { backends, useCleanStore } from './helpers/backends';

const dinner: EventDraft = { title: 'Dinner with Anna', all_day: false, start: '2026-12-03T19:00', end: '2026-12-03T20:00', time_zone: 'Europe/Berlin', duration_defaulted: true };

describe('validating an event draft', () => {
  it('accepts a timed and an all-day event, trimming its text and dropping empty fields', () => {
    expect(validateEventDraft({ ...dinner, title: '  Dinner with Anna ', location: ' Luigi\'s ', notes: '  ' })).toEqual({
      ok: true,
      event: { ...dinner, location: "Luigi's" },
    });
    expect(validateEventDraft({ title: "Anna's birthday", all_day: true, start: '2026-12-12', end: '2026-12-13', time_zone: 'Europe/Berlin' }).ok).toBe(true);
  });

  it.each<[string, Partial<EventDraft>, string]>([
    ['an empty title', { title: ' ' }, 'the title is empty'],
    ['a long title', { title: 'x'.repeat(EVENT_TITLE_MAX_CHARS + 1) }, 'the title is 1025 characters long'],
    ['an unknown zone', { time_zone: 'Mars/Base' }, 'not an IANA time zone'],
    ['a date for a timed event', { start: '2026-12-03' }, 'is not a local date and time'],
    ['a time for an all-day event', { all_day: true, start: '2026-12-03T10:00', end: '2026-12-04' }, 'is not a date (YYYY-MM-DD)'],
    ['an impossible date', { start: '2026-02-30T10:00' }, 'is not a local date and time'],
    ['an end before the start', { end: '2026-12-03T18:00' }, 'the end must be after the start'],
    ['an all-day end on its start (Google\'s end is exclusive)', { all_day: true, start: '2026-12-03', end: '2026-12-03' }, 'the end date must be after the start date'],
    ['a far end', { end: '2026-12-30T20:00' }, `longer than ${MAX_EVENT_DAYS} days`],
    ['notes that are not text', { notes: 5 as unknown as string }, 'the notes are not text'],
  ])('refuses %s', (_name, change, problem) => {
    const result = validateEventDraft({ ...dinner, ...change });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.join('; ')).toContain(problem);
  });

  it('fits over-long generated text, and parses JSON text', () => {
    expect(fitEventDraft({ ...dinner, title: 'x'.repeat(2000) }).title).toHaveLength(EVENT_TITLE_MAX_CHARS);
    expect(parseEventDraft(JSON.stringify(dinner))).toEqual(dinner);
    expect(() => parseEventDraft('{')).toThrow(InputError);
    expect(() => parseEventDraft({ title: 'x' })).toThrow('needs a start and an end');
  });
});

describe.each(backends)('event drafts in the store, on %s', (backend) => {
  const database = useCleanStore(backend);

  it('are kept as draft_type event and read back as an event', async () => {
    const draft = await createDraft(database.store, { userId: 'telegram:7', task: dinner, draftType: 'event' });
    expect(draft).toMatchObject({ draftType: 'event', status: 'drafted', event: dinner });
    expect((await getDraft(database.store, draft.id))!.event).toEqual(dinner);
  });

  it('are refused when they could not be created', async () => {
    await expect(createDraft(database.store, { userId: 'telegram:7', task: { ...dinner, end: dinner.start }, draftType: 'event' })).rejects.toThrow(
      'Event draft cannot become a Google Calendar event: the end must be after the start',
    );
  });
});
