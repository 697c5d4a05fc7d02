// The Command Queue node's Parse Telegram Update, as Workflow A's first step runs it: the core's
// parser (test/telegramUpdate.test.ts) per item, with the router's workflow id in the key, and no
// database (the harness gives no credential, so opening the store would fail the run).
import { CommandQueue } from '../nodes/CommandQueue/CommandQueue.node';
import { parseTelegramUpdate, type TelegramUpdate } from '../nodes/shared/telegram/update';
import { runNode } from './helpers/nodeHarness';

const node = new CommandQueue();
const from = { id: 42, first_name: 'Ada' };
const chat = { id: 42 };
const updates: TelegramUpdate[] = [
  { update_id: 1, message: { message_id: 7, date: 1_764_631_800, from, chat, text: 'buy milk tomorrow' } },
  { update_id: 2, callback_query: { id: 'q', from, data: 'confirm:5', message: { message_id: 9, chat } } },
  { update_id: 3, callback_query: { id: 'q', from, data: 'confirm:5' } },
  { update_id: 4, edited_message: { message_id: 7, from, chat, text: 'buy oat milk' } },
  { update_id: 5, message: { message_id: 8, from, chat, text: '/timezone Europe/Berlin' } },
  { update_id: 6, message: { message_id: 10, from, chat } },
];

/** Each item's parameters as n8n resolves the shipped expressions for it. */
const resolved = (allowlist: string) => updates.map((update) => ({ operation: 'parseUpdate', update, allowlist }));

describe('Command Queue: Parse Telegram Update', () => {
  it('gives every update, item by item, what the core parser gives, keyed by this workflow', async () => {
    const [items] = await runNode(node, { parameters: resolved('42'), items: updates as never });
    expect(items.map((item) => item.json)).toEqual(updates.map((update) => parseTelegramUpdate(update, { allowlist: '42', workflowId: 'test-workflow' })));
    expect(items.map((item) => item.json.kind)).toEqual(['text', 'button', 'bad_button', 'edited', 'timezone', 'unsupported']);
    expect(items[0].json.dedupeKey).toBe('telegram:test-workflow:1');
    expect(items.map((item) => item.pairedItem)).toEqual(updates.map((_, item) => ({ item })));
  });

  it('says "not set up" for every update while the trigger has no allowlist', async () => {
    const [items] = await runNode(node, { parameters: resolved(''), items: updates as never });
    expect(new Set(items.map((item) => item.json.kind))).toEqual(new Set(['not_configured']));
  });

  it('takes the update as JSON text too, and refuses what is not an update', async () => {
    const [[item]] = await runNode(node, { parameters: { operation: 'parseUpdate', update: JSON.stringify(updates[0]), allowlist: '42' } });
    expect(item.json).toMatchObject({ kind: 'text', text: 'buy milk tomorrow' });
    await expect(runNode(node, { parameters: { operation: 'parseUpdate', update: 'not json', allowlist: '42' } })).rejects.toThrow('The update is not JSON');
    const [failed] = await runNode(node, { parameters: { operation: 'parseUpdate', update: [1, 2], allowlist: '42' }, continueOnFail: true });
    expect(failed[0].json.error).toBe('The update must be a Telegram update object');
  });

  it('offers the operation with the trigger\'s allowlist as its default', () => {
    const operation = node.description.properties.find((p) => p.name === 'operation')!;
    expect(operation.options).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'parseUpdate' })]));
    const allowlist = node.description.properties.find((p) => p.name === 'allowlist')!;
    expect(allowlist.default).toBe("={{ $('Telegram Trigger').params.additionalFields?.userIds ?? '' }}");
  });
});
