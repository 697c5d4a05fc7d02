// Workflow B: Command Executor. Claims queued commands under a lease, runs each in the workflow
// for its type, then completes or fails it, and tells the user (and the owner) what they must know.
import {
  type CommandType,
  DECISION_COMMAND_TYPES,
  DRAFTING_COMMAND_TYPES,
  EVENT_COMMAND_TYPES,
  REPLY_COMMAND_TYPES,
  REVISES_EVENT_EXPRESSION,
  TASK_COMMAND_TYPES,
} from '../../nodes/shared/contracts';
import { EXECUTOR_REPLIES } from '../../nodes/shared/messages/workflowReplies';
import { WORKFLOW_CLAIM_LEASE_SECONDS, WORKFLOW_CLAIM_LIMIT } from '../../nodes/shared/queue/commandBudget';
import { executeWorkflow, expr, ifNode, isTrue, jsString, setResult, subWorkflowTrigger, switchNode, telegramSend, type Workflow, WorkflowBuilder } from './builder';
import { IDS, NAMES } from './ids';
import { commandQueue, draftStore } from './nodes';

const POLL_SECONDS = 10;

/** `['a', 'b'].includes($json.type)` */
const typeIn = (types: readonly CommandType[]) => expr(`[${types.map((t) => jsString(t)).join(', ')}].includes($json.type)`);

