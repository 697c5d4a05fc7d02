import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/store/db';
import { completeCommand } from '../../shared/queue/commands';
import { forOperation } from '../../adapter/description';
import { leaseFields, settleAndRelease } from './lease';

export const description: INodeProperties[] = forOperation('complete', [
  ...leaseFields,
  {
    displayName: 'Result (JSON)',
    name: 'result',
    type: 'json',
    default: '{}',
    description: 'What the command produced, kept on the command row',
  },
]);

export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  const raw = this.getNodeParameter('result', i, '{}');
  let result: unknown = raw;
  if (typeof raw === 'string') {
    try {
      result = raw.trim() === '' ? null : JSON.parse(raw);
    } catch {
      result = { text: raw };
    }
  }
  const id = this.getNodeParameter('commandId', i);
  const leaseToken = this.getNodeParameter('leaseToken', i);
  return settleAndRelease(id, leaseToken, () => completeCommand(store, { id, leaseToken, result }));
}
