// The one place that knows about @google/generative-ai. Everything else talks to a
// GenerateFn that takes our request shape and returns Gemini's raw REST response, so the
// SDK can be swapped (or replaced by plain fetch) here alone.
import { GoogleGenerativeAI, GoogleGenerativeAIFetchError } from '@google/generative-ai';
import type { GenerationConfig, ResponseSchema } from '@google/generative-ai';
import type { SchemaNode } from './schemas';

export const DEFAULT_GEMINI_HOST = 'https://generativelanguage.googleapis.com';
/** One HTTP call may take this long before it counts as "unavailable". */
export const GEMINI_REQUEST_TIMEOUT_MS = 30_000;

export interface GeminiConnection {
  apiKey: string;
  /** Base URL without the API version, e.g. https://generativelanguage.googleapis.com or an emulator. */
  host?: string;
  requestTimeoutMs?: number;
}

export interface GenerateRequest {
  model: string;
  systemInstruction: string;
  prompt: string;
  responseSchema: SchemaNode;
  /** null leaves sampling to the model's defaults (some newer models reject it). */
  temperature: number | null;
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

/** A failed call, reduced to what retry.ts needs to classify it. status 0 = no HTTP answer. */
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

function toHttpError(error: unknown, timedOut: boolean): GeminiHttpError {
  if (error instanceof GoogleGenerativeAIFetchError) {
    // The SDK prefixes the API's message with the URL and status; keep only the API's words.
    const apiMessage = error.message.replace(/^.*?\] /s, '');
    return new GeminiHttpError(apiMessage, error.status ?? 0, (error.errorDetails ?? []) as unknown as Array<Record<string, unknown>>);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GeminiHttpError(timedOut ? `Gemini did not answer in time (${message})` : message, 0);
}

export function createGenerate(connection: GeminiConnection): GenerateFn {
  const client = new GoogleGenerativeAI(connection.apiKey);
  const baseUrl = normalizeHost(connection.host);
  const timeoutMs = connection.requestTimeoutMs ?? GEMINI_REQUEST_TIMEOUT_MS;

  return async (request) => {
    const generationConfig: GenerationConfig = {
      responseMimeType: 'application/json',
      responseSchema: request.responseSchema as unknown as ResponseSchema,
    };
    if (request.temperature !== null) generationConfig.temperature = request.temperature;
    if (request.maxOutputTokens) generationConfig.maxOutputTokens = request.maxOutputTokens;
    const model = client.getGenerativeModel(
      { model: request.model, systemInstruction: request.systemInstruction, generationConfig },
      { baseUrl },
    );
    // Our own timer instead of the SDK's `timeout`, which never clears its setTimeout.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const result = await model.generateContent(
        { contents: [{ role: 'user', parts: [{ text: request.prompt }] }] },
        { signal: controller.signal },
      );
      return result.response as unknown as RawResponse;
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
