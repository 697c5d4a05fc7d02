// The one item loop every node shares: per item, pairedItem, continueOnFail, and the
// conversion of core errors into n8n errors that carry the item index.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { InputError, StateError } from '../shared/errors';

export type ItemHandler = (itemIndex: number) => Promise<IDataObject | IDataObject[]>;

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

export async function runItems(ctx: IExecuteFunctions, handle: ItemHandler): Promise<INodeExecutionData[][]> {
  const items = ctx.getInputData();
  const output: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const result = await handle(itemIndex);
      for (const json of Array.isArray(result) ? result : [result]) {
        output.push({ json, pairedItem: { item: itemIndex } });
      }
    } catch (error) {
      const nodeError = toNodeError(ctx, error, itemIndex);
      if (ctx.continueOnFail()) {
        output.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
        continue;
      }
      throw nodeError;
    }
  }
  return [output];
}
