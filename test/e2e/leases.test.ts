// Command leases in real n8n 2.40.7: a command whose Gemini retries run far past Workflow B's
// 60 s lease is not claimed a second time by the 10 s poll while its run is still going.
import { parsePrompt } from '../../nodes/shared/gemini/prompts';
import { OWNER_TELEGRAM_ID } from '../../playground/stack';
import { geminiResponses, type EmulatorResponse, type RecordedRequest } from '../../emulators/gemini';
import { scriptedAssistantAnswer } from '../../emulators/geminiScripted';
import type { UserSpec } from '../../emulators/telegram';
import { Conversation } from './conversation';
import { useStack } from './useStack';

jest.setTimeout(420_000);

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
/** Just under the Gemini nodes' 30 s request timeout, so each slow answer still counts. */
const SLOW_MS = 28_000;

const e2e = useStack({ name: 'e2e-leases', allowedUserIds: [OWNER.userId!] });

const chat = new Conversation(() => e2e.stack, () => e2e.store, () => e2e.stack.n8n.logTail(40), 240_000);

it('a drafting command whose planner retries outlast the lease is claimed once: one planner run, one card, completed on its first attempt', async () => {
  // The planner's call as its retry policy allows it: 503s within the retry budget, a slow
  // rejection of the thinking level (the call is made again without it), a slow unusable answer,
  // then in the repair round 503s again and a slow good answer. About 100 s in all, well past the
  // 60 s lease and the poll after it.
  const slow = (response: EmulatorResponse): EmulatorResponse => ({ ...response, delayMs: SLOW_MS });
  const fast503 = () => geminiResponses.unavailable(503);
  const plannerScript: Array<EmulatorResponse | 'good'> = [
    ...Array.from({ length: 4 }, fast503),
    slow(geminiResponses.error(400, 'Thinking level LOW is not supported for this model. Supported thinking levels: HIGH.')),
    slow(geminiResponses.text('not json at all')),
    ...Array.from({ length: 4 }, fast503),
    'good',
  ];
  const scripted = plannerScript.length;
  const plannerRequests: RecordedRequest[] = [];
  e2e.stack.gemini!.setHandler((request) => {
    if (parsePrompt(request.promptText)?.request === 'classify_intent') return scriptedAssistantAnswer(request);
    plannerRequests.push(request);
    const step = plannerScript.shift();
    if (step === 'good') return slow(scriptedAssistantAnswer(request));
    return step ?? scriptedAssistantAnswer(request);
  });

  const card = await chat.sayAndGetCard(OWNER, 'renew the passport next month');
  await chat.settled(240_000);

  expect(plannerRequests).toHaveLength(scripted);
  const commands = await chat.commandsOf(OWNER);
  expect(commands).toHaveLength(1);
  expect(commands[0]).toMatchObject({ type: 'draft_task_from_text', status: 'completed', attempts: 1 });
  const claims = await e2e.store.all("SELECT id FROM audit_log WHERE action = 'command_claimed' AND entity_id = ?", [String(commands[0].id)]);
  expect(claims).toHaveLength(1);
  expect(chat.botMessages(OWNER).filter((m) => /Task Draft/.test(m.text ?? ''))).toEqual([card]);
});
