// One structured Gemini call as the workflow needs it: bounded retries for transient
// failures, one retry without sampling parameters (or without the thinking level) when a
// model rejects them, JSON
// extraction that skips thought parts, validation, and a single repair attempt. Every failure
// of the service comes back as a Failure the workflow acts on; a rejected key or a model that is
// gone is one too, so the message that hit it is kept until the owner fixes the setup.
import { backoffDelayMs, GEMINI_CALL_BACKOFF } from '../backoff';
import type { Failure } from '../outcome';
import { GEMINI_FAILURES } from '../messages/failures';
import { geminiKeyRejected, geminiModelUnavailable, setupProblemNotice } from '../messages/owner';
import { GeminiHttpError } from './adapter';
import type { GenerateFn, GenerateRequest, GeminiThinkingLevel, InlineMedia, RawResponse } from './adapter';
import { msUntilQuotaReset } from './dates';
import { DEFAULT_INTENT_MODEL, DEFAULT_PLANNER_MODEL } from './options';
import { buildRepairPrompt } from './prompts';
import type { SchemaNode } from './schemas';

export interface Usage {
  promptTokens: number;
  /** The answer's tokens including the model's thinking, as billed. */
  outputTokens: number;
  /** The part of outputTokens the model spent thinking (usageMetadata.thoughtsTokenCount). */
  thoughtsTokens: number;
  totalTokens: number;
}

export interface CallPolicy {
  /** Total time the retries of one call may spend waiting; past it the failure goes back to the queue. */
  retryBudgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
}

export const DEFAULT_CALL_POLICY: CallPolicy = {
  retryBudgetMs: 20_000,
  ...GEMINI_CALL_BACKOFF,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: Math.random,
};

/** The user's side of each Gemini failure (messages/failures.ts). */
export const USER_MESSAGES = GEMINI_FAILURES;

/** How long a command waits between tries while Gemini refuses the installation's key or model. */
export const NOT_CONFIGURED_RETRY_MS = 15 * 60_000;

/** Result of checking a parsed reply: the typed value, or what is wrong with it. */
export type Checked<T> = { value: T } | { errors: string[] };

export interface StructuredCallInput<T> {
  generate: GenerateFn;
  model: string;
  temperature: number | null;
  /** null (or absent) leaves thinking to the model's default. */
  thinkingLevel?: GeminiThinkingLevel | null;
  systemInstruction: string;
  prompt: string;
  /** Files sent inline with the prompt (and with its repair, which needs them as much). */
  media?: InlineMedia[];
  schema: SchemaNode;
  check: (parsed: unknown) => Checked<T>;
  policy?: Partial<CallPolicy>;
}

interface CallStats {
  usage: Usage | null;
  latencyMs: number;
  samplingDropped: boolean;
  thinkingDropped: boolean;
  model: string;
}

export type StructuredResult<T> =
  | ({ ok: true; value: T; repaired: boolean } & CallStats)
  | ({ ok: false; failure: Failure } & CallStats);

type Interpreted = { kind: 'json'; value: unknown } | { kind: 'invalid'; reason: string } | { kind: 'blocked'; reason: string };

const SAFETY_FINISH_REASONS = new Set(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'IMAGE_SAFETY']);
const TRANSIENT_STATUSES = new Set([0, 500, 502, 503, 504]);

/** Joins the answer's text parts (not the model's thoughts) and parses them as JSON. */
export function interpretResponse(response: RawResponse): Interpreted {
  const blockReason = response.promptFeedback?.blockReason;
  if (blockReason) return { kind: 'blocked', reason: `prompt blocked (${blockReason})` };
  const candidate = response.candidates?.[0];
  if (!candidate) return { kind: 'invalid', reason: 'the response has no candidates' };
  const finishReason = candidate.finishReason ?? '';
  if (SAFETY_FINISH_REASONS.has(finishReason)) return { kind: 'blocked', reason: `answer blocked (finishReason ${finishReason})` };
  const text = (candidate.content?.parts ?? [])
    .filter((part) => part.thought !== true && typeof part.text === 'string')
    .map((part) => part.text)
    .join('')
    .trim()
    // Some models wrap JSON in a markdown fence despite responseMimeType.
    .replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1');
  if (!text) return { kind: 'invalid', reason: `the answer is empty (finishReason ${finishReason || 'none'})` };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    if (finishReason === 'MAX_TOKENS') return { kind: 'invalid', reason: 'the answer was cut off (finishReason MAX_TOKENS)' };
    return { kind: 'invalid', reason: 'the answer is not valid JSON' };
  }
}

