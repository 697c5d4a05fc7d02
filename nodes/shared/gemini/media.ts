// Gemini Intent's "Read Media": a voice note or audio file becomes its transcript, a photo what it
// shows and says, so that Workflow A can go on as for typed text (intent, planner, card). The
// file goes to Gemini inline, once; nothing here keeps it. Without Gemini nothing reads files:
// the result says so, and the workflow tells the user.
import { TELEGRAM_DOWNLOAD_LIMIT_BYTES, type MediaKind, MEDIA_KINDS, MEDIA_SUMMARY_MAX_CHARS, TELEGRAM_TEXT_LIMIT } from '../contracts';
import { InputError } from '../errors';
import { mediaFailed, mediaNeedsGemini, mediaNothingFound, mediaTooBig, PHOTO_TEXT_LABEL } from '../messages/media';
import type { Failure, ReadMediaOutcome } from '../outcome';
import { clipText } from '../text';
import type { GenerateFn, GeminiThinkingLevel } from './adapter';
import { callStructured } from './call';
import type { CallPolicy, Checked, Usage } from './call';
import { assertRunsWithoutCredential, type FallbackMode } from './options';
import { buildPrompt, MEDIA_SYSTEM_INSTRUCTION } from './prompts';
import { MEDIA_SCHEMA, type MediaReply } from './schemas';
import { validateAgainstSchema } from './validate';

/** The most that is sent inline: what a bot may download from Telegram. */
export const MEDIA_INLINE_LIMIT_BYTES = TELEGRAM_DOWNLOAD_LIMIT_BYTES;

/** Other names of the types Gemini reads, as Telegram or a file's extension may give them, by the name Gemini's documentation uses. */
const GEMINI_TYPE_NAMES: Record<string, string> = {
  'audio/mpeg': 'audio/mp3',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/x-flac': 'audio/flac',
  'audio/x-aiff': 'audio/aiff',
  'audio/x-aac': 'audio/aac',
  'image/jpg': 'image/jpeg',
};

export interface ReadMediaInput {
  kind: MediaKind;
  /** What the file is (e.g. audio/ogg, image/jpeg). */
  mimeType: string;
  /** The text sent with the file ('' for none). */
  caption: string;
  /** The language of the user's Telegram app ('' when unknown). */
  languageCode?: string;
  model: string;
  temperature: number | null;
  thinkingLevel?: GeminiThinkingLevel | null;
  fallback: FallbackMode;
}

export interface ReadMediaDeps {
  /** null when no Gemini credential is configured. */
  generate: GenerateFn | null;
  /** The file's bytes; read only when Gemini is there to read them. */
  file: () => Promise<Uint8Array>;
  policy?: Partial<CallPolicy>;
}

interface Stats {
  usage: Usage | null;
  latencyMs: number;
  model: string | null;
}

export type ReadMediaResult =
  | ({
      ok: true;
      outcome: Extract<ReadMediaOutcome, 'read'>;
      kind: MediaKind;
      /** The message text from here on: the transcript, or what the photo shows (after its caption). */
      text: string;
      /** The card's line after 🎤 / 📷. */
      summary: string;
      source: 'gemini';
      repaired: boolean;
    } & Stats)
  | ({ ok: true; outcome: Extract<ReadMediaOutcome, 'nothing_found' | 'needs_gemini' | 'too_big'>; kind: MediaKind; reply: string } & Stats)
  | ({ ok: false; outcome: Extract<ReadMediaOutcome, 'failed'>; kind: MediaKind; failure: Failure; reply: string } & Stats);

const NO_CALL: Stats = { usage: null, latencyMs: 0, model: null };

function checkMediaReply(parsed: unknown): Checked<MediaReply> {
  const errors = validateAgainstSchema(parsed, MEDIA_SCHEMA);
  return errors.length ? { errors } : { value: parsed as MediaReply };
}

/** The message the rest of the flow reads: a caption comes first, what the file says after it. */
export function mediaMessageText(kind: MediaKind, caption: string, read: string): string {
  const said = read.trim();
  const text = !caption.trim() ? said : kind === 'photo' ? `${caption.trim()}\n\n${PHOTO_TEXT_LABEL} ${said}` : `${caption.trim()}\n${said}`;
  return clipText(text, TELEGRAM_TEXT_LIMIT);
}

export async function readMedia(input: ReadMediaInput, deps: ReadMediaDeps): Promise<ReadMediaResult> {
  const { kind } = input;
  if (!MEDIA_KINDS.includes(kind)) throw new InputError(`Unknown media kind "${String(kind)}"`, `Use one of ${MEDIA_KINDS.join(', ')}.`);
  const given = input.mimeType.trim().toLowerCase();
  const mimeType = GEMINI_TYPE_NAMES[given] ?? given;
  if (!/^(audio|image)\/[\w.+-]+$/.test(mimeType)) throw new InputError(`"${input.mimeType}" is not an audio or image type`, 'Gemini reads audio/* and image/* files, e.g. audio/ogg or image/jpeg.');
  if (input.fallback === 'always') return { ok: true, outcome: 'needs_gemini', kind, reply: mediaNeedsGemini(kind), ...NO_CALL };
  if (!deps.generate) {
    assertRunsWithoutCredential(input.fallback, 'none is configured');
    return { ok: true, outcome: 'needs_gemini', kind, reply: mediaNeedsGemini(kind), ...NO_CALL };
  }
  const bytes = await deps.file();
  if (bytes.byteLength > MEDIA_INLINE_LIMIT_BYTES) return { ok: true, outcome: 'too_big', kind, reply: mediaTooBig(kind), ...NO_CALL };
  if (bytes.byteLength === 0) return { ok: true, outcome: 'nothing_found', kind, reply: mediaNothingFound(kind), ...NO_CALL };
  const caption = input.caption.trim();
  const result = await callStructured({
    generate: deps.generate,
    model: input.model,
    temperature: input.temperature,
    thinkingLevel: input.thinkingLevel ?? null,
    systemInstruction: MEDIA_SYSTEM_INSTRUCTION,
    prompt: buildPrompt({
      request: 'read_media',
      mediaKind: kind,
      ...(input.languageCode?.trim() ? { userLanguage: input.languageCode.trim() } : {}),
      userMessage: caption,
    }),
    media: [{ mimeType, base64: Buffer.from(bytes).toString('base64') }],
    schema: MEDIA_SCHEMA,
    check: checkMediaReply,
    policy: deps.policy,
  });
  const stats: Stats = { usage: result.usage, latencyMs: result.latencyMs, model: result.model };
  if (!result.ok) return { ok: false, outcome: 'failed', kind, failure: result.failure, reply: mediaFailed(kind, result.failure), ...stats };
  const reply = result.value;
  const read = reply.text.trim();
  if (reply.nothing_found || !read) return { ok: true, outcome: 'nothing_found', kind, reply: mediaNothingFound(kind), ...stats };
  // A voice note's line is what was said; a photo's, the model's one line about it.
  const line = kind === 'photo' ? reply.summary.trim() || read : read;
  return {
    ok: true,
    outcome: 'read',
    kind,
    text: mediaMessageText(kind, caption, read),
    summary: clipText(line.replace(/\s+/g, ' '), MEDIA_SUMMARY_MAX_CHARS),
    source: 'gemini',
    repaired: result.repaired,
    ...stats,
  };
}
