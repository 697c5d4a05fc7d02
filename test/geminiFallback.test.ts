// The offline fallback is real code users see in the playground and when Gemini is out of
// quota: its dates must be right across month and year ends and in the user's time zone.
import { classifyLocally, draftLocally, findDateMention, OFFLINE_MARK } from '../nodes/shared/gemini/fallback';
import { planTask } from '../nodes/shared/gemini/planner';
import type { PlannerInput } from '../nodes/shared/gemini/planner';

function offlineDraft(text: string, date: string) {
  return draftLocally({ mode: 'create', text, reference: { date }, timeZone: 'UTC', maxSubtasks: 10, markOffline: true });
}

describe('offline dates across month and year ends', () => {
  it.each([
    ['buy milk tomorrow', '2026-12-31', '2027-01-01', 'Buy milk'],
    ['pay rent in 3 days', '2026-11-29', '2026-12-02', 'Pay rent'],
    ['in 3 days renew the parking permit', '2024-02-27', '2024-03-01', 'Renew the parking permit'],
    ['comprar leche mañana', '2024-02-28', '2024-02-29', 'Comprar leche'],
    ['acheter du pain demain', '2026-02-28', '2026-03-01', 'Acheter du pain'],
    ['Milch kaufen morgen', '2026-12-31', '2027-01-01', 'Milch kaufen'],
    ['明日 牛乳を買う', '2026-11-25', '2026-11-26', '牛乳を買う'],
    // Wed 25 Nov: "next Friday" is the first Friday after today (WEEKDAY_RULE in dates.ts).
    ['dentist next Friday', '2026-11-25', '2026-11-27', 'Dentist'],
    ['dentist next Wednesday', '2026-11-25', '2026-12-02', 'Dentist'],
    ['call mom Friday', '2026-11-25', '2026-11-27', 'Call mom'],
    ['call mom Friday', '2026-11-27', '2026-11-27', 'Call mom'],
    ['submit report by end of month', '2027-02-15', '2027-02-28', 'Submit report'],
    ['file taxes end of the month', '2028-02-10', '2028-02-29', 'File taxes'],
    ['renew passport next month', '2026-01-31', '2026-02-28', 'Renew passport'],
    ['renew passport next month', '2026-12-15', '2027-01-15', 'Renew passport'],
    ['service the boiler in two months', '2026-12-31', '2027-02-28', 'Service the boiler'],
    ['plan trip next week', '2026-12-28', '2027-01-04', 'Plan trip'],
    ['in two weeks dentist', '2026-12-25', '2027-01-08', 'Dentist'],
    ['Remind me to water the plants on Dec 31', '2026-12-30', '2026-12-31', 'Water the plants'],
    ['book flights March 3rd', '2026-11-25', '2027-03-03', 'Book flights'],
    ['finish slides by the end of the week', '2026-11-25', '2026-11-29', 'Finish slides'],
    ['this weekend clean garage', '2026-12-31', '2027-01-02', 'Clean garage'],
  ])('"%s" on %s is due %s', (text, today, due, title) => {
    const draft = offlineDraft(text, today);
    expect(draft).toMatchObject({ title, due_date: due, clarification_needed: false });
    expect(draft.due_date_reasoning).toContain(OFFLINE_MARK);
  });

  it('keeps a time of day in the notes, since Google Tasks stores dates only', () => {
    const draft = offlineDraft('pick up kids at 3:15pm tomorrow', '2026-12-31');
    expect(draft).toMatchObject({ title: 'Pick up kids', due_date: '2027-01-01' });
    expect(draft.notes).toContain('15:15');
    expect(draft.due_date_reasoning).toMatch(/stores dates only/);
  });

  it('puts a time already past today on the next day when the current time is known', () => {
    expect(findDateMention('call the plumber at 9am', { date: '2026-12-31', minutesIntoDay: 18 * 60 })).toMatchObject({ date: '2027-01-01', hour: 9 });
    expect(findDateMention('call the plumber at 9am', { date: '2026-12-31', minutesIntoDay: 8 * 60 })).toMatchObject({ date: '2026-12-31', hour: 9 });
  });

  it('does not read short English words as dates in other languages', () => {
    expect(findDateMention('sam and mar do it', { date: '2026-11-25' })).toBeNull();
  });

  it('leaves the due date empty when no date is mentioned', () => {
    expect(offlineDraft('groceries', '2026-11-25')).toMatchObject({ title: 'Groceries', due_date: null, subtasks: [] });
  });

  it('asks a question for vague requests instead of guessing', () => {
    expect(offlineDraft('stuff', '2026-11-25')).toMatchObject({ clarification_needed: true, clarification_question: expect.stringMatching(/\?$/) });
    // The day in words, as people say it.
    expect(offlineDraft('tomorrow', '2026-11-25').clarification_question).toContain('Thu 26 Nov');
  });

  it('suggests subtasks for an event, capped at the maximum', () => {
    const draft = offlineDraft("Plan Sam's birthday party next Saturday", '2026-11-25');
    expect(draft).toMatchObject({ title: "Plan Sam's birthday party", due_date: '2026-11-28' });
    expect(draft.subtasks.length).toBeGreaterThanOrEqual(3);
    expect(draft.subtasks.every((s) => s.suggested === true)).toBe(true);
    const capped = draftLocally({ mode: 'create', text: 'birthday party', reference: { date: '2026-11-25' }, timeZone: 'UTC', maxSubtasks: 2, markOffline: true });
    expect(capped.subtasks).toHaveLength(2);
  });

  it('shortens a very long request into a title and keeps the full text in the notes', () => {
    const text = `Write the annual report. ${'Include every figure from every department. '.repeat(90)}`;
    const draft = offlineDraft(text, '2026-11-25');
    expect(draft.title).toBe('Write the annual report');
    expect(draft.notes).toContain('Include every figure');
    expect(draft.notes.length).toBeLessThanOrEqual(8192);
  });
});

