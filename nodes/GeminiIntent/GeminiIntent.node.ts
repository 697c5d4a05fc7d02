import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { operationFields, operationProperty } from '../adapter/operation';
import { routerFor } from '../adapter/router';
import { fallbackField, modelField, temperatureFields, thinkingLevelField, usageUserField } from '../adapter/geminiFields';
import { DATABASE_CREDENTIAL } from '../adapter/store';
import { DEFAULT_INTENT_MODEL, DEFAULT_INTENT_TEMPERATURE, DEFAULT_INTENT_THINKING } from '../shared/gemini/options';
import { operations } from './actions';

const router = routerFor(operations);

export class GeminiIntent implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Gemini Intent',
    name: 'geminiIntent',
    icon: { light: 'file:geminiIntent.svg', dark: 'file:geminiIntent.dark.svg' },
    group: ['transform'],
    // 2: sampling is opt-in ("Set Temperature"); version 1 keeps sending its temperature.
    version: [1, 2],
    defaultVersion: 2,
    subtitle:
      '={{ $parameter["fallback"] === "always" ? "Local rules" : ($parameter["operation"] === "readMedia" ? "Read with " : "Classify with ") + $parameter["model"] }}',
    description:
      'Classify a chat message into an assistant intent (create task, revise draft, answer clarification, cancel, help) and the queue command to enqueue, or read a voice note or photo into text',
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
    // Saved workflows from before Read Media have no "operation": they classify (the default).
    properties: [
      operationProperty(operations, 'classify'),
      ...operationFields(operations),
      modelField(DEFAULT_INTENT_MODEL),
      thinkingLevelField(DEFAULT_INTENT_THINKING),
      ...temperatureFields(DEFAULT_INTENT_TEMPERATURE),
      fallbackField('classify the message'),
      usageUserField,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
