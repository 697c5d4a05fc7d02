// A local stand-in for the Gemini REST API (generativelanguage.googleapis.com), for tests and
// the local playground. It speaks the real shapes: POST /v1beta/models/{model}:generateContent,
// the key in the `x-goog-api-key` header (or ?key=), answers as {candidates, usageMetadata,
// promptFeedback} and errors as {error: {code, message, status, details}}.
//
// Self-contained on purpose: node: built-ins only and erasable TypeScript (no enums,
// namespaces or parameter properties), so it also runs under `node --experimental-strip-types`.
//
// Scripting, in the order the emulator applies it to each request:
//   1. the API key check (`apiKey` option; null accepts any key),
//   2. models marked gone (`markModelGone`) and models not in the catalog answer 404: the
//      catalog holds current Gemini 3 models (see GEMINI_MODELS) plus any `addModel(...)`;
//      the 2.0 and 2.5 families are shut down and not in it,
//   3. the request's size (20 MB with inline files) and its shape as the v1beta API checks it:
//      unknown fields (also in parts and inlineData), inline data that is not base64 or of a type
//      Gemini does not read (GEMINI_MEDIA_MIME_TYPES), responseSchema together
//      with responseJsonSchema, responseJsonSchema without the JSON mime type or with keywords
//      outside Gemini's JSON Schema subset, thinkingLevel together with thinkingBudget, or a
//      thinking level the model does not offer, all answer 400 INVALID_ARGUMENT,
//   4. models that reject sampling parameters (`rejectSamplingFor`) answer 400 when the
//      request sets temperature/topP/topK,
//   5. the queue of one-off responses (`enqueue(...)`, first in first out),
//   6. the handler (`setHandler(fn)`), which sees every request; default: 500 "nothing scripted".
// `geminiResponses` builds the named faults (thought parts, malformed JSON, MAX_TOKENS, safety
// block, 429 with RetryInfo, 503, 404 model gone, per-day quota, bad key ...).
//
// End-to-end tests that need a conversation rather than one canned answer use
// `scriptedAssistantResponder()` from ./geminiScripted (see the comment there):
//   const gemini = await startGeminiEmulator({ apiKey: 'test-key' });
//   gemini.setHandler(scriptedAssistantResponder());
//   // googlePalmApi credential data: { host: gemini.url, apiKey: 'test-key' }
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /v1beta/models/gemini-3.1-flash-lite:generateContent */
  path: string;
  /** The model named in the path, or null for other routes. */
  model: string | null;
  /** The key from x-goog-api-key or ?key=, or null. */
  apiKey: string | null;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body (null if the body is not JSON). */
  body: any;
  /** The user turns' text parts joined with newlines. */
  promptText: string;
  /** systemInstruction's text parts joined with newlines. */
  systemText: string;
  /** The user turns' inline files (inlineData parts), decoded. */
  media: Array<{ mimeType: string; bytes: Buffer }>;
  generationConfig: Record<string, any>;
  receivedAt: number;
}

export interface EmulatorResponse {
  status?: number;
  /** JSON-serialised unless rawBody is given. */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (to test timeouts). */
  delayMs?: number;
}

export type EmulatorHandler = (request: RecordedRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface GeminiEmulatorOptions {
  /** The only key accepted; null accepts any non-empty key. Default 'test-key'. */
  apiKey?: string | null;
  handler?: EmulatorHandler;
}

const ALL_THINKING_LEVELS = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];
/**
 * Models the emulator serves and the thinking levels each takes (ai.google.dev model pages as
 * of 2026-12: Flash-Lite and 3.5/3.6 Flash take all four, 3.7/3.8 Flash and 3.1 Pro no MINIMAL).
 * An empty list: a model without thinking levels (it would take a thinkingBudget).
 */
