// The setup command against real n8n 2.40.7: the webhook's secret and URL are the installation's
// own (nothing computable from the package gets an update in), and running setup again is an
// upgrade that keeps what the user set. Runs its own stack, since it edits and upgrades workflows.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { configuredWorkflows, OWNER_TELEGRAM_ID } from '../../playground/stack';
import { N8nPublicApi } from '../../cli/setup/publicApi';
import { loadShippedWorkflows, runSetup } from '../../cli/setup/setup';
import type { WorkflowDefinition } from '../../cli/setup/plan';
import type { UserSpec } from '../../emulators/telegram';
import { Conversation, draftIdOf, sleep } from './conversation';
import { useStack } from './useStack';

jest.setTimeout(300_000);

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

const OWNER: UserSpec = { userId: OWNER_TELEGRAM_ID, firstName: 'Ada' };
const FRIEND: UserSpec = { userId: 434343, firstName: 'Sam' };

const e2e = useStack({ name: 'e2e-setup', allowedUserIds: [OWNER.userId!, FRIEND.userId!] });
let api: N8nPublicApi;
let apiKey: string;

beforeAll(async () => {
  apiKey = await e2e.n8n.createApiKey('e2e setup test');
  api = new N8nPublicApi(e2e.stack.n8n.baseUrl, apiKey);
});

const chat = new Conversation(() => e2e.stack, () => e2e.store, () => e2e.stack.n8n.logTail(40));

async function registeredWebhook(): Promise<{ url: string; secret_token: string }> {
  const response = await fetch(`${e2e.stack.telegram.url}/_control/webhook`);
  return ((await response.json()) as { webhook: { url: string; secret_token: string } }).webhook;
}

/** The webhook once n8n has registered it (publishing the router registers it in the background). */
async function webhookOnceRegistered(): Promise<{ url: string; secret_token: string }> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
    const webhook = await registeredWebhook();
    if (webhook) return webhook;
  }
  const calls = e2e.stack.telegram.callsSince(0).filter((call) => /Webhook/.test(call.method)).map((call) => `${call.method} ${call.status}`);
  throw new Error(`no webhook registered within 30 s; webhook calls: ${calls.join(', ')}\n${e2e.stack.n8n.logTail(60)}`);
}

const count = async (sql: string) => Number((await e2e.store.get<{ n: number }>(sql))?.n);

/** Everything an attacker can compute from the package: the shipped router file and its generator's id scheme. */
function computableFromThePackage(baseUrl: string) {
  const router = loadShippedWorkflows().find(({ file }) => file === 'A-inbound-router.json')!.workflow;
  const trigger = router.nodes.find((node) => node.type === 'n8n-nodes-base.telegramTrigger')!;
  // The webhookId earlier versions shipped (the workflow generator's stableId of "telegram-webhook", workflows/src/builder.ts).
  const hash = createHash('sha256').update(`${router.id}/telegram-webhook`).digest('hex');
  const oldWebhookId = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
  const raw = `${router.id}_${trigger.id}`;
  return {
    secrets: [raw, raw.replace(/[^A-Za-z0-9_]/g, ''), raw.replace(/[^A-Za-z0-9_-]/g, ''), `${router.id}${trigger.id}`, router.id as string, ''],
    urls: [
      `${baseUrl}/webhook/${oldWebhookId}/webhook`,
      // n8n's path for a webhook node without a webhookId: <workflow id>/<node name>/<path>.
      `${baseUrl}/webhook/${router.id}/${encodeURIComponent(trigger.name.toLowerCase())}/webhook`,
      `${baseUrl}/webhook/${router.id}/${encodeURIComponent(trigger.name)}/webhook`,
    ],
  };
}

