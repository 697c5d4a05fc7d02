// Command Router › Route by Type and › Finish, Workflow B's path without expressions: each claimed
// command to the output of its workflow, and each result settled on the command it came from.
import type { IDataObject } from 'n8n-workflow';
import { CommandRouter } from '../nodes/CommandRouter/CommandRouter.node';
import { claimCommands, type Command, enqueueCommand, getCommand } from '../nodes/shared/queue/commands';
import { asItem } from '../nodes/adapter/description';
import { runNode } from './helpers/nodeHarness';
import { nodeOperationError, useNodeDatabase } from './helpers/nodeStore';

const node = new CommandRouter();

describe('Command Router › Route by Type and › Finish', () => {
  const db = useNodeDatabase();

  async function claim(...types: string[]): Promise<Command[]> {
    for (const [n, type] of types.entries()) {
      await enqueueCommand(db.store, { type, userId: 'telegram:5', payload: { chatId: '5', text: `m${n}` }, dedupeKey: `k${n}` });
    }
    return claimCommands(db.store, { limit: types.length, leaseMs: 60_000 });
  }

  /** n8n's side when no Claim ran upstream. */
  const noClaimUpstream = { getParentNodes: () => [], getExecuteData: () => ({ source: null }), getWorkflowDataProxy: () => ({ $: () => ({ isExecuted: false }) }) };

  /** n8n's side of Finish finding its command: a Claim upstream that ran, and the claimed item each input item pairs with. */
  function claimedUpstream(claimed: Command[], claimNode = 'Claim Commands') {
    return {
      getParentNodes: () => [
        { name: 'Run Task Drafting (D)', type: 'n8n-nodes-base.executeWorkflow', typeVersion: 1.2, disabled: false, parameters: {} },
        { name: 'Claim Backlog', type: 'commandQueue', typeVersion: 1, disabled: false, parameters: { operation: 'claim' } },
        { name: claimNode, type: 'commandQueue', typeVersion: 1, disabled: false, parameters: { operation: 'claim' } },
      ],
      getExecuteData: () => ({ source: { main: [{ previousNode: 'Run Task Drafting (D)', previousNodeOutput: 0, previousNodeRun: 0 }] } }),
      getWorkflowDataProxy: () => ({
        $: (name: string) => ({ isExecuted: name === claimNode }),
        // n8n walks the pairing back from the source; here every item pairs with the claimed item of its index.
        $getPairedItem: (name: string, _source: unknown, pairedItem: { item: number }) => (name === claimNode ? { json: asItem(claimed[pairedItem.item]) } : null),
      }),
    };
  }

  it('Route by Type sends each command to the output of its workflow, keeping its pairing', async () => {
    const claimed = await claim('confirm_draft', 'draft_task_from_text', 'help', 'list_tasks', 'move_event', 'revise_draft');
    const withEventEdit = claimed.map((c, i) => (i === 5 ? { ...c, payload: { ...c.payload, previousDraftType: 'event' } } : c));
    const outputs = await runNode(node, { parameters: { operation: 'route' }, items: withEventEdit.map(asItem), credentials: db.credentials });
    expect(outputs.map((items) => items.map(({ json, pairedItem }) => [json.type, pairedItem]))).toEqual([
      [['draft_task_from_text', { item: 1 }]],
      [['confirm_draft', { item: 0 }]],
      [['help', { item: 2 }]],
      [['list_tasks', { item: 3 }]],
      [
        ['move_event', { item: 4 }],
        ['revise_draft', { item: 5 }],
      ],
    ]);
    // Routing settles nothing.
    for (const c of claimed) expect((await getCommand(db.store, c.id))!.status).toBe('processing');
  });

  it('Route by Type fails a command of a type no workflow runs at once, and says why', async () => {
    const [command] = await claim('help');
    const outputs = await runNode(node, { parameters: { operation: 'route' }, items: [{ ...asItem(command), type: 'send_fax' }], credentials: db.credentials });
    expect(outputs.flat()).toEqual([]);
    expect(await getCommand(db.store, command.id)).toMatchObject({ status: 'dead', lastError: 'No workflow runs commands of type "send_fax"' });
  });

  it('Finish completes on ok and fails otherwise, each on the command its item came from', async () => {
    const claimed = await claim('draft_task_from_text', 'draft_task_from_text', 'confirm_draft');
    const failure = { kind: 'quota_exhausted', retryable: true, retryAfterMs: 3_600_000, message: 'Gemini quota', userMessage: 'Gemini is out of quota' };
    const results: IDataObject[] = [{ ok: true, result: { draftId: 41 } }, { ok: false, failure }, { error: 'Workflow E crashed' }];
    const [completed, failed] = await runNode(node, { parameters: { operation: 'finish' }, items: results, credentials: db.credentials, context: claimedUpstream(claimed) });

    expect(completed.map(({ json, pairedItem }) => [json.applied, json.id, json.status, pairedItem])).toEqual([[true, claimed[0].id, 'completed', { item: 0 }]]);
    expect((await getCommand(db.store, claimed[0].id))!.result).toEqual({ draftId: 41 });

    expect(failed.map(({ json, pairedItem }) => [json.applied, json.id, json.status, json.lastError, pairedItem])).toEqual([
      [true, claimed[1].id, 'failed', 'Gemini quota', { item: 1 }],
      [true, claimed[2].id, 'failed', 'Workflow E crashed', { item: 2 }],
    ]);
    // The failure path reads these: what to tell the user, and whether this error was told before.
    expect(failed[0].json).toMatchObject({ failure, errorBefore: null, type: 'draft_task_from_text', payload: { chatId: '5' } });
    expect(failed[1].json).toMatchObject({ failure: null, type: 'confirm_draft' });
    const waiting = (await getCommand(db.store, claimed[1].id))!;
    expect(Date.parse(waiting.runAfter!) - Date.now()).toBeGreaterThan(3_500_000);
  });

  it("Finish changes nothing for a command whose lease another run took over, and says so on the item's own output", async () => {
    const claimed = await claim('help');
    const stale = [{ ...claimed[0], leaseToken: 'lease-of-an-earlier-claim' }];
    const [completed, failed] = await runNode(node, { parameters: { operation: 'finish' }, items: [{ ok: true }], credentials: db.credentials, context: claimedUpstream(stale) });
    expect(failed).toEqual([]);
    expect(completed[0].json).toMatchObject({ applied: false, reason: 'lease_lost' });
    expect((await getCommand(db.store, claimed[0].id))!.status).toBe('processing');
  });

  it("Finish settles the command each item's own pairing names, not the one at its index", async () => {
    const claimed = await claim('help', 'help');
    // Both results pair with the first claimed command (a sub-workflow that returned two items for it).
    const items = [
      { json: { ok: true }, pairedItem: { item: 0 } },
      { json: { ok: false }, pairedItem: { item: 0 } },
    ];
    const [completed, failed] = await runNode(node, {
      parameters: { operation: 'finish' },
      items: [{}, {}],
      credentials: db.credentials,
      context: { ...claimedUpstream(claimed), getInputData: () => items },
    });
    expect(completed.map(({ json }) => [json.applied, json.id])).toEqual([[true, claimed[0].id]]);
    expect(failed.map(({ json }) => [json.applied, json.reason, json.id])).toEqual([[false, 'lease_lost', claimed[0].id]]);
    expect((await getCommand(db.store, claimed[1].id))!.status).toBe('processing');
  });

  it('an error is never kept as an item on an output that means something (continue on fail): the node fails', async () => {
    const routed = runNode(node, { parameters: { operation: 'route' }, items: [{ id: 1, type: 'send_fax' }], credentials: db.credentials, continueOnFail: true });
    await expect(routed).rejects.toThrow(/Lease token/);
    const finished = runNode(node, { parameters: { operation: 'finish' }, items: [{ ok: true }], credentials: db.credentials, continueOnFail: true, context: noClaimUpstream });
    await expect(finished).rejects.toThrow('This item comes from no claimed command');
  });

  it('Finish finds the Claim upstream under any name', async () => {
    const claimed = await claim('help');
    const [completed] = await runNode(node, { parameters: { operation: 'finish' }, items: [{ ok: true }], credentials: db.credentials, context: claimedUpstream(claimed, 'Take My Commands') });
    expect(completed[0].json).toMatchObject({ applied: true, status: 'completed' });
  });

  it('Finish without a Claim before it says where it belongs, and settles nothing', async () => {
    const claimed = await claim('help');
    const error = await nodeOperationError(() =>
      runNode(node, {
        parameters: { operation: 'finish' },
        items: [{ ok: true }],
        credentials: db.credentials,
        context: noClaimUpstream,
      }),
    );
    expect(error.message).toBe('This item comes from no claimed command');
    expect(error.description).toMatch(/connect it after that Claim/);
    expect((await getCommand(db.store, claimed[0].id))!.status).toBe('processing');
  });
});
