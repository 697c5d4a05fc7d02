// Workflow C's planner and intent rules offline (the fallback, and the scripted Gemini the e2e
// suite talks to): which messages are events, and the event drafts they give, in the user's zone.
import { classifyLocally, isEventRequest, isLinkOnly } from '../nodes/shared/gemini/fallback';
import { draftEventLocally, planEvent, type EventPlannerInput } from '../nodes/shared/gemini/eventPlanner';
import { taskHasNoDay, transformDraft } from '../nodes/shared/draft/transform';
import { eventDraftCard } from '../nodes/shared/telegram/eventCard';
import { draftCard } from '../nodes/shared/telegram/draftCard';
import { eventNeedsDay } from '../nodes/shared/messages/eventCard';
import { parseTelegramUpdate } from '../nodes/shared/telegram/update';
import { linkAddressCheck, LINK_LOOPBACK_ENV } from '../nodes/EventExecutor/actions/draftFromLink.operation';
import type { EventDraft } from '../nodes/shared/draft/eventDraft';

const intentOf = (text: string, awaitingEdit = false) => classifyLocally(text, { awaitingEdit, pendingQuestion: '' }).intent;

describe('event intents', () => {
  it.each([
    ['dinner with Ana on Friday at 7:30', 'create_event'],
    ['meeting with Bob tomorrow at 3pm', 'create_event'],
    ["Ana's birthday on March 12", 'create_event'],
    ['team offsite on Thursday for 3 hours', 'create_event'],
    ['https://example.com/concert', 'event_from_url'],
    // A thing to do stays a task, whatever it mentions; the card offers 📅 Event.
    ['call mom at 9pm tomorrow', 'create_task'],
    ["Plan Sam's birthday party next Saturday", 'create_task'],
    ['buy a birthday present for mum by Friday', 'create_task'],
    ['12/03 at 3pm dentist', 'create_task'],
    ['dinner ideas', 'create_task'],
    // A caption that asks for something to do decides, whatever the photo shows.
    ["RSVP for this tomorrow\n\nIn the photo: Invitation to Sam's birthday party on Saturday at 3 pm", 'create_task'],
    ['reply to the wedding invitation by Friday', 'create_task'],
    ['respond to the party invite tomorrow', 'create_task'],
    ["Sam's birthday party on Saturday at 3 pm", 'create_event'],
  ])('%s → %s', (text, intent) => {
    expect(intentOf(text)).toBe(intent);
  });

  it('reads an edit of a draft as an edit, and a new event while editing as a new event', () => {
    expect(intentOf('at 8pm', true)).toBe('revise_draft');
    expect(intentOf('lunch with Tom on Saturday at 12:30', true)).toBe('create_event');
  });

  it('knows a bare link from a message with a link in it', () => {
    expect(isLinkOnly(' <https://example.com/e> ')).toBe(true);
    expect(isLinkOnly('see https://example.com/e')).toBe(false);
    expect(isEventRequest('see https://example.com/e')).toBe(false);
  });
});

const base: Omit<EventPlannerInput, 'mode' | 'text'> = { currentDate: '', referenceTime: '2026-12-01T10:00:00Z', timeZone: 'Europe/Berlin', model: 'm', temperature: null, fallback: 'always' };
const plan = async (text: string, extra: Partial<EventPlannerInput> = {}) => {
  const outcome = await planEvent({ ...base, mode: 'event', text, ...extra }, { generate: null });
  if (!outcome.ok) throw new Error(outcome.failure.message);
  return outcome;
};

