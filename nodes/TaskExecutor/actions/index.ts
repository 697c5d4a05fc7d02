// Every operation of the Task Executor node. The Operation dropdown, the fields and the router
// are derived from this list: a new operation is its own file, imported and listed here once.
import type { Operation } from '../../adapter/operation';
import { checkReminder } from './checkReminder.operation';
import { completeTask } from './completeTask.operation';
import { composeBriefing } from './composeBriefing.operation';
import { executeDraft } from './executeDraft.operation';
import { findUndoable } from './findUndoable.operation';
import { listForChat } from './listForChat.operation';
import { listTaskLists } from './listTaskLists.operation';
import { listTasks } from './listTasks.operation';
import { undo } from './undo.operation';

// In the Operation dropdown's order (alphabetical by label, as saved in version 1).
// Check Reminder and Compose Briefing follow, added after version 1's list.
export const operations: readonly Operation[] = [completeTask, executeDraft, findUndoable, listTaskLists, listTasks, listForChat, undo, checkReminder, composeBriefing];
