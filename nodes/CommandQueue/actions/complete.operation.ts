import { completeCommand } from '../../shared/queue/commands';
import type { Operation } from '../../adapter/operation';
import { leaseFields, settleAndRelease } from './lease';

export const complete: Operation = {
  value: 'complete',
  name: 'Complete',
  action: 'Complete a command',
  description: 'Mark a claimed command done',
  properties: [
    ...leaseFields,
    {
      displayName: 'Result (JSON)',
      name: 'result',
      type: 'json',
      default: '{}',
      description: 'What the command produced, kept on the command row',
    },
  ],
  needsStore: true,
  async execute(i, store) {
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
  },
};
