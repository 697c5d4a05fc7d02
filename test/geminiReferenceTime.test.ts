// Relative dates count from when the user sent the message, not from when the command is
// drafted: a message sent at 23:30 and drafted after midnight (a retry, a backlog, a Gemini
// quota wait) still means the "tomorrow" the user meant. Both the Gemini prompt and the
// offline fallback get the reference time.
import { createGenerate } from '../nodes/shared/gemini/adapter';
import { planTask } from '../nodes/shared/gemini/planner';
import type { PlannerInput } from '../nodes/shared/gemini/planner';
import { GeminiEmulator } from '../emulators/gemini';
import { scriptedAssistantResponder } from '../emulators/geminiScripted';

// 23:30 in Berlin on 1 December (22:30 UTC); drafted at 00:30 Berlin on 2 December.
const SENT_AT_SECONDS = Date.parse('2026-12-01T22:30:00Z') / 1000;
const draftedAfterMidnight = () => new Date('2026-12-01T23:30:00Z');
const base: PlannerInput = { mode: 'create', text: 'buy milk tomorrow', currentDate: '', timeZone: 'Europe/Berlin', model: 'gemini-3.1-flash-lite', temperature: 0.3, maxSubtasks: 5, fallback: 'always' };

describe('the offline planner counts from the reference time', () => {
  const plan = (input: Partial<PlannerInput>) => planTask({ ...base, ...input }, { generate: null, now: draftedAfterMidnight });

  it('a message sent at 23:30 and drafted after midnight is due the day after it was sent', async () => {
    expect(await plan({ referenceTime: String(SENT_AT_SECONDS) })).toMatchObject({ ok: true, source: 'offline', draft: { due_date: '2026-12-02' } });
    // Without it, "tomorrow" is counted from the moment of drafting.
    expect(await plan({})).toMatchObject({ ok: true, draft: { due_date: '2026-12-03' } });
  });

  it('takes Telegram\'s unix seconds as a number or an ISO 8601 time', async () => {
    expect(await plan({ referenceTime: SENT_AT_SECONDS })).toMatchObject({ draft: { due_date: '2026-12-02' } });
    expect(await plan({ referenceTime: '2026-12-01T23:30:00+01:00' })).toMatchObject({ draft: { due_date: '2026-12-02' } });
  });

  it('reads a time of day against the clock at sending: 23:45 is still the day it was sent', async () => {
    const outcome = await plan({ text: 'call the bank at 11:45pm', referenceTime: SENT_AT_SECONDS });
    expect(outcome).toMatchObject({ draft: { due_date: '2026-12-01', notes: expect.stringContaining('Time: 23:45') } });
  });

  it('never counts from the future: a reference later than now is now', async () => {
    const future = Date.parse('2026-12-05T12:00:00Z') / 1000;
    expect(await plan({ referenceTime: future })).toMatchObject({ draft: { due_date: '2026-12-03' } });
  });

  it.each([['not a time'], ['-5'], ['2026-13-45T00:00:00Z']])('refuses "%s" as bad input', async (referenceTime) => {
    await expect(plan({ referenceTime })).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining('Reference Time') });
  });
});

describe('the Gemini prompt carries the reference time', () => {
  let gemini: GeminiEmulator;
  beforeAll(async () => {
    gemini = await new GeminiEmulator({ apiKey: 'test-key' }).start();
  });
  afterAll(() => gemini.stop());
  beforeEach(() => gemini.reset().setHandler(scriptedAssistantResponder()));

  it('sends the date and local time the message was sent, and the draft is due the day after', async () => {
    const outcome = await planTask(
      { ...base, fallback: 'off', referenceTime: SENT_AT_SECONDS },
      { generate: createGenerate({ apiKey: 'test-key', host: gemini.url }), now: draftedAfterMidnight },
    );
    const [request] = gemini.requests;
    expect(request.promptText).toContain('Current date: "2026-12-01"');
    expect(request.promptText).toContain('Current local time: "23:30"');
    expect(outcome).toMatchObject({ ok: true, source: 'gemini', draft: { due_date: '2026-12-02' } });
  });
});
