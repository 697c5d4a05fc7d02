import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData, ISourceData } from 'n8n-workflow';
import { InputError } from '../../shared/errors';

type PairedItemLookup = (nodeName: string, source: ISourceData | null, pairedItem: IPairedItemData) => INodeExecutionData | null;

/**
 * The claimed command an item descends from: followed through the items' pairing back to the
 * Command Queue › Claim upstream that ran in this execution, as `$('Claim …').item` would. Done
 * without an expression, and without `$().item` either (that evaluates this node's outputs, which
 * are an expression): an execution that runs none builds no expression isolate.
 */
export function claimedCommandOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
  const self = ctx.getNode();
  // The Command Queue of this package: its type is this node's with the other name.
  const queueType = self.type.replace(/commandRouter$/, 'commandQueue');
  const claims = ctx
    .getParentNodes(self.name, { includeNodeParameters: true })
    .filter((node) => node.type === queueType && !node.disabled && (node.parameters as IDataObject | undefined)?.operation === 'claim');
  const paired = ctx.getInputData()[itemIndex]?.pairedItem;
  const pairedItem: IPairedItemData | undefined = typeof paired === 'number' ? { item: paired } : Array.isArray(paired) ? paired[0] : paired;
  const proxy = ctx.getWorkflowDataProxy(itemIndex);
  if (pairedItem) {
    const source = ctx.getExecuteData().source?.main?.[pairedItem.input ?? 0] ?? null;
    for (const claim of claims) {
      if (!(proxy.$(claim.name) as { isExecuted: boolean }).isExecuted) continue;
      const found = (proxy.$getPairedItem as PairedItemLookup)(claim.name, source, pairedItem);
      if (found) return found.json;
    }
  }
  throw new InputError(
    'This item comes from no claimed command',
    'Finish settles the commands a Command Queue › Claim before it took: connect it after that Claim, through the nodes that run the commands.',
  );
}
