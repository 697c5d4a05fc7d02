// Workflow F: Daily Briefing. Every minute: the briefings whose local time has come are
// scheduled (one per user and day), then claimed like reminders; each is composed (overdue, due
// today, waiting for you; calendar events to come with Workflow C), skipped on a day with
// nothing to say unless /briefing always, and sent once with ✓ Done per task and 💤 1 hour.
import { BRIEFING_BUTTONS, type ComposeBriefingOutcome } from '../../nodes/shared/notify/briefing';
import { expr, ifNode, isTrue, outcomeIs, switchNode, telegramSend, type Workflow, WorkflowBuilder } from './builder';
import { IDS, NAMES } from './ids';
import { commandQueue, eventExecutor, taskExecutor } from './nodes';
import { REMINDER_CHECK_MINUTES, REMINDER_TRIGGER } from './reminders';

type Outcome = ComposeBriefingOutcome['outcome'];

export function buildBriefing(): Workflow {
  const wf = new WorkflowBuilder(IDS.briefing, NAMES.briefing);
  const claimed = "$('Claim Briefings').item.json";
  const composed = "$('Compose Briefing').item.json";
  const claim = { notificationId: expr(`${claimed}.id`), leaseToken: expr(`${claimed}.leaseToken`) };
  wf.note(
    '## F · Daily Briefing\n/briefing 07:30 (off by default; /briefing off, /briefing always): at that local time one message with today\'s events (from Google Calendar, when its credential is set), the overdue tasks, the tasks due today and what waits for you (an open draft, a question), with ✓ Done per task and 💤 1 hour. Nothing on a day with nothing to say, unless "always". One per user and day across workers and restarts; one missed while n8n was down is sent late, once, with its date.',
    [-0.2, -1.5],
    [4.6, 0.85],
    4,
  );
  wf.add(REMINDER_TRIGGER, 'n8n-nodes-base.scheduleTrigger', 1.2, [0, 0], { rule: { interval: [{ field: 'minutes', minutesInterval: REMINDER_CHECK_MINUTES }] } });
  commandQueue(wf, 'Schedule Briefings', [1, 0], { operation: 'scheduleBriefings' });
  commandQueue(wf, 'Claim Briefings', [2, 0], { operation: 'claimNotifications', kind: 'briefing', limit: 20, leaseSeconds: 120 });
  // Today's events of the user's calendar; without a Google Calendar credential (or in an outage) the briefing is the tasks alone.
  eventExecutor(wf, "Today's Events", [3, 0], { operation: 'listUserEvents', userId: expr(`${claimed}.userId`), date: expr(`${claimed}.payload?.date ?? ''`) }, { onError: 'continueRegularOutput' });
  taskExecutor(wf, 'Compose Briefing', [4, 0], {
    operation: 'composeBriefing',
    notificationId: expr(`${claimed}.id`),
    taskListId: '@default',
    events: expr(`$json.ok === true ? JSON.stringify($json.events) : ''`),
  });
  switchNode(
    wf,
    'Compose Outcome',
    [5, 0],
    [
      ['Send', isTrue(expr(outcomeIs<Outcome>('send')))],
      ['Skip', isTrue(expr(outcomeIs<Outcome>('skip')))],
    ],
    'Failed',
  );
  wf.chain(REMINDER_TRIGGER, 'Schedule Briefings', 'Claim Briefings', "Today's Events", 'Compose Briefing', 'Compose Outcome');

  commandQueue(wf, 'Start Sending', [6, -0.4], { operation: 'startSending', ...claim });
  ifNode(wf, 'Still Ours?', [7, -0.4], isTrue('={{ $json.applied === true }}'));
  // n8n's Telegram node has a fixed number of keyboard rows: one Send node per count of rows
  // (a ✓ Done row per task, up to BRIEFING_BUTTONS, and the 💤 row).
  const rowCount = `${composed}.keyboard.rows.length`;
  const rowsFor = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      row: {
        buttons: [
          {
            text: expr(`${composed}.keyboard.rows[${index}].row.buttons[0].text`),
            additionalFields: { callback_data: expr(`${composed}.keyboard.rows[${index}].row.buttons[0].additionalFields.callback_data`) },
          },
        ],
      },
    }));
  const counts = Array.from({ length: BRIEFING_BUTTONS + 1 }, (_, index) => index + 1);
  switchNode(
    wf,
    'How Many Buttons?',
    [8, -0.4],
    counts.map((count) => [`${count}`, isTrue(expr(`${rowCount} === ${count}`))] as [string, ReturnType<typeof isTrue>]),
  );
  wf.connect('Still Ours?', 'How Many Buttons?', 0);
  for (const [index, count] of counts.entries()) {
    const name = `Send Briefing (${count} ${count === 1 ? 'Row' : 'Rows'})`;
    telegramSend(wf, name, [9, -1.9 + index * 0.75], expr(`${composed}.chatId`), expr(`${composed}.text`), {
      parameters: { replyMarkup: 'inlineKeyboard', inlineKeyboard: { rows: rowsFor(count) } },
      node: { onError: 'continueRegularOutput' },
    });
    wf.connect('How Many Buttons?', name, index);
    wf.connect(name, 'Delivered?');
  }
  ifNode(wf, 'Delivered?', [10, -0.4], isTrue('={{ !$json.error }}'));
  commandQueue(wf, 'Mark Sent', [11, -0.9], { operation: 'settleNotification', ...claim, result: 'sent', messageId: '={{ $json.result?.message_id ?? $json.message_id ?? "" }}' });
  commandQueue(wf, 'Mark Not Sent', [11, 0.1], {
    operation: 'settleNotification',
    ...claim,
    result: 'failed',
    reason: '={{ typeof $json.error === "string" ? $json.error : JSON.stringify($json.error) }}',
    retryable: true,
  });
  wf.connect('Compose Outcome', 'Start Sending', 0);
  wf.chain('Start Sending', 'Still Ours?');
  wf.connect('Delivered?', 'Mark Sent', 0);
  wf.connect('Delivered?', 'Mark Not Sent', 1);
  commandQueue(wf, 'Skip Briefing', [6, 0.6], { operation: 'settleNotification', ...claim, result: 'skipped', reason: '={{ $json.reason }}' });
  commandQueue(wf, 'Compose Failed', [6, 1.35], {
    operation: 'settleNotification',
    ...claim,
    result: 'failed',
    reason: '={{ $json.failure?.message ?? "" }}',
    retryable: '={{ $json.failure?.retryable !== false }}',
  });
  wf.connect('Compose Outcome', 'Skip Briefing', 1);
  wf.connect('Compose Outcome', 'Compose Failed', 2);
  return wf.toJSON({ saveDataSuccessExecution: 'none' });
}
