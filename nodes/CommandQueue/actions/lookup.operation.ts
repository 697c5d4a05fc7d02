import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/store/db';
import { checkRateLimit, findCommandByKey } from '../../shared/queue/commands';
import { asItem, forOperation } from '../../adapter/description';
import { lookupOutcome } from '../../shared/outcome';

export const description: INodeProperties[] = forOperation('lookup', [
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
]);

/** The cheap idempotency check before any slow work: found → "Already processing"; plus the per-user rate limit, which records this attempt. */
export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  const dedupeKey = this.getNodeParameter('dedupeKey', i);
  const command = await findCommandByKey(store, dedupeKey);
  const rateLimit = this.getNodeParameter('rateLimit', i, {}) as IDataObject;
  const rate =
    rateLimit.userId && Number(rateLimit.maxPerMinute) > 0
      ? await checkRateLimit(store, rateLimit.userId, Number(rateLimit.maxPerMinute), dedupeKey)
      : { recentAttempts: null, limitPerMinute: 0, limited: false };
  const found = Boolean(command);
  return { outcome: lookupOutcome({ found, rateLimited: rate.limited }), found, command: command ? asItem(command) : null, rateLimited: rate.limited, recentAttempts: rate.recentAttempts };
}