export const GEMINI_MODELS: Record<string, string[]> = {
  'gemini-3.1-flash-lite': ALL_THINKING_LEVELS,
  'gemini-3.5-flash-lite': ALL_THINKING_LEVELS,
  'gemini-3.5-flash': ALL_THINKING_LEVELS,
  'gemini-3.6-flash': ALL_THINKING_LEVELS,
  'gemini-3.7-flash': ['LOW', 'MEDIUM', 'HIGH'],
  'gemini-3.8-flash': ['LOW', 'MEDIUM', 'HIGH'],
  'gemini-3-flash-preview': ALL_THINKING_LEVELS,
  'gemini-3.1-pro-preview': ['LOW', 'MEDIUM', 'HIGH'],
};

const REQUEST_FIELDS = new Set(['contents', 'systemInstruction', 'generationConfig', 'safetySettings', 'tools', 'toolConfig', 'cachedContent']);
const GENERATION_CONFIG_FIELDS = new Set([
  'responseMimeType', 'responseSchema', 'responseJsonSchema', 'temperature', 'topP', 'topK', 'maxOutputTokens', 'candidateCount',
  'stopSequences', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs', 'logprobs', 'thinkingConfig',
  'responseModalities', 'mediaResolution', 'speechConfig',
]);
const THINKING_CONFIG_FIELDS = new Set(['thinkingLevel', 'thinkingBudget', 'includeThoughts']);
/** The JSON Schema keywords Gemini's responseJsonSchema accepts (its documented subset). */
const JSON_SCHEMA_KEYWORDS = new Set([
  '$id', '$defs', '$ref', '$anchor', 'type', 'format', 'title', 'description', 'enum', 'items', 'prefixItems', 'minItems', 'maxItems',
  'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'anyOf', 'oneOf', 'properties', 'additionalProperties', 'required',
  'propertyOrdering',
]);