describe('offline revisions and answers', () => {
  const previous = { title: 'Buy milk', due_date: '2026-12-31', due_date_reasoning: 'tomorrow', notes: '', subtasks: [{ title: 'Check the fridge', suggested: true as const }] };
  const revise = (text: string) =>
    draftLocally({ mode: 'revise', text, reference: { date: '2026-12-30' }, timeZone: 'UTC', maxSubtasks: 10, previousDraft: previous, markOffline: true });

  it('moves the due date', () => expect(revise('make it Saturday')).toMatchObject({ title: 'Buy milk', due_date: '2027-01-02' }));
  it('removes the due date', () => expect(revise('no due date')).toMatchObject({ due_date: null }));
  it('renames', () => expect(revise('rename to Buy oat milk')).toMatchObject({ title: 'Buy oat milk', due_date: '2026-12-31' }));
  it('adds a subtask', () => expect(revise('add bring a bag').subtasks.map((s) => s.title)).toEqual(['Check the fridge', 'Bring a bag']));
  it('drops subtasks', () => expect(revise('no subtasks').subtasks).toEqual([]));
  // It used to park such an instruction in the notes ("Requested change: …"), which go to Google Tasks.
  it('asks about an instruction it cannot apply, changing nothing', () => expect(revise('make it sound friendlier')).toMatchObject({ clarification_needed: true, notes: '' }));

  it('drafts from the answer to a clarification, keeping the date of a vague original', () => {
    const draft = draftLocally({ mode: 'answer', text: 'buy a birthday present for Ana', originalText: 'stuff tomorrow', question: 'What exactly?', reference: { date: '2026-12-31' }, timeZone: 'UTC', maxSubtasks: 10, markOffline: true });
    expect(draft).toMatchObject({ clarification_needed: false, due_date: '2027-01-01' });
    expect(draft.title).toMatch(/^Buy a birthday present for Ana/);
  });
});

describe('offline planner in the user time zone', () => {
  const base: PlannerInput = { mode: 'create', text: 'buy milk tomorrow', currentDate: '', timeZone: 'UTC', model: 'm', temperature: 0.3, maxSubtasks: 10, fallback: 'always' };
  // 23:30 UTC on New Year's Eve: already 2027 in Tokyo and Auckland, still 2026 in Los Angeles.
  const newYearsEve = () => new Date('2026-12-31T23:30:00Z');

  it.each([
    ['UTC', 'buy milk tomorrow', '2027-01-01'],
    ['America/Los_Angeles', 'buy milk tomorrow', '2027-01-01'],
    ['Asia/Tokyo', 'buy milk tomorrow', '2027-01-02'],
    ['Pacific/Auckland', 'buy milk tomorrow', '2027-01-02'],
    ['Asia/Tokyo', 'call the bank at 9am', '2027-01-01'],
    ['America/Los_Angeles', 'call the bank at 9am', '2027-01-01'],
    ['Pacific/Auckland', 'in 3 days water plants', '2027-01-04'],
  ])('in %s, "%s" is due %s', async (timeZone, text, due) => {
    const outcome = await planTask({ ...base, timeZone, text }, { generate: null, now: newYearsEve });
    expect(outcome).toMatchObject({ ok: true, source: 'offline', offline: true, draft: { due_date: due } });
  });

  it('refuses to run without Gemini when the fallback is off, in the words the nodes use', async () => {
    await expect(planTask({ ...base, fallback: 'off', timeZone: 'UTC', text: 'buy milk' }, { generate: null })).rejects.toMatchObject({
      name: 'InputError',
      message: 'No usable Gemini credential: none is configured',
      hint: expect.stringMatching(/"Offline Fallback" to "Always"/),
    });
  });

  it('rejects an unknown time zone as bad input', async () => {
    await expect(planTask({ ...base, timeZone: 'Mars/Olympus' }, { generate: null })).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining('Mars/Olympus') });
  });
});

