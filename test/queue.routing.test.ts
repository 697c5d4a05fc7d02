// Workflow B's routing and settling, as Command Queue › Route by Type and › Finish do them.
import { COMMAND_TYPES, EVENT_DAY_QUESTION } from '../nodes/shared/contracts';
import { COMMAND_ROUTES, MISSING_RESULT, routeIndex, routeOf, settlementOf } from '../nodes/shared/queue/routing';

describe('routeOf: the workflow that runs a command', () => {
  // Written out, not derived from the type lists, so a type moved to the wrong list fails here.
  const expected: Record<string, string> = {
    draft_task_from_text: 'draft',
    revise_draft: 'draft',
    answer_clarification: 'draft',
    confirm_draft: 'decision',
    cancel_draft: 'decision',
    edit_draft: 'decision',
    list_tasks: 'tasks',
    complete_task: 'tasks',
    undo_last: 'tasks',
    confirm_undo: 'tasks',
    cancel_undo: 'tasks',
    list_reminders: 'tasks',
    snooze_hour: 'tasks',
    snooze_tomorrow: 'tasks',
    set_briefing: 'tasks',
    draft_event_from_text: 'events',
    draft_event_from_url: 'events',
    move_event: 'events',
    switch_to_event: 'events',
    switch_to_task: 'events',
    list_calendars: 'events',
    set_calendar: 'events',
    help: 'reply',
    unknown: 'reply',
  };

  it('covers every command type', () => {
    expect([...COMMAND_TYPES].sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s → %s', (type, route) => {
    expect(routeOf({ type, payload: {} })).toBe(route);
  });

  it.each([
    ['an edit of an event draft', { type: 'revise_draft', payload: { previousDraftType: 'event' } }, 'events'],
    ['an edit of a task draft', { type: 'revise_draft', payload: { previousDraftType: 'task' } }, 'draft'],
    ['an edit of a draft of no recorded kind', { type: 'revise_draft', payload: {} }, 'draft'],
    ["the answer to C's day question", { type: 'answer_clarification', payload: { question: EVENT_DAY_QUESTION } }, 'events'],
    ["the answer to D's question", { type: 'answer_clarification', payload: { question: 'Which Sam?' } }, 'draft'],
    ['a command without payload', { type: 'revise_draft' }, 'draft'],
    // Only those two types look at the payload.
    ['a confirm whose payload says event', { type: 'confirm_draft', payload: { previousDraftType: 'event' } }, 'decision'],
  ])('%s', (_what, command, route) => {
    expect(routeOf(command)).toBe(route);
  });

  it.each([['a type no workflow runs', 'send_fax'], ['no type', undefined], ["an Object property's name", 'toString'], ['empty', '']])('%s: no route', (_what, type) => {
    expect(routeOf({ type, payload: {} })).toBeUndefined();
  });

  it('outputs are in a fixed order, one per route', () => {
    expect(COMMAND_ROUTES).toEqual(['draft', 'decision', 'reply', 'tasks', 'events']);
    expect(COMMAND_ROUTES.map((route) => routeIndex(route))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('settlementOf: complete or fail by what the workflow returned', () => {
  it('ok completes, with the result (or an empty one)', () => {
    expect(settlementOf({ ok: true, result: { draftId: 7 } })).toEqual({ settle: 'complete', result: { draftId: 7 } });
    expect(settlementOf({ ok: true })).toEqual({ settle: 'complete', result: {} });
  });

  it.each([
    ['ok as text', { ok: 'true' }],
    ['ok false without failure', { ok: false }],
    ['nothing', {}],
  ])('%s fails, retryable, with a message that says the result was missing', (_what, run) => {
    expect(settlementOf(run)).toEqual({ settle: 'fail', error: MISSING_RESULT.message, retryable: true, retryAfterMs: 0, keepAttempt: false });
  });

  it('a failure is failed as it says', () => {
    const failure = { kind: 'rate_limited', retryable: true, retryAfterMs: 90_000, message: 'Gemini 429', userMessage: 'Busy', keepsAttempt: true };
    expect(settlementOf({ ok: false, failure })).toEqual({ settle: 'fail', error: 'Gemini 429', retryable: true, retryAfterMs: 90_000, keepAttempt: true });
  });

  it('a failure that is not retryable, or says nothing of it, is not retried', () => {
    expect(settlementOf({ ok: false, failure: { kind: 'invalid', retryable: false, message: 'bad', userMessage: '' } })).toMatchObject({ retryable: false });
    expect(settlementOf({ ok: false, failure: { kind: 'odd', message: 'odd' } })).toMatchObject({ retryable: false, error: 'odd' });
  });

  it("a sub-workflow that threw (the Execute Workflow node's error item) fails, retryable, with its error", () => {
    expect(settlementOf({ error: 'Workflow D crashed' })).toEqual({ settle: 'fail', error: 'Workflow D crashed', retryable: true, retryAfterMs: 0, keepAttempt: false });
    expect(settlementOf({ error: { message: 'Timeout' } })).toMatchObject({ error: 'Timeout' });
  });

  it.each([[-5], [Number.NaN], ['soon'], [null]])('a retry hint of %p is ignored', (retryAfterMs) => {
    expect(settlementOf({ ok: false, failure: { retryable: true, message: 'm', retryAfterMs: retryAfterMs as number } })).toMatchObject({ retryAfterMs: 0 });
  });
});
