// What the user reads about a voice note, an audio file or a photo: the line above a draft made
// from one, and the replies when it cannot be read. Telegram HTML; a value put in is escaped here.
import { TELEGRAM_DOWNLOAD_LIMIT_BYTES, type MediaKind } from '../contracts';
import type { Failure } from '../outcome';
import { escapeHtml } from '../telegram/html';

const WORDS: Record<MediaKind, string> = { voice: 'voice note', audio: 'audio file', photo: 'photo' };
const READING: Record<MediaKind, string> = { voice: 'listen to', audio: 'listen to', photo: 'read' };
const LIMIT_MB = Math.round(TELEGRAM_DOWNLOAD_LIMIT_BYTES / (1024 * 1024));

/** Before what Gemini heard or read, on the draft card. */
export const MEDIA_MARKS: Record<MediaKind, string> = { voice: '🎤', audio: '🎤', photo: '📷' };

/** The draft card's first line: what was heard ("🎤 …") or read ("📷 …"). `summary` is plain text. */
export function mediaCardLine(kind: MediaKind, summary: string): string {
  return `${MEDIA_MARKS[kind]} <i>${escapeHtml(summary)}</i>`;
}

/**
 * Put before what Gemini read in a photo when the photo came with a caption, in the text the
 * intent and the planner get (and the planner may quote in the notes). Plain text.
 */
export const PHOTO_TEXT_LABEL = 'In the photo:';

/** Refused before anything is downloaded: Telegram lets bots download files up to 20 MB. */
export function mediaTooBig(kind: MediaKind): string {
  const smaller = kind === 'photo' ? 'a smaller one' : 'a shorter one';
  return `That ${WORDS[kind]} is too big for me: I can download files up to ${LIMIT_MB} MB from Telegram. Please send ${smaller}, or tell me the task in words.`;
}

/** Without Gemini (offline, or no Gemini credential) nothing reads voice notes or photos. */
export function mediaNeedsGemini(kind: MediaKind): string {
  return `I can ${READING[kind]} ${WORDS[kind]}s only with Gemini, and it is not set up here. Please tell me the task in words, e.g. "buy milk tomorrow".`;
}

/** Gemini found no speech, or nothing readable. */
export function mediaNothingFound(kind: MediaKind): string {
  return kind === 'photo'
    ? "I couldn't make out anything in that photo to turn into a task. Please send a clearer one, add a caption, or tell me the task in words."
    : `I couldn't hear anything in that ${WORDS[kind]} to turn into a task. Please try again, or type it.`;
}

/** Telegram did not give us the file (other than for its size). */
export function mediaDownloadFailed(kind: MediaKind): string {
  return `I couldn't download that ${WORDS[kind]} from Telegram. Please send it again.`;
}

/** Gemini could not read it; nothing is queued, so the user is asked to send it again. */
export function mediaFailed(kind: MediaKind, failure: Pick<Failure, 'kind'>): string {
  const what = `${READING[kind]} that ${WORDS[kind]}`;
  switch (failure.kind) {
    case 'rate_limited':
    case 'unavailable':
      return `I couldn't ${what} just now: the AI service is busy. Please send it again in a minute.`;
    case 'quota_exhausted':
      return `I couldn't ${what}: today's AI quota is used up. Please send it again after midnight Pacific time, or type the task.`;
    case 'gemini_not_configured':
      return `I couldn't ${what}: the assistant's AI service refused the connection, and the owner has to fix its setup. Please type the task for now.`;
    case 'blocked':
      return `Sorry, I can't help with that ${WORDS[kind]}.`;
    default:
      return `Sorry, I couldn't ${what}. Please try again, or tell me the task in words.`;
  }
}
