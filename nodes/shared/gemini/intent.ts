// Workflow A's "Extractor mode": what does this Telegram message ask for? Slash commands
// and empty text are answered by rules; everything else goes to Gemini (or the local rules
// when the fallback is on). A low-confidence answer becomes a question to the user.
import type { ClassifyOutcome, Failure } from '../outcome';
import type { GenerateFn, GeminiThinkingLevel } from './adapter';
import { callStructured } from './call';
import type { CallPolicy, Checked, Usage } from './call';
import { classifyLocally } from './fallback';
import type { LocalIntent } from './fallback';
import { assertRunsWithoutCredential, fallbackCovers } from './options';
import type { FallbackMode } from './options';
import { INTENT_SYSTEM_INSTRUCTION, buildPrompt } from './prompts';
import { INTENT_SCHEMA } from './schemas';
import type { Intent, IntentReply } from './schemas';
import { validateAgainstSchema } from './validate';
import { ASK_IF_REVISION, askIfTask, EMPTY_TEXT_REPLY, HELP_TEXT, notUnderstood, smallTalkReply, unknownCommand, WELCOME_TEXT } from '../messages/assistant';
import { clipText } from '../text';

/** The queue command Workflow A enqueues for each intent. */
export const COMMAND_FOR_INTENT: Record<Intent, string> = {
  create_task: 'draft_task_from_text',
  create_event: 'draft_event_from_text',
  event_from_url: 'draft_event_from_url',
  list_calendars: 'list_calendars',
  revise_draft: 'revise_draft',
  answer_clarification: 'answer_clarification',
  cancel: 'cancel_draft',
  help: 'help',
  // Nothing to do but reply: Workflow B sends the intent's reply for 'help' and 'unknown'.
  small_talk: 'unknown',
  list_tasks: 'list_tasks',
  undo_last: 'undo_last',
  list_reminders: 'list_reminders',
  set_briefing: 'set_briefing',
  unknown: 'unknown',
};

export { EMPTY_TEXT_REPLY, HELP_TEXT, WELCOME_TEXT } from '../messages/assistant';

export interface IntentInput {
  text: string;
  awaitingEdit: boolean;
  pendingQuestion: string;
  model: string;
  /** null sends no sampling parameters (the default since the current models deprecate them). */
  temperature: number | null;
  /** null (or absent) leaves thinking to the model's default. */
  thinkingLevel?: GeminiThinkingLevel | null;
  minConfidence: number;
  fallback: FallbackMode;
}

export interface IntentDeps {
  /** null when no Gemini credential is configured. */
  generate: GenerateFn | null;
  policy?: Partial<CallPolicy>;
}

export interface IntentParameters {
  task_description?: string;
  instruction?: string;
  answer?: string;
}

export interface IntentResult {
  intent: Intent;
  commandType: string;
  parameters: IntentParameters;
  confidence: number;
  reply: string | null;
  source: 'gemini' | 'rules' | 'offline';
  usage: Usage | null;
  latencyMs: number;
  model: string | null;
  samplingDropped: boolean;
  /** The model refused the thinking level and answered with its default. */
  thinkingDropped: boolean;
}

/** Where the workflow branches: `outcome` (ClassifyOutcome: 'classified' or 'failed'). */
export type IntentOutcome =
  | ({ ok: true; outcome: Extract<ClassifyOutcome, 'classified'> } & IntentResult)
  | { ok: false; outcome: Extract<ClassifyOutcome, 'failed'>; failure: Failure; usage: Usage | null; latencyMs: number; model: string };

type Classified = Pick<IntentResult, 'intent' | 'parameters' | 'confidence'>;

function answered(classified: Classified, reply: string | null, source: IntentResult['source'], stats: Partial<IntentResult> = {}): IntentOutcome {
  return {
    ok: true,
    outcome: 'classified',
    intent: classified.intent,
    commandType: COMMAND_FOR_INTENT[classified.intent],
    parameters: classified.parameters,
    confidence: classified.confidence,
    reply,
    source,
    usage: null,
    latencyMs: 0,
    model: null,
    samplingDropped: false,
    thinkingDropped: false,
    ...stats,
  };
}