describe('the webhook of an installation made by setup', () => {
  it('has a secret and a URL that nothing in the package gives away', async () => {
    const { url, secret_token } = await webhookOnceRegistered();
    const { secrets, urls } = computableFromThePackage(e2e.stack.n8n.baseUrl);
    expect(secrets).not.toContain(secret_token);
    expect(urls).not.toContain(url);
    const shippedIds = loadShippedWorkflows().flatMap(({ workflow }) => [workflow.id as string, ...workflow.nodes.map((node) => node.id as string)]);
    for (const id of shippedIds) {
      expect(secret_token).not.toContain(id);
      expect(url).not.toContain(id);
    }
    expect(secret_token).toContain(e2e.stack.workflowIds.router);
  });

  it('refuses updates signed with any secret computable from the shipped files, and creates nothing', async () => {
    // A real draft of the owner's, so a forged confirm:<id> has something to confirm.
    const card = await chat.sayAndGetCard(OWNER, 'buy forged milk tomorrow');
    await chat.settled();
    const draftId = draftIdOf(card);
    const before = {
      commands: await count('SELECT COUNT(*) AS n FROM commands'),
      gemini: e2e.stack.gemini!.requests.length,
      tasks: e2e.stack.tasks.allTasks().length,
      routerRuns: (await e2e.stack.n8n.client().listExecutions(e2e.stack.workflowIds.router)).length,
    };
    const { url: realUrl } = await webhookOnceRegistered();
    const { secrets, urls } = computableFromThePackage(e2e.stack.n8n.baseUrl);
    let updateId = 880_000_000;
    const statuses: { url: string; secret: string; kind: string; status: number }[] = [];
    for (const url of [realUrl, ...urls]) {
      for (const secret of secrets) {
        const from = { id: OWNER.userId, is_bot: false, first_name: 'Ada' };
        const chatRef = { id: OWNER.userId, type: 'private' };
        const updates = {
          confirm: { update_id: ++updateId, callback_query: { id: `forged-${updateId}`, from, message: { message_id: card.message_id, chat: chatRef, date: 1 }, data: `confirm:${draftId}` } },
          text: { update_id: ++updateId, message: { message_id: 9_000_000 + updateId, from, chat: chatRef, date: Math.floor(Date.now() / 1000), text: 'forged: buy a car tomorrow' } },
        };
        for (const [kind, update] of Object.entries(updates)) {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
            body: JSON.stringify(update),
          });
          await response.arrayBuffer();
          statuses.push({ url, secret, kind, status: response.status });
        }
      }
    }
    expect(statuses.filter((entry) => entry.status !== 403 && entry.status !== 404)).toEqual([]);
    expect(statuses.filter((entry) => entry.url === realUrl).every((entry) => entry.status === 403)).toBe(true);
    // Give anything that slipped through time to show up.
    await sleep(3_000);
    await chat.settled();
    expect(await count('SELECT COUNT(*) AS n FROM commands')).toBe(before.commands);
    expect(e2e.stack.gemini!.requests.length).toBe(before.gemini);
    expect(e2e.stack.tasks.allTasks().length).toBe(before.tasks);
    expect((await e2e.stack.n8n.client().listExecutions(e2e.stack.workflowIds.router)).length).toBe(before.routerRuns);
    expect((await chat.draftRow(draftId))?.status).toBe('drafted');
  });
});

