// Our own nodes in a workflow, with their parameters typed per operation as the nodes define
// them (nodes/<Node>/). test/workflows.parameters.test.ts checks every parameter the generated
// workflows set against the nodes' descriptions, so these types cannot drift unnoticed.
import type { CommandType } from '../../nodes/shared/contracts';
import { type Cell, type Expression, type NodeSettings, WorkflowBuilder } from './builder';
import { CREDENTIALS, PACKAGE } from './ids';

type Text = string;
type Num = number | Expression;
type Bool = boolean | Expression;
type Fallback = 'off' | 'whenUnavailable' | 'always';

export type CommandQueueParameters =
  | {
      operation: 'enqueue';
      commandType: CommandType | Expression;
      userId: Text;
      dedupeKey: Text;
      payload?: Text;
      options?: {
        sourceMessageId?: Text;
        telegramChatId?: Text;
        telegramUserId?: Text;
        displayName?: Text;
        maxAttempts?: Num;
        delaySeconds?: Num;
        auditDetails?: Text;
      };
    }
  | { operation: 'lookup'; dedupeKey: Text; rateLimit?: { userId?: Text; maxPerMinute?: Num } }
  | { operation: 'claim'; limit?: Num; leaseSeconds?: Num; renewWhileRunning?: Bool; workerName?: Text }
  | { operation: 'complete'; commandId: Num; leaseToken: Text; result?: Text }
  | { operation: 'fail'; commandId: Num; leaseToken: Text; error?: Text; retryable?: Bool; retryAfterSeconds?: Num; keepAttempt?: Bool }
  | { operation: 'stats'; windowMinutes?: Num; geminiDailyQuota?: Num; tasksDailyQuota?: Num }
  | { operation: 'purge'; retentionDays?: Num }
  | { operation: 'backup'; folder?: Text; keep?: Num }
  | { operation: 'ownerNotice'; noticeKey: Text; intervalMinutes?: Num }
  | { operation: 'parseUpdate'; update?: Text; allowlist?: Text }
  | { operation: 'claimNotifications'; kind: 'reminder' | 'briefing'; limit?: Num; leaseSeconds?: Num }
  | { operation: 'startSending'; notificationId: Num; leaseToken: Text }
  | { operation: 'settleNotification'; notificationId: Num; leaseToken: Text; result: 'sent' | 'skipped' | 'failed'; messageId?: Text; reason?: Text; retryable?: Bool }
  | { operation: 'scheduleReminder'; draftId: Num; userId: Text }
  | { operation: 'snoozeReminder'; notificationId: Num; userId: Text; choice: 'hour' | 'tomorrow' }
  | { operation: 'listReminders'; userId: Text }
  | { operation: 'setBriefing'; userId: Text; text: Text }
  | { operation: 'scheduleBriefings' };

export type CommandRouterParameters = { operation: 'route' } | { operation: 'finish' };

/** Where a decision on a draft came from: a press counts only from the draft's own card. */
interface PressedOn {
  cardChatId?: Text;
  cardMessageId?: Text;
}

export type DraftStoreParameters =
  | {
      operation: 'create';
      userId: Text;
      task: Text;
      options?: { chatId?: Text; draftType?: 'task' | 'event' | Expression; commandId?: Num; sourceMessageId?: Text; supersedesId?: Num; media?: Text; auditDetails?: Text; reminderText?: Text; timezone?: Text; sentAt?: Num };
    }
  | ({ operation: 'confirm' | 'cancel' | 'startEdit'; draftId: Num; userId: Text } & PressedOn)
  | { operation: 'get' | 'supersede'; draftId: Num; userId: Text }
  | { operation: 'transform'; draftId: Num; userId: Text; transform: 'toEvent' | 'toTask' | 'moveToSlot' | Expression; timezone?: Text }
  | { operation: 'reopen'; draftId: Num; userId: Text; reason?: Text }
  | { operation: 'attachMessage'; draftId: Num; userId: Text; messageId: Text }
  | {
      operation: 'getContext';
      userId: Text;
      contextOptions?: { telegramChatId?: Text; telegramUserId?: Text; displayName?: Text; defaultTimezone?: Text };
    }
  | { operation: 'rememberQuestion'; userId: Text; question: Text; originalText?: Text; editOfDraftId?: Num }
  | { operation: 'clearChatState'; userId: Text }
  | { operation: 'setTimezone'; userId: Text; timezone: Text };

interface GeminiModel {
  model?: Text;
  temperature?: Num;
  fallback?: Fallback;
}

/** Gemini Intent: classify a message, or read a voice note or photo (binary data) into text. */
export type GeminiIntentParameters = { usageUserId?: Text } & GeminiModel &
  (
    | { operation?: 'classify'; text: Text; awaitingEdit?: Bool; pendingQuestion?: Text; minConfidence?: Num }
    | { operation: 'readMedia'; mediaKind: 'voice' | 'audio' | 'photo' | Expression; binaryPropertyName?: Text; mimeType?: Text; caption?: Text; languageCode?: Text }
  );