/** The inline file types Gemini understands (ai.google.dev: audio and image understanding). */
export const GEMINI_MEDIA_MIME_TYPES = new Set([
  'audio/wav', 'audio/mp3', 'audio/mpeg', 'audio/aiff', 'audio/aac', 'audio/ogg', 'audio/flac',
  'image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif',
]);
/** A request with inline data may be this big at most. */
export const GEMINI_REQUEST_LIMIT_BYTES = 20 * 1024 * 1024;
const PART_FIELDS = new Set(['text', 'inlineData', 'fileData', 'thought', 'thoughtSignature', 'functionCall', 'functionResponse', 'videoMetadata', 'executableCode', 'codeExecutionResult']);

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function errorBody(code: number, message: string, details: unknown[] = []): EmulatorResponse {
  return { status: code, body: { error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN', details } } };
}

function candidate(parts: Array<Record<string, unknown>>, finishReason: string): Record<string, unknown> {
  return { content: { parts, role: 'model' }, finishReason, index: 0 };
}

function success(candidates: unknown[], extra: Record<string, unknown> = {}): EmulatorResponse {
  return { status: 200, body: { candidates, ...extra } };
}

const SAFETY_RATINGS = [
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
];

/** Builders for what the real API answers, success and failure alike. */
export const geminiResponses = {
  /** A normal structured-output answer. */
  json(value: unknown): EmulatorResponse {
    return success([candidate([{ text: JSON.stringify(value) }], 'STOP')]);
  },
  /** Gemini Intent › Read Media's answer: a voice note's transcript (its summary the same). */
  transcript(text: string): EmulatorResponse {
    return success([candidate([{ text: JSON.stringify({ text, summary: text, nothing_found: false }) }], 'STOP')]);
  },
  /** Read Media's answer for a photo: what it shows, and its one line. */
  mediaRead(text: string, summary: string): EmulatorResponse {
    return success([candidate([{ text: JSON.stringify({ text, summary, nothing_found: false }) }], 'STOP')]);
  },
  /** Read Media's answer for silence or an unreadable image. */
  nothingFound(): EmulatorResponse {
    return success([candidate([{ text: JSON.stringify({ text: '', summary: '', nothing_found: true }) }], 'STOP')]);
  },
  /** The answer split into several text parts (models stream JSON in chunks). */
  splitJson(value: unknown, pieces = 3): EmulatorResponse {
    const text = JSON.stringify(value);
    const size = Math.ceil(text.length / pieces);
    const parts = Array.from({ length: pieces }, (_, i) => ({ text: text.slice(i * size, (i + 1) * size) })).filter((p) => p.text);
    return success([candidate(parts, 'STOP')]);
  },
  /** A thinking model's answer: thought summaries (thought: true) before the JSON. */
  thoughtParts(value: unknown, thought = 'The user wants a task. {"title": "not this"} Let me think about the date.'): EmulatorResponse {
    return success([candidate([{ text: thought, thought: true }, { text: JSON.stringify(value) }], 'STOP')], {
      usageMetadata: { promptTokenCount: 120, candidatesTokenCount: 40, thoughtsTokenCount: 25, totalTokenCount: 185 },
    });
  },
  /** Raw text as the answer, e.g. not JSON at all. */
  text(text: string, finishReason = 'STOP'): EmulatorResponse {
    return success([candidate([{ text }], finishReason)]);
  },
  malformedJson(): EmulatorResponse {
    return success([candidate([{ text: '{"title": "Buy milk", "due_date": 2026-11-26, notes: }' }], 'STOP')]);
  },
  /** Output cut off at maxOutputTokens: truncated JSON and finishReason MAX_TOKENS. */
  maxTokens(value: unknown = { title: 'Plan the party', notes: 'A very long plan' }): EmulatorResponse {
    const text = JSON.stringify(value);
    return success([candidate([{ text: text.slice(0, Math.max(1, Math.floor(text.length * 0.6))) }], 'MAX_TOKENS')]);
  },
  /** The answer was withheld by the safety filters. */
  safetyBlock(): EmulatorResponse {
    return success([{ finishReason: 'SAFETY', index: 0, safetyRatings: SAFETY_RATINGS }]);
  },
  /** The prompt itself was blocked: no candidates, promptFeedback.blockReason. */
  promptBlocked(blockReason = 'SAFETY'): EmulatorResponse {
    return { status: 200, body: { promptFeedback: { blockReason, safetyRatings: SAFETY_RATINGS } } };
  },
  /** 429 per-minute rate limit with google.rpc.RetryInfo. */
  rateLimited(retryDelay = '2s'): EmulatorResponse {
    return errorBody(429, 'Resource has been exhausted (e.g. check quota).', [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', quotaValue: '15' }],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
    ]);
  },
  /** 429 because the per-day quota is used up (Google still sends a short RetryInfo). */
  quotaExhaustedPerDay(model = 'gemini-3.1-flash-lite'): EmulatorResponse {
    return errorBody(429, 'You exceeded your current quota, please check your plan and billing details.', [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
            quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
            quotaDimensions: { location: 'global', model },
            quotaValue: '1000',
          },
        ],
      },
      { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '21s' },
    ]);
  },
  unavailable(status = 503): EmulatorResponse {
    const message = status === 504 ? 'Deadline expired before operation could complete.' : status === 500 ? 'An internal error has occurred.' : 'The model is overloaded. Please try again later.';
    return errorBody(status, message);
  },
  modelGone(model: string): EmulatorResponse {
    return errorBody(404, `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`);
  },
  samplingRejected(parameter = 'temperature'): EmulatorResponse {
    return errorBody(400, `Unsupported parameter: '${parameter}' is not supported with this model.`);
  },
  invalidApiKey(): EmulatorResponse {
    return errorBody(400, 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
    ]);
  },
  error(code: number, message: string, details: unknown[] = []): EmulatorResponse {
    return errorBody(code, message, details);
  },
};

