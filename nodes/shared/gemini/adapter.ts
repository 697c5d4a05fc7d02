// The one place that knows about the Gemini SDK (@google/genai). Everything else talks to a
// GenerateFn that takes our request shape and returns Gemini's raw REST response, so the
// SDK can be swapped (or replaced by plain fetch) here alone.
import { ApiError, GoogleGenAI } from '@google/genai';
import type { GenerateContentConfig, ThinkingConfig, ThinkingLevel } from '@google/genai';
import { toJsonSchema } from './schemas';
import type { SchemaNode } from './schemas';

export const DEFAULT_GEMINI_HOST = 'https://generativelanguage.googleapis.com';
/** The REST version the Gemini API serves generateContent, thinking and responseJsonSchema under. */
export const GEMINI_API_VERSION = 'v1beta';
/** One HTTP call may take this long before it counts as "unavailable". */
export const GEMINI_REQUEST_TIMEOUT_MS = 30_000;

export interface GeminiConnection {
  apiKey: string;
  /** Base URL without the API version, e.g. https://generativelanguage.googleapis.com or an emulator. */
  host?: string;
  requestTimeoutMs?: number;
}

/** Gemini 3's thinking levels, as the REST API spells them. */
export const THINKING_LEVELS = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type GeminiThinkingLevel = (typeof THINKING_LEVELS)[number];

/** A file sent with the prompt, inline (Gemini's inlineData part): a voice note, an audio file, an image. */
export interface InlineMedia {
  mimeType: string;
  /** The file's bytes, base64-encoded, as inlineData.data carries them. */
  base64: string;
}

export interface GenerateRequest {
  model: string;
  systemInstruction: string;
  prompt: string;
  /** Files sent before the prompt in the same user turn (Gemini's advice for one file and a question about it). */
  media?: InlineMedia[];
  responseSchema: SchemaNode;
  /** null leaves sampling to the model's defaults (the current generation deprecates it). */
  temperature: number | null;
  /** null leaves thinking to the model's default. */
  thinkingLevel: GeminiThinkingLevel | null;
  maxOutputTokens?: number;
}

/** The parts of Gemini's generateContent response we read, as the REST API returns them. */
export interface RawPart {
  text?: string;
  thought?: boolean;
}
export interface RawCandidate {
  content?: { parts?: RawPart[] };
  finishReason?: string;
}
export interface RawUsage {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
}
export interface RawResponse {
  candidates?: RawCandidate[];
  promptFeedback?: { blockReason?: string };
  usageMetadata?: RawUsage;
  modelVersion?: string;
}

export type GenerateFn = (request: GenerateRequest) => Promise<RawResponse>;

/** A failed call, reduced to what call.ts needs to classify it. status 0 = no HTTP answer. */
export class GeminiHttpError extends Error {
  readonly status: number;
  readonly details: Array<Record<string, unknown>>;
  constructor(message: string, status: number, details: Array<Record<string, unknown>> = []) {
    super(message);
    this.name = 'GeminiHttpError';
    this.status = status;
    this.details = details;
  }
}

export function normalizeHost(host: string | undefined): string {
  const trimmed = (host ?? '').trim().replace(/\/+$/, '');
  return trimmed || DEFAULT_GEMINI_HOST;
}

/** The SDK's ApiError carries the API's error body as JSON text: {error: {code, message, status, details}}. */
function fromApiError(error: ApiError): GeminiHttpError {
  try {
    const body = JSON.parse(error.message) as { error?: { message?: unknown; details?: unknown } };
    const details = Array.isArray(body.error?.details) ? (body.error.details as Array<Record<string, unknown>>) : [];
    const message = typeof body.error?.message === 'string' ? body.error.message : error.message;
    return new GeminiHttpError(message, error.status, details);
  } catch {
    return new GeminiHttpError(error.message, error.status);
  }
}

function toHttpError(error: unknown, timedOut: boolean): GeminiHttpError {
  if (error instanceof ApiError) return fromApiError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new GeminiHttpError(timedOut ? `Gemini did not answer in time (${message})` : message, 0);
}

export function createGenerate(connection: GeminiConnection): GenerateFn {
  const client = new GoogleGenAI({
    apiKey: connection.apiKey,
    // Explicit, so GOOGLE_GENAI_USE_VERTEXAI or GOOGLE_GEMINI_BASE_URL in n8n's environment cannot redirect the key.
    vertexai: false,
    apiVersion: GEMINI_API_VERSION,
    // No retryOptions: the SDK then sends each request once, and call.ts alone decides on
    // retries (bounded, honouring RetryInfo, the daily quota apart).
    // Our own fetch: the SDK's default wires an undici dispatcher found on the process global,
    // which a sandboxed context (a vm, as in jest) does not see; our timer bounds each call anyway.
    httpOptions: { baseUrl: normalizeHost(connection.host), apiVersion: GEMINI_API_VERSION, fetch: (input, init) => fetch(input, init) },
  });
  const timeoutMs = connection.requestTimeoutMs ?? GEMINI_REQUEST_TIMEOUT_MS;

  return async (request) => {
    // Our own timer rather than httpOptions.timeout, so the abort is ours to tell apart and the
    // timer is always cleared.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const config: GenerateContentConfig = {
      systemInstruction: request.systemInstruction,
      responseMimeType: 'application/json',
      responseJsonSchema: toJsonSchema(request.responseSchema),
      abortSignal: controller.signal,
    };
    if (request.temperature !== null) config.temperature = request.temperature;
    if (request.maxOutputTokens) config.maxOutputTokens = request.maxOutputTokens;
    if (request.thinkingLevel !== null) {
      const thinkingConfig: ThinkingConfig = { thinkingLevel: request.thinkingLevel as ThinkingLevel, includeThoughts: false };
      config.thinkingConfig = thinkingConfig;
    }
    try {
      const response = await client.models.generateContent({
        model: request.model,
        contents: [
          {
            role: 'user',
            parts: [...(request.media ?? []).map((file) => ({ inlineData: { mimeType: file.mimeType, data: file.base64 } })), { text: request.prompt }],
          },
        ],
        config,
      });
      return response as unknown as RawResponse;
    } catch (error) {
      throw toHttpError(error, timedOut);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The data of n8n's built-in Google Gemini (PaLM) API credential, `googlePalmApi`; null without an API key. */
export function connectionFromCredential(data: Record<string, unknown>): GeminiConnection | null {
  const apiKey = typeof data.apiKey === 'string' ? data.apiKey.trim() : '';
  if (!apiKey) return null;
  return { apiKey, host: typeof data.host === 'string' ? data.host : undefined };
}
