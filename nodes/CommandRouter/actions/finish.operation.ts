import { completeCommand, failCommand } from '../../shared/queue/commands';
import { type CommandRunResult, settlementOf } from '../../shared/queue/routing';
import { type Operation, ToOutput } from '../../adapter/operation';
import { claimedCommandOf } from './claimed';
import { settleAndRelease } from '../../CommandQueue/actions/lease';

export const finish: Operation = {
  value: 'finish',
  name: 'Finish',
  action: 'Finish commands from their results',
  description: 'Complete or fail each claimed command by the result its workflow returned',
  outputs: ['Completed', 'Failed'],
  properties: [
    {
      displayName:
        'Each item is the result of one claimed command (ok, result or failure): ok completes the command, anything else fails it, with a retry unless the failure says otherwise. The command is the one the Claim before took for this item.',
      name: 'finishNotice',
      type: 'notice',
      default: '',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const claimed = claimedCommandOf(this, i);
    const run = this.getInputData()[i].json as CommandRunResult;
    const settlement = settlementOf(run);
    const { id, leaseToken } = claimed;
    if (settlement.settle === 'complete') {
      return new ToOutput(0, await settleAndRelease(id, leaseToken, () => completeCommand(store, { id, leaseToken, result: settlement.result })));
    }
    const { error, retryable, retryAfterMs, keepAttempt } = settlement;
    const settled = await settleAndRelease(id, leaseToken, () => failCommand(store, { id, leaseToken, error, retryable, retryAfterMs, keepAttempt }));
    // What the failure path tells the user and the owner: the failure itself, and the command's error before this one.
    return new ToOutput(1, { ...settled, failure: run.failure ?? null, errorBefore: claimed.lastError ?? null });
  },
};
