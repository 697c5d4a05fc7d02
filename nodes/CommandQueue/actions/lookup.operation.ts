import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/db';
import { checkRateLimit, findCommandByKey } from '../../shared/queue';
import { asItem, forOperation } from '../../adapter/description';

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
      { displayName: 'User ID', name: 'userId', type: 'string', default: '', description: 'Whose recent commands to count' },
      {
        displayName: 'Max Commands per Minute',
        name: 'maxPerMinute',
        type: 'number',
        default: 0,
        typeOptions: { minValue: 0 },
        description: 'Report "rateLimited" when the user created this many commands in the last minute. 0: no limit.',
      },
    ],
  },
]);

/** The seed's cheap idempotency check before any slow work: found → "Already processing"; plus the per-user rate limit. */
export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  const command = await findCommandByKey(store, this.getNodeParameter('dedupeKey', i));
  const rateLimit = this.getNodeParameter('rateLimit', i, {}) as IDataObject;
  const rate =
    rateLimit.userId && Number(rateLimit.maxPerMinute) > 0
      ? await checkRateLimit(store, rateLimit.userId, Number(rateLimit.maxPerMinute))
      : { recentCommands: null, limitPerMinute: 0, limited: false };
  return { found: Boolean(command), command: command ? asItem(command) : null, rateLimited: rate.limited, recentCommands: rate.recentCommands };
}
