// The shipped workflows (workflows/*.json), as `npm run workflows` writes them. Generated so that
// ids, credential references, node positions and typeVersions stay consistent across the files;
// the JSON is what users import and edit on the canvas. test/workflows.test.ts checks it is current.
import type { Workflow } from './builder';
import { buildBriefing } from './briefing';
import { buildConfirmation } from './confirmation';
import { buildDrafting } from './drafting';
import { buildErrorNotifier } from './errorNotifier';
import { buildEvents } from './events';
import { buildExecutor } from './executor';
import { buildOperations } from './operations';
import { buildReminders } from './reminders';
import { buildRouter } from './router';
import { buildTasks } from './tasks';

export { CREDENTIALS, IDS, NAMES } from './ids';
export type { Workflow, WorkflowNode } from './builder';

export const WORKFLOWS: Record<string, () => Workflow> = {
  'A-inbound-router.json': buildRouter,
  'B-command-executor.json': buildExecutor,
  'C-event-drafting.json': buildEvents,
  'D-task-drafting.json': buildDrafting,
  'E-confirmation.json': buildConfirmation,
  'L-tasks.json': buildTasks,
  'F-briefing.json': buildBriefing,
  'G-reminders.json': buildReminders,
  'error-notifier.json': buildErrorNotifier,
  'O-operations.json': buildOperations,
};

/** Each workflow file's text, by file name. */
export function renderAll(): Record<string, string> {
  return Object.fromEntries(Object.entries(WORKFLOWS).map(([file, build]) => [file, `${JSON.stringify(build(), null, 2)}\n`]));
}