interface PlannerInput extends GeminiModel {
  text: Text;
  /** Whose Gemini calls these are, in the usage the health summary reports. */
  usageUserId?: Text;
  currentDate?: Text;
  referenceTime?: Text;
  timezone?: Text;
  maxSubtasks?: Num;
}

/** Keyed by mode; a mode chosen per item (an expression) may carry every mode's fields. */
export type GeminiPlannerParameters = PlannerInput &
  (
    | { mode: 'create' }
    | { mode: 'revise'; previousDraft?: Text }
    | { mode: 'answer'; question?: Text; originalText?: Text }
    | { mode: 'event' }
    | { mode: 'reviseEvent'; previousDraft?: Text }
    | { mode: Expression; previousDraft?: Text; question?: Text; originalText?: Text }
  );

interface TasksApi {
  apiBaseUrl?: Text;
}

export type TaskExecutorParameters = TasksApi &
  (
    | { operation: 'executeDraft'; draftId: Num; userId: Text; taskListId?: Text }
    | { operation: 'listTaskLists' }
    | { operation: 'listTasks'; taskListId?: Text; limit?: Num }
    | { operation: 'undo'; executionId: Num; userId: Text; undoWindowMinutes?: Num }
    | { operation: 'listForChat'; userId: Text; taskListId?: Text; limit?: Num }
    | { operation: 'completeTask'; entryId: Num; userId: Text }
    | { operation: 'findUndoable'; userId: Text; executionId?: Num; undoWindowMinutes?: Num }
    | { operation: 'checkReminder'; notificationId: Num }
    | { operation: 'composeBriefing'; notificationId: Num; taskListId?: Text; events?: Text }
  );

export type EventExecutorParameters = { apiBaseUrl?: Text } & (
  | { operation: 'createEvent'; draftId: Num; userId: Text; calendarId?: Text }
  | { operation: 'checkConflicts'; event: Text; calendarIds?: Text; searchHours?: Num }
  | { operation: 'draftFromLink'; url: Text; timeZone: Text }
  | { operation: 'listCalendars' }
  | { operation: 'listEvents'; calendarId?: Text; date: Text; timeZone: Text; limit?: Num }
  | { operation: 'listUserEvents'; userId: Text; date?: Text; limit?: Num }
  | { operation: 'setCalendar'; userId: Text; calendarId?: Text }
);

const type = (node: string) => `${PACKAGE}.${node}`;

export function commandQueue(wf: WorkflowBuilder, name: string, position: Cell, parameters: CommandQueueParameters, settings: NodeSettings = {}): string {
  // Parsing an update reads no database: the node asks for no credential then.
  const credentials = parameters.operation === 'parseUpdate' ? {} : { credentials: CREDENTIALS.database };
  return wf.add(name, type('commandQueue'), 1, position, parameters, { ...credentials, ...settings });
}

export function commandRouter(wf: WorkflowBuilder, name: string, position: Cell, parameters: CommandRouterParameters): string {
  return wf.add(name, type('commandRouter'), 1, position, parameters, { credentials: CREDENTIALS.database });
}

export function draftStore(wf: WorkflowBuilder, name: string, position: Cell, parameters: DraftStoreParameters, settings: NodeSettings = {}): string {
  return wf.add(name, type('draftStore'), 1, position, parameters, { credentials: CREDENTIALS.database, ...settings });
}

export function geminiIntent(wf: WorkflowBuilder, name: string, position: Cell, parameters: GeminiIntentParameters): string {
  // Version 2: no sampling parameters unless asked for. The database records the calls' usage.
  return wf.add(name, type('geminiIntent'), 2, position, parameters, { credentials: { ...CREDENTIALS.gemini, ...CREDENTIALS.database } });
}

export function geminiPlanner(wf: WorkflowBuilder, name: string, position: Cell, parameters: GeminiPlannerParameters): string {
  return wf.add(name, type('geminiPlanner'), 2, position, parameters, { credentials: { ...CREDENTIALS.gemini, ...CREDENTIALS.database } });
}

export function taskExecutor(wf: WorkflowBuilder, name: string, position: Cell, parameters: TaskExecutorParameters): string {
  return wf.add(name, type('taskExecutor'), 1, position, parameters, { credentials: { ...CREDENTIALS.database, ...CREDENTIALS.tasks } });
}

export function eventExecutor(wf: WorkflowBuilder, name: string, position: Cell, parameters: EventExecutorParameters, settings: NodeSettings = {}): string {
  // As the node asks: the store for Create Event, List User's Events and Set User Calendar, Google for all but Set User Calendar and Draft From Link.
  const op = parameters.operation;
  const credentials = {
    ...(op === 'createEvent' || op === 'setCalendar' || op === 'listUserEvents' ? CREDENTIALS.database : {}),
    ...(op === 'setCalendar' || op === 'draftFromLink' ? {} : CREDENTIALS.calendar),
  };
  return wf.add(name, type('eventExecutor'), 1, position, parameters, { ...(Object.keys(credentials).length ? { credentials } : {}), ...settings });
}
