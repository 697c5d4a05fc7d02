// The setup command's planning: fresh ids per installation, references rewired, and an upgrade
// that keeps what the user set (allowlist, owner, time zone, credentials, node ids, webhook).
import { FORMER_NAMES, installOrder, markerDescription, markerOf, namesOf, planWorkflow, referencedIds, type WorkflowDefinition, type WorkflowNode } from '../cli/setup/plan';
import { locateInstalled, loadShippedWorkflows, runSetup } from '../cli/setup/setup';
import type { N8nPublicApi } from '../cli/setup/publicApi';

const shipped = loadShippedWorkflows().map(({ workflow }) => workflow);
const byId = (id: string) => shipped.find((workflow) => workflow.id === id)!;
const ROUTER = 'draftAssistantA';
const EXECUTOR = 'draftAssistantB';
const ERRORS = 'draftAssistantErr';
const node = (workflow: WorkflowDefinition, name: string) => workflow.nodes.find((n) => n.name === name)!;
const ownerOf = (n: WorkflowNode) =>
  (n.parameters!.assignments as { assignments: { name: string; value: string }[] }).assignments.find((a) => a.name === 'chatId')!.value;

const installedIds = { [ERRORS]: 'Err1', draftAssistantC: 'C1', draftAssistantD: 'D1', draftAssistantE: 'E1', draftAssistantL: 'L1', [EXECUTOR]: 'B1', draftAssistantOps: 'O1', [ROUTER]: 'A1' };
const installed = Object.fromEntries(Object.entries(installedIds).map(([key, id]) => [key, { id, name: `${byId(key).name}` }]));
const credentials = [
  { id: 'tg1', name: 'My bot', type: 'telegramApi' },
  { id: 'db1', name: 'My store', type: 'draftAssistantDatabase' },
  { id: 'gm1', name: 'Gemini', type: 'googlePalmApi' },
  { id: 'gm2', name: 'Gemini spare', type: 'googlePalmApi' },
  { id: 'gt1', name: 'Tasks', type: 'googleTasksOAuth2Api' },
  { id: 'gc1', name: 'Calendar', type: 'googleCalendarOAuth2Api' },
];

describe('shipped workflow files', () => {
  it('carry no webhookId on the Telegram Trigger, so no installation inherits a public webhook URL', () => {
    const trigger = byId(ROUTER).nodes.find((n) => n.type === 'n8n-nodes-base.telegramTrigger')!;
    expect(trigger).toBeDefined();
    expect(trigger.webhookId).toBeUndefined();
  });
});

describe('installOrder', () => {
  it('puts every workflow after the ones it calls or reports errors to: Error Notifier first, A (the webhook) last', () => {
    const order = installOrder(shipped).map((workflow) => workflow.id as string);
    expect(order[0]).toBe(ERRORS);
    for (const [index, id] of order.entries()) {
      for (const reference of referencedIds(byId(id))) expect(order.indexOf(reference)).toBeLessThan(index);
    }
    expect(order[order.length - 1]).toBe(ROUTER);
    expect(order.indexOf(EXECUTOR)).toBeGreaterThan(order.indexOf('draftAssistantD'));
  });
});

