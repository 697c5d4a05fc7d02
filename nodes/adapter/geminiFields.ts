// Parameter definitions both Gemini nodes share (n8n field definitions live here, not in the core).
import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_MODEL } from '../shared/gemini/call';

export const modelField: INodeProperties = {
  displayName: 'Model',
  name: 'model',
  type: 'string',
  default: DEFAULT_MODEL,
  placeholder: DEFAULT_MODEL,
  description:
    'Gemini model ID, as in models/{model}:generateContent. gemini-2.0-flash and the 2.5 family are shut down; if Gemini answers "model not found", change this to a current model.',
  displayOptions: { hide: { fallback: ['always'] } },
};

export function temperatureField(defaultTemperature: number): INodeProperties {
  return {
    displayName: 'Temperature',
    name: 'temperature',
    type: 'number',
    default: defaultTemperature,
    typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
    description:
      'Sampling temperature. Models that reject sampling parameters are retried once without it (the output then says samplingDropped: true).',
    displayOptions: { hide: { fallback: ['always'] } },
  };
}

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
