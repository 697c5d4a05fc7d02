// The files the Telegram emulator serves for voice notes, audio files and photos, and how the
// scripted Gemini reads them back. A real OGG or JPEG would need a real model to understand it;
// these start with the format's magic bytes (so anything sniffing the type sees the right one)
// and then carry, as JSON after a marker, what the "recording" says or the "photo" shows. The
// Telegram emulator writes them (sendUserMedia's `says` / `shows`), the scripted Gemini answers
// from them: a test says what the user said, and the assistant hears exactly that.
// Only node: built-ins and erasable TypeScript.

export type EmulatedMediaKind = 'voice' | 'audio' | 'photo';

export interface EmulatedMediaContent {
  kind: EmulatedMediaKind;
  /** Voice note or audio file: what is said (the transcript Gemini answers with). Empty: silence. */
  says?: string;
  /** Photo: what it shows and says (Gemini's text), and its one line (Gemini's summary). Empty: nothing readable. */
  shows?: string;
  summary?: string;
}

const MARKER = 'EMULATED-MEDIA:';
const MAGIC: Record<EmulatedMediaKind, Buffer> = {
  voice: Buffer.from('OggS\u0000\u0002', 'latin1'),
  audio: Buffer.from('ID3\u0004\u0000\u0000', 'latin1'),
  photo: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
};

/** The bytes of an emulated file; `padTo` makes it that many bytes long (for size limits). */
export function emulatedMediaFile(content: EmulatedMediaContent, padTo = 0): Buffer {
  const body = Buffer.concat([MAGIC[content.kind], Buffer.from(`${MARKER}${JSON.stringify(content)}\n`, 'utf8')]);
  return body.length >= padTo ? body : Buffer.concat([body, Buffer.alloc(padTo - body.length)]);
}

/** What an emulated file carries; null for bytes that are not one (a real file, or garbage). */
export function readEmulatedMediaFile(bytes: Buffer): EmulatedMediaContent | null {
  const head = bytes.subarray(0, 64 * 1024).toString('utf8');
  const at = head.indexOf(MARKER);
  if (at < 0) return null;
  const end = head.indexOf('\n', at);
  try {
    return JSON.parse(head.slice(at + MARKER.length, end < 0 ? undefined : end)) as EmulatedMediaContent;
  } catch {
    return null;
  }
}
