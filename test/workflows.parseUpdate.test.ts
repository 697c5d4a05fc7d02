// Workflow A's Parse Update code, run on Telegram updates as n8n's Code node runs it: what the
// router's cheap checks (length, card binding) and the planner (send time) get from an update.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderAll } = require('../scripts/build-workflows.js') as { renderAll(): Record<string, string> };

interface Parsed {
  kind: string;
  [field: string]: unknown;
}

const router = JSON.parse(renderAll()['A-inbound-router.json']) as { nodes: { name: string; parameters: { jsCode?: string } }[] };
const code = router.nodes.find((node) => node.name === 'Parse Update')!.parameters.jsCode!;

function parse(update: Record<string, unknown>): Parsed {
  const $ = () => ({ params: { additionalFields: { userIds: '42' } } });
  const $input = { all: () => [{ json: update }] };
  const run = new Function('$input', '$', '$workflow', code) as (...args: unknown[]) => { json: Parsed }[];
  return run($input, $, { id: 'wf' })[0].json;
}

const from = { id: 42, is_bot: false, first_name: 'Ada' };
const text = (body: string, extra: Record<string, unknown> = {}) =>
  parse({ update_id: 1, message: { message_id: 7, date: 1_764_631_800, from, chat: { id: 42, type: 'private' }, text: body, ...extra } });

describe('Parse Update', () => {
  // The benchmark once patched this regex back in (its backslashes were lost in the generator).
  it('reads /timezone with or without a zone and a bot name', () => {
    expect(text('/timezone Europe/Berlin')).toMatchObject({ kind: 'timezone', timezone: 'Europe/Berlin' });
    expect(text('/timezone@draft_bot  America/New_York ')).toMatchObject({ kind: 'timezone', timezone: 'America/New_York' });
    expect(text('/timezone')).toMatchObject({ kind: 'timezone', timezone: '' });
    expect(text('/timezones')).not.toMatchObject({ kind: 'timezone' });
  });

  it('flags text longer than Telegram allows (4,096 characters), counting an emoji as one', () => {
    expect(text('x'.repeat(4096))).toMatchObject({ kind: 'text', tooLong: false });
    expect(text('🎉'.repeat(4096))).toMatchObject({ kind: 'text', tooLong: false });
    expect(text('x'.repeat(4097))).toMatchObject({ kind: 'text', tooLong: true });
  });

  it("carries when the message was sent (Telegram's message.date, unix seconds)", () => {
    expect(text('buy milk tomorrow')).toMatchObject({ sentAt: 1_764_631_800 });
    expect(text('buy milk tomorrow', { date: 'yesterday' })).toMatchObject({ sentAt: null });
  });

  it('takes a press as a button only with the message and chat it was on', () => {
    const press = (message: unknown) => parse({ update_id: 2, callback_query: { id: 'q', from, data: 'confirm:5', ...(message ? { message } : {}) } });
    expect(press({ message_id: 9, chat: { id: 42 } })).toMatchObject({ kind: 'button', draftId: 5, cardMessageId: 9, chatId: '42' });
    expect(press(null)).toMatchObject({ kind: 'bad_button' });
    expect(press({ chat: { id: 42 } })).toMatchObject({ kind: 'bad_button' });
  });
});

export {}; // a module: its names stay its own
