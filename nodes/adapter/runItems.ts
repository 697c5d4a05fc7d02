// The one item loop every node shares: per item, pairedItem, continueOnFail, and the
// conversion of core errors into n8n errors that carry the item index.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { InputError, StateError } from '../shared/errors';
import { ToOutput } from './operation';

export type ItemHandler = (itemIndex: number) => Promise<IDataObject | IDataObject[] | ToOutput | ToOutput[]>;

function isN8nError(error: unknown): boolean {
  return error instanceof NodeOperationError || error instanceof NodeApiError;
}

/** Core errors become n8n errors once, here. Bad input and refused transitions are operation errors; anything else comes from a store or an API. */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
  if (isN8nError(error)) return error as Error;
  const err = error instanceof Error ? error : new Error(String(error));
  if (err instanceof InputError) {
    return new NodeOperationError(ctx.getNode(), err.message, { itemIndex, description: err.hint });
  }
  if (err instanceof StateError) {
    return new NodeOperationError(ctx.getNode(), err.message, { itemIndex, description: `Current state: ${err.currentState}` });
  }
  return new NodeApiError(ctx.getNode(), { message: err.message, name: err.name } as JsonObject, {
    itemIndex,
    message: err.message,
  });
}

/** Items go to output 0 unless the handler names another (ToOutput). continueOnFail keeps errors as items only for a node with one output. */
export async function runItems(ctx: IExecuteFunctions, handle: ItemHandler, outputCount = 1): Promise<INodeExecutionData[][]> {
  const items = ctx.getInputData();
  const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const result = await handle(itemIndex);
      for (const entry of Array.isArray(result) ? result : [result]) {
        const [output, json] = entry instanceof ToOutput ? [entry.output, entry.json] : [0, entry];
        if (!Number.isInteger(output) || output < 0 || output >= outputCount) throw new Error(`No output ${output}: this operation has ${outputCount}`);
        outputs[output].push({ json, pairedItem: { item: itemIndex } });
      }
    } catch (error) {
      const nodeError = toNodeError(ctx, error, itemIndex);
      // Only with one output: with several, every output means something (a route, "completed"), and an error item there would be taken for it.
      if (ctx.continueOnFail() && outputCount === 1) {
        outputs[0].push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
        continue;
      }
      throw nodeError;
    }
  }
  return outputs;
}
