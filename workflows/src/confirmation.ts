// Workflow E: Confirmation. A press on a draft card's button: Confirm creates the task (exactly
// once), Cancel cancels the draft, Edit asks what to change.
import type { DecisionCommandType } from '../../nodes/shared/contracts';
import { CONFIRMATION_REPLIES } from '../../nodes/shared/messages/workflowReplies';
import type { CancelOutcome, ConfirmOutcome, StartEditOutcome, TaskCreationOutcome } from '../../nodes/shared/outcome';
import {
  condition,
  equals,
  expr,
  ifNode,
  isTrue,
  outcomeIs,
  setResult,
  subWorkflowTrigger,
  switchNode,
  telegramEdit,
  telegramSend,
  type Workflow,
  WorkflowBuilder,
} from './builder';
import { IDS, NAMES } from './ids';
import { commandQueue, draftStore, eventExecutor, taskExecutor } from './nodes';

export function buildConfirmation(): Workflow {
  const wf = new WorkflowBuilder(IDS.confirmation, NAMES.confirmation);
  const command = "$('When Called by Executor').item.json";
  const chat = expr(`${command}.payload.chatId`);
  const user = expr(`${command}.userId`);
  const draftId = expr(`${command}.payload.draftId`);
  // Where the press came from: a press counts only from the draft's own card.
  const pressedOn = { cardChatId: chat, cardMessageId: expr(`${command}.payload.cardMessageId ?? ''`) };
  const typeIs = (type: DecisionCommandType) => equals('={{ $json.type }}', type);
  wf.note(
    '## E · Confirmation\nOnly a ✅ Confirm creates anything. Confirm is a compare-and-set: of a double tap, or a Confirm racing a Cancel, exactly one wins. The Task Executor creates the task and its subtasks exactly once, even across crashes and retries; for an event draft the Event Executor creates its calendar event the same way.',
    [-0.2, -1.5],
    [4.6, 0.8],
    4,
  );
  subWorkflowTrigger(wf, 'When Called by Executor', [0, 1]);
  switchNode(wf, 'Route by Decision', [1, 1], [
    ['Confirm', typeIs('confirm_draft')],
    ['Cancel', typeIs('cancel_draft')],
    ['Edit', typeIs('edit_draft')],
  ]);
  wf.connect('When Called by Executor', 'Route by Decision');

  // Confirm
  const isEvent = "($json.draft?.draftType === 'event')";
  draftStore(wf, 'Confirm Draft', [2, 0], { operation: 'confirm', draftId, userId: user, ...pressedOn });
  switchNode(
    wf,
    'Confirm Outcome',
    [3, 0],
    [
      // Already confirmed: by this command's earlier attempt, by a second tap, or by a tap whose command
      // gave up. The Task Executor resumes or reports what exists; it never creates twice.
      [
        'Create',
        isTrue(
          expr(
            `${isEvent} !== true && (${outcomeIs<ConfirmOutcome>(['confirmed', 'already_confirmed'])} || (${outcomeIs<ConfirmOutcome>('already_executed')} && ${command}.attempts > 1))`,
          ),
        ),
      ],
      // (A repeated attempt goes on to Create Event for an event draft.)
      ['Double Tap', isTrue(expr(`${outcomeIs<ConfirmOutcome>('already_executed')} && !(${command}.attempts > 1)`))],
      // An event draft: the Event Executor creates its Google Calendar event, exactly once, the same way.
      [
        'Create Event',
        isTrue(expr(`${outcomeIs<ConfirmOutcome>(['confirmed', 'already_confirmed'])} || (${outcomeIs<ConfirmOutcome>('already_executed')} && ${command}.attempts > 1)`)),
      ],
    ],
    'Refused',
  );
  taskExecutor(wf, 'Create Google Task', [4, -0.2], { operation: 'executeDraft', draftId, userId: user, taskListId: '@default' });
  ifNode(wf, 'Created?', [5, -0.2], isTrue(expr(outcomeIs<TaskCreationOutcome>(['created', 'already_created']))));
  // A second tap waits for the first and finds the task made: only the first tells the user.
  // A time in the request becomes the task's reminder (Workflow G), once per draft however often this runs.
  // Not scheduled (the store failed): the command fails and is retried; the retry finds the task made and schedules it then.
  commandQueue(wf, 'Schedule Reminder', [5.5, -1.2], { operation: 'scheduleReminder', draftId, userId: user }, { onError: 'continueErrorOutput' });
  setResult(wf, 'Result: Reminder Not Scheduled', [6.5, -1.6], {
    ok: ['boolean', '={{ false }}'],
    failure: ['object', '={{ { kind: "reminder_not_scheduled", retryable: true, message: String($json.error?.message ?? $json.error ?? "Schedule Reminder failed"), userMessage: "" } }}'],
  });
  // Whichever made it: the task, or for an event draft its calendar event (it has no reminder: Schedule Reminder says 'none').
  const created = "($('Create Calendar Event').isExecuted ? $('Create Calendar Event').item.json : $('Create Google Task').item.json)";
  ifNode(wf, 'News for the User?', [6, -0.6], isTrue(expr(`${outcomeIs<TaskCreationOutcome>('created', created)} || ${command}.attempts > 1`)));
  draftStore(wf, 'Get Draft', [7, -0.6], { operation: 'get', draftId, userId: user });
  telegramSend(wf, 'Send Success', [8, -0.6], chat, '={{ $json.card.statusText }}');
  telegramEdit(wf, 'Remove Buttons', [9, -0.6], chat, "={{ $('Get Draft').item.json.telegramMessageId }}", "={{ $('Get Draft').item.json.card.text }}");
  setResult(wf, 'Result: Task Created', [10, -0.6], {
    ok: ['boolean', '={{ true }}'],
    result: [
      'object',
      "={{ $('Create Calendar Event').isExecuted ? { draftId: $('Get Draft').item.json.id, eventId: $('Create Calendar Event').item.json.event?.id } : { draftId: $('Get Draft').item.json.id, taskId: $('Create Google Task').item.json.task?.id } }}",
    ],
  });
  setResult(wf, 'Result: Task Failed', [6.5, 0.4], { ok: ['boolean', '={{ false }}'], failure: ['object', '={{ $json.failure }}'] });
  setResult(wf, 'Result: Already Handled', [4.5, 0.9], { ok: ['boolean', '={{ true }}'], result: ['object', '={{ { ignored: $json.reason } }}'] });
  wf.connect('Route by Decision', 'Confirm Draft', 0);
  wf.connect('Confirm Draft', 'Confirm Outcome');
  eventExecutor(wf, 'Create Calendar Event', [4, -0.9], { operation: 'createEvent', draftId, userId: user });
  wf.connect('Confirm Outcome', 'Create Google Task', 0);
  wf.connect('Confirm Outcome', 'Create Calendar Event', 2);
  wf.connect('Create Calendar Event', 'Created?');
  wf.connect('Confirm Outcome', 'Result: Already Handled', 1);
  wf.connect('Create Google Task', 'Created?');
  wf.connect('Created?', 'Schedule Reminder', 0);
  wf.connect('Schedule Reminder', 'News for the User?', 0);
  wf.connect('Schedule Reminder', 'Result: Reminder Not Scheduled', 1);
  wf.connect('News for the User?', 'Get Draft', 0);
  wf.connect('News for the User?', 'Result: Already Handled', 1);
  wf.connect('Created?', 'Result: Task Failed', 1);
  wf.chain('Get Draft', 'Send Success', 'Remove Buttons', 'Result: Task Created');

  // Refusals (another user's draft, a cancelled or replaced one) are told; a double tap is not.
  // Told in the draft's own chat (or the presser's private chat), never in a chat the update names.
  telegramSend(wf, 'Tell User: Refused', [8, 1.5], '={{ $json.replyChatId }}', '={{ $json.message }}');
  setResult(wf, 'Result: Refused', [9, 1.5], { ok: ['boolean', '={{ true }}'], result: ['object', '={{ { refused: true } }}'] });
  wf.connect('Confirm Outcome', 'Tell User: Refused', 3);
  wf.connect('Tell User: Refused', 'Result: Refused');

  // Cancel
  wf.note(
    '### Cancel / Edit\nCancel marks the draft cancelled and removes its buttons. A typed /cancel (no card) drops a pending edit or question and cancels the draft it names (the one being edited, else the open one), or says there is none. Edit asks what to change; the next message revises the draft in its card.',
    [1.8, 2.0],
    [4.4, 0.45],
  );
  const typed = `!${command}.payload.cardMessageId`;
  ifNode(wf, 'Typed /cancel?', [2, 2.6], isTrue(expr(typed)));
  draftStore(wf, 'Forget Pending', [2, 3.4], { operation: 'clearChatState', userId: user });
  ifNode(wf, 'Which Draft?', [3, 3.4], condition(draftId, { type: 'number', operation: 'exists', singleValue: true }));
  draftStore(wf, 'Cancel Draft', [3, 2.6], { operation: 'cancel', draftId, userId: user, ...pressedOn });
  switchNode(
    wf,
    'Cancel Outcome',
    [4, 2.6],
    [
      ['Cancelled', isTrue(expr(outcomeIs<CancelOutcome>('cancelled')))],
      ['Double Tap', isTrue(expr(outcomeIs<CancelOutcome>('already_cancelled')))],
    ],
    'Refused',
  );
  telegramEdit(wf, 'Show Cancelled', [5, 2.5], chat, '={{ $json.draft.telegramMessageId }}', '={{ $json.card.text }}');
  // Typed, the answer comes where the user typed: the card may be far up the chat.
  ifNode(wf, 'Answer the /cancel?', [6, 2.5], isTrue(expr(typed)));
  telegramSend(wf, 'Tell User: Cancelled', [7, 2.3], chat, "={{ $('Cancel Draft').item.json.card.statusText }}");
  setResult(wf, 'Result: Cancelled', [8, 2.5], { ok: ['boolean', '={{ true }}'], result: ['object', "={{ { cancelled: $('Cancel Draft').item.json.draftId } }}"] });
  ifNode(wf, 'Question Dropped?', [4, 3.6], condition(expr(`${command}.payload.question`), { type: 'string', operation: 'notEmpty', singleValue: true }));
  telegramSend(wf, 'Tell User: Dropped', [5, 3.4], chat, CONFIRMATION_REPLIES.dropped);
  telegramSend(wf, 'Tell User: Nothing to Cancel', [5, 3.9], chat, CONFIRMATION_REPLIES.nothingToCancel);
  setResult(wf, 'Result: Dropped', [6, 3.6], { ok: ['boolean', '={{ true }}'], result: ['object', '={{ { dropped: true } }}'] });
  wf.connect('Route by Decision', 'Typed /cancel?', 1);
  wf.connect('Typed /cancel?', 'Forget Pending', 0);
  wf.connect('Typed /cancel?', 'Cancel Draft', 1);
  wf.connect('Forget Pending', 'Which Draft?');
  wf.connect('Which Draft?', 'Cancel Draft', 0);
  wf.connect('Which Draft?', 'Question Dropped?', 1);
  wf.connect('Cancel Draft', 'Cancel Outcome');
  wf.connect('Cancel Outcome', 'Show Cancelled', 0);
  wf.connect('Cancel Outcome', 'Result: Already Handled', 1);
  wf.connect('Cancel Outcome', 'Tell User: Refused', 2);
  wf.connect('Show Cancelled', 'Answer the /cancel?');
  wf.connect('Answer the /cancel?', 'Tell User: Cancelled', 0);
  wf.connect('Answer the /cancel?', 'Result: Cancelled', 1);
  wf.connect('Tell User: Cancelled', 'Result: Cancelled');
  wf.connect('Question Dropped?', 'Tell User: Dropped', 0);
  wf.connect('Question Dropped?', 'Tell User: Nothing to Cancel', 1);
  wf.connect('Tell User: Dropped', 'Result: Dropped');
  wf.connect('Tell User: Nothing to Cancel', 'Result: Dropped');

  // Edit
  draftStore(wf, 'Start Edit', [2, 4.2], { operation: 'startEdit', draftId, userId: user, ...pressedOn });
  ifNode(wf, 'Editable?', [3, 4.2], isTrue(expr(outcomeIs<StartEditOutcome>('editing'))));
  telegramSend(wf, 'Ask What to Change', [4, 4.1], chat, CONFIRMATION_REPLIES.whatToChange);
  setResult(wf, 'Result: Edit Started', [5, 4.1], { ok: ['boolean', '={{ true }}'], result: ['object', "={{ { editing: $('Start Edit').item.json.draftId } }}"] });
  wf.connect('Route by Decision', 'Start Edit', 2);
  wf.connect('Start Edit', 'Editable?');
  wf.connect('Editable?', 'Ask What to Change', 0);
  wf.connect('Editable?', 'Tell User: Refused', 1);
  wf.chain('Ask What to Change', 'Result: Edit Started');
  return wf.toJSON();
}
