// The Operations workflow (docs/operations.md): the morning health summary, and the nightly
// retention purge and backup.
import { DEFAULT_RETENTION_DAYS } from '../../nodes/shared/operations/retention';
import { condition, dailyAt, ifNode, setResult, telegramSend, type Workflow, WorkflowBuilder } from './builder';
import { IDS, OPERATIONS_NAME } from './ids';
import { commandQueue } from './nodes';

const BACKUPS_KEPT = 7;

export function buildOperations(): Workflow {
  const wf = new WorkflowBuilder(IDS.ops, OPERATIONS_NAME);
  wf.note(
    '## Operations\nEvery morning a health summary goes to you in Telegram: commands, success rate, processing time, Gemini and Google Tasks calls against their daily quotas, database size, oldest pending command. **Set your Telegram user ID in "Owner"**; set your quotas in "Health Stats". See docs/operations.md.',
    [-0.2, -1.45],
    [4.6, 1.3],
    4,
  );
  dailyAt(wf, 'Every Day at 08:00', [0, 0], 8);
  commandQueue(wf, 'Health Stats', [1, 0], { operation: 'stats', windowMinutes: 1440, geminiDailyQuota: 1500, tasksDailyQuota: 50000 });
  setResult(wf, 'Owner', [2, 0], { chatId: ['string', ''] });
  // Without an owner there is nobody to tell: stop quietly instead of failing every morning.
  ifNode(wf, 'Owner Set?', [3, 0], condition('={{ $json.chatId }}', { type: 'string', operation: 'notEmpty', singleValue: true }));
  telegramSend(wf, 'Send Health Summary', [4, 0], '={{ $json.chatId }}', "={{ $('Health Stats').item.json.summaryText }}");
  wf.chain('Every Day at 08:00', 'Health Stats', 'Owner', 'Owner Set?', 'Send Health Summary');

  wf.note(
    `### Retention and backup\nEvery night: audit rows, finished commands and drafts nothing uses any more, untouched for ${DEFAULT_RETENTION_DAYS} days, are deleted (queued commands never); then the SQLite database is copied to \`~/.n8n/draft-assistant-backups\`, keeping the newest ${BACKUPS_KEPT}. On PostgreSQL, remove "Back Up Database" and use pg_dump.`,
    [-0.2, 0.55],
    [4.6, 0.85],
  );
  dailyAt(wf, 'Every Day at 03:00', [0, 1.6], 3);
  commandQueue(wf, 'Purge Old Records', [1, 1.6], { operation: 'purge', retentionDays: DEFAULT_RETENTION_DAYS });
  commandQueue(wf, 'Back Up Database', [2, 1.6], { operation: 'backup', folder: '', keep: BACKUPS_KEPT });
  wf.chain('Every Day at 03:00', 'Purge Old Records', 'Back Up Database');
  return wf.toJSON();
}
