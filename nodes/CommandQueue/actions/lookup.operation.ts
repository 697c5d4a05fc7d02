import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/db';
import { findCommandByKey } from '../../shared/queue';
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
]);

/** The seed's cheap idempotency check before any slow work: found → "Already processing". */
export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  const command = await findCommandByKey(store, this.getNodeParameter('dedupeKey', i));
  return command ? { found: true, command: asItem(command) } : { found: false, command: null };
}