/** Slash commands and empty text need no model. Returns null for everything else. */
function answerByRules(text: string): IntentOutcome | null {
  if (!text) return answered({ intent: 'help', parameters: {}, confidence: 1 }, EMPTY_TEXT_REPLY, 'rules');
  const command = /^\/([a-z_]+)(?:@\w+)?(?:\s|$)/i.exec(text)?.[1]?.toLowerCase();
  if (command === undefined) return null;
  if (command === 'start') return answered({ intent: 'help', parameters: {}, confidence: 1 }, WELCOME_TEXT, 'rules');
  if (command === 'help') return answered({ intent: 'help', parameters: {}, confidence: 1 }, HELP_TEXT, 'rules');
  if (command === 'cancel') return answered({ intent: 'cancel', parameters: {}, confidence: 1 }, null, 'rules');
  if (command === 'list') return answered({ intent: 'list_tasks', parameters: {}, confidence: 1 }, null, 'rules');
  if (command === 'undo') return answered({ intent: 'undo_last', parameters: {}, confidence: 1 }, null, 'rules');
  if (command === 'reminders') return answered({ intent: 'list_reminders', parameters: {}, confidence: 1 }, null, 'rules');
  if (command === 'briefing') return answered({ intent: 'set_briefing', parameters: {}, confidence: 1 }, null, 'rules');
  if (command === 'calendar') return answered({ intent: 'list_calendars', parameters: {}, confidence: 1 }, null, 'rules');
  return answered({ intent: 'unknown', parameters: {}, confidence: 1 }, unknownCommand(command), 'rules');
}

/** Keeps only the parameter the intent uses, falling back to the whole message. */
function sliceParameters(intent: Intent, parameters: LocalIntent['parameters'] | IntentReply['parameters'], text: string): IntentParameters {
  const pick = (value: string | null | undefined) => (value && value.trim() ? value.trim() : text);
  if (intent === 'create_task' || intent === 'create_event' || intent === 'event_from_url') return { task_description: pick(parameters.task_description) };
  if (intent === 'revise_draft') return { instruction: pick(parameters.instruction) };
  if (intent === 'answer_clarification') return { answer: pick(parameters.answer) };
  return {};
}

function clarifyingQuestion(guess: Intent, text: string): string {
  const quoted = clipText(text, 80);
  if (guess === 'create_task' || guess === 'create_event') return askIfTask(quoted);
  if (guess === 'revise_draft') return ASK_IF_REVISION;
  return notUnderstood(quoted);
}

interface Guess {
  intent: Intent;
  confidence: number;
  parameters: LocalIntent['parameters'] | IntentReply['parameters'];
}

function decide(classified: Guess, text: string, minConfidence: number, source: IntentResult['source'], stats: Partial<IntentResult>): IntentOutcome {
  if (classified.confidence < minConfidence) {
    const reply = clarifyingQuestion(classified.intent, text);
    return answered({ intent: 'unknown', parameters: {}, confidence: classified.confidence }, reply, source, stats);
  }
  const parameters = sliceParameters(classified.intent, classified.parameters, text);
  const reply = classified.intent === 'help' ? HELP_TEXT : classified.intent === 'small_talk' ? smallTalkReply(text) : null;
  return answered({ ...classified, parameters }, reply, source, stats);
}

function checkIntentReply(parsed: unknown): Checked<IntentReply> {
  const errors = validateAgainstSchema(parsed, INTENT_SCHEMA);
  return errors.length ? { errors } : { value: parsed as IntentReply };
}

function classifyOffline(text: string, input: IntentInput, stats: Partial<IntentResult> = {}): IntentOutcome {
  const local = classifyLocally(text, { awaitingEdit: input.awaitingEdit, pendingQuestion: input.pendingQuestion });
  return decide(local, text, input.minConfidence, 'offline', stats);
}

export async function classifyIntent(input: IntentInput, deps: IntentDeps): Promise<IntentOutcome> {
  const text = input.text.trim();
  const byRules = answerByRules(text);
  if (byRules) return byRules;
  if (input.fallback === 'always') return classifyOffline(text, input);
  if (!deps.generate) {
    assertRunsWithoutCredential(input.fallback, 'none is configured');
    return classifyOffline(text, input);
  }
  const prompt = buildPrompt({
    request: 'classify_intent',
    awaitingEdit: input.awaitingEdit,
    pendingQuestion: input.pendingQuestion.trim() || null,
    userMessage: text,
  });
  const result = await callStructured({
    generate: deps.generate,
    model: input.model,
    temperature: input.temperature,
    thinkingLevel: input.thinkingLevel ?? null,
    systemInstruction: INTENT_SYSTEM_INSTRUCTION,
    prompt,
    schema: INTENT_SCHEMA,
    check: checkIntentReply,
    policy: deps.policy,
  });
  const stats = {
    usage: result.usage,
    latencyMs: result.latencyMs,
    model: result.model,
    samplingDropped: result.samplingDropped,
    thinkingDropped: result.thinkingDropped,
  };
  if (!result.ok) {
    if (input.fallback === 'whenUnavailable' && fallbackCovers(result.failure)) return classifyOffline(text, input, stats);
    return { ok: false, outcome: 'failed', failure: result.failure, usage: result.usage, latencyMs: result.latencyMs, model: result.model };
  }
  const reply = result.value;
  // There is nothing to answer without a pending question: treat the message as a new request.
  const guess = reply.intent === 'answer_clarification' && !input.pendingQuestion.trim() ? { ...reply, intent: 'create_task' as const } : reply;
  return decide(guess, text, input.minConfidence, 'gemini', stats);
}
