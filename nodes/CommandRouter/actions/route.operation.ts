import { failCommand } from '../../shared/queue/commands';
import { COMMAND_ROUTES, type CommandRoute, routeIndex, routeOf } from '../../shared/queue/routing';
import { type Operation, ToOutput } from '../../adapter/operation';
import { settleAndRelease } from '../../CommandQueue/actions/lease';

/** The outputs' names on the canvas, one per route. */
const ROUTE_LABELS: Record<CommandRoute, string> = { draft: 'Draft (D)', decision: 'Decision (E)', reply: 'Reply', tasks: 'Your Tasks (L)', events: 'Events (C)' };
const labels = COMMAND_ROUTES.map((route) => ROUTE_LABELS[route]);

export const route: Operation = {
  value: 'route',
  name: 'Route by Type',
  action: 'Route claimed commands by type',
  description: 'Send each claimed command to the output of the workflow that runs it',
  outputs: labels,
  properties: [
    {
      displayName: `Each command from Claim goes to one output: ${labels.join(', ')}. A type no workflow runs is failed at once.`,
      name: 'routeNotice',
      type: 'notice',
      default: '',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const command = this.getInputData()[i].json;
    const routed = routeOf(command);
    if (routed) return new ToOutput(routeIndex(routed), command);
    // Only a queue written by a newer version of this package holds such a command: it is dead at once, and says why.
    await settleAndRelease(command.id, command.leaseToken, () =>
      failCommand(store, { id: command.id, leaseToken: command.leaseToken, error: `No workflow runs commands of type "${String(command.type)}"`, retryable: false }),
    );
    return [];
  },
};