export function buildExecutor(): Workflow {
  const wf = new WorkflowBuilder(IDS.executor, NAMES.executor);
  const claimed = "$('Claim Commands').item.json";
  wf.note(
    `## B · Command Executor\nClaims one ready command when the router calls (normally the one it just queued), or up to ${WORKFLOW_CLAIM_LIMIT.poll} every ${POLL_SECONDS} s as a safety net, each under a ${WORKFLOW_CLAIM_LEASE_SECONDS} s lease that is renewed while it runs; routes each by type (drafting to D, events and their edits to C, a button's decision to E, help to a reply, /list, ✓ Done and /undo to L), then completes it or fails it. Retryable failures come back with backoff; a dead command, or a long wait such as an exhausted Gemini quota, is told to the user once. A confirmed draft whose command dies is given back (drafted, buttons working). A Gemini setup error (refused key, model gone) keeps the message waiting without using its attempts, and fails this run at most once an hour so the Error Notifier tells you what to change.`,
    [-0.2, -1.5],
    [4.6, 0.85],
    4,
  );
  wf.add('Every 10 Seconds', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, -0.2], { rule: { interval: [{ field: 'seconds', secondsInterval: POLL_SECONDS }] } });
  subWorkflowTrigger(wf, 'When Called by Router', [0, 0.8]);
  commandQueue(
    wf,
    'Claim Commands',
    [1, 0.3],
    // A router call takes the one command it just queued; the 10 s poll drains a backlog a few at a
    // time. The commands run one after another, and with Gemini's and Google's retries that can
    // take far longer than any lease: so the lease is renewed while this n8n runs them (up to
    // their worst case, nodes/shared/queue/commandBudget.ts; test/commandBudget.test.ts checks it), and
    // is short, so that the commands of an n8n that stopped are taken over a minute later.
    {
      operation: 'claim',
      limit: expr(`$('Every 10 Seconds').isExecuted ? ${WORKFLOW_CLAIM_LIMIT.poll} : ${WORKFLOW_CLAIM_LIMIT.routerCall}`),
      leaseSeconds: WORKFLOW_CLAIM_LEASE_SECONDS,
      renewWhileRunning: true,
    },
  );
  wf.connect('Every 10 Seconds', 'Claim Commands');
  wf.connect('When Called by Router', 'Claim Commands');
  switchNode(wf, 'Route by Type', [2, 0.3], [
    // An edit of an event draft goes to C (the last rule), not D.
    ['Draft', isTrue(expr(`${JSON.stringify(DRAFTING_COMMAND_TYPES)}.includes($json.type) && !${REVISES_EVENT_EXPRESSION}`))],
    ['Decision', isTrue(typeIn(DECISION_COMMAND_TYPES))],
    ['Reply', isTrue(typeIn(REPLY_COMMAND_TYPES))],
    ['Tasks', isTrue(typeIn(TASK_COMMAND_TYPES))],
    ['Events', isTrue(expr(`${JSON.stringify(EVENT_COMMAND_TYPES)}.includes($json.type) || ${REVISES_EVENT_EXPRESSION}`))],
  ]);
  wf.connect('Claim Commands', 'Route by Type');
  executeWorkflow(wf, 'Run Task Drafting (D)', [3, -0.4], IDS.drafting, NAMES.drafting);
  executeWorkflow(wf, 'Run Confirmation (E)', [3, 0.3], IDS.confirmation, NAMES.confirmation);
  telegramSend(wf, 'Send Reply', [3, 1.0], '={{ $json.payload.chatId }}', expr(`$json.payload.reply || ${jsString(EXECUTOR_REPLIES.didNotGetThat, '"')}`), {
    node: { onError: 'continueRegularOutput' },
  });
  setResult(wf, 'Reply Sent', [4, 1.0], {
    ok: ['boolean', '={{ !$json.error }}'],
    failure: ['object', '={{ $json.error ? { kind: "telegram", retryable: true, message: $json.error, userMessage: "" } : null }}'],
  });
  wf.connect('Route by Type', 'Run Task Drafting (D)', 0);
  wf.connect('Route by Type', 'Run Confirmation (E)', 1);
  wf.connect('Route by Type', 'Send Reply', 2);
  wf.connect('Send Reply', 'Reply Sent');
  // The user's tasks: /list, ✓ Done, /undo and its buttons.
  executeWorkflow(wf, 'Run Your Tasks (L)', [3, 1.7], IDS.tasks, NAMES.tasks);
  wf.connect('Route by Type', 'Run Your Tasks (L)', 3);
  wf.connect('Run Your Tasks (L)', 'Succeeded?');
  // Event drafts: an event in words or from a link, its edits, 🕒 Move, 📅 Event / ✅ Task, /calendar.
  executeWorkflow(wf, 'Run Event Drafting (C)', [3, 2.4], IDS.events, NAMES.events);
  wf.connect('Route by Type', 'Run Event Drafting (C)', 4);
  wf.connect('Run Event Drafting (C)', 'Succeeded?');

  ifNode(wf, 'Succeeded?', [5, 0.3], isTrue('={{ $json.ok === true }}'));
  wf.connect('Run Task Drafting (D)', 'Succeeded?');
  wf.connect('Run Confirmation (E)', 'Succeeded?');
  wf.connect('Reply Sent', 'Succeeded?');
  commandQueue(wf, 'Complete Command', [6, 0], {
    operation: 'complete',
    commandId: expr(`${claimed}.id`),
    leaseToken: expr(`${claimed}.leaseToken`),
    result: '={{ JSON.stringify($json.result ?? {}) }}',
  });
  commandQueue(wf, 'Fail Command', [6, 0.8], {
    operation: 'fail',
    commandId: expr(`${claimed}.id`),
    leaseToken: expr(`${claimed}.leaseToken`),
    error: '={{ $json.failure?.message ?? $json.error ?? "The sub-workflow returned no result" }}',
    retryable: '={{ $json.failure ? $json.failure.retryable : true }}',
    retryAfterSeconds: '={{ ($json.failure?.retryAfterMs ?? 0) / 1000 }}',
    // A setup error (Gemini refuses the key or the model) waits without using up the command's attempts.
    keepAttempt: '={{ $json.failure?.keepsAttempt === true }}',
  });
  wf.connect('Succeeded?', 'Complete Command', 0);
  wf.connect('Succeeded?', 'Fail Command', 1);

  const failed = "$('Fail Command').item.json";
  const failure = "$('Succeeded?').item.json.failure";
  const confirm: CommandType = 'confirm_draft';
  // A confirmed draft whose command is dead would stay confirmed forever (it can no longer be edited
  // or cancelled): it goes back to drafted, and its card, which still has its buttons, works again.
  ifNode(
    wf,
    'Give the Draft Back?',
    [7, 0.8],
    isTrue(expr(`$json.applied && $json.status === 'dead' && ${claimed}.type === ${jsString(confirm)} && !!${claimed}.payload.draftId`)),
  );
  draftStore(
    wf,
    'Reopen Draft',
    [8, 0.55],
    { operation: 'reopen', draftId: expr(`${claimed}.payload.draftId`), userId: expr(`${claimed}.userId`), reason: expr(`${failed}.lastError ?? ''`) },
    { onError: 'continueRegularOutput' },
  );
  // Told once: when the command is dead, or will wait a minute or more; a command waiting for the
  // owner to fix the setup is told on its first wait only, not on every retry.
  ifNode(
    wf,
    'Tell the User?',
    [9, 0.8],
    isTrue(
      expr(
        `${failed}.applied && (${failed}.status === 'dead' || ((${failure}?.retryAfterMs ?? 0) >= 60000 && !(${failure}?.keepsAttempt && ${claimed}.lastError === ${failure}?.message)))`,
      ),
    ),
  );
  telegramSend(
    wf,
    'Tell User: Failed',
    [10, 0.7],
    expr(`${claimed}.payload.chatId`),
    expr(
      `(${failure}?.userMessage || (${failed}.status === 'dead' ? ${jsString(EXECUTOR_REPLIES.gaveUp)} : ${jsString(EXECUTOR_REPLIES.stillTrying)})) + ($json.reopened === true ? ${jsString(EXECUTOR_REPLIES.draftReopened)} : '')`,
    ),
    { node: { onError: 'continueRegularOutput' } },
  );
  wf.chain('Fail Command', 'Give the Draft Back?');
  wf.connect('Give the Draft Back?', 'Reopen Draft', 0);
  wf.connect('Give the Draft Back?', 'Tell the User?', 1);
  wf.connect('Reopen Draft', 'Tell the User?');
  wf.connect('Tell the User?', 'Tell User: Failed', 0);

  // The owner hears of a setup error through the Error Notifier: this run fails with what to change,
  // at most once an hour however many messages hit it. Placed below the user's branch, which n8n
  // runs first, so everyone is told before the run stops.
  ifNode(wf, 'Tell the Owner?', [7, 1.6], isTrue(expr(`$json.applied && !!${failure}?.ownerMessage`)));
  commandQueue(wf, 'Owner Notice Due?', [8, 1.6], { operation: 'ownerNotice', noticeKey: expr(`${failure}.kind`), intervalMinutes: 60 });
  ifNode(wf, 'Notice Due?', [9, 1.6], isTrue('={{ $json.due === true }}'));
  wf.add('Stop: Tell the Owner', 'n8n-nodes-base.stopAndError', 1, [10, 1.6], {
    errorType: 'errorMessage',
    errorMessage: expr(`${failure}.ownerMessage + ($json.suppressed > 0 ? ' (' + $json.suppressed + ' more notices held back in the last hour.)' : '')`),
  });
  wf.connect('Fail Command', 'Tell the Owner?');
  wf.connect('Tell the Owner?', 'Owner Notice Due?', 0);
  wf.chain('Owner Notice Due?', 'Notice Due?');
  wf.connect('Notice Due?', 'Stop: Tell the Owner', 0);
  // Empty polls every 10 s would flood the execution list; failures are still kept.
  return wf.toJSON({ saveDataSuccessExecution: 'none' });
}
