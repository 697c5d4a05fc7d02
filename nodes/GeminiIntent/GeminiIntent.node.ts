import type { IDataObject, IExecuteFunctions, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { geminiForItem } from '../adapter/geminiCredential';
import { runItems } from '../adapter/runItems';
import { classifyIntent } from '../shared/gemini/intent';
import { fallbackField, modelField, temperatureFields, thinkingLevelField, usageUserField } from '../adapter/geminiFields';
import { DATABASE_CREDENTIAL } from '../adapter/store';
import { DEFAULT_INTENT_MODEL, DEFAULT_INTENT_TEMPERATURE, DEFAULT_INTENT_THINKING } from '../shared/gemini/options';

const properties: INodeProperties[] = [
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
  modelField(DEFAULT_INTENT_MODEL),
  thinkingLevelField(DEFAULT_INTENT_THINKING),
  ...temperatureFields(DEFAULT_INTENT_TEMPERATURE),
  {
    displayName: 'Minimum Confidence',
    name: 'minConfidence',
    type: 'number',
    default: 0.6,
    typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
    description: 'Below this, the intent becomes "unknown" and Reply holds a clarifying question, rather than acting on a guess',
  },
  fallbackField('classify the message'),
  usageUserField,
];

export class GeminiIntent implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Gemini Intent',
    name: 'geminiIntent',
    icon: { light: 'file:geminiIntent.svg', dark: 'file:geminiIntent.dark.svg' },
    group: ['transform'],
    // 2: sampling is opt-in ("Set Temperature"); version 1 keeps sending its temperature.
    version: [1, 2],
    defaultVersion: 2,
    subtitle: '={{ $parameter["fallback"] === "always" ? "Local rules" : "Classify with " + $parameter["model"] }}',
    description:
      'Classify a chat message into an assistant intent (create task, revise draft, answer clarification, cancel, help) and the queue command to enqueue',
    defaults: { name: 'Gemini Intent' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    // n8n's built-in Gemini credential, so users reuse the key they already have (decided for
    // this package; n8n's verification rules for community nodes would not allow it).
    credentials: [
      // eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
      { name: 'googlePalmApi', required: false, displayOptions: { hide: { fallback: ['always'] } } },
      // Optional: with it, each call's Gemini requests and tokens are recorded for the health summary.
      { name: DATABASE_CREDENTIAL, required: false },
    ],
    properties,
  };

  async execute(this: IExecuteFunctions) {
    return runItems(this, async (i) => {
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
          minConfidence: this.getNodeParameter('minConfidence', i) as number,
          fallback: gemini.fallback,
        },
        { generate: gemini.generate },
      ).finally(gemini.recordUsage);
      return outcome as unknown as IDataObject;
    });
  }
}
