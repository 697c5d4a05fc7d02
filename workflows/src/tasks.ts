// Workflow L: Your Tasks. /list shows the open tasks of the user's Google Tasks list, each with a
// ✓ Done button; ✓ Done marks one completed; /undo asks whether to remove the task created last
// (with its subtasks), and ✅ Remove does, exactly once. Every button names a number of ours
// that the Task Executor checks against the presser: a press from anyone else is refused.
import type { TaskCommandType } from '../../nodes/shared/contracts';
import { CHAT_LIST_LIMIT } from '../../nodes/shared/tasks/chatTasks';
import { TASK_BUTTON_LABELS } from '../../nodes/shared/messages/tasks';
import { equals, expr, ifNode, isTrue, setResult, subWorkflowTrigger, switchNode, telegramEdit, telegramSend, type Workflow, WorkflowBuilder } from './builder';
import { IDS, NAMES } from './ids';
import { commandQueue, taskExecutor } from './nodes';

export function buildTasks(): Workflow {
  const wf = new WorkflowBuilder(IDS.tasks, NAMES.tasks);
  const command = "$('When Called by Executor').item.json";
  const chat = expr(`${command}.payload.chatId`);
  const user = expr(`${command}.userId`);
  const target = expr(`${command}.payload.target`);
  const pressedMessage = expr(`${command}.payload.cardMessageId`);
  const typeIs = (type: TaskCommandType) => equals('={{ $json.type }}', type);
  const keyboard = (...buttons: [string, string][]) => ({
    replyMarkup: 'inlineKeyboard',
    inlineKeyboard: { rows: [{ row: { buttons: buttons.map(([text, data]) => ({ text, additionalFields: { callback_data: data } })) } }] },
  });
  wf.note(
    `## L · Your Tasks\n/list: the open tasks of your default Google Tasks list (the first ${CHAT_LIST_LIMIT}, yours and those the assistant made), each as a message with ✓ Done. /undo: asks before it removes the task created last and its subtasks. A button names an entry of ours, never a Google task ID: a press from anyone but the user it was shown to is refused, and a second press changes nothing.`,
    [-0.2, -1.5],
    [4.6, 0.85],
    4,
  );
  subWorkflowTrigger(wf, 'When Called by Executor', [0, 3]);
  switchNode(wf, 'Route by Command', [1, 3], [
    ['List', typeIs('list_tasks')],
    ['Done', typeIs('complete_task')],
    ['Ask to Undo', typeIs('undo_last')],
    ['Remove', typeIs('confirm_undo')],
    ['Keep', typeIs('cancel_undo')],
    ['Reminders', typeIs('list_reminders')],
    ['Snooze 1 Hour', typeIs('snooze_hour')],
    ['Snooze to Tomorrow', typeIs('snooze_tomorrow')],
    ['Briefing', typeIs('set_briefing')],
  ]);
  wf.connect('When Called by Executor', 'Route by Command');

  // Shared results
  setResult(wf, 'Result: Handled', [9, 1.5], { ok: ['boolean', '={{ true }}'], result: ['object', expr(`{ handled: ${command}.type }`)] });
  setResult(wf, 'Result: Failed', [9, 2.5], { ok: ['boolean', '={{ false }}'], failure: ['object', '={{ $json.failure }}'] });
  setResult(wf, 'Result: Refused', [9, 3.5], { ok: ['boolean', '={{ true }}'], result: ['object', '={{ { refused: true } }}'] });
  // Told in the presser's private chat, never in the (group) chat the button was in.
  telegramSend(wf, 'Tell User: Not Yours', [8, 3.5], '={{ $json.replyChatId }}', '={{ $json.message }}', { node: { onError: 'continueRegularOutput' } });
  wf.connect('Tell User: Not Yours', 'Result: Refused');

  // /list
  taskExecutor(wf, 'List Open Tasks', [2, 0], { operation: 'listForChat', userId: user, taskListId: '@default', limit: CHAT_LIST_LIMIT });
  ifNode(wf, 'Listed?', [3, 0], isTrue('={{ $json.ok === true }}'));
  telegramSend(wf, 'Send List Heading', [4, 0], chat, '={{ $json.heading }}');
  ifNode(wf, 'Any Tasks?', [5, 0], isTrue("={{ $('List Open Tasks').item.json.tasks.length > 0 }}"));
  setResult(wf, 'Tasks to Send', [6, -0.5], { list: ['object', "={{ { tasks: $('List Open Tasks').item.json.tasks } }}"] });
  wf.add('One Item per Task', 'n8n-nodes-base.splitOut', 1, [7, -0.5], { fieldToSplitOut: 'list.tasks', options: {} });
  telegramSend(wf, 'Send Task', [8, -0.5], chat, '={{ $json.text }}', { parameters: keyboard([TASK_BUTTON_LABELS.done, '={{ $json.doneData }}']) });
  // One result for the command, however many tasks were sent.
  wf.add('Once', 'n8n-nodes-base.limit', 1, [8.5, 0.4], { maxItems: 1 });
  wf.connect('Route by Command', 'List Open Tasks', 0);
  wf.chain('List Open Tasks', 'Listed?');
  wf.connect('Listed?', 'Send List Heading', 0);
  wf.connect('Listed?', 'Result: Failed', 1);
  wf.chain('Send List Heading', 'Any Tasks?');
  wf.connect('Any Tasks?', 'Tasks to Send', 0);
  wf.connect('Any Tasks?', 'Result: Handled', 1);
  wf.chain('Tasks to Send', 'One Item per Task', 'Send Task', 'Once', 'Result: Handled');

  // ✓ Done
  wf.note('### ✓ Done\nMarks the task completed in Google Tasks once; the list message says so (a second press: "already done").', [1.8, 0.75], [4.4, 0.45]);
  taskExecutor(wf, 'Complete Task', [2, 1.5], { operation: 'completeTask', entryId: target, userId: user });
  switchNode(
    wf,
    'Done Outcome',
    [3, 1.5],
    [
      ['Not Yours', equals('={{ $json.outcome }}', 'refused')],
      ['Done', isTrue('={{ $json.ok === true }}')],
    ],
    'Failed',
  );
  // A /list line or a reminder is the task's own message: it says done. Under a briefing (which
  // lists more than this task) the answer is a message of its own.
  ifNode(wf, 'Its Own Message?', [4, 1.5], isTrue('={{ $json.editPressed !== false }}'));
  telegramEdit(wf, 'Show Done', [5, 1.3], chat, pressedMessage, '={{ $json.message }}');
  telegramSend(wf, 'Say Done', [5, 1.8], chat, '={{ $json.message }}');
  wf.connect('Route by Command', 'Complete Task', 1);
  wf.chain('Complete Task', 'Done Outcome');
  wf.connect('Done Outcome', 'Tell User: Not Yours', 0);
  wf.connect('Done Outcome', 'Its Own Message?', 1);
  wf.connect('Its Own Message?', 'Show Done', 0);
  wf.connect('Its Own Message?', 'Say Done', 1);
  wf.connect('Say Done', 'Result: Handled');
  wf.connect('Done Outcome', 'Result: Failed', 2);
  wf.connect('Show Done', 'Result: Handled');

  // /undo: the question
  wf.note('### /undo\nAsks first: "Remove … and its 2 subtasks?" with ✅ Remove / ❌ Keep. ✅ Remove deletes them once (a double tap removes once); the audit log and the draft record it.', [1.8, 2.35], [4.4, 0.45]);
  taskExecutor(wf, 'Find Last Task', [2, 3.1], { operation: 'findUndoable', userId: user, undoWindowMinutes: 60 });
  ifNode(wf, 'Can Undo?', [3, 3.1], isTrue('={{ $json.found === true && $json.undoable === true }}'));
  telegramSend(wf, 'Ask to Remove', [4, 2.9], chat, '={{ $json.message }}', {
    parameters: keyboard([TASK_BUTTON_LABELS.undo, '={{ $json.removeData }}'], [TASK_BUTTON_LABELS.keep, '={{ $json.keepData }}']),
  });
  telegramSend(wf, 'Say Why Not', [4, 3.7], chat, '={{ $json.message }}');
  wf.connect('Route by Command', 'Find Last Task', 2);
  wf.chain('Find Last Task', 'Can Undo?');
  wf.connect('Can Undo?', 'Ask to Remove', 0);
  wf.connect('Can Undo?', 'Say Why Not', 1);
  wf.connect('Ask to Remove', 'Result: Handled');
  wf.connect('Say Why Not', 'Result: Handled');

  // ✅ Remove
  taskExecutor(wf, 'Remove Task', [2, 5.0], { operation: 'undo', executionId: target, userId: user, undoWindowMinutes: 60 });
  switchNode(
    wf,
    'Undo Outcome',
    [3, 5.0],
    [
      ['Removed', equals('={{ $json.outcome }}', 'undone')],
      ['Double Tap', equals('={{ $json.outcome }}', 'already_undone')],
      ['Not Yours', equals('={{ $json.failure?.kind }}', 'not_owner')],
      ['Cannot', isTrue('={{ $json.failure?.retryable === false }}')],
    ],
    'Failed',
  );
  telegramEdit(wf, 'Show Removed', [4, 4.5], chat, pressedMessage, '={{ $json.message }}');
  telegramEdit(wf, 'Show Why Not', [4, 5.3], chat, pressedMessage, '={{ $json.failure.userMessage }}');
  setResult(wf, 'Refusal', [4, 6.1], { replyChatId: ['string', expr(`${command}.userId.replace(/^telegram:/, '')`)], message: ['string', '={{ $json.failure.userMessage }}'] });
  wf.connect('Route by Command', 'Remove Task', 3);
  wf.chain('Remove Task', 'Undo Outcome');
  wf.connect('Undo Outcome', 'Show Removed', 0);
  wf.connect('Undo Outcome', 'Result: Handled', 1);
  wf.connect('Undo Outcome', 'Refusal', 2);
  wf.connect('Undo Outcome', 'Show Why Not', 3);
  wf.connect('Undo Outcome', 'Result: Failed', 4);
  wf.connect('Show Removed', 'Result: Handled');
  wf.connect('Show Why Not', 'Result: Handled');
  wf.connect('Refusal', 'Tell User: Not Yours');

  // ❌ Keep
  taskExecutor(wf, 'Describe Task', [2, 7.1], { operation: 'findUndoable', userId: user, executionId: target, undoWindowMinutes: 60 });
  ifNode(wf, 'Theirs?', [3, 7.1], isTrue('={{ $json.refused !== true }}'));
  telegramEdit(wf, 'Show Kept', [4, 7.1], chat, pressedMessage, '={{ $json.keptMessage }}');
  wf.connect('Route by Command', 'Describe Task', 4);
  wf.chain('Describe Task', 'Theirs?');
  wf.connect('Theirs?', 'Show Kept', 0);
  wf.connect('Theirs?', 'Tell User: Not Yours', 1);
  wf.connect('Show Kept', 'Result: Handled');

  // /reminders, the snooze buttons under a reminder (Workflow G's message), /briefing
  wf.note(
    '### Reminders and briefing\n/reminders lists the reminders to come. 💤 1 hour and ➡️ Tomorrow under a reminder move it (a second press moves nothing; another person\'s press is refused). /briefing 07:30 | off | always sets the daily briefing (Workflow F).',
    [1.8, 7.85],
    [4.4, 0.45],
  );
  commandQueue(wf, 'List Reminders', [2, 8.6], { operation: 'listReminders', userId: user });
  telegramSend(wf, 'Send Reminders', [3, 8.6], chat, '={{ $json.message }}');
  wf.connect('Route by Command', 'List Reminders', 5);
  wf.chain('List Reminders', 'Send Reminders', 'Result: Handled');
  commandQueue(wf, 'Snooze: 1 Hour', [2, 9.4], { operation: 'snoozeReminder', notificationId: target, userId: user, choice: 'hour' });
  commandQueue(wf, 'Snooze: Tomorrow', [2, 10.2], { operation: 'snoozeReminder', notificationId: target, userId: user, choice: 'tomorrow' });
  ifNode(wf, 'Their Reminder?', [3, 9.8], isTrue("={{ $json.outcome !== 'refused' }}"));
  telegramEdit(wf, 'Show Snoozed', [4, 9.8], chat, pressedMessage, '={{ $json.message }}');
  wf.connect('Route by Command', 'Snooze: 1 Hour', 6);
  wf.connect('Route by Command', 'Snooze: Tomorrow', 7);
  wf.connect('Snooze: 1 Hour', 'Their Reminder?');
  wf.connect('Snooze: Tomorrow', 'Their Reminder?');
  wf.connect('Their Reminder?', 'Show Snoozed', 0);
  wf.connect('Their Reminder?', 'Tell User: Not Yours', 1);
  wf.connect('Show Snoozed', 'Result: Handled');
  commandQueue(wf, 'Set Briefing', [2, 11.0], { operation: 'setBriefing', userId: user, text: expr(`${command}.payload.text`) });
  telegramSend(wf, 'Reply: Briefing', [3, 11.0], chat, '={{ $json.message }}');
  wf.connect('Route by Command', 'Set Briefing', 8);
  wf.chain('Set Briefing', 'Reply: Briefing', 'Result: Handled');
  return wf.toJSON();
}