function unknownField(name: string, at: string): EmulatorResponse {
  return errorBody(400, `Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`, [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: at ? `${at}.${name}` : name, description: `Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.` }] },
  ]);
}

function jsonSchemaProblem(schema: any, path: string): string | null {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return `${path} must be a schema object`;
  for (const key of Object.keys(schema)) {
    if (!JSON_SCHEMA_KEYWORDS.has(key)) return `${path}.${key} is not a supported JSON Schema keyword`;
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const problem = jsonSchemaProblem(child, `${path}.properties.${key}`);
    if (problem) return problem;
  }
  if (schema.items !== undefined) return jsonSchemaProblem(schema.items, `${path}.items`);
  return null;
}

/** What the v1beta API refuses before any model runs; null when the request is well formed. */
export function requestShapeProblem(body: any, thinkingLevels: string[]): EmulatorResponse | null {
  if (body === null || typeof body !== 'object') return errorBody(400, 'Invalid JSON payload received.');
  for (const key of Object.keys(body)) if (!REQUEST_FIELDS.has(key)) return unknownField(key, '');
  const contents = Array.isArray(body.contents) ? body.contents : [];
  for (const [c, content] of contents.entries()) {
    for (const [p, part] of (Array.isArray(content?.parts) ? content.parts : []).entries()) {
      const at = `contents[${c}].parts[${p}]`;
      for (const key of Object.keys(part ?? {})) if (!PART_FIELDS.has(key)) return unknownField(key, at);
      if (part?.inlineData === undefined) continue;
      const { mimeType, data } = part.inlineData ?? {};
      for (const key of Object.keys(part.inlineData ?? {})) if (!['mimeType', 'data'].includes(key)) return unknownField(key, `${at}.inline_data`);
      if (typeof data !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) {
        return errorBody(400, `Invalid value at '${at}.inline_data.data' (TYPE_BYTES), Base64 decoding failed for "${String(data).slice(0, 20)}"`);
      }
      if (typeof mimeType !== 'string' || !mimeType) return errorBody(400, `${at}.inline_data: mime_type is required.`);
      if (!GEMINI_MEDIA_MIME_TYPES.has(mimeType.toLowerCase())) return errorBody(400, `Unsupported MIME type: ${mimeType}`);
    }
  }
  const config = body.generationConfig ?? {};
  for (const key of Object.keys(config)) if (!GENERATION_CONFIG_FIELDS.has(key)) return unknownField(key, 'generation_config');
  if (config.responseSchema !== undefined && config.responseJsonSchema !== undefined) {
    return errorBody(400, 'responseSchema and responseJsonSchema cannot both be set; use only one of them.');
  }
  if ((config.responseSchema !== undefined || config.responseJsonSchema !== undefined) && config.responseMimeType !== 'application/json') {
    return errorBody(400, 'A response schema requires responseMimeType "application/json".');
  }
  if (config.responseJsonSchema !== undefined) {
    const problem = jsonSchemaProblem(config.responseJsonSchema, 'response_json_schema');
    if (problem) return errorBody(400, `Invalid responseJsonSchema: ${problem}.`);
  }
  const thinking = config.thinkingConfig;
  if (thinking !== undefined) {
    for (const key of Object.keys(thinking ?? {})) if (!THINKING_CONFIG_FIELDS.has(key)) return unknownField(key, 'generation_config.thinking_config');
    if (thinking.thinkingLevel !== undefined && thinking.thinkingBudget !== undefined) {
      return errorBody(400, 'thinking_level and thinking_budget cannot be used in the same request.');
    }
    if (thinking.thinkingLevel !== undefined) {
      const level = String(thinking.thinkingLevel).toUpperCase();
      if (!ALL_THINKING_LEVELS.includes(level)) {
        return errorBody(400, `Invalid value at 'generation_config.thinking_config.thinking_level' (type.googleapis.com/google.ai.generativelanguage.v1beta.ThinkingConfig.ThinkingLevel), "${thinking.thinkingLevel}"`);
      }
      if (!thinkingLevels.includes(level)) {
        return errorBody(400, thinkingLevels.length
          ? `Thinking level ${level} is not supported for this model. Supported thinking levels: ${thinkingLevels.join(', ')}.`
          : 'Thinking level is not supported for this model; use thinking_budget instead.');
      }
    }
  }
  return null;
}

