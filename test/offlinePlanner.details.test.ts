// What the offline planner says around the date: the weekday rule shared with Gemini, the
// reasoning and questions in human words, the time note, and where the offline mark goes.
import { draftLocally, findDateMention, OFFLINE_MARK } from '../nodes/shared/gemini/fallback';
import { WEEKDAY_RULE, resolveWeekday, slashOrderFor } from '../nodes/shared/gemini/dates';
import { PLANNER_SYSTEM_INSTRUCTION } from '../nodes/shared/gemini/prompts';
import { planTask } from '../nodes/shared/gemini/planner';
import type { PlannerInput } from '../nodes/shared/gemini/planner';
import { renderDraftCard } from '../nodes/shared/telegram/draftCard';

const TUESDAY = { date: '2026-12-01', minutesIntoDay: 600 };
const create = (text: string, timeZone = 'Europe/Berlin', markOffline = true) =>
  draftLocally({ mode: 'create', text, reference: TUESDAY, timeZone, maxSubtasks: 5, markOffline });

describe('one weekday rule for Gemini and the fallback', () => {
  it('is stated to Gemini word for word from its one definition', () => {
    expect(PLANNER_SYSTEM_INSTRUCTION).toContain(WEEKDAY_RULE);
    expect(PLANNER_SYSTEM_INSTRUCTION).not.toContain('the Friday of next week');
  });

  it.each([
    // [today, weekday (0 = Sunday), reading, date]: 2026-12-01 is a Tuesday.
    ['2026-12-01', 5, 'this', '2026-12-04'],
    ['2026-12-01', 5, 'next', '2026-12-04'],
    ['2026-12-01', 2, 'this', '2026-12-01'],
    ['2026-12-01', 2, 'next', '2026-12-08'],
    ['2026-12-04', 5, 'next', '2026-12-11'],
    ['2026-12-05', 5, 'this', '2026-12-11'],
  ] as const)('on %s, weekday %i read as "%s" is %s', (today, weekday, reading, date) => {
    expect(resolveWeekday(today, weekday, reading)).toBe(date);
  });

  it('is the rule the fallback applies, and its reasoning says which reading it took', () => {
    const draft = create('dentist next Saturday');
    expect(draft.due_date).toBe('2026-12-05');
    expect(draft.due_date_reasoning).toContain('"next Saturday" → Sat 5 Dec (the first such day after today)');
  });
});

describe('dates in human words', () => {
  it('explains the date as "tomorrow → Wed 2 Dec", counted from today in the user zone', () => {
    expect(create('buy milk tomorrow').due_date_reasoning).toMatch(/^"tomorrow" → Wed 2 Dec, counted from Tue 1 Dec in Europe\/Berlin\./);
  });

  it('adds the year only when it is not this year', () => {
    expect(create('book flights March 3rd').due_date_reasoning).toContain('→ Wed 3 Mar 2027');
  });

  it('asks about a vague request with the day in words', () => {
    expect(create('remind me about that thing tomorrow')).toMatchObject({ clarification_needed: true, clarification_question: 'What should I put on your list for Wed 2 Dec?' });
  });
});

describe('the time note quotes the time as written', () => {
  it.each([
    ['12/03 at 3pm dentist', 'Time: 15:00 ("at 3pm").'],
    ['pick up kids at 3:15pm tomorrow', 'Time: 15:15 ("at 3:15pm").'],
    ['Arzt anrufen um 15 Uhr', 'Time: 15:00 ("um 15 Uhr").'],
  ])('%s', (text, note) => {
    expect(create(text).notes).toContain(note);
  });
});

describe('slash dates per region', () => {
  it.each([
    ['Europe/Berlin', 'day-first'],
    ['Europe/London', 'day-first'],
    ['America/New_York', 'month-first'],
    ['America/Los_Angeles', 'month-first'],
    ['America/Mexico_City', 'day-first'],
    ['America/Argentina/Buenos_Aires', 'day-first'],
    ['Australia/Sydney', 'day-first'],
    ['Asia/Tokyo', 'month-first'],
    ['UTC', null],
    ['Etc/GMT+2', null],
  ])('%s writes %s', (zone, order) => expect(slashOrderFor(zone)).toBe(order));

  it('asks which day an ambiguous one is where the zone does not say, with both days in words', () => {
    expect(create('renew the visa on 05/06/2027', 'UTC').clarification_question).toBe('Which day do you mean by "05/06/2027": Sat 5 Jun 2027 or Thu 6 May 2027?');
  });

  it('takes the answer to that question as the date', () => {
    const draft = draftLocally({ mode: 'answer', text: 'June 5th', originalText: 'renew the visa on 05/06/2027', question: 'Which day?', reference: TUESDAY, timeZone: 'UTC', maxSubtasks: 5, markOffline: true });
    expect(draft).toMatchObject({ clarification_needed: false, title: 'Renew the visa', due_date: '2027-06-05' });
  });

  it('reads one reading only when the other is impossible', () => {
    expect(findDateMention('wrap presents 25/12', TUESDAY, 'UTC')).toMatchObject({ date: '2026-12-25', alternatives: null });
  });
});

describe('the offline mark: once on the card, never in Google Tasks notes', () => {
  const base: PlannerInput = { mode: 'create', text: '', currentDate: '', referenceTime: '2026-12-01T09:00:00Z', timeZone: 'Europe/Berlin', model: 'm', temperature: 0.3, maxSubtasks: 5, fallback: 'always' };
  const now = () => new Date('2026-12-01T09:00:00Z');
  const count = (text: string, part: string) => text.split(part).length - 1;

  it.each(['buy milk tomorrow', 'buy milk', 'call the bank at 5pm', 'plan the garden renovation'])('"%s"', async (text) => {
    const outcome = await planTask({ ...base, text }, { generate: null, now });
    if (!outcome.ok || !outcome.draft) throw new Error('no draft');
    expect(outcome.draft.notes).not.toContain(OFFLINE_MARK);
    expect(count(outcome.draft.due_date_reasoning, OFFLINE_MARK)).toBe(1);
    expect(count(renderDraftCard(outcome.draft), OFFLINE_MARK)).toBe(1);
  });

  it('is not added by the scripted Gemini stand-in', () => {
    expect(create('buy milk tomorrow', 'Europe/Berlin', false).due_date_reasoning).not.toContain(OFFLINE_MARK);
  });

  it('is taken out of the notes of a draft made before, when it is revised', () => {
    const previous = { title: 'Buy milk', due_date: null, due_date_reasoning: `No date. ${OFFLINE_MARK}`, notes: `Semi-skimmed\n${OFFLINE_MARK}`, subtasks: [] };
    const draft = draftLocally({ mode: 'revise', text: 'make it Friday', reference: TUESDAY, timeZone: 'Europe/Berlin', maxSubtasks: 5, previousDraft: previous, markOffline: true });
    expect(draft.notes).toBe('Semi-skimmed');
    expect(count(draft.due_date_reasoning, OFFLINE_MARK)).toBe(1);
  });
});
