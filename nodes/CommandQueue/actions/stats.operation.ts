import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/db';
import { commandStats } from '../../shared/queue';
import { asItem, forOperation } from '../../adapter/description';

export const description: INodeProperties[] = forOperation('stats', [
  {
    displayName: 'Window (Minutes)',
    name: 'windowMinutes',
    type: 'number',
    default: 60,
    typeOptions: { minValue: 1 },
    description: 'Rates and averages cover this many recent minutes',
  },
]);

export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  return asItem(await commandStats(store, this.getNodeParameter('windowMinutes', i) as number));
}
