// The conversation around a draft on the offline path (classifyLocally, draftLocally): what
// counts as an edit while a draft awaits one, how an edit is applied or questioned, which
// date an answer to our question carries, and the friendly replies that need no task.
import { classifyLocally, draftLocally, findDateMention } from '../nodes/shared/gemini/fallback';
import { classifyIntent, COMMAND_FOR_INTENT } from '../nodes/shared/gemini/intent';
import type { IntentInput } from '../nodes/shared/gemini/intent';
import { planTask } from '../nodes/shared/gemini/planner';
import type { PlannerInput } from '../nodes/shared/gemini/planner';
import { COMMAND_TYPES } from '../nodes/shared/contracts';
import { requireCommandType } from '../nodes/shared/queue/commands';
import { GREETING_REPLY, HELP_TEXT, THANKS_REPLY } from '../nodes/shared/messages/assistant';
import { planningQuestions } from '../nodes/shared/messages/planning';

/** Tue 1 Dec 2026. */
const TODAY = '2026-12-01';
const reference = { date: TODAY };
const editing = { awaitingEdit: true, pendingQuestion: '' };
const idle = { awaitingEdit: false, pendingQuestion: '' };

describe('while a draft awaits an edit, a new request becomes its own draft', () => {
  it.each([
    'buy eggs and bread tomorrow',
    'call mum on Sunday',
    'pick up the dry cleaning',
    'book the car service for next wednesday',
    'email Anna about the invoice',
    'pay the electricity bill by Friday',
    'water the plants',
    'move the couch on Saturday',
    'change the oil next week',
    'set up the printer tomorrow',
    'drop the kids at school at 8am',
    'delete the old photos from my phone',
    'remind me to take out the trash tonight',
    'schedule a dentist appointment',
    'send the report to Tom',
    "plan Sam's birthday party next Saturday",
    'return the library books',
    'renew passport next month',
    'clean the garage this weekend',
    'Milch kaufen morgen',
    'Mama am Sonntag anrufen',
    'comprar pan mañana',
    'llamar a mamá el domingo',
    'acheter du pain demain',
    'appeler maman dimanche',
  ])('"%s" → create_task', (text) => {
    expect(classifyLocally(text, editing)).toMatchObject({ intent: 'create_task', parameters: { task_description: text } });
    expect(classifyLocally(text, editing).confidence).toBeGreaterThanOrEqual(0.6);
  });

  it.each([
    'make it due Friday',
    'rename it to Buy oat milk',
    'add a subtask to buy candles',
    'no subtasks',
    'change the title',
    'tomorrow instead',
    'Friday',
    'at 5pm',
    'move it to Monday',
    'push it back to next week',
    'remove the date',
    'no due date',
    'call it Groceries',
    'also buy candles',
    'add a note: ring twice',
    'change the date to the 18th',
    'make it next week',
    'actually Thursday',
    'can you move it to Saturday?',
    'change the due date to Monday',
    'delete the first subtask',
    'remove the subtask check the fridge',
    'on the 18th please',
    'make it sound friendlier',
    'mach es Freitag',
    'lieber morgen',
    'mejor el viernes',
    'cámbialo al lunes',
    'plutôt vendredi',
  ])('"%s" → revise_draft', (text) => {
    expect(classifyLocally(text, editing)).toMatchObject({ intent: 'revise_draft', parameters: { instruction: text } });
    expect(classifyLocally(text, editing).confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('outside edit mode an errand that starts like an edit ("move the couch…") is a task, not a guess', () => {
    expect(classifyLocally('move the couch on Saturday', idle)).toMatchObject({ intent: 'create_task' });
    expect(classifyLocally('change the oil next week', idle)).toMatchObject({ intent: 'create_task' });
    expect(classifyLocally('make it Friday', idle).confidence).toBeLessThan(0.6);
  });
});

const previous = { title: 'Buy milk', due_date: '2026-12-03', due_date_reasoning: '"Thursday" → Thu 3 Dec.', notes: 'Semi-skimmed', subtasks: [{ title: 'Check the fridge', suggested: true as const }] };
const revise = (text: string, draft = previous) =>
  draftLocally({ mode: 'revise', text, reference, timeZone: 'UTC', maxSubtasks: 10, previousDraft: draft, markOffline: true });
const dateOf = (phrase: string) => findDateMention(phrase, reference, 'UTC')!.date;

describe('edits are applied when understood', () => {
  const due = (date: string | null) => ({ due_date: date, title: 'Buy milk', subtasks: previous.subtasks });
  const titled = (title: string) => ({ title, due_date: '2026-12-03', subtasks: previous.subtasks });
  const withSubtasks = (...titles: string[]) => ({ title: 'Buy milk', due_date: '2026-12-03', subtasks: titles.map((title) => ({ title, suggested: true })) });
  it.each<[string, object]>([
    ['make it due Friday', due('2026-12-04')],
    ['make it due the 18th', due('2026-12-18')],
    ['tomorrow instead', due('2026-12-02')],
    ['Friday', due('2026-12-04')],
    ['move it to next Monday', due(dateOf('next Monday'))],
    ['change the date to 24 December', due('2026-12-24')],
    ['push it to next week', due(dateOf('next week'))],
    ['in 3 days', due('2026-12-04')],
    ['postpone to Monday', due('2026-12-07')],
    ['make it the day after tomorrow', due('2026-12-03')],
    ['reschedule for the end of the month', due('2026-12-31')],
    ['due on Christmas Eve', due('2026-12-24')],
    ['can you move it to Saturday?', due('2026-12-05')],
    ['actually make it Thursday', due('2026-12-03')],
    ['change the due date to the 18th', due('2026-12-18')],
    ['move the milk to Friday', due('2026-12-04')],
    ['mach es Freitag', due('2026-12-04')],
    ['lieber morgen', due('2026-12-02')],
    ['mejor el viernes', due('2026-12-04')],
    ['plutôt vendredi', due('2026-12-04')],
    ['no due date', due(null)],
    ['remove the date', due(null)],
    ['without a deadline', due(null)],
    ['clear the due date', due(null)],
    ['rename to Buy oat milk', titled('Buy oat milk')],
    ['rename it to Buy oat milk', titled('Buy oat milk')],
    ['call it Buy oat milk', titled('Buy oat milk')],
    ['change the title to Buy oat milk', titled('Buy oat milk')],
    ['rename it "Buy oat milk"', titled('Buy oat milk')],
    ['name it Buy oat milk', titled('Buy oat milk')],
    ['the title should be Buy oat milk', titled('Buy oat milk')],
    ['rename to Bread and butter', titled('Bread and butter')],
    ['add a subtask to buy candles', withSubtasks('Check the fridge', 'Buy candles')],
    ['add a subtask: buy candles', withSubtasks('Check the fridge', 'Buy candles')],
    ['add buy candles', withSubtasks('Check the fridge', 'Buy candles')],
    ['also buy candles', withSubtasks('Check the fridge', 'Buy candles')],
    ['add a step to bring a bag', withSubtasks('Check the fridge', 'Bring a bag')],
    ['add subtasks: buy candles, buy a cake', withSubtasks('Check the fridge', 'Buy candles', 'Buy a cake')],
    ['remove the subtask check the fridge', withSubtasks()],
    ['remove check the fridge', withSubtasks()],
    ['delete the first subtask', withSubtasks()],
    ['no subtasks', withSubtasks()],
    ['remove all subtasks', withSubtasks()],
    ['without subtasks', withSubtasks()],
    ['make it Friday and rename to Buy oat milk', { title: 'Buy oat milk', due_date: '2026-12-04' }],
    ['rename to Buy oat milk, no subtasks', { title: 'Buy oat milk', subtasks: [] }],
    ['add a subtask to buy candles and make it due Friday', { due_date: '2026-12-04', subtasks: [{ title: 'Check the fridge', suggested: true }, { title: 'Buy candles', suggested: true }] }],
    ['no due date and no subtasks', { due_date: null, subtasks: [] }],
  ])('"%s"', (text, expected) => {
    const draft = revise(text);
    expect(draft).toMatchObject({ clarification_needed: false, ...expected });
    expect(draft.notes).not.toMatch(/Requested change/i);
  });

  it('a date edit quotes the user\'s words in the reasoning', () => {
    expect(revise('make it due the 18th').due_date_reasoning).toMatch(/^"(due )?the 18th" → Fri 18 Dec/);
  });

  it.each([
    ['at 5pm', '2026-12-03', 'Time: 17:00'],
    ['make it 9am', '2026-12-03', 'Time: 09:00'],
    ['Friday at 5pm', '2026-12-04', 'Time: 17:00'],
  ])('"%s" keeps the time of day in the notes (due %s)', (text, dueDate, note) => {
    const draft = revise(text);
    expect(draft).toMatchObject({ clarification_needed: false, due_date: dueDate, title: 'Buy milk' });
    expect(draft.notes).toContain(note);
    expect(draft.notes).toContain('Semi-skimmed');
  });

  it('a second time replaces the first instead of piling up', () => {
    const once = revise('at 5pm');
    const twice = revise('at 6pm', { ...previous, notes: once.notes });
    expect(twice.notes).toContain('Time: 18:00');
    expect(twice.notes).not.toContain('17:00');
  });

  it.each([
    ['add a note: the shop closes at 6', 'the shop closes at 6'],
    ['note: gate code 1234', 'gate code 1234'],
  ])('"%s" adds to the notes and changes nothing else', (text, note) => {
    const draft = revise(text);
    expect(draft).toMatchObject({ clarification_needed: false, title: 'Buy milk', due_date: '2026-12-03' });
    expect(draft.notes).toBe(`Semi-skimmed\n${note}`);
  });
});

describe('edits that are not understood get a short question and change nothing', () => {
  it.each([
    ['make it sound friendlier', planningQuestions.howToChange],
    ['make it better', planningQuestions.howToChange],
    ['hmm', planningQuestions.howToChange],
    ['do the thing', planningQuestions.howToChange],
    ['change the title', planningQuestions.newTitle],
    ['rename it', planningQuestions.newTitle],
    ['remove the subtask buy eggs', planningQuestions.whichSubtask('Check the fridge')],
    ['make it Friday and somehow nicer', planningQuestions.howToChange],
  ])('"%s"', (text, question) => {
    expect(revise(text)).toMatchObject({ clarification_needed: true, clarification_question: question, notes: '' });
    expect(question).toMatch(/\?/);
  });

  it('the planner leaves no draft behind, so the stored one stays as it was', async () => {
    const input: PlannerInput = { mode: 'revise', text: 'make it sound friendlier', previousDraft: previous, currentDate: TODAY, timeZone: 'UTC', model: 'm', temperature: 0, maxSubtasks: 10, fallback: 'always' };
    expect(await planTask(input, { generate: null })).toMatchObject({ ok: true, outcome: 'clarification_needed', draft: null, clarification_question: planningQuestions.howToChange });
  });
});

describe('the answer to a question brings its own date', () => {
  const answer = (originalText: string, text: string, date = TODAY, timeZone = 'UTC') =>
    draftLocally({ mode: 'answer', text, originalText, question: 'What should I put on your list?', reference: { date }, timeZone, maxSubtasks: 10, markOffline: true });

  it.each(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05'])('on %s "next wednesday" in the answer wins over "tomorrow"', (date) => {
    const draft = answer('something tomorrow', 'book the car service for next wednesday', date, 'Europe/Berlin');
    expect(draft).toMatchObject({ title: 'Book the car service', due_date: findDateMention('next wednesday', { date })!.date });
    expect(draft.due_date_reasoning).toContain('"next wednesday"');
    expect(draft.due_date_reasoning).not.toContain('tomorrow');
  });

  it('an answer whose slash date is ambiguous is asked about, not replaced by the original\'s day', () => {
    expect(answer('something tomorrow', 'pay rent 05/06')).toMatchObject({ clarification_needed: true, clarification_question: expect.stringContaining('05/06') });
  });

  it('the answer\'s time of day wins over the original\'s, also in the planner\'s time check', async () => {
    const input: PlannerInput = { mode: 'answer', text: 'call the garage tomorrow at 5pm', originalText: 'something at 9am', question: 'What?', currentDate: TODAY, timeZone: 'UTC', model: 'm', temperature: 0, maxSubtasks: 10, fallback: 'always' };
    const outcome = await planTask(input, { generate: null });
    expect(outcome).toMatchObject({ ok: true, draft: { title: 'Call the garage', due_date: '2026-12-02' } });
    if (outcome.ok) {
      expect(outcome.draft!.notes).toContain('17:00');
      expect(outcome.draft!.notes).not.toContain('09:00');
    }
  });
});

const offlineIntent = (text: string, context: Partial<IntentInput> = {}) =>
  classifyIntent({ text, awaitingEdit: false, pendingQuestion: '', model: 'm', temperature: 0, minConfidence: 0.6, fallback: 'always', ...context }, { generate: null });

describe('small talk gets a friendly reply', () => {
  it.each(['hi', 'Hello!', 'hey', 'good morning', 'hallo', 'hola', 'bonjour'])('"%s" → a greeting that says what to send', async (text) => {
    expect(await offlineIntent(text)).toMatchObject({ ok: true, intent: 'small_talk', commandType: 'unknown', reply: GREETING_REPLY });
  });
  it.each(['thanks', 'Thank you!', 'thx', 'cheers', 'danke', 'gracias', 'merci'])('"%s" → you\'re welcome', async (text) => {
    expect(await offlineIntent(text)).toMatchObject({ ok: true, intent: 'small_talk', commandType: 'unknown', reply: THANKS_REPLY });
  });
  it('also while a draft awaits an edit', async () => {
    expect(await offlineIntent('thanks', { awaitingEdit: true })).toMatchObject({ intent: 'small_talk', reply: THANKS_REPLY });
  });
  it('the greeting says what to send', () => {
    expect(GREETING_REPLY).toMatch(/Buy milk tomorrow/);
    expect(THANKS_REPLY).toMatch(/welcome/i);
  });
});

describe('/help lists every command, and the intent layer knows them', () => {
  it.each(['/help', '/cancel', '/timezone', '/list', '/undo', '/reminders', '/briefing'])('help mentions %s', (command) => {
    expect(HELP_TEXT).toContain(command);
  });

  it.each([
    ['/list', 'list_tasks', 'list_tasks'],
    ['/undo', 'undo_last', 'undo_last'],
    ['/cancel', 'cancel', 'cancel_draft'],
    ['/list@DraftAssistantBot', 'list_tasks', 'list_tasks'],
    ['/reminders', 'list_reminders', 'list_reminders'],
    ['/briefing 07:30', 'set_briefing', 'set_briefing'],
  ])('%s → %s (%s)', async (text, intent, commandType) => {
    expect(await offlineIntent(text)).toMatchObject({ ok: true, intent, commandType, source: 'rules' });
  });

  it.each([
    ["what's on my list?", 'list_tasks'],
    ['show my tasks', 'list_tasks'],
    ['list my tasks', 'list_tasks'],
    ['what do I have to do?', 'list_tasks'],
    ['undo that', 'undo_last'],
    ['undo', 'undo_last'],
    ['undo the last task', 'undo_last'],
  ])('"%s" → %s, also in edit mode', (text, intent) => {
    expect(classifyLocally(text, idle)).toMatchObject({ intent });
    expect(classifyLocally(text, editing)).toMatchObject({ intent });
    expect(classifyLocally(text, idle).confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('every intent maps to a command type the queue accepts, including the ✓ Done press', () => {
    for (const commandType of Object.values(COMMAND_FOR_INTENT)) expect(requireCommandType(commandType)).toBe(commandType);
    expect(COMMAND_TYPES).toEqual(expect.arrayContaining(['list_tasks', 'undo_last', 'complete_task']));
  });
});