describe('planWorkflow, first install', () => {
  const plan = (id: string, settings = {}) => planWorkflow(byId(id), undefined, { installed, settings, availableCredentials: credentials });

  it('gives every node a fresh random id and the trigger a fresh random webhookId, different on every run', () => {
    const first = plan(ROUTER).body;
    const second = plan(ROUTER).body;
    const shippedIds = new Set(byId(ROUTER).nodes.map((n) => n.id));
    for (const n of first.nodes) {
      expect(n.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(shippedIds.has(n.id)).toBe(false);
    }
    expect(new Set(first.nodes.map((n) => n.id)).size).toBe(first.nodes.length);
    const trigger = node(first as WorkflowDefinition, 'Telegram Trigger');
    const again = node(second as WorkflowDefinition, 'Telegram Trigger');
    expect(trigger.webhookId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.webhookId).not.toBe(trigger.webhookId);
    expect(again.id).not.toBe(trigger.id);
  });

  it('rewires Execute Workflow references and the error workflow to the installed ids', () => {
    const { body } = plan(EXECUTOR);
    const calls = body.nodes.filter((n) => n.type === 'n8n-nodes-base.executeWorkflow');
    expect(calls.length).toBe(4);
    const shippedIdOf: Record<string, string> = { C1: 'draftAssistantC', D1: 'draftAssistantD', E1: 'draftAssistantE', L1: 'draftAssistantL' };
    for (const call of calls) {
      const reference = call.parameters!.workflowId as { value: string; cachedResultName: string };
      expect(Object.keys(shippedIdOf)).toContain(reference.value);
      expect(reference.cachedResultName).toBe(byId(shippedIdOf[reference.value]).name);
    }
    expect(body.settings.errorWorkflow).toBe('Err1');
    expect(plan(ERRORS).body.settings.errorWorkflow).toBeUndefined();
    expect(JSON.stringify([body.nodes, body.settings])).not.toMatch(/"draftAssistant(A|B|C|D|E|L|Err|Ops)"/);
    expect(markerOf(body.description)).toBe(EXECUTOR);
  });

  it('applies the allowlist, owner (first allowed id by default), time zone and credentials given as options', () => {
    const settings = { allowedUserIds: '111,222', defaultTimezone: 'Europe/Berlin', credentials: { googlePalmApi: 'gm2' } };
    const router = plan(ROUTER, settings).body as WorkflowDefinition;
    expect(node(router, 'Telegram Trigger').parameters!.additionalFields).toEqual({ userIds: '111,222' });
    expect((node(router, 'Chat Context').parameters!.contextOptions as { defaultTimezone: string }).defaultTimezone).toBe('Europe/Berlin');
    expect(node(router, 'Telegram Trigger').credentials).toEqual({ telegramApi: { id: 'tg1', name: 'My bot' } });
    const gemini = router.nodes.find((n) => n.credentials?.googlePalmApi)!;
    expect(gemini.credentials!.googlePalmApi).toEqual({ id: 'gm2', name: 'Gemini spare' });
    expect(ownerOf(node(plan(ERRORS, settings).body as WorkflowDefinition, 'Owner'))).toBe('111');
    expect(ownerOf(node(plan(ERRORS, { ...settings, ownerChatId: '999' }).body as WorkflowDefinition, 'Owner'))).toBe('999');
  });

  it('reports what is still missing: an ambiguous credential, an empty allowlist', () => {
    const { changes } = plan(ROUTER);
    expect(changes.unset).toEqual(['allowlist (Telegram Trigger)']);
    expect(changes.missingCredentials.some((entry) => entry.endsWith('googlePalmApi'))).toBe(true);
    expect(changes.missingCredentials.some((entry) => entry.endsWith('telegramApi'))).toBe(false);
  });

  it('refuses a credential id that does not exist or has another type', () => {
    expect(() => plan(ROUTER, { credentials: { telegramApi: 'nope' } })).toThrow(/no credential with that id/);
    expect(() => plan(ROUTER, { credentials: { telegramApi: 'db1' } })).toThrow(/is a draftAssistantDatabase/);
  });
});

describe('planWorkflow, upgrade', () => {
  /** What a first install put in n8n, then edited by the user on the canvas. */
  function installedRouter(): WorkflowDefinition {
    const body = planWorkflow(byId(ROUTER), undefined, {
      installed,
      settings: { allowedUserIds: '424242', credentials: { googlePalmApi: 'gm1' } },
      availableCredentials: credentials,
    }).body;
    const workflow: WorkflowDefinition = structuredClone({ ...body, id: 'A1', name: 'My router' });
    (node(workflow, 'Chat Context').parameters!.contextOptions as Record<string, string>).defaultTimezone = 'Asia/Tokyo';
    node(workflow, 'Telegram Trigger').credentials = { telegramApi: { id: 'tg-other', name: 'Second bot' } };
    // A node the user added, and a shipped node the user renamed (so the shipped name is "new").
    workflow.nodes.push({ id: 'mine', name: 'My Extra Node', type: 'n8n-nodes-base.noOp', parameters: {} });
    node(workflow, 'Parse Update').name = 'Parse Update (old)';
    return workflow;
  }

  it('keeps node ids, the webhookId, allowlist, time zone and credentials, and reports added and removed nodes', () => {
    const existing = installedRouter();
    const { body, changes } = planWorkflow(byId(ROUTER), existing, { installed, settings: {}, availableCredentials: [...credentials, { id: 'tg-other', name: 'Second bot', type: 'telegramApi' }] });
    const result = body as WorkflowDefinition;
    for (const n of result.nodes) {
      const before = existing.nodes.find((e) => e.name === n.name);
      if (before) expect(n.id).toBe(before.id);
    }
    expect(node(result, 'Telegram Trigger').webhookId).toBe(node(existing, 'Telegram Trigger').webhookId);
    expect(node(result, 'Telegram Trigger').parameters!.additionalFields).toEqual({ userIds: '424242' });
    expect((node(result, 'Chat Context').parameters!.contextOptions as { defaultTimezone: string }).defaultTimezone).toBe('Asia/Tokyo');
    expect(node(result, 'Telegram Trigger').credentials).toEqual({ telegramApi: { id: 'tg-other', name: 'Second bot' } });
    expect(result.nodes.find((n) => n.credentials?.googlePalmApi)!.credentials!.googlePalmApi.id).toBe('gm1');
    expect(result.name).toBe('My router');
    expect(changes.added).toEqual(['Parse Update']);
    expect(changes.removed.sort()).toEqual(['My Extra Node', 'Parse Update (old)']);
    expect(changes.kept).toEqual(expect.arrayContaining(['allowlist 424242 (Telegram Trigger)', 'default time zone Asia/Tokyo (Chat Context)']));
    expect(changes.credentialsKept).toBeGreaterThan(5);
    expect(changes.missingCredentials).toEqual([]);
    // The added node gets a fresh id, not the shipped one.
    expect(node(result, 'Parse Update').id).not.toBe(node(byId(ROUTER), 'Parse Update').id);
  });

  it('keeps the owner chat id in the Error Notifier, and lets an explicit option replace a kept setting', () => {
    const errors = structuredClone({ ...planWorkflow(byId(ERRORS), undefined, { installed, settings: { ownerChatId: '777' } }).body, id: 'Err1' });
    const kept = planWorkflow(byId(ERRORS), errors, { installed, settings: { allowedUserIds: '1,2' } });
    expect(ownerOf(node(kept.body as WorkflowDefinition, 'Owner'))).toBe('777');
    expect(kept.changes.kept).toEqual(['owner chat id 777 (Owner)']);
    const replaced = planWorkflow(byId(ROUTER), installedRouter(), { installed, settings: { allowedUserIds: '5,6' } });
    expect(node(replaced.body as WorkflowDefinition, 'Telegram Trigger').parameters!.additionalFields).toEqual({ userIds: '5,6' });
    expect(replaced.changes.set).toEqual(['allowlist 5,6 (Telegram Trigger)']);
  });

  it('replaces node ids and the webhookId that an older install copied from the shipped file (they are public)', () => {
    const copied = structuredClone({ ...byId(ROUTER), id: ROUTER });
    node(copied, 'Telegram Trigger').webhookId = 'c0ffee00-0000-4000-a000-000000000000';
    const { body, changes } = planWorkflow(byId(ROUTER), copied, { installed, settings: {} });
    const shippedIds = new Set(byId(ROUTER).nodes.map((n) => n.id));
    for (const n of body.nodes) expect(shippedIds.has(n.id)).toBe(false);
    expect(node(body as WorkflowDefinition, 'Telegram Trigger').webhookId).not.toBe('c0ffee00-0000-4000-a000-000000000000');
    expect(changes.replacedPublicIds).toContain('Telegram Trigger');
  });

  it('gives a trigger that has no webhookId yet (an older install) a fresh one', () => {
    const existing = installedRouter();
    delete node(existing, 'Telegram Trigger').webhookId;
    const { body } = planWorkflow(byId(ROUTER), existing, { installed, settings: {} });
    expect(node(body as WorkflowDefinition, 'Telegram Trigger').webhookId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

/** n8n's public API in memory: enough of it to run setup twice. */
class FakeApi {
  workflows = new Map<string, WorkflowDefinition>();
  published: string[] = [];
  private next = 1;
  async listWorkflows() {
    return [...this.workflows.values()].map(({ description: _description, ...rest }) => structuredClone(rest));
  }
  async getWorkflow(id: string) {
    return structuredClone(this.workflows.get(id)!);
  }
  async createWorkflow(body: WorkflowDefinition) {
    const id = `wf${this.next++}`;
    this.workflows.set(id, structuredClone({ ...body, id, active: false }));
    return { ...body, id };
  }
  async updateWorkflow(id: string, body: WorkflowDefinition) {
    this.workflows.set(id, structuredClone({ ...this.workflows.get(id)!, ...body, id }));
    return this.workflows.get(id)!;
  }
  async unpublishWorkflow(id: string) {
    for (const n of this.workflows.get(id)!.nodes) if (n.webhookId) this.liveWebhooks.delete(`${n.webhookId}/webhook`);
    this.workflows.get(id)!.active = false;
    this.published.push(`unpublish:${id}`);
    return this.workflows.get(id)!;
  }
  async publishWorkflow(id: string) {
    const workflow = this.workflows.get(id)!;
    workflow.active = true;
    this.published.push(id);
    const paths = workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.telegramTrigger').map((n) => `${n.webhookId}/webhook`);
    // n8n 2.40.7 publishes through an outbox after the call returns, and may lose a registration.
    for (const path of paths) {
      if (this.registrationsToLose > 0) this.registrationsToLose--;
      else this.liveWebhooks.add(path);
    }
    return workflow;
  }
  /** How many of the next webhook registrations n8n "forgets" (Telegram keeps the URL, n8n answers 404). */
  registrationsToLose = 0;
  liveWebhooks = new Set<string>();
  async webhookIsLive(path: string) {
    return this.liveWebhooks.has(path);
  }
  async listCredentials() {
    return credentials;
  }
}

describe('runSetup', () => {
  it('installs, publishes in dependency order, and finds the same workflows again on the next run', async () => {
    const api = new FakeApi();
    const lines: string[] = [];
    const settings = { allowedUserIds: '424242', credentials: { googlePalmApi: 'gm1' } };
    const first = await runSetup({ api: api as unknown as N8nPublicApi, workflows: shipped, settings, log: (line) => lines.push(line) });
    expect(Object.keys(first.workflowIds).sort()).toEqual(shipped.map((w) => w.id).sort());
    expect(api.published.map((id) => [...api.workflows.values()].find((w) => w.id === id)!.name)).toEqual(first.published);
    expect(api.published[0]).toBe(first.workflowIds[ERRORS]);
    expect(api.published.indexOf(first.workflowIds[ROUTER])).toBeGreaterThan(api.published.indexOf(first.workflowIds[EXECUTOR]));
    expect(lines.filter((line) => line.startsWith('Created')).length).toBe(shipped.length);
    const webhookId = node(api.workflows.get(first.workflowIds[ROUTER])!, 'Telegram Trigger').webhookId;

    // The user renames a workflow; the marker still finds it.
    api.workflows.get(first.workflowIds[EXECUTOR])!.name = 'Renamed executor';
    const again: string[] = [];
    api.published.length = 0;
    const second = await runSetup({ api: api as unknown as N8nPublicApi, workflows: shipped, log: (line) => again.push(line) });
    // The router (the webhook) is taken offline and published again, last; the others are republished in place.
    expect(api.published.slice(-2)).toEqual([`unpublish:${first.workflowIds[ROUTER]}`, first.workflowIds[ROUTER]]);
    expect(api.published.filter((entry) => entry.startsWith('unpublish:'))).toHaveLength(1);
    expect(second.workflowIds).toEqual(first.workflowIds);
    expect(api.workflows.size).toBe(shipped.length);
    expect(again.filter((line) => line.startsWith('Updated')).length).toBe(shipped.length);
    expect(again).toEqual(expect.arrayContaining(['    kept allowlist 424242 (Telegram Trigger)']));
    const router = api.workflows.get(first.workflowIds[ROUTER])!;
    expect(node(router, 'Telegram Trigger').webhookId).toBe(webhookId);
    const executor = api.workflows.get(first.workflowIds[EXECUTOR])!;
    expect((node(router, 'Run Executor Now').parameters!.workflowId as { cachedResultName: string }).cachedResultName).toBe(executor.name);
  });

  it('publishes the router again until n8n answers on its webhook (a registration n8n lost is not left dead)', async () => {
    const api = new FakeApi();
    const settings = { allowedUserIds: '424242', credentials: { googlePalmApi: 'gm1' } };
    const first = await runSetup({ api: api as unknown as N8nPublicApi, workflows: shipped, settings, webhookWaitMs: 50 });
    const path = `${node(api.workflows.get(first.workflowIds[ROUTER])!, 'Telegram Trigger').webhookId}/webhook`;
    expect(api.liveWebhooks.has(path)).toBe(true);

    // The upgrade's republish is lost twice: setup notices (404 on the webhook) and publishes again.
    api.registrationsToLose = 2;
    api.published.length = 0;
    const lines: string[] = [];
    const second = await runSetup({ api: api as unknown as N8nPublicApi, workflows: shipped, webhookWaitMs: 50, log: (line) => lines.push(line) });
    expect(api.liveWebhooks.has(path)).toBe(true);
    expect(api.published.filter((entry) => entry === first.workflowIds[ROUTER])).toHaveLength(3);
    expect(second.webhooksNotLive).toBeUndefined();

    // A webhook that never comes up is reported, not hidden.
    api.registrationsToLose = 100;
    const third = await runSetup({ api: api as unknown as N8nPublicApi, workflows: shipped, webhookWaitMs: 50, log: (line) => lines.push(line) });
    expect(third.webhooksNotLive).toEqual([api.workflows.get(first.workflowIds[ROUTER])!.name]);
    expect(lines.some((line) => /did not start answering on its webhook/.test(line))).toBe(true);
  });

  it('adopts a manual import by name, and refuses to guess between two candidates', async () => {
    const api = new FakeApi();
    const manual = structuredClone({ ...byId(ERRORS), id: 'ui1', description: null });
    api.workflows.set('ui1', manual);
    const found = await locateInstalled(api as unknown as N8nPublicApi, shipped);
    expect(found.get(ERRORS)?.id).toBe('ui1');
    api.workflows.set('ui2', structuredClone({ ...manual, id: 'ui2' }));
    await expect(locateInstalled(api as unknown as N8nPublicApi, shipped)).rejects.toThrow(/2 workflows are named/);
  });

  it('moves an Operations workflow of an earlier version (named "Draft Assistant · Operations", file F-maintenance.json) to its new name in place, never a second copy', async () => {
    const ops = byId('draftAssistantOps');
    expect(ops.name).toBe('Draft Assistant · O · Operations');
    expect(namesOf(ops)).toContain('Draft Assistant · Operations');
    // Installed by an earlier setup (marker) and by a manual import of the old file (no marker): both are found and renamed.
    for (const description of [markerDescription('draftAssistantOps'), null]) {
      const api = new FakeApi();
      const settings = { allowedUserIds: '424242', credentials: { googlePalmApi: 'gm1' } };
      const first = await runSetup({ api: api as unknown as N8nPublicApi, workflows: shipped, settings });
      const opsId = first.workflowIds.draftAssistantOps;
      Object.assign(api.workflows.get(opsId)!, { name: 'Draft Assistant · Operations', description });
      const second = await runSetup({ api: api as unknown as N8nPublicApi, workflows: shipped });
      expect(second.workflowIds.draftAssistantOps).toBe(opsId);
      expect(second.outcomes.find((outcome) => outcome.shippedId === 'draftAssistantOps')!.action).toBe('updated');
      expect(api.workflows.get(opsId)!.name).toBe('Draft Assistant · O · Operations');
      expect(markerOf(api.workflows.get(opsId)!.description)).toBe('draftAssistantOps');
      expect(api.workflows.size).toBe(shipped.length);
    }
    // A name the user chose is theirs.
    const mine = planWorkflow(ops, { ...structuredClone(ops), id: 'O1', name: 'Our ops' }, { installed, settings: {} });
    expect(mine.body.name).toBe('Our ops');
  });

  it('keeps the former names apart from every current one', () => {
    const current = new Set(shipped.map((workflow) => workflow.name));
    for (const names of Object.values(FORMER_NAMES)) for (const name of names) expect(current.has(name)).toBe(false);
  });

  it('does not publish while a node has no credential, and says which', async () => {
    const api = new FakeApi();
    const result = await runSetup({ api: api as unknown as N8nPublicApi, workflows: shipped, settings: { allowedUserIds: '1' } });
    expect(api.published).toEqual([]);
    expect(result.notPublished).toMatch(/googlePalmApi/);
  });
});