function addUsage(total: Usage | null, response: RawResponse): Usage | null {
  const meta = response.usageMetadata;
  if (!meta) return total;
  const promptTokens = meta.promptTokenCount ?? 0;
  const thoughtsTokens = meta.thoughtsTokenCount ?? 0;
  const outputTokens = (meta.candidatesTokenCount ?? 0) + thoughtsTokens;
  const totalTokens = meta.totalTokenCount ?? promptTokens + outputTokens;
  return {
    promptTokens: (total?.promptTokens ?? 0) + promptTokens,
    outputTokens: (total?.outputTokens ?? 0) + outputTokens,
    thoughtsTokens: (total?.thoughtsTokens ?? 0) + thoughtsTokens,
    totalTokens: (total?.totalTokens ?? 0) + totalTokens,
  };
}

function detailOfType(error: GeminiHttpError, typeSuffix: string): Record<string, unknown> | undefined {
  return error.details.find((detail) => String(detail['@type'] ?? '').endsWith(typeSuffix));
}

/** Parses a google.protobuf.Duration as JSON-encoded ("13s", "0.5s"). */
export function parseDurationMs(duration: unknown): number | undefined {
  const match = typeof duration === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(duration.trim()) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

function isPerDayQuota(error: GeminiHttpError): boolean {
  const violations = (detailOfType(error, 'google.rpc.QuotaFailure')?.violations ?? []) as Array<Record<string, unknown>>;
  return violations.some((v) => /per ?day/i.test(`${v.quotaId ?? ''} ${v.quotaMetric ?? ''}`));
}

function isSamplingRejection(error: GeminiHttpError): boolean {
  return error.status === 400 && /temperature|top_?p|top_?k|sampling/i.test(error.message);
}

/** A model that takes no thinking level (or not this one) answers 400 naming the thinking config. */
function isThinkingRejection(error: GeminiHttpError): boolean {
  return error.status === 400 && /thinking/i.test(error.message);
}

function isInvalidKey(error: GeminiHttpError): boolean {
  const reason = detailOfType(error, 'google.rpc.ErrorInfo')?.reason;
  return error.status === 401 || error.status === 403 || reason === 'API_KEY_INVALID' || /API key not valid/i.test(error.message);
}

type Classified =
  | { action: 'retry'; failure: Failure }
  | { action: 'stop'; failure: Failure }
  | { action: 'drop_sampling' }
  | { action: 'drop_thinking' };

function classifyError(error: unknown, model: string, nowMs: number): Classified {
  const httpError = error instanceof GeminiHttpError ? error : new GeminiHttpError(String(error), 0);
  const { status, message } = httpError;
  if (status === 404) {
    return {
      action: 'stop',
      failure: notConfigured(
        `Gemini model "${model}" is not available: ${message}`,
        geminiModelUnavailable(model, DEFAULT_INTENT_MODEL, DEFAULT_PLANNER_MODEL),
      ),
    };
  }
  if (isInvalidKey(httpError)) {
    return {
      action: 'stop',
      failure: notConfigured(
        `Gemini rejected the API key (${status}): ${message}`,
        geminiKeyRejected(status, message),
      ),
    };
  }
  if (isSamplingRejection(httpError)) return { action: 'drop_sampling' };
  if (isThinkingRejection(httpError)) return { action: 'drop_thinking' };
  if (status === 429 && isPerDayQuota(httpError)) {
    return {
      action: 'stop',
      failure: {
        kind: 'quota_exhausted',
        retryable: true,
        retryAfterMs: msUntilQuotaReset(new Date(nowMs)),
        message: `Gemini daily quota exhausted: ${message}`,
        userMessage: USER_MESSAGES.quota_exhausted,
      },
    };
  }
  if (status === 429) {
    const retryAfterMs = parseDurationMs(detailOfType(httpError, 'google.rpc.RetryInfo')?.retryDelay);
    return {
      action: 'retry',
      failure: { kind: 'rate_limited', retryable: true, retryAfterMs, message: `Gemini rate limit: ${message}`, userMessage: USER_MESSAGES.rate_limited },
    };
  }
  if (TRANSIENT_STATUSES.has(status)) {
    return {
      action: 'retry',
      failure: { kind: 'unavailable', retryable: true, message: `Gemini unavailable (${status || 'no response'}): ${message}`, userMessage: USER_MESSAGES.unavailable },
    };
  }
  return {
    action: 'stop',
    failure: { kind: 'invalid_request', retryable: false, message: `Gemini rejected the request (${status}): ${message}`, userMessage: USER_MESSAGES.invalid_request },
  };
}

/** Only the owner can fix it; the message waits, its attempts untouched, and is drafted once it works. */
function notConfigured(message: string, ownerMessage: string): Failure {
  return {
    kind: 'gemini_not_configured',
    retryable: true,
    keepsAttempt: true,
    retryAfterMs: NOT_CONFIGURED_RETRY_MS,
    message,
    userMessage: USER_MESSAGES.gemini_not_configured,
    ownerMessage: setupProblemNotice(ownerMessage),
  };
}

interface SendState {
  temperature: number | null;
  thinkingLevel: GeminiThinkingLevel | null;
  samplingDropped: boolean;
  thinkingDropped: boolean;
  usage: Usage | null;
}

/** Sends one request, retrying transient failures within the policy's time budget. */
async function sendWithRetries(
  generate: GenerateFn,
  request: Omit<GenerateRequest, 'temperature' | 'thinkingLevel'>,
  state: SendState,
  policy: CallPolicy,
): Promise<{ ok: true; response: RawResponse } | { ok: false; failure: Failure }> {
  const startedAt = policy.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await generate({ ...request, temperature: state.temperature, thinkingLevel: state.thinkingLevel });
      state.usage = addUsage(state.usage, response);
      return { ok: true, response };
    } catch (error) {
      const classified = classifyError(error, request.model, policy.now());
      if (classified.action === 'drop_thinking') {
        if (state.thinkingLevel === null) return { ok: false, failure: classifyAsInvalidRequest(error) };
        state.thinkingLevel = null;
        state.thinkingDropped = true;
        attempt--; // not a transient failure: does not use up a retry
        continue;
      }
      if (classified.action === 'drop_sampling') {
        if (state.temperature === null) {
          return { ok: false, failure: classifyAsInvalidRequest(error) };
        }
        state.temperature = null;
        state.samplingDropped = true;
        attempt--; // not a transient failure: does not use up a retry
        continue;
      }
      if (classified.action === 'stop') return { ok: false, failure: classified.failure };
      // The server's hint, when given, replaces the backoff; the time budget bounds both.
      const delayMs = Math.round(classified.failure.retryAfterMs ?? backoffDelayMs(policy, attempt + 1, policy.random()));
      if (policy.now() - startedAt + delayMs > policy.retryBudgetMs) {
        return { ok: false, failure: { ...classified.failure, retryAfterMs: Math.max(delayMs, policy.baseDelayMs) } };
      }
      await policy.sleep(delayMs);
    }
  }
}

