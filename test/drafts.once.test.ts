// A drafting command that runs twice (its lease ran out while it waited its turn) must not make
// a second draft: the second run gets the first run's draft back.
import { enqueueCommand } from '../nodes/shared/queue/commands';
import { createDraftOnce, getDraft } from '../nodes/shared/draft/drafts';
import { listAudit } from '../nodes/shared/store/audit';
import { tempSqliteStore, type TempStore } from './helpers/tempStore';

let t: TempStore;
beforeEach(async () => {
  t = await tempSqliteStore();
});
afterEach(async () => {
  await t.cleanup();
});

const task = (title: string) => ({ title, due_date: null, subtasks: [] });

async function command(key: string) {
  return (await enqueueCommand(t.store, { type: 'revise_draft', userId: 'telegram:1', payload: {}, dedupeKey: key })).command.id;
}

it('returns the draft a command already made, changing nothing, instead of making a second one', async () => {
  const first = await createDraftOnce(t.store, { userId: 'telegram:1', task: task('Buy milk'), commandId: await command('a') });
  const revising = await command('b');
  const revised = await createDraftOnce(t.store, { userId: 'telegram:1', task: task('Buy oat milk'), commandId: revising, supersedesId: first.draft.id });
  const again = await createDraftOnce(t.store, { userId: 'telegram:1', task: task('Buy oat milk again'), commandId: revising, supersedesId: first.draft.id });

  expect([first.existing, revised.existing, again.existing]).toEqual([false, false, true]);
  expect(again.draft).toEqual(revised.draft);
  expect(await t.store.get('SELECT COUNT(*) AS n FROM drafts')).toEqual({ n: 2 });
  expect((await getDraft(t.store, first.draft.id))?.status).toBe('superseded');
  expect((await listAudit(t.store, { entityType: 'draft' })).filter((a) => a.action === 'draft_created')).toHaveLength(2);
});

it('still makes separate drafts for separate commands, and for drafts made without a command', async () => {
  await createDraftOnce(t.store, { userId: 'telegram:1', task: task('one'), commandId: await command('a') });
  await createDraftOnce(t.store, { userId: 'telegram:1', task: task('two'), commandId: await command('b') });
  await createDraftOnce(t.store, { userId: 'telegram:1', task: task('three') });
  await createDraftOnce(t.store, { userId: 'telegram:1', task: task('four') });
  expect(await t.store.get('SELECT COUNT(*) AS n FROM drafts')).toEqual({ n: 4 });
});
