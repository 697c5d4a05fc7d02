import { failCommand } from '../../shared/queue/commands';
import type { Operation } from '../../adapter/operation';
import { leaseFields, settleAndRelease } from './lease';

export const fail: Operation = {
  value: 'fail',
  name: 'Fail',
  action: 'Fail a command',
  description: 'Record a failure: retry later with backoff, or give up',
  properties: [
    ...leaseFields,
    {
      displayName: 'Error Message',
      name: 'error',
      type: 'string',
      default: '={{ $json.failure?.message ?? $json.error ?? "Unknown error" }}',
    },
    {
      displayName: 'Retryable',
      name: 'retryable',
      type: 'boolean',
      default: '={{ $json.failure?.retryable ?? true }}',
      description:
        'Whether to run the command again later (exponential backoff with jitter, up to its max attempts). Not retryable: the command is dead at once.',
    },
    {
      displayName: 'Retry After (Seconds)',
      name: 'retryAfterSeconds',
      type: 'number',
      default: '={{ ($json.failure?.retryAfterMs ?? 0) / 1000 }}',
      description: "The service's own hint; used when it is longer than the backoff",
    },
    {
      displayName: 'Keep the Attempt',
      name: 'keepAttempt',
      type: 'boolean',
      default: '={{ $json.failure?.keepsAttempt === true }}',
      description:
        'Whether the failure is the setup\'s, not the command\'s (e.g. a refused Gemini key): the command waits "Retry After" and keeps all its attempts for when the setup is fixed',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const id = this.getNodeParameter('commandId', i);
    const leaseToken = this.getNodeParameter('leaseToken', i);
    return settleAndRelease(id, leaseToken, () =>
      failCommand(store, {
        id,
        leaseToken,
        error: this.getNodeParameter('error', i),
        retryable: Boolean(this.getNodeParameter('retryable', i)),
        retryAfterMs: Number(this.getNodeParameter('retryAfterSeconds', i, 0)) * 1000,
        keepAttempt: Boolean(this.getNodeParameter('keepAttempt', i, false)),
      }),
    );
  },
};
