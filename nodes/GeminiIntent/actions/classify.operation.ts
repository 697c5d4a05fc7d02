// Classify Message: what does this chat message ask for (Workflow A, every text and every transcript).
import type { IDataObject } from 'n8n-workflow';
import { geminiForItem } from '../../adapter/geminiCredential';
import type { Operation } from '../../adapter/operation';
import { classifyIntent } from '../../shared/gemini/intent';
import { DEFAULT_INTENT_MODEL, DEFAULT_INTENT_TEMPERATURE, DEFAULT_INTENT_THINKING } from '../../shared/gemini/options';

export const classify: Operation = {
  value: 'classify',
  name: 'Classify Message',
  action: 'Classify a chat message',
  description: 'Classify a chat message into an assistant intent and the queue command to enqueue',
  properties: [
    {
      displayName: 'Text',
      name: 'text',
      type: 'string',
      default: '={{ $json.text }}',
      required: true,
      typeOptions: { rows: 2 },
      description: "The user's message. Slash commands (/start, /help, /cancel) and empty text are answered without calling Gemini.",
    },
    {
      displayName: 'Draft Awaiting Edit',
      name: 'awaitingEdit',
      type: 'boolean',
      default: false,
      description: 'Whether a draft is waiting for an edit instruction from this user (they tapped Edit), so the message is likely a revision',
    },
    {
      displayName: 'Pending Question',
      name: 'pendingQuestion',
      type: 'string',
      default: '',
      description: 'The clarification question the user may be answering, or empty if none is pending',
    },
    {
      displayName: 'Minimum Confidence',
      name: 'minConfidence',
      type: 'number',
      default: 0.6,
      typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
      description: 'Below this, the intent becomes "unknown" and Reply holds a clarifying question, rather than acting on a guess',
    },
  ],
  needsStore: false,
  async execute(i) {
    const gemini = await geminiForItem(this, i, { step: 'intent', model: DEFAULT_INTENT_MODEL, temperature: DEFAULT_INTENT_TEMPERATURE, thinkingLevel: DEFAULT_INTENT_THINKING });
    const outcome = await classifyIntent(
      {
        text: String(this.getNodeParameter('text', i, '') ?? ''),
        // An expression may hand over the string 'true' (e.g. from a database row).
        awaitingEdit: [true, 'true', 1, '1'].includes(this.getNodeParameter('awaitingEdit', i, false) as boolean | string | number),
        pendingQuestion: String(this.getNodeParameter('pendingQuestion', i, '') ?? ''),
        model: gemini.model,
        temperature: gemini.temperature,
        thinkingLevel: gemini.thinkingLevel,
        minConfidence: this.getNodeParameter('minConfidence', i, 0.6) as number,
        fallback: gemini.fallback,
      },
      { generate: gemini.generate },
    ).finally(gemini.recordUsage);
    return outcome as unknown as IDataObject;
  },
};
