// The node operations Workflow B's failure path uses (issue 10 and 8): Fail with Keep the
// Attempt, Owner Notice Due?, and the Draft Store's Reopen.
import { CommandQueue } from '../nodes/CommandQueue/CommandQueue.node';
import { DraftStore } from '../nodes/DraftStore/DraftStore.node';
import { confirmDraft, createDraft } from '../nodes/shared/draft/drafts';
import { enqueueCommand } from '../nodes/shared/queue/commands';
import { runNode } from './helpers/nodeHarness';
import { useNodeDatabase } from './helpers/nodeStore';

const queue = new CommandQueue();
const drafts = new DraftStore();
const USER = 'telegram:77';

describe('Workflow B failure-path operations', () => {
  const db = useNodeDatabase();

  it('Fail with Keep the Attempt gives the attempt back and waits as long as asked', async () => {
    await enqueueCommand(db.store, { type: 'draft_task_from_text', userId: USER, payload: { text: 'x' }, dedupeKey: 'k' });
    const [[claimed]] = await runNode(queue, { parameters: { operation: 'claim', limit: 1, leaseSeconds: 60, workerName: 'w' }, credentials: db.credentials });
    expect(claimed.json.attempts).toBe(1);
    const [[failed]] = await runNode(queue, {
      parameters: { operation: 'fail', commandId: claimed.json.id, leaseToken: claimed.json.leaseToken, error: 'Gemini rejected the API key', retryable: true, retryAfterSeconds: 900, keepAttempt: true },
      credentials: db.credentials,
    });
    expect(failed.json).toMatchObject({ applied: true, status: 'failed', attempts: 0 });
    expect(Date.parse(String(failed.json.runAfter)) - Date.parse(String(failed.json.updatedAt))).toBeGreaterThanOrEqual(900_000 - 2);
  });

  it('Owner Notice Due? lets one notice through per interval', async () => {
    const ask = async () => (await runNode(queue, { parameters: { operation: 'ownerNotice', noticeKey: 'gemini_not_configured', intervalMinutes: 60 }, credentials: db.credentials }))[0][0].json;
    expect(await ask()).toMatchObject({ due: true, key: 'gemini_not_configured' });
    expect(await ask()).toMatchObject({ due: false, suppressed: 1 });
    expect(await ask()).toMatchObject({ due: false, suppressed: 2 });
  });

  it('Reopen gives a confirmed draft back, with its card and buttons', async () => {
    const draft = await createDraft(db.store, { userId: USER, task: { title: 'Pay rent', due_date: null, subtasks: [] }, chatId: 5 });
    await confirmDraft(db.store, draft.id, USER);
    const [[out]] = await runNode(drafts, { parameters: { operation: 'reopen', draftId: draft.id, userId: USER, reason: 'Google refused it' }, credentials: db.credentials });
    expect(out.json).toMatchObject({ reopened: true, status: 'drafted', card: { confirmData: `confirm:${draft.id}` } });
    const [[again]] = await runNode(drafts, { parameters: { operation: 'reopen', draftId: draft.id, userId: USER, reason: 'x' }, credentials: db.credentials });
    expect(again.json).toMatchObject({ reopened: false, status: 'drafted' });
  });
});
