// Parameter definitions both Gemini nodes share (n8n field definitions live here, not in the core).
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

const HIDDEN_WITHOUT_GEMINI = { fallback: ['always'] };

export function modelField(defaultModel: string): INodeProperties {
  return {
    displayName: 'Model',
    name: 'model',
    type: 'string',
    default: defaultModel,
    placeholder: defaultModel,
    description:
      'Gemini model ID, as in models/{model}:generateContent. The 2.0 and 2.5 families are shut down; if Gemini answers "model not found", change this to a current model.',
    displayOptions: { hide: HIDDEN_WITHOUT_GEMINI },
  };
}

/**
 * Version 1 always sends its temperature (as saved workflows expect); version 2 sends none
 * unless "Set Temperature" is on, since the current models deprecate sampling parameters.
 */
export function temperatureFields(defaultTemperature: number): INodeProperties[] {
  const temperature = (show: IDisplayOptions['show']): INodeProperties => ({
    displayName: 'Temperature',
    name: 'temperature',
    type: 'number',
    default: defaultTemperature,
    typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
    description:
      'Sampling temperature. Models that reject sampling parameters are retried once without it (the output then says samplingDropped: true).',
    displayOptions: { show, hide: HIDDEN_WITHOUT_GEMINI },
  });
  return [
    temperature({ '@version': [1] }),
    {
      displayName: 'Set Temperature',
      name: 'setTemperature',
      type: 'boolean',
      default: false,
      description:
        'Whether to send a sampling temperature. Off: the model uses its own default, as Google recommends for the current generation; turn it on only for a model that still honours it.',
      displayOptions: { show: { '@version': [2] }, hide: HIDDEN_WITHOUT_GEMINI },
    },
    temperature({ '@version': [2], setTemperature: [true] }),
  ];
}

export function thinkingLevelField(defaultLevel: string): INodeProperties {
  return {
    displayName: 'Thinking Level',
    name: 'thinkingLevel',
    type: 'options',
    default: defaultLevel.toLowerCase(),
    options: [
      { name: 'Minimal', value: 'minimal', description: 'Hardly any thinking: fastest and cheapest (not every model offers it)' },
      { name: 'Low', value: 'low', description: 'A short thinking pass' },
      { name: 'Medium', value: 'medium' },
      { name: 'High', value: 'high', description: 'Deepest thinking: slowest and most tokens' },
      { name: 'Model Default', value: 'modelDefault', description: 'Send no thinking level' },
    ],
    description:
      'How much the model thinks before answering (Gemini 3 thinking levels). A model that refuses the level is retried once with its default (the output then says thinkingDropped: true); thinking tokens are reported in usage.thoughtsTokens.',
    displayOptions: { hide: HIDDEN_WITHOUT_GEMINI },
  };
}

export const usageUserField: INodeProperties = {
  displayName: 'Usage User ID',
  name: 'usageUserId',
  type: 'string',
  default: '',
  placeholder: '={{ $json.userId }}',
  description:
    'With a Draft Assistant Database credential on this node, the Gemini requests and tokens of each call are added to this user\'s daily usage, which the health summary reports. Empty: counted without a user.',
  displayOptions: { hide: HIDDEN_WITHOUT_GEMINI },
};

export function fallbackField(purpose: string): INodeProperties {
  return {
    displayName: 'Offline Fallback',
    name: 'fallback',
    type: 'options',
    default: 'off',
    options: [
      { name: 'Off', value: 'off', description: 'Use Gemini only; failures are returned as {ok: false, failure}' },
      {
        name: 'When Gemini Is Unavailable',
        value: 'whenUnavailable',
        description: `Use local rules to ${purpose} when no credential is set, or Gemini is busy, down or out of quota`,
      },
      { name: 'Always', value: 'always', description: `Never call Gemini; ${purpose} with local rules (for a playground without an API key)` },
    ],
    description: 'Whether to fall back to deterministic local rules instead of Gemini',
  };
}
