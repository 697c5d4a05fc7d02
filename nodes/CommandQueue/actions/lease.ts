import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { releaseLease } from '../../shared/queue/leaseKeeper';
import type { SettleResult } from '../../shared/queue/commands';
import { asItem } from '../../adapter/description';

/** Complete and Fail both name the command and present the lease token of the claim. */
export const leaseFields: INodeProperties[] = [
  {
    displayName: 'Command ID',
    name: 'commandId',
    type: 'number',
    default: '={{ $json.id }}',
    required: true,
  },
  {
    displayName: 'Lease Token',
    name: 'leaseToken',
    type: 'string',
    default: '={{ $json.leaseToken }}',
    required: true,
    description: 'The token from Claim. A run whose lease was taken over changes nothing.',
  },
];

/**
 * Settles through `settle`, then stops renewing the lease (applied, lost or failed).
 * A lost lease is reported, not thrown: the run that took over owns the command now.
 */
export async function settleAndRelease(id: unknown, leaseToken: unknown, settle: () => Promise<SettleResult>): Promise<IDataObject> {
  try {
    return settledItem(await settle());
  } finally {
    // Also when settling failed: this run is done with the command, and another takes it over one lease later.
    releaseLease(id, leaseToken);
  }
}

export function settledItem(result: SettleResult): IDataObject {
  if (result.applied) return { applied: true, ...asItem(result.command) };
  return { applied: false, reason: result.reason, ...(result.command ? asItem(result.command) : {}) };
}