function classifyAsInvalidRequest(error: unknown): Failure {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'invalid_request', retryable: false, message: `Gemini rejected the request: ${message}`, userMessage: USER_MESSAGES.invalid_request };
}

export async function callStructured<T>(input: StructuredCallInput<T>): Promise<StructuredResult<T>> {
  const policy: CallPolicy = { ...DEFAULT_CALL_POLICY, ...input.policy };
  const startedAt = policy.now();
  const state: SendState = {
    temperature: input.temperature,
    thinkingLevel: input.thinkingLevel ?? null,
    samplingDropped: false,
    thinkingDropped: false,
    usage: null,
  };
  const stats = (): CallStats => ({
    usage: state.usage,
    latencyMs: Math.max(0, Math.round(policy.now() - startedAt)),
    samplingDropped: state.samplingDropped,
    thinkingDropped: state.thinkingDropped,
    model: input.model,
  });

  let prompt = input.prompt;
  let lastProblem: { kind: 'invalid' | 'blocked'; reason: string } | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    const sent = await sendWithRetries(
      input.generate,
      { model: input.model, systemInstruction: input.systemInstruction, prompt, responseSchema: input.schema, ...(input.media?.length ? { media: input.media } : {}) },
      state,
      policy,
    );
    if (!sent.ok) return { ok: false, failure: sent.failure, ...stats() };
    const interpreted = interpretResponse(sent.response);
    if (interpreted.kind === 'json') {
      const checked = input.check(interpreted.value);
      if ('value' in checked) return { ok: true, value: checked.value, repaired: attempt > 0, ...stats() };
      lastProblem = { kind: 'invalid', reason: `the answer does not match the schema: ${checked.errors.join('; ')}` };
    } else {
      lastProblem = interpreted;
    }
    prompt = buildRepairPrompt(input.prompt, lastProblem.reason, lastProblem.kind === 'blocked');
  }
  const problem = lastProblem!;
  const failure: Failure =
    problem.kind === 'blocked'
      ? { kind: 'blocked', retryable: false, message: `Gemini blocked the request: ${problem.reason}`, userMessage: USER_MESSAGES.blocked }
      : { kind: 'invalid_response', retryable: false, message: `Gemini's answer was unusable after one repair attempt: ${problem.reason}`, userMessage: USER_MESSAGES.invalid_response };
  return { ok: false, failure, ...stats() };
}
