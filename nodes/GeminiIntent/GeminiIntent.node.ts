import type { IDataObject, IExecuteFunctions, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { geminiForItem } from '../adapter/geminiCredential';
import { withNativeFieldReads } from '../adapter/parameters';
import { runItems } from '../adapter/runItems';
import { DEFAULT_MODEL } from '../shared/gemini/call';
import { classifyIntent } from '../shared/gemini/intent';
import { fallbackField, modelField, temperatureField } from '../adapter/geminiFields';

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
  modelField,
  temperatureField(0.1),
  {
    displayName: 'Minimum Confidence',
    name: 'minConfidence',
    type: 'number',
    default: 0.6,
    typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
    description: 'Below this, the intent becomes "unknown" and Reply holds a clarifying question, rather than acting on a guess',
  },
  fallbackField('classify the message'),
];

export class GeminiIntent implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Gemini Intent',
    name: 'geminiIntent',
    icon: { light: 'file:geminiIntent.svg', dark: 'file:geminiIntent.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ $parameter["fallback"] === "always" ? "Local rules" : "Classify with " + $parameter["model"] }}',
    description:
      'Classify a chat message into an assistant intent (create task, revise draft, answer clarification, cancel, help) and the queue command to enqueue',
    defaults: { name: 'Gemini Intent' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    // n8n's built-in Gemini credential, so users reuse the key they already have (decided for
    // this package; n8n's verification rules for community nodes would not allow it).
    // eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
    credentials: [{ name: 'googlePalmApi', required: false, displayOptions: { hide: { fallback: ['always'] } } }],
    properties,
  };

  async execute(this: IExecuteFunctions) {
    const ctx = withNativeFieldReads(this);
    return runItems(ctx, async (i) => {
      const { fallback, generate } = await geminiForItem(ctx, i);
      const outcome = await classifyIntent(
        {
          text: String(ctx.getNodeParameter('text', i, '') ?? ''),
          // An expression may hand over the string 'true' (e.g. from a database row).
          awaitingEdit: [true, 'true', 1, '1'].includes(ctx.getNodeParameter('awaitingEdit', i, false) as boolean | string | number),
          pendingQuestion: String(ctx.getNodeParameter('pendingQuestion', i, '') ?? ''),
          // Hidden parameters (fallback 'always') are absent in n8n, hence the fallbacks.
          model: String(ctx.getNodeParameter('model', i, DEFAULT_MODEL)).trim() || DEFAULT_MODEL,
          temperature: ctx.getNodeParameter('temperature', i, 0.1) as number,
          minConfidence: ctx.getNodeParameter('minConfidence', i) as number,
          fallback,
        },
        { generate },
      );
      return outcome as unknown as IDataObject;
    });
  }
}
