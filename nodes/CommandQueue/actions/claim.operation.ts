import { claimWorstCaseMs } from '../../shared/queue/commandBudget';
import { keepLeases } from '../../shared/queue/leaseKeeper';
import { claimCommands } from '../../shared/queue/commands';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const claim: Operation = {
  value: 'claim',
  name: 'Claim',
  action: 'Claim ready commands',
  description: 'Take the next ready commands with a lease, so no other run executes them',
  properties: [
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
      displayName: 'Renew Lease While Running',
      name: 'renewWhileRunning',
      type: 'boolean',
      default: false,
      description:
        'Whether to renew the lease every third of it while this n8n process runs the commands, until Complete or Fail settles them (at most as long as their work can take with every retry). A stopped or crashed n8n renews nothing, so its commands are taken over one lease later.',
    },
    {
      displayName: 'Worker Name',
      name: 'workerName',
      type: 'string',
      default: '',
      description: 'Shown in the audit log as the lease holder. Empty: host name and process ID.',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const leaseMs = (this.getNodeParameter('leaseSeconds', i) as number) * 1000;
    const commands = await claimCommands(store, {
      limit: this.getNodeParameter('limit', i) as number,
      leaseMs,
      owner: (this.getNodeParameter('workerName', i, '') as string) || undefined,
    });
    if (commands.length > 0 && this.getNodeParameter('renewWhileRunning', i, false)) {
      keepLeases(store, {
        ids: commands.map((c) => c.id),
        leaseToken: commands[0].leaseToken!,
        leaseMs,
        holdMs: claimWorstCaseMs(commands.map((c) => c.type)),
        // A cancelled or timed-out execution gives its commands up one lease later.
        signal: this.getExecutionCancelSignal?.(),
      });
    }
    return commands.map(asItem);
  },
};
