// Workflow B: Command Executor. Claims queued commands under a lease, runs each in the workflow
// for its type, then completes or fails it, and tells the user (and the owner) what they must know.
// Its path from a claim to the settled command runs no expression (but on the reply branch, whose
// Telegram message needs them): the Command Router routes and settles (Route by Type, Finish), so
// under n8n's lazy expression engine a run that succeeds builds no expression isolate. The failure
// path below Finish's "Failed" output runs expressions.
import { COMMAND_ROUTES, routeIndex } from '../../nodes/shared/queue/routing';
import type { CommandType } from '../../nodes/shared/contracts';
import { EXECUTOR_REPLIES } from '../../nodes/shared/messages/workflowReplies';
import { WORKFLOW_CLAIM_LEASE_SECONDS, WORKFLOW_CLAIM_LIMIT } from '../../nodes/shared/queue/commandBudget';
import { executeWorkflow, expr, ifNode, isTrue, jsString, setResult, subWorkflowTrigger, telegramSend, type Workflow, WorkflowBuilder } from './builder';
import { IDS, NAMES } from './ids';
import { commandQueue, commandRouter, draftStore } from './nodes';

const POLL_SECONDS = 10;

/** Finish's outputs. */
const FAILED = 1;

export function buildExecutor(): Workflow {
  const wf = new WorkflowBuilder(IDS.executor, NAMES.executor);
  wf.note(
    `## B · Command Executor\nClaims one ready command when the router calls (normally the one it just queued), or up to ${WORKFLOW_CLAIM_LIMIT.poll} every ${POLL_SECONDS} s as a safety net, each under a ${WORKFLOW_CLAIM_LEASE_SECONDS} s lease that is renewed while it runs; routes each by type (drafting to D, events and their edits to C, a button's decision to E, help to a reply, /list, ✓ Done and /undo to L), then Finish completes it or fails it by what that workflow returned. Retryable failures come back with backoff; a dead command, or a long wait such as an exhausted Gemini quota, is told to the user once. A confirmed draft whose command dies is given back (drafted, buttons working). A Gemini setup error (refused key, model gone) keeps the message waiting without using its attempts, and fails this run at most once an hour so the Error Notifier tells you what to change.\nNo expression from the claims to Finish but on the reply branch: a successful run needs no expression sandbox.`,
    [-0.2, -1.5],
    [4.6, 0.85],
    4,
  );
  wf.add('Every 10 Seconds', 'n8n-nodes-base.scheduleTrigger', 1.2, [0, -0.2], { rule: { interval: [{ field: 'seconds', secondsInterval: POLL_SECONDS }] } });
  subWorkflowTrigger(wf, 'When Called by Router', [0, 0.8]);
  // A router call takes the one command it just queued; the 10 s poll drains a backlog a few at a
  // time. The commands run one after another, and with Gemini's and Google's retries that can
  // take far longer than any lease: so the lease is renewed while this n8n runs them (up to
  // their worst case, nodes/shared/queue/commandBudget.ts; test/commandBudget.test.ts checks it), and
  // is short, so that the commands of an n8n that stopped are taken over a minute later.
  const claim = { operation: 'claim', leaseSeconds: WORKFLOW_CLAIM_LEASE_SECONDS, renewWhileRunning: true } as const;
  commandQueue(wf, 'Claim Backlog', [1, -0.2], { ...claim, limit: WORKFLOW_CLAIM_LIMIT.poll });
  commandQueue(wf, 'Claim Commands', [1, 0.8], { ...claim, limit: WORKFLOW_CLAIM_LIMIT.routerCall });
  wf.connect('Every 10 Seconds', 'Claim Backlog');
  wf.connect('When Called by Router', 'Claim Commands');
  // An edit of an event draft goes to C, not D (nodes/shared/queue/routing.ts).
  commandRouter(wf, 'Route by Type', [2, 0.3], { operation: 'route' });
  wf.connect('Claim Backlog', 'Route by Type');
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
  // The user's tasks: /list, ✓ Done, /undo and its buttons.
  executeWorkflow(wf, 'Run Your Tasks (L)', [3, 1.7], IDS.tasks, NAMES.tasks);
  // Event drafts: an event in words or from a link, its edits, 🕒 Move, 📅 Event / ✅ Task, /calendar.
  executeWorkflow(wf, 'Run Event Drafting (C)', [3, 2.4], IDS.events, NAMES.events);
  const runs = { draft: 'Run Task Drafting (D)', decision: 'Run Confirmation (E)', reply: 'Send Reply', tasks: 'Run Your Tasks (L)', events: 'Run Event Drafting (C)' } as const;
  for (const route of COMMAND_ROUTES) wf.connect('Route by Type', runs[route], routeIndex(route));
  wf.connect('Send Reply', 'Reply Sent');

  // ok completes; anything else fails, retried unless the failure says it is not retryable.
  commandRouter(wf, 'Finish Command', [5, 0.3], { operation: 'finish' });
  for (const name of ['Run Task Drafting (D)', 'Run Confirmation (E)', 'Reply Sent', 'Run Your Tasks (L)', 'Run Event Drafting (C)']) wf.connect(name, 'Finish Command');

  const failed = "$('Finish Command').item.json";
  const confirm: CommandType = 'confirm_draft';
  // A confirmed draft whose command is dead would stay confirmed forever (it can no longer be edited
  // or cancelled): it goes back to drafted, and its card, which still has its buttons, works again.
  ifNode(wf, 'Give the Draft Back?', [6, 0.8], isTrue(expr(`$json.applied && $json.status === 'dead' && $json.type === ${jsString(confirm)} && !!$json.payload?.draftId`)));
  draftStore(
    wf,
    'Reopen Draft',
    [7, 0.55],
    { operation: 'reopen', draftId: expr(`${failed}.payload.draftId`), userId: expr(`${failed}.userId`), reason: expr(`${failed}.lastError ?? ''`) },
    { onError: 'continueRegularOutput' },
  );
  // Told once: when the command is dead, or will wait a minute or more; a command waiting for the
  // owner to fix the setup is told on its first wait only, not on every retry.
  ifNode(
    wf,
    'Tell the User?',
    [8, 0.8],
    isTrue(
      expr(
        `${failed}.applied && (${failed}.status === 'dead' || ((${failed}.failure?.retryAfterMs ?? 0) >= 60000 && !(${failed}.failure?.keepsAttempt && ${failed}.errorBefore === ${failed}.failure?.message)))`,
      ),
    ),
  );
  telegramSend(
    wf,
    'Tell User: Failed',
    [9, 0.7],
    expr(`${failed}.payload.chatId`),
    expr(
      `(${failed}.failure?.userMessage || (${failed}.status === 'dead' ? ${jsString(EXECUTOR_REPLIES.gaveUp)} : ${jsString(EXECUTOR_REPLIES.stillTrying)})) + ($json.reopened === true ? ${jsString(EXECUTOR_REPLIES.draftReopened)} : '')`,
    ),
    { node: { onError: 'continueRegularOutput' } },
  );
  wf.connect('Finish Command', 'Give the Draft Back?', FAILED);
  wf.connect('Give the Draft Back?', 'Reopen Draft', 0);
  wf.connect('Give the Draft Back?', 'Tell the User?', 1);
  wf.connect('Reopen Draft', 'Tell the User?');
  wf.connect('Tell the User?', 'Tell User: Failed', 0);

  // The owner hears of a setup error through the Error Notifier: this run fails with what to change,
  // at most once an hour however many messages hit it. Placed below the user's branch, which n8n
  // runs first, so everyone is told before the run stops.
  ifNode(wf, 'Tell the Owner?', [6, 1.6], isTrue(expr(`$json.applied && !!$json.failure?.ownerMessage`)));
  commandQueue(wf, 'Owner Notice Due?', [7, 1.6], { operation: 'ownerNotice', noticeKey: expr(`${failed}.failure.kind`), intervalMinutes: 60 });
  ifNode(wf, 'Notice Due?', [8, 1.6], isTrue('={{ $json.due === true }}'));
  wf.add('Stop: Tell the Owner', 'n8n-nodes-base.stopAndError', 1, [9, 1.6], {
    errorType: 'errorMessage',
    errorMessage: expr(`${failed}.failure.ownerMessage + ($json.suppressed > 0 ? ' (' + $json.suppressed + ' more notices held back in the last hour.)' : '')`),
  });
  wf.connect('Finish Command', 'Tell the Owner?', FAILED);
  wf.connect('Tell the Owner?', 'Owner Notice Due?', 0);
  wf.chain('Owner Notice Due?', 'Notice Due?');
  wf.connect('Notice Due?', 'Stop: Tell the Owner', 0);
  // Empty polls every 10 s would flood the execution list; failures are still kept.
  return wf.toJSON({ saveDataSuccessExecution: 'none' });
}