function mediaOf(content: any): Array<{ mimeType: string; bytes: Buffer }> {
  const parts = Array.isArray(content?.parts) ? content.parts : [];
  return parts
    .filter((part: any) => typeof part?.inlineData?.data === 'string')
    .map((part: any) => ({ mimeType: String(part.inlineData.mimeType ?? ''), bytes: Buffer.from(part.inlineData.data, 'base64') }));
}

function textOf(content: any): string {
  const parts = Array.isArray(content?.parts) ? content.parts : [];
  return parts.map((part: any) => (typeof part?.text === 'string' ? part.text : '')).join('\n');
}

/** Rough token count (about four characters per token), so usage figures are plausible. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export class GeminiEmulator {
  url = '';
  readonly requests: RecordedRequest[] = [];
  apiKey: string | null;
  /**
   * How a wrong key is answered: 400 API_KEY_INVALID (an unknown key), or 403 PERMISSION_DENIED
   * (a real key this project may not use: the API disabled, the key restricted or suspended).
   */
  wrongKeyStatus: 400 | 403 = 400;
  private readonly goneModels = new Set<string>();
  private readonly models = new Map<string, string[]>(Object.entries(GEMINI_MODELS));
  private readonly samplingRejectingModels = new Set<string>();
  private readonly queue: EmulatorResponse[] = [];
  private handler: EmulatorHandler | null;
  private server: http.Server | null = null;
  /** Pending response delays, cancelled by stop() so no timer outlives the emulator. */
  private readonly delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  constructor(options: GeminiEmulatorOptions = {}) {
    this.apiKey = options.apiKey === undefined ? 'test-key' : options.apiKey;
    this.handler = options.handler ?? null;
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 500, message: `emulator failure: ${String(error)}`, status: 'INTERNAL' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const delay of this.delays) {
      clearTimeout(delay.timer);
      delay.resolve();
    }
    this.delays.clear();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** One-off responses, used in order before the handler. */
  enqueue(...responses: EmulatorResponse[]): this {
    this.queue.push(...responses);
    return this;
  }

  setHandler(handler: EmulatorHandler | null): this {
    this.handler = handler;
    return this;
  }

  markModelGone(model: string): this {
    this.goneModels.add(model);
    return this;
  }

  /** Serves one more model (e.g. a 2.5 one that takes no thinking levels: `addModel('gemini-2.5-flash-lite', [])`). */
  addModel(model: string, thinkingLevels: string[] = ALL_THINKING_LEVELS): this {
    this.models.set(model, thinkingLevels.map((level) => level.toUpperCase()));
    return this;
  }

  rejectSamplingFor(model: string): this {
    this.samplingRejectingModels.add(model);
    return this;
  }

  /** Forgets recorded requests, queued responses and fault settings (keeps the server running). */
  reset(): this {
    this.requests.length = 0;
    this.queue.length = 0;
    this.goneModels.clear();
    this.samplingRejectingModels.clear();
    this.models.clear();
    for (const [model, levels] of Object.entries(GEMINI_MODELS)) this.models.set(model, levels);
    this.handler = null;
    return this;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    let body: any = null;
    try {
      body = rawBody ? JSON.parse(rawBody) : null;
    } catch {
      body = null;
    }
    const headerKey = req.headers['x-goog-api-key'];
    const model = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(url.pathname)?.[1] ?? null;
    const contents = Array.isArray(body?.contents) ? body.contents : [];
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      model: model ? decodeURIComponent(model) : null,
      apiKey: (Array.isArray(headerKey) ? headerKey[0] : headerKey) ?? url.searchParams.get('key'),
      headers: req.headers,
      rawBody,
      body,
      promptText: contents.filter((c: any) => c?.role !== 'model').map(textOf).join('\n'),
      systemText: textOf(body?.systemInstruction),
      media: contents.filter((c: any) => c?.role !== 'model').flatMap(mediaOf),
      generationConfig: body?.generationConfig ?? {},
      receivedAt: Date.now(),
    };
    this.requests.push(recorded);
    const response = await this.respond(recorded);
    if (response.delayMs) await this.wait(response.delayMs);
    if (res.destroyed) return;
    let payload = response.rawBody;
    if (payload === undefined) {
      const answer = response.body as Record<string, any> | undefined;
      // Success answers get usage figures from the actual request and answer sizes.
      if (answer && (answer.candidates || answer.promptFeedback) && !answer.usageMetadata) {
        // Audio and images cost tokens too (Gemini: 32 per second of audio, 258 per image tile); roughly by size here.
        const mediaTokens = recorded.media.reduce((sum, file) => sum + (file.mimeType.startsWith('image/') ? 258 : Math.max(32, Math.ceil(file.bytes.length / 500))), 0);
        const promptTokenCount = estimateTokens(recorded.promptText + recorded.systemText) + mediaTokens;
        const candidatesTokenCount = estimateTokens(JSON.stringify(answer.candidates ?? ''));
        answer.usageMetadata = { promptTokenCount, candidatesTokenCount, totalTokenCount: promptTokenCount + candidatesTokenCount };
      }
      if (answer && answer.candidates && !answer.modelVersion) answer.modelVersion = recorded.model;
      payload = JSON.stringify(answer ?? {});
    }
    res.writeHead(response.status ?? 200, { 'content-type': 'application/json; charset=UTF-8', ...response.headers });
    res.end(payload);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const delay = {
        timer: setTimeout(() => {
          this.delays.delete(delay);
          resolve();
        }, ms),
        resolve,
      };
      this.delays.add(delay);
    });
  }

  private async respond(request: RecordedRequest): Promise<EmulatorResponse> {
    if (!request.apiKey || (this.apiKey !== null && request.apiKey !== this.apiKey)) {
      return request.apiKey
        ? this.wrongKeyStatus === 403
          ? errorBody(403, 'Permission denied: the API key may not call the Generative Language API (it is restricted or the API is disabled for its project).', [
              { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_SERVICE_BLOCKED', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
            ])
          : geminiResponses.invalidApiKey()
        : errorBody(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    if (request.method !== 'POST' || !request.model) return errorBody(404, `Unknown route ${request.method} ${request.path}`);
    const thinkingLevels = this.models.get(request.model);
    if (this.goneModels.has(request.model) || !thinkingLevels) return geminiResponses.modelGone(request.model);
    if (Buffer.byteLength(request.rawBody) > GEMINI_REQUEST_LIMIT_BYTES) {
      return errorBody(400, `Request payload size exceeds the limit: ${GEMINI_REQUEST_LIMIT_BYTES} bytes.`);
    }
    const malformed = requestShapeProblem(request.body, thinkingLevels);
    if (malformed) return malformed;
    if (this.samplingRejectingModels.has(request.model)) {
      const sampling = ['temperature', 'topP', 'topK'].find((key) => request.generationConfig[key] !== undefined);
      if (sampling) return geminiResponses.samplingRejected(sampling);
    }
    const queued = this.queue.shift();
    if (queued) return structuredClone(queued);
    if (this.handler) return this.handler(request);
    return errorBody(500, 'GeminiEmulator: nothing scripted for this request');
  }
}

export async function startGeminiEmulator(options: GeminiEmulatorOptions = {}): Promise<GeminiEmulator> {
  return new GeminiEmulator(options).start();
}
