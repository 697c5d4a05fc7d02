// The error workflow: tells the owner in Telegram when any Draft Assistant workflow fails.
import { ERROR_NOTICE } from '../../nodes/shared/messages/workflowReplies';
import { jsString, stableId, telegramSend, type Workflow, WorkflowBuilder } from './builder';
import { IDS, NAMES } from './ids';

/** HTML-escapes the value of a JavaScript expression inside an n8n expression. */
const escape = (expression: string) => `String(${expression}).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')`;

export function buildErrorNotifier(): Workflow {
  const wf = new WorkflowBuilder(IDS.errors, NAMES.errors);
  wf.note(
    '## Error Notifier\nRuns when any Draft Assistant workflow fails unexpectedly and tells you in Telegram. **Set your Telegram user ID in "Owner"** (the same ID as in the router\'s allowlist). Queued commands are kept and retried.',
    [-0.2, -1.25],
    [3.6, 1.1],
    4,
  );
  wf.add('Error Trigger', 'n8n-nodes-base.errorTrigger', 1, [0, 0], {});
  // Passes the Error Trigger's item on: after a crash, n8n's recovery run resolves nothing through
  // $('Error Trigger'), but the item itself ($json) is complete in both cases.
  wf.add('Owner', 'n8n-nodes-base.set', 3.4, [1, 0], {
    assignments: { assignments: [{ id: stableId(wf.id, 'Owner', 'chatId'), name: 'chatId', value: '', type: 'string' }] },
    includeOtherFields: true,
    options: {},
  });
  const knownNames = JSON.stringify(Object.fromEntries(Object.entries(NAMES).map(([role, name]) => [IDS[role as keyof typeof NAMES], name])));
  const workflow = `($json.workflow?.name || ${knownNames}[$json.workflow?.id] || ($json.workflow?.id ? ${jsString(ERROR_NOTICE.workflowById)} + $json.workflow.id : ${jsString(ERROR_NOTICE.unnamedWorkflow)}))`;
  const error = '($json.execution?.error ?? $json.trigger?.error ?? {})';
  const what = `(${error}.name === 'WorkflowCrashedError' ? ${jsString(ERROR_NOTICE.crashed)} : (${error}.message || ${jsString(ERROR_NOTICE.unknownError)}))`;
  const step = `($json.execution?.lastNodeExecuted ? ${jsString(ERROR_NOTICE.atStep)} + ${escape('$json.execution.lastNodeExecuted')} + '</b>' : '')`;
  telegramSend(wf, 'Tell Owner', [2, 0], '={{ $json.chatId }}', `=${ERROR_NOTICE.message(`{{ ${escape(workflow)} }}`, `{{ ${step} }}`, `{{ ${escape(`${what}.slice(0, 500)`)} }}`)}`);
  wf.chain('Error Trigger', 'Owner', 'Tell Owner');
  return wf.toJSON({ errorWorkflow: undefined });
}
