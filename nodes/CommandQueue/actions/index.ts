// Every operation of the Command Queue node. The Operation dropdown, the fields and the router
// are derived from this list: a new operation is its own file, imported and listed here once.
import type { Operation } from '../../adapter/operation';
import { backup } from './backup.operation';
import { claim } from './claim.operation';
import { claimNotifications } from './claimNotifications.operation';
import { complete } from './complete.operation';
import { enqueue } from './enqueue.operation';
import { fail } from './fail.operation';
import { listReminders } from './listReminders.operation';
import { lookup } from './lookup.operation';
import { ownerNotice } from './ownerNotice.operation';
import { parseUpdate } from './parseUpdate.operation';
import { purge } from './purge.operation';
import { scheduleBriefings } from './scheduleBriefings.operation';
import { scheduleReminder } from './scheduleReminder.operation';
import { setBriefing } from './setBriefing.operation';
import { settleNotification } from './settleNotification.operation';
import { snoozeReminder } from './snoozeReminder.operation';
import { startSending } from './startSending.operation';
import { stats } from './stats.operation';

// In the Operation dropdown's order (alphabetical by label, as saved in version 1).
// The notification operations (reminders, briefings) follow, added after version 1's list.
export const operations: readonly Operation[] = [
  backup,
  claim,
  complete,
  enqueue,
  fail,
  lookup,
  ownerNotice,
  parseUpdate,
  purge,
  stats,
  claimNotifications,
  listReminders,
  scheduleBriefings,
  scheduleReminder,
  setBriefing,
  settleNotification,
  snoozeReminder,
  startSending,
];
