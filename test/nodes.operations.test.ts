// The operation list each node derives its dropdown, fields and router from (nodes/adapter/operation.ts).
import type { INodeType } from 'n8n-workflow';
import { type Operation, operationFields, operationProperty } from '../nodes/adapter/operation';
import { routerFor } from '../nodes/adapter/router';
import { runNode } from './helpers/nodeHarness';
import { nodeOperationError } from './helpers/nodeStore';

const echo = (value: string, needsStore: boolean): Operation =>
  needsStore
    ? { value, name: value, action: value, description: value, properties: [], needsStore, execute: async (i, store) => ({ value, i, store: Boolean(store) }) }
    : { value, name: value, action: value, description: value, properties: [], needsStore, execute: async (i) => ({ value, i }) };

function nodeOf(operations: Operation[]): INodeType {
  const router = routerFor(operations);
  return {
    description: {
      displayName: 'Test',
      name: 'test',
      group: ['transform'],
      version: 1,
      description: '',
      defaults: { name: 'Test' },
      inputs: [],
      outputs: [],
      properties: [operationProperty(operations, operations[0].value), ...operationFields(operations)],
    },
    execute: router,
  };
}

describe('a node derived from its operation list', () => {
  it('refuses two operations with the same value', () => {
    expect(() => routerFor([echo('list', false), echo('list', true)])).toThrow('Two operations have the value "list"');
  });

  it('refuses a default operation that is not listed', () => {
    expect(() => operationProperty([echo('list', false)], 'lsit')).toThrow('The default operation "lsit" is not in the list');
  });

  it('runs an operation without a store when none of the run needs one', async () => {
    const [out] = await runNode(nodeOf([echo('list', false), echo('save', true)]), { parameters: { operation: 'list' } });
    expect(out.map((item) => item.json)).toEqual([{ value: 'list', i: 0 }]);
  });

  it('refuses an unknown operation as that item\'s error, without opening the store first', async () => {
    // No database credential is given: asking for it would fail the whole run with another error.
    const error = await nodeOperationError(() => runNode(nodeOf([echo('list', false), echo('save', true)]), { parameters: [{ operation: 'list' }, { operation: 'explode' }], items: [{}, {}] }));
    expect([error.message, error.context.itemIndex]).toEqual(['The operation "explode" is not supported', 1]);
  });
});
