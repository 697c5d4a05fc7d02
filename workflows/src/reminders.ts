// Workflow G: Reminder Checker. Every minute, one claim of the due reminders (not a timer per
// reminder): each is checked against Google Tasks (a task completed or deleted meanwhile is not
// reminded of), its intent to send is recorded, and "⏰ Call mom · 21:00" goes out with ✓ Done,
// 💤 1 hour and ➡️ Tomorrow. At most once per reminder: a run that dies after "Start Sending"
// leaves it for the audit log ('unknown'), never for a second message.
import type { CheckReminderOutcome } from '../../nodes/shared/notify/reminders';
import { TASK_BUTTON_LABELS } from '../../nodes/shared/messages/tasks';
import { expr, ifNode, isTrue, outcomeIs, switchNode, telegramSend, type Workflow, WorkflowBuilder } from './builder';
import { IDS, NAMES } from './ids';
import { commandQueue, taskExecutor } from './nodes';

/** The shipped schedule: every minute (a reminder arrives within a minute of its time). */
export const REMINDER_CHECK_MINUTES = 1;
export const REMINDER_TRIGGER = 'Every Minute';

type Outcome = CheckReminderOutcome['outcome'];

export function buildReminders(): Workflow {
  const wf = new WorkflowBuilder(IDS.reminders, NAMES.reminders);
  const claimed = "$('Claim Reminders').item.json";
  const checked = "$('Check Reminder').item.json";
  const claim = { notificationId: expr(`${claimed}.id`), leaseToken: expr(`${claimed}.leaseToken`) };
  wf.note(
    '## G · Reminder Checker\nA task drafted with a time ("call mom at 9pm tomorrow", "stretch in 20 minutes") is reminded of at that time, once: every minute the due reminders are claimed (several n8n workers take different ones), each task is looked up in Google Tasks first (completed or deleted: nothing is sent), the send is recorded before it happens, and the message has ✓ Done, 💤 1 hour and ➡️ Tomorrow. /reminders lists the ones to come.',
    [-0.2, -1.5],
    [4.6, 0.85],
    4,
  );
  wf.add(REMINDER_TRIGGER, 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 0], { rule: { interval: [{ field: 'minutes', minutesInterval: REMINDER_CHECK_MINUTES }] } });
  commandQueue(wf, 'Claim Reminders', [1, 0], { operation: 'claimNotifications', kind: 'reminder', limit: 20, leaseSeconds: 120 });
  taskExecutor(wf, 'Check Reminder', [2, 0], { operation: 'checkReminder', notificationId: expr(`${claimed}.id`) });
  switchNode(
    wf,
    'Check Outcome',
    [3, 0],
    [
      ['Send', isTrue(expr(outcomeIs<Outcome>('send')))],
      ['Skip', isTrue(expr(outcomeIs<Outcome>('skip')))],
    ],
    'Failed',
  );
  wf.chain(REMINDER_TRIGGER, 'Claim Reminders', 'Check Reminder', 'Check Outcome');

  commandQueue(wf, 'Start Sending', [4, -0.4], { operation: 'startSending', ...claim });
  ifNode(wf, 'Still Ours?', [5, -0.4], isTrue('={{ $json.applied === true }}'));
  const button = (text: string, data: string) => ({ text, additionalFields: { callback_data: expr(`${checked}.${data}`) } });
  telegramSend(wf, 'Send Reminder', [6, -0.4], expr(`${checked}.chatId`), expr(`${checked}.text`), {
    parameters: {
      replyMarkup: 'inlineKeyboard',
      inlineKeyboard: {
        rows: [{ row: { buttons: [button(TASK_BUTTON_LABELS.done, 'doneData'), button(TASK_BUTTON_LABELS.snooze, 'snoozeData'), button(TASK_BUTTON_LABELS.tomorrow, 'tomorrowData')] } }],
      },
    },
    node: { onError: 'continueRegularOutput' },
  });
  ifNode(wf, 'Delivered?', [7, -0.4], isTrue('={{ !$json.error }}'));
  commandQueue(wf, 'Mark Sent', [8, -0.9], { operation: 'settleNotification', ...claim, result: 'sent', messageId: '={{ $json.result?.message_id ?? $json.message_id ?? "" }}' });
  // Telegram refused it (nothing was delivered): tried again on a later run. An answer that was lost
  // (it may have been delivered) settles it unknown instead: never sent twice.
  commandQueue(wf, 'Mark Not Sent', [8, 0.1], {
    operation: 'settleNotification',
    ...claim,
    result: 'failed',
    reason: '={{ typeof $json.error === "string" ? $json.error : JSON.stringify($json.error) }}',
    retryable: true,
  });
  wf.connect('Check Outcome', 'Start Sending', 0);
  wf.chain('Start Sending', 'Still Ours?');
  wf.connect('Still Ours?', 'Send Reminder', 0);
  wf.chain('Send Reminder', 'Delivered?');
  wf.connect('Delivered?', 'Mark Sent', 0);
  wf.connect('Delivered?', 'Mark Not Sent', 1);

  commandQueue(wf, 'Skip Reminder', [4, 0.6], { operation: 'settleNotification', ...claim, result: 'skipped', reason: '={{ $json.reason }}' });
  commandQueue(wf, 'Check Failed', [4, 1.35], {
    operation: 'settleNotification',
    ...claim,
    result: 'failed',
    reason: '={{ $json.failure?.message ?? "" }}',
    retryable: '={{ $json.failure?.retryable !== false }}',
  });
  wf.connect('Check Outcome', 'Skip Reminder', 1);
  wf.connect('Check Outcome', 'Check Failed', 2);
  // An empty check every minute would flood the execution list; failures are still kept.
  return wf.toJSON({ saveDataSuccessExecution: 'none' });
}
