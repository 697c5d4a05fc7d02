import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/db';
import { claimCommands } from '../../shared/queue';
import { asItem, forOperation } from '../../adapter/description';

export const description: INodeProperties[] = forOperation('claim', [
  {
    displayName: 'Max Commands',
    name: 'limit',
    type: 'number',
    default: 10,
    typeOptions: { minValue: 1, maxValue: 1000 },
    description: 'Claim up to this many ready commands at once, so one run drains a backlog. Outputs one item per command, none when the queue is empty.',
  },
  {
    displayName: 'Lease (Seconds)',
    name: 'leaseSeconds',
    type: 'number',
    default: 300,
    typeOptions: { minValue: 1 },
    description: 'If the command is not completed or failed within this time, another run may take it over',
  },
  {
    displayName: 'Worker Name',
    name: 'workerName',
    type: 'string',
    default: '',
    description: 'Shown in the audit log as the lease holder. Empty: host name and process ID.',
  },
]);

export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject[]> {
  const commands = await claimCommands(store, {
    limit: this.getNodeParameter('limit', i) as number,
    leaseMs: (this.getNodeParameter('leaseSeconds', i) as number) * 1000,
    owner: (this.getNodeParameter('workerName', i, '') as string) || undefined,
  });
  return commands.map(asItem);
}
