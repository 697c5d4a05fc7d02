// Read Voice Note or Photo: the file a Telegram node downloaded (binary data) goes to Gemini
// inline; out comes the text the rest of Workflow A treats as the message, and the line the card
// shows (🎤 / 📷). The bytes are read from the item's binary data and not passed on.
import type { IDataObject } from 'n8n-workflow';
import { geminiForItem } from '../../adapter/geminiCredential';
import type { Operation } from '../../adapter/operation';
import type { MediaKind } from '../../shared/contracts';
import { readMedia } from '../../shared/gemini/media';
import { DEFAULT_INTENT_MODEL, DEFAULT_INTENT_TEMPERATURE, DEFAULT_INTENT_THINKING } from '../../shared/gemini/options';

export const readMediaOperation: Operation = {
  value: 'readMedia',
  name: 'Read Voice Note or Photo',
  action: 'Read a voice note or photo',
  description: 'Transcribe a voice note or audio file, or read a photo, into text (and a one-line summary for the draft card). Needs Gemini: offline, the result says so.',
  properties: [
    {
      displayName: 'Media Kind',
      name: 'mediaKind',
      type: 'options',
      default: 'voice',
      options: [
        { name: 'Voice Note', value: 'voice', description: 'Transcribed in the language spoken' },
        { name: 'Audio File', value: 'audio', description: 'Transcribed in the language spoken' },
        { name: 'Photo', value: 'photo', description: 'What it shows and says that matters for a task (a flyer, an invitation, a whiteboard, a screenshot)' },
      ],
      description: 'What the file is',
    },
    {
      displayName: 'Input Binary Field',
      name: 'binaryPropertyName',
      type: 'string',
      default: 'data',
      required: true,
      hint: 'The name of the input binary field holding the file (the Telegram node\'s File › Get with Download puts it in "data")',
      description: 'The binary field of the input item that holds the file',
    },
    {
      displayName: 'MIME Type',
      name: 'mimeType',
      type: 'string',
      default: '',
      placeholder: 'audio/ogg',
      description: "The file's type (e.g. audio/ogg for a Telegram voice note); empty: the binary data's own",
    },
    {
      displayName: 'Caption',
      name: 'caption',
      type: 'string',
      default: '',
      description: 'The text sent with the file: read together with it, and put before what the file says',
    },
    {
      displayName: 'User Language',
      name: 'languageCode',
      type: 'string',
      default: '',
      placeholder: 'de',
      description: "The language of the user's Telegram app: what a photo's description is written in when its caption has no words (speech is transcribed in the language spoken)",
    },
  ],
  needsStore: false,
  async execute(i) {
    const gemini = await geminiForItem(this, i, { step: 'media', model: DEFAULT_INTENT_MODEL, temperature: DEFAULT_INTENT_TEMPERATURE, thinkingLevel: DEFAULT_INTENT_THINKING });
    const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', i, 'data') ?? 'data').trim() || 'data';
    const kind = String(this.getNodeParameter('mediaKind', i, 'voice')) as MediaKind;
    // Only with Gemini is the file read (assertBinaryData throws, naming the field, when it is missing).
    const binaryMimeType = () => {
      try {
        return this.helpers.assertBinaryData(i, binaryPropertyName).mimeType;
      } catch {
        return '';
      }
    };
    const given = String(this.getNodeParameter('mimeType', i, '') ?? '').trim();
    const outcome = await readMedia(
      {
        kind,
        mimeType: given || binaryMimeType() || (kind === 'photo' ? 'image/jpeg' : 'audio/ogg'),
        caption: String(this.getNodeParameter('caption', i, '') ?? ''),
        languageCode: String(this.getNodeParameter('languageCode', i, '') ?? ''),
        model: gemini.model,
        temperature: gemini.temperature,
        thinkingLevel: gemini.thinkingLevel,
        fallback: gemini.fallback,
      },
      {
        generate: gemini.generate,
        file: async () => {
          this.helpers.assertBinaryData(i, binaryPropertyName);
          return this.helpers.getBinaryDataBuffer(i, binaryPropertyName);
        },
      },
    ).finally(gemini.recordUsage);
    return outcome as unknown as IDataObject;
  },
};