describe('event drafts offline', () => {
  it('a dinner at 7:30 is 19:30 for the default hour, in the user zone', async () => {
    expect((await plan('dinner with Ana on Friday at 7:30')).draft).toMatchObject({
      title: 'Dinner with Ana',
      all_day: false,
      start: '2026-12-04T19:30',
      end: '2026-12-04T20:30',
      time_zone: 'Europe/Berlin',
      duration_defaulted: true,
    });
  });

  it('takes a length, an end time, and makes a birthday on a date all day', async () => {
    expect((await plan('meeting with Bob tomorrow at 3pm for 2 hours')).draft).toMatchObject({ title: 'Meeting with Bob', start: '2026-12-02T15:00', end: '2026-12-02T17:00' });
    expect((await plan('party on Saturday at 8pm until 11pm')).draft).toMatchObject({ start: '2026-12-05T20:00', end: '2026-12-05T23:00' });
    expect((await plan("Ana's birthday on March 12")).draft).toMatchObject({ title: "Ana's birthday", all_day: true, start: '2027-03-12', end: '2027-03-13' });
  });

  it('crosses a daylight-saving change by the wall clock', async () => {
    // Berlin moves to summer time on Sun 29 Mar 2026: 09:00 that day is 07:00 UTC.
    const draft = (await plan('brunch with Kim on Sunday at 9am', { referenceTime: '2026-03-25T10:00:00Z' })).draft!;
    expect(draft).toMatchObject({ start: '2026-03-29T09:00', end: '2026-03-29T10:00' });
  });

  it('asks for the day when none is given', async () => {
    const outcome = await plan('dinner with Ana');
    expect(outcome).toMatchObject({ outcome: 'clarification_needed', draft: null });
  });

  const previous: EventDraft = { title: 'Dinner with Ana', all_day: false, start: '2026-12-04T19:30', end: '2026-12-04T20:30', time_zone: 'Europe/Berlin', duration_defaulted: true };
  it.each([
    ['at 8pm', { start: '2026-12-04T20:00', end: '2026-12-04T21:00' }],
    ['on Saturday', { start: '2026-12-05T19:30', end: '2026-12-05T20:30' }],
    ['for 2 hours', { start: '2026-12-04T19:30', end: '2026-12-04T21:30' }],
    ['rename to Dinner with Ana and Tom', { title: 'Dinner with Ana and Tom', start: '2026-12-04T19:30' }],
  ])('revises "%s"', async (instruction, expected) => {
    expect((await plan(instruction, { mode: 'reviseEvent', previousDraft: previous })).draft).toMatchObject(expected);
  });

  it('moves a trip of several days to another day and keeps its length', async () => {
    const trip: EventDraft = { title: 'Trip to Rome', all_day: true, start: '2026-12-04', end: '2026-12-07', time_zone: 'Europe/Berlin' };
    expect((await plan('on Saturday', { mode: 'reviseEvent', previousDraft: trip })).draft).toMatchObject({ all_day: true, start: '2026-12-05', end: '2026-12-08' });
  });

  it('asks what to change when an edit is unclear', () => {
    expect(draftEventLocally({ mode: 'reviseEvent', text: 'hmm', reference: { date: '2026-12-01' }, timeZone: 'UTC', previousDraft: previous, markOffline: false })).toMatchObject({ clarification_needed: true });
  });
});

