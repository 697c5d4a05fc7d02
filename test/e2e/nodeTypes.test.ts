// The packed tarball, installed the way n8n installs community packages, loads in real n8n 2.40.7;
// and the harness's Telegram plumbing (webhook registration, secret header, Telegram node) works
// against the emulator.
import { e2eEnvironment, withN8nLog } from './environment';
import { TelegramControlClient } from '../../emulators/telegramClient';

const { config, n8n } = e2eEnvironment();
const ECHO_WORKFLOW_ID = 'e2eTelegramEcho01';

describe('the packed package in n8n 2.40.7', () => {
  it('registers all seven nodes under the package name', async () => {
    const ours = (await n8n.nodeTypes()).map((type) => type.name).filter((name) => name.startsWith('n8n-nodes-draft-assistant.'));
    // n8n adds a "<name>Tool" variant of every node marked usableAsTool; those are not separate nodes.
    const nodes = ours.filter((name) => !name.endsWith('Tool'));
    expect(nodes.sort()).toEqual([
      'n8n-nodes-draft-assistant.commandQueue',
      'n8n-nodes-draft-assistant.commandRouter',
      'n8n-nodes-draft-assistant.draftStore',
      'n8n-nodes-draft-assistant.eventExecutor',
      'n8n-nodes-draft-assistant.geminiIntent',
      'n8n-nodes-draft-assistant.geminiPlanner',
      'n8n-nodes-draft-assistant.taskExecutor',
    ]);
    for (const tool of ours.filter((name) => name.endsWith('Tool'))) expect(nodes).toContain(tool.replace(/Tool$/, ''));
  });

  it('registers the draftAssistantDatabase credential', async () => {
    const names = (await n8n.credentialTypes()).map((type) => type.name);
    expect(names).toContain('draftAssistantDatabase');
  });

  it('published every shipped workflow and fixture', async () => {
    for (const id of [...Object.values(config.workflowIds), ...config.fixtureWorkflowIds]) {
      const workflow = await n8n.getWorkflow(id);
      expect({ id, activeVersionId: workflow.activeVersionId }).toEqual({ id, activeVersionId: workflow.versionId });
    }
  });
});

describe('Telegram round trip through the emulator', () => {
  const echoBot = new TelegramControlClient(config.echoBot.baseUrl);
  const user = { userId: 5550001, firstName: 'Echo', username: 'echo_tester' };

  it('registered the trigger webhook with its secret', async () => {
    const { webhook } = await echoBot.webhook();
    expect(webhook?.url).toMatch(new RegExp(`^${config.n8n.baseUrl}/webhook/.+/webhook$`));
    // n8n derives the secret from the workflow and node ids, keeping only [A-Za-z0-9_-].
    expect(webhook?.secret_token).toBe(`${ECHO_WORKFLOW_ID}_6b0f2c1e-3a57-4c1d-9d0e-1f5a7e2b8c01`);
    expect(webhook?.allowed_updates).toEqual(['message']);
  });

  it('echoes a message as HTML with the user text escaped', async () => {
    const update = await echoBot.sendMessage({ ...user, text: 'Tom & Jerry <3' });
    const sentMessageId = update.message?.message_id ?? 0;
    const reply = await withN8nLog(config, echoBot.waitForBotMessage({ chatId: user.userId, afterMessageId: sentMessageId, timeoutMs: 20_000 }));
    expect(reply.text).toBe('Echo: Tom & Jerry <3');
    expect(reply.entities).toEqual([{ type: 'bold', offset: 6, length: 14 }]);

    const [sendCall] = await echoBot.calls({ method: 'sendMessage' });
    expect(sendCall.params).toMatchObject({ chat_id: user.userId, parse_mode: 'HTML', text: 'Echo: <b>Tom &amp; Jerry &lt;3</b>' });

    const executions = await n8n.waitForExecutions(ECHO_WORKFLOW_ID, 1);
    const execution = await n8n.getExecution(executions[0].id);
    expect(execution.status).toBe('success');
    expect(execution.data.resultData.runData['Telegram Trigger'][0].data?.main?.[0]?.[0].json).toMatchObject({ update_id: update.update_id });
  });

  it('is not triggered by an update without the right secret', async () => {
    const { webhook } = await echoBot.webhook();
    const response = await fetch(String(webhook?.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' },
      body: JSON.stringify({ update_id: 1, message: { message_id: 1, chat: { id: 1, type: 'private' }, date: 0, text: 'forged' } }),
    });
    expect(response.status).toBe(403);
  });
});
