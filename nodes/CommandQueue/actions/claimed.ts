import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { InputError } from '../../shared/errors';

/**
 * The claimed command an item descends from: followed through the items' pairing back to the
 * Command Queue › Claim upstream that ran in this execution, as `$('Claim …').item` would, but
 * without an expression (an execution that runs none builds no expression isolate).
 */
export function claimedCommandOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
  const self = ctx.getNode();
  const claims = ctx
    .getParentNodes(self.name, { includeNodeParameters: true })
    .filter((node) => node.type === self.type && !node.disabled && (node.parameters as IDataObject | undefined)?.operation === 'claim');
  const proxy = ctx.getWorkflowDataProxy(itemIndex);
  for (const claim of claims) {
    const node = proxy.$(claim.name) as { isExecuted: boolean; item?: { json: IDataObject } };
    if (node.isExecuted && node.item) return node.item.json;
  }
  throw new InputError(
    'This item comes from no claimed command',
    'Finish settles the commands a Command Queue › Claim before it took: connect it after that Claim, through the nodes that run the commands.',
  );
}