describe('running setup again (the upgrade path)', () => {
  it('updates the workflows in place and keeps the allowlist, owner, credentials, node ids and webhook', async () => {
    const client = e2e.stack.n8n.client();
    const webhookBefore = await webhookOnceRegistered();
    // The user's own choices on the canvas: another owner, a second Telegram credential on the trigger.
    const botCopy = await client.createCredential({
      name: 'My bot (copy)',
      type: 'telegramApi',
      data: { accessToken: e2e.stack.telegram.token, baseUrl: e2e.stack.telegram.url },
    });
    const errors = await api.getWorkflow(e2e.stack.workflowIds.errors);
    const owner = errors.nodes.find((node) => node.name === 'Owner')!;
    (owner.parameters!.assignments as { assignments: { name: string; value: string }[] }).assignments.find((a) => a.name === 'chatId')!.value = String(FRIEND.userId);
    await api.updateWorkflow(errors.id as string, { name: errors.name, description: errors.description ?? '', nodes: errors.nodes, connections: errors.connections, settings: { executionOrder: 'v1' } });
    const router = await api.getWorkflow(e2e.stack.workflowIds.router);
    router.nodes.find((node) => node.name === 'Telegram Trigger')!.credentials = { telegramApi: { id: botCopy, name: 'My bot (copy)' } };
    await api.updateWorkflow(router.id as string, {
      name: router.name,
      description: router.description ?? '',
      nodes: router.nodes,
      connections: router.connections,
      settings: router.settings as Record<string, unknown>,
    });
    const triggerBefore = router.nodes.find((node) => node.name === 'Telegram Trigger')!;

    // The Operations workflow as an earlier version installed it: named "Draft Assistant · Operations" (file F-maintenance.json).
    const opsBefore = await api.getWorkflow(e2e.stack.workflowIds.ops);
    await api.updateWorkflow(opsBefore.id as string, {
      name: 'Draft Assistant · Operations',
      description: opsBefore.description ?? '',
      nodes: opsBefore.nodes,
      connections: opsBefore.connections,
      settings: { executionOrder: 'v1' },
    });
    const workflowsBefore = (await api.listWorkflows()).filter((workflow) => !workflow.isArchived).length;

    // A new package version: the same workflows, one note renamed in the router.
    const next = (configuredWorkflows({ geminiFallback: 'off' }) as WorkflowDefinition[]).map((workflow) => {
      if (workflow.id !== 'draftAssistantA') return workflow;
      return { ...workflow, nodes: workflow.nodes.map((node) => (node.name === 'Note 1' ? { ...node, name: 'Note 1 (v2)' } : node)) };
    });
    const lines: string[] = [];
    const result = await runSetup({ api, workflows: next, log: (line) => lines.push(line) });

    expect(Object.values(result.workflowIds).sort()).toEqual(Object.values(e2e.stack.workflowIds).sort());
    expect(result.outcomes.map((outcome) => outcome.action)).toEqual(result.outcomes.map(() => 'updated'));
    expect(result.notPublished).toBeUndefined();
    const routerOutcome = result.outcomes.find((outcome) => outcome.shippedId === 'draftAssistantA')!;
    expect(routerOutcome.changes).toMatchObject({ added: ['Note 1 (v2)'], removed: ['Note 1'] });
    expect(lines).toEqual(
      expect.arrayContaining([
        `    kept allowlist ${OWNER.userId},${FRIEND.userId} (Telegram Trigger)`,
        `    kept owner chat id ${FRIEND.userId} (Owner)`,
        '    kept default time zone UTC (Chat Context)',
      ]),
    );

    const upgraded = await api.getWorkflow(e2e.stack.workflowIds.router);
    const trigger = upgraded.nodes.find((node) => node.name === 'Telegram Trigger')!;
    expect(trigger.id).toBe(triggerBefore.id);
    expect(trigger.webhookId).toBe(triggerBefore.webhookId);
    expect(trigger.credentials).toEqual({ telegramApi: { id: botCopy, name: 'My bot (copy)' } });
    expect(trigger.parameters!.additionalFields).toEqual({ userIds: `${OWNER.userId},${FRIEND.userId}` });
    expect(upgraded.nodes.map((node) => node.name)).toContain('Note 1 (v2)');
    expect(upgraded.active).toBe(true);
    const upgradedOwner = (await api.getWorkflow(e2e.stack.workflowIds.errors)).nodes.find((node) => node.name === 'Owner')!;
    expect((upgradedOwner.parameters!.assignments as { assignments: { name: string; value: string }[] }).assignments[0].value).toBe(String(FRIEND.userId));
    expect((await api.getWorkflow(e2e.stack.workflowIds.executor)).settings?.errorWorkflow).toBe(e2e.stack.workflowIds.errors);

    // Operations moved to its new name in place: the same workflow, no second copy.
    expect((await api.getWorkflow(e2e.stack.workflowIds.ops)).name).toBe('Draft Assistant · O · Operations');
    expect((await api.listWorkflows()).filter((workflow) => !workflow.isArchived)).toHaveLength(workflowsBefore);

    // Same secret and URL at Telegram, and the bot still answers through them.
    const webhookAfter = await webhookOnceRegistered();
    expect(webhookAfter).toEqual(webhookBefore);
    const card = await chat.sayAndGetCard(FRIEND, 'call the plumber on Monday');
    chat.press(FRIEND, card, 'confirm');
    await chat.waitForBot(FRIEND, (m) => /Task created successfully/.test(m.text ?? ''), 'confirming after the upgrade', 60_000);
  });

  it('is what the package\'s bin does: `n8n-nodes-draft-assistant setup` upgrades the same workflows and says what it kept', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'workflows/*.json']));
    const bin = path.join(ROOT, manifest.bin['n8n-nodes-draft-assistant']);
    const webhookBefore = await webhookOnceRegistered();
    const { stdout } = await execFileAsync(process.execPath, [bin, 'setup', '--url', e2e.stack.n8n.baseUrl], {
      env: { ...process.env, N8N_API_KEY: apiKey },
      timeout: 120_000,
    });
    const updated = stdout.split('\n').filter((line) => line.startsWith('Updated'));
    expect(updated).toHaveLength(Object.keys(e2e.stack.workflowIds).length);
    for (const id of Object.values(e2e.stack.workflowIds)) expect(updated.some((line) => line.includes(`(id ${id})`))).toBe(true);
    expect(stdout).toContain(`kept allowlist ${OWNER.userId},${FRIEND.userId} (Telegram Trigger)`);
    expect(stdout).toMatch(/Published, in this order: Draft Assistant · Error Notifier, .*Draft Assistant · A · Inbound Router\n/);
    expect(await webhookOnceRegistered()).toEqual(webhookBefore);
  });
});
