// Find by Idempotency Key, on the hot path of every message: two concerns in one database node
// (an extra node costs time there), each its own core function: the idempotency lookup
// (findCommandByKey) and the per-user rate limit (recordAttemptAgainstRateLimit).
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { findCommandByKey } from '../../shared/queue/commands';
import { recordAttemptAgainstRateLimit } from '../../shared/queue/rateLimit';
import type { Store } from '../../shared/store/db';
import { lookupOutcome } from '../../shared/outcome';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

/** The optional "Rate Limit": with no user or no limit set, nothing is recorded and recentAttempts is null. */
async function rateLimitAttempt(ctx: IExecuteFunctions, i: number, store: Store, attemptKey: unknown) {
  const rateLimit = ctx.getNodeParameter('rateLimit', i, {}) as IDataObject;
  const limitPerMinute = Number(rateLimit.maxPerMinute);
  if (!rateLimit.userId || !(limitPerMinute > 0)) return { recentAttempts: null, limited: false };
  return recordAttemptAgainstRateLimit(store, rateLimit.userId, limitPerMinute, attemptKey);
}

export const lookup: Operation = {
  value: 'lookup',
  name: 'Find by Idempotency Key',
  action: 'Find a command by idempotency key',
  description: 'Check whether a message was already accepted',
  properties: [
    {
      displayName: 'Idempotency Key',
      name: 'dedupeKey',
      type: 'string',
      default: '={{ $json.dedupeKey }}',
      required: true,
      description: 'The key a command would be enqueued with',
    },
    {
      displayName: 'Rate Limit',
      name: 'rateLimit',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      options: [
        { displayName: 'User ID', name: 'userId', type: 'string', default: '', description: 'Whose attempts to count' },
        {
          displayName: 'Max Messages per Minute',
          name: 'maxPerMinute',
          type: 'number',
          default: 0,
          typeOptions: { minValue: 0 },
          description:
            'Report "rateLimited" when the user made more attempts than this in the last minute. Every lookup is an attempt (once per idempotency key), also one that is then refused as too fast or too long. 0: no limit.',
        },
      ],
    },
  ],
  needsStore: true,
  /** The cheap idempotency check before any slow work (found → "Already processing"), then this message counted against the user's rate limit. */
  async execute(i, store) {
    const dedupeKey = this.getNodeParameter('dedupeKey', i);
    const command = await findCommandByKey(store, dedupeKey);
    const rate = await rateLimitAttempt(this, i, store, dedupeKey);
    const found = Boolean(command);
    return { outcome: lookupOutcome({ found, rateLimited: rate.limited }), found, command: command ? asItem(command) : null, rateLimited: rate.limited, recentAttempts: rate.recentAttempts };
  },
};