describe('switching and moving drafts', () => {
  const task = { title: 'Call mom', due_date: '2026-12-02', due_date_reasoning: '', notes: 'Time: 21:00 ("at 9pm").', subtasks: [] };
  it('a task with a time becomes a timed event, and back', () => {
    const event = transformDraft({ draftType: 'task', task }, 'toEvent', 'Europe/Berlin').draft as EventDraft;
    expect(event).toMatchObject({ title: 'Call mom', all_day: false, start: '2026-12-02T21:00', end: '2026-12-02T22:00', time_zone: 'Europe/Berlin' });
    const back = transformDraft({ draftType: 'event', task: event as never }, 'toTask', 'Europe/Berlin');
    expect(back).toMatchObject({ draftType: 'task', draft: { title: 'Call mom', due_date: '2026-12-02', subtasks: [] } });
    expect((back.draft as { notes: string }).notes).toMatch(/^Time: 21:00/);
  });

  it('a task without a date does not become an event on some day of our choosing', () => {
    const undated = { ...task, due_date: null, notes: '' };
    expect(() => transformDraft({ draftType: 'task', task: undated as never }, 'toEvent', 'Europe/Berlin')).toThrow(/no date/);
    expect(taskHasNoDay({ draftType: 'task', task: undated as never })).toBe(true);
    expect(taskHasNoDay({ draftType: 'task', task: task as never })).toBe(false);
    expect(eventNeedsDay('Buy <milk>')).toContain('Buy &lt;milk&gt;');
  });

  it('an event with an overlap moves to its next free slot, and its card offers the move', () => {
    const event = { ...({ title: 'Meeting', all_day: false, start: '2026-12-03T15:00', end: '2026-12-03T16:00', time_zone: 'UTC' } as EventDraft), conflicts: [{ startLocal: '2026-12-03T15:00', endLocal: '2026-12-03T16:00' }], next_free_slot: { startLocal: '2026-12-03T16:00', endLocal: '2026-12-03T17:00' } };
    const card = eventDraftCard({ id: 7, status: 'drafted', task: event as never });
    expect(card.text).toContain('⚠️ Overlaps with 15:00–16:00 busy');
    expect([card.extraText, card.extraData]).toEqual(['🕒 Move to 16:00–17:00', 'move:7']);
    const moved = transformDraft({ draftType: 'event', task: event as never }, 'moveToSlot', 'UTC').draft as EventDraft;
    expect(moved).toMatchObject({ start: '2026-12-03T16:00', end: '2026-12-03T17:00' });
    expect(moved).not.toHaveProperty('conflicts');
    expect(eventDraftCard({ id: 8, status: 'drafted', task: moved as never })).toMatchObject({ extraText: '✅ Task', extraData: 'totask:8' });
  });

  it('an event made from a voice note or photo shows what was heard or read above it, as a task card does', () => {
    const event = { title: 'Dinner with Ana', all_day: false, start: '2026-12-04T19:30', end: '2026-12-04T20:30', time_zone: 'UTC' } as EventDraft;
    const heard = draftCard({ id: 9, status: 'drafted', draftType: 'event', task: event as never, media: { kind: 'voice', fileId: 'f1', summary: 'dinner with <Ana> on Friday at 7:30' } });
    expect(heard.text.split('\n')[0]).toBe('🎤 <i>dinner with &lt;Ana&gt; on Friday at 7:30</i>');
    expect(heard.text).toContain('Dinner with Ana');
    expect(draftCard({ id: 9, status: 'drafted', draftType: 'event', task: event as never, media: null }).text).not.toContain('🎤');
  });

  it('a task card offers 📅 Event', () => {
    expect(draftCard({ id: 5, status: 'drafted', task })).toMatchObject({ extraText: '📅 Event', extraData: 'toevent:5' });
  });

  it('the buttons parse to their commands: a draft for Move, 📅 Event and ✅ Task, a place in the list for /calendar', () => {
    const press = (data: string) =>
      parseTelegramUpdate(
        { update_id: 1, callback_query: { id: 'q', from: { id: 1, first_name: 'A' }, data, message: { message_id: 9, date: 0, chat: { id: 1, type: 'private' } } } } as never,
        { allowlist: '1', workflowId: 'w' } as never,
      );
    expect(press('move:42')).toMatchObject({ kind: 'button', commandType: 'move_event', draftId: 42, target: 42 });
    expect(press('toevent:42')).toMatchObject({ kind: 'button', commandType: 'switch_to_event', draftId: 42 });
    expect(press('totask:42')).toMatchObject({ kind: 'button', commandType: 'switch_to_task', draftId: 42 });
    expect(press('cal:0')).toMatchObject({ kind: 'button', commandType: 'set_calendar', draftId: null, target: 0 });
    expect(press('move:x')).toMatchObject({ kind: 'bad_button' });
  });
});

describe('links on this machine', () => {
  it('are refused unless the test-only setting allows loopback (never a private network)', () => {
    const byDefault = linkAddressCheck({});
    expect(byDefault('127.0.0.1')).toBe(false);
    expect(byDefault('93.184.216.34')).toBe(true);
    const testing = linkAddressCheck({ [LINK_LOOPBACK_ENV]: 'loopback' });
    expect(testing('127.0.0.1')).toBe(true);
    expect(testing('::1')).toBe(true);
    expect(testing('10.0.0.5')).toBe(false);
    expect(testing('192.168.1.2')).toBe(false);
    expect(linkAddressCheck({ [LINK_LOOPBACK_ENV]: 'yes' })('127.0.0.1')).toBe(false);
  });
});