describe('local intent rules', () => {
  const none = { awaitingEdit: false, pendingQuestion: '' };
  it.each([
    ['buy milk tomorrow', none, 'create_task'],
    ['cancel', { awaitingEdit: true, pendingQuestion: '' }, 'cancel'],
    ['never mind', none, 'cancel'],
    ['help', none, 'help'],
    ['hi!', none, 'small_talk'],
    ['make it Friday', { awaitingEdit: true, pendingQuestion: '' }, 'revise_draft'],
    ['the blue one', { awaitingEdit: false, pendingQuestion: 'Which laptop?' }, 'answer_clarification'],
  ])('"%s" → %s', (text, context, intent) => {
    expect(classifyLocally(text, context).intent).toBe(intent);
  });

  it('is unsure about an edit when no draft awaits one', () => {
    expect(classifyLocally('make it Friday', none)).toMatchObject({ intent: 'revise_draft', confidence: expect.any(Number) });
    expect(classifyLocally('make it Friday', none).confidence).toBeLessThan(0.6);
  });
});

describe('"now" is a moment, not a clock time', () => {
  it.each(['call mom now', 'do it right now', 'jetzt Mama anrufen'])('"%s" gets no time-of-day note', (text) => {
    const draft = draftLocally({ mode: 'create', text, reference: { date: '2026-12-01', minutesIntoDay: 14 * 60 + 7 }, timeZone: 'UTC', maxSubtasks: 10, markOffline: true });
    expect(draft.notes).not.toMatch(/Time:/);
    expect(draft.notes).not.toContain('14:07');
    expect(draft.due_date_reasoning).not.toMatch(/time of day/);
  });

  it('still keeps a real time given next to "now"', () => {
    const draft = draftLocally({ mode: 'create', text: 'now book the table for dinner at 7pm', reference: { date: '2026-12-01', minutesIntoDay: 10 * 60 }, timeZone: 'UTC', maxSubtasks: 10, markOffline: true });
    expect(draft.notes).toContain('Time: 19:00');
    expect(draft.due_date).toBe('2026-12-01');
  });

  it('gives the planner no clock time to add to a Gemini draft either', () => {
    expect(findDateMention('call mom now', { date: '2026-12-01', minutesIntoDay: 600 })).toMatchObject({ hour: null, minute: null, timeText: null });
    expect(findDateMention('do it right now', { date: '2026-12-01', minutesIntoDay: 600 })?.hour ?? null).toBeNull();
  });
});

describe('shortening never splits an emoji', () => {
  const isWellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

  it.each([
    ['a title that ends in a long run of emoji, cut inside the run', `Hooray${'🎉'.repeat(200)}`],
    ['an emoji exactly at the soft limit', `${'x'.repeat(118)}🎉🎉🎉 and the rest of a long title that goes on`],
    ['emoji after a long word at the cut', `Plan ${'y'.repeat(113)}🎂🎂 party with everyone we know from work and school`],
  ])('%s', (_name, text) => {
    const draft = offlineDraft(text, '2026-11-25');
    expect(draft.title.length).toBeLessThanOrEqual(120);
    expect(isWellFormed(draft.title)).toBe(true);
    expect(isWellFormed(draft.notes)).toBe(true);
  });

  it('clips notes without splitting an emoji at the notes limit', () => {
    const previous = { title: 'Buy milk', due_date: null, due_date_reasoning: '', notes: 'n'.repeat(8183), subtasks: [] };
    const draft = draftLocally({ mode: 'revise', text: 'add a note: sound 😀😀 friendlier', reference: { date: '2026-12-30' }, timeZone: 'UTC', maxSubtasks: 10, previousDraft: previous, markOffline: false });
    // The first 😀 starts at index 8190: the cut to 8191 characters plus "…" falls inside it.
    expect(draft.notes.length).toBeLessThanOrEqual(8192);
    expect(draft.notes.endsWith('…')).toBe(true);
    expect(isWellFormed(draft.notes)).toBe(true);
  });
});
