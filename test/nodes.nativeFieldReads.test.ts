// Field-read parameters ({{ $json.a }}, {{ $('Node').item.json.a }}) are resolved through n8n's data
// proxy instead of its expression engine; everything else still goes to n8n's getNodeParameter.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { withNativeFieldReads } from '../nodes/adapter/parameters';

const item = { dedupeKey: 'telegram:r:1', userId: 'telegram:1', count: 3, flag: false, empty: '', missing: null, payload: { text: 'buy milk', chat: { id: 42 } } };
const parsed = { chatId: 42, displayName: 'Ada' };

function fakeContext(parameters: IDataObject) {
  const n8nCalls: unknown[][] = [];
  const ctx = {
    getNode: () => ({ name: 'Test', parameters }),
    getWorkflowDataProxy: () => ({ $json: item, $: (name: string) => (name === 'Parse Update' ? { item: { json: parsed } } : { item: undefined }) }),
    getNodeParameter: (...args: unknown[]) => {
      n8nCalls.push(args);
      return 'from n8n';
    },
    getInputData: () => [{ json: item }],
  } as unknown as IExecuteFunctions;
  return { ctx: withNativeFieldReads(ctx), n8nCalls };
}

describe('native field reads', () => {
  it('reads $json fields and another node\'s paired item without n8n, with their types', () => {
    const { ctx, n8nCalls } = fakeContext({
      key: '={{ $json.dedupeKey }}',
      count: '={{ $json.count }}',
      flag: '={{$json.flag}}',
      empty: '={{ $json.empty }}',
      text: '={{ $json.payload.text }}',
      chatId: "={{ $('Parse Update').item.json.chatId }}",
    });
    expect(['key', 'count', 'flag', 'empty', 'text', 'chatId'].map((name) => ctx.getNodeParameter(name, 0))).toEqual(['telegram:r:1', 3, false, '', 'buy milk', 42]);
    expect(n8nCalls).toEqual([]);
  });

  it('hands out a copy of an object, never the item itself', () => {
    const { ctx } = fakeContext({ update: '={{ $json }}', chat: '={{ $json.payload.chat }}' });
    const update = ctx.getNodeParameter('update', 0) as IDataObject;
    expect(update).toEqual(item);
    expect(update).not.toBe(item);
    (ctx.getNodeParameter('chat', 0) as IDataObject).id = 7;
    expect(item.payload.chat.id).toBe(42);
  });

  it('resolves a flat collection whose expressions are all field reads, literals as they are', () => {
    const { ctx, n8nCalls } = fakeContext({ options: { chatId: "={{ $('Parse Update').item.json.chatId }}", name: "={{ $('Parse Update').item.json.displayName }}", zone: 'UTC', max: 5 } });
    expect(ctx.getNodeParameter('options', 0, {})).toEqual({ chatId: 42, name: 'Ada', zone: 'UTC', max: 5 });
    expect(n8nCalls).toEqual([]);
  });

  it.each([
    ['any other expression', { p: '={{ $json.count + 1 }}' }, 'p'],
    ['text around the braces', { p: '=id {{ $json.userId }}' }, 'p'],
    ['a missing field', { p: '={{ $json.nothing }}' }, 'p'],
    ['a null field', { p: '={{ $json.missing }}' }, 'p'],
    ['a path through a value that is not an object', { p: '={{ $json.dedupeKey.length }}' }, 'p'],
    ['a node without a paired item', { p: "={{ $('Other').item.json.chatId }}" }, 'p'],
    ['a collection with no field read', { options: { a: '={{ $now }}', b: 'literal' } }, 'options'],
    ['a collection that refers to a sibling', { options: { a: '={{ $json.userId }}', b: '={{ $parameter.a }}' } }, 'options'],
    ['a collection with a nested value', { options: { a: '={{ $json.userId }}', nested: { b: 1 } } }, 'options'],
    ['a default that is not a literal', { p: '={{ $json.nothing ?? $json.userId }}' }, 'p'],
    ['a plain value', { p: 'literal' }, 'p'],
    ['a read of a prototype', { p: '={{ $json.__proto__ }}' }, 'p'],
    ['a read of a constructor', { p: '={{ $json.payload.constructor }}' }, 'p'],
    ['a parameter the node does not have', {}, 'p'],
  ])('leaves %s to n8n, with the same arguments', (_what, parameters, name) => {
    const { ctx, n8nCalls } = fakeContext(parameters);
    expect(ctx.getNodeParameter(name, 0, 'fallback')).toBe('from n8n');
    expect(n8nCalls).toEqual([[name, 0, 'fallback', undefined]]);
  });

  it('gives the literal after ?? for a missing value and after || for a falsy one, as JavaScript does', () => {
    const { ctx, n8nCalls } = fakeContext({
      a: "={{ $json.nothing ?? '' }}",
      b: "={{ $json.missing ?? 'UTC' }}",
      c: '={{ $json.empty || 0 }}',
      d: "={{ $json.userId ?? 'x' }}",
      e: "={{ $json.flag || true }}",
      f: "={{ $('Parse Update').item.json.nothing ?? null }}",
      g: '={{ $json.count || -1.5 }}',
    });
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => ctx.getNodeParameter(name, 0))).toEqual(['', 'UTC', 0, 'telegram:1', true, null, 3]);
    expect(n8nCalls).toEqual([]);
  });

  it('in a collection, leaves the other expressions to n8n one by one (by their dotted path)', () => {
    const { ctx, n8nCalls } = fakeContext({ options: { chatId: "={{ $('Parse Update').item.json.chatId }}", audit: '={{ JSON.stringify($json) }}', zone: 'UTC' } });
    expect(ctx.getNodeParameter('options', 0, {})).toEqual({ chatId: 42, audit: 'from n8n', zone: 'UTC' });
    expect(n8nCalls).toEqual([['options.audit', 0]]);
  });

  it('leaves dotted names and calls with options to n8n', () => {
    const { ctx, n8nCalls } = fakeContext({ options: { a: '={{ $json.userId }}' }, p: '={{ $json.userId }}' });
    ctx.getNodeParameter('options.a', 0);
    ctx.getNodeParameter('p', 0, undefined, { extractValue: true });
    expect(n8nCalls).toEqual([
      ['options.a', 0, undefined, undefined],
      ['p', 0, undefined, { extractValue: true }],
    ]);
  });

  it('falls back to n8n when the context has no data proxy (or it throws)', () => {
    const calls: unknown[] = [];
    const bare = { getNode: () => ({ parameters: { p: '={{ $json.userId }}' } }), getNodeParameter: (...args: unknown[]) => (calls.push(args), 'from n8n') } as unknown as IExecuteFunctions;
    expect(withNativeFieldReads(bare).getNodeParameter('p', 0)).toBe('from n8n');
    expect(calls).toHaveLength(1);
  });

  it('keeps the rest of the context n8n\'s', () => {
    const { ctx } = fakeContext({});
    expect(ctx.getInputData()).toEqual([{ json: item }]);
  });
});
