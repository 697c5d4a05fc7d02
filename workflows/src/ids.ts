// The names that tie the workflows together: fixed ids (Execute Workflow references survive
// import), the credentials the nodes reference by type, and the workflows' display names.

export const PACKAGE = 'n8n-nodes-draft-assistant';

/** Fixed workflow ids: Execute Workflow references survive import. */
export const IDS = {
  router: 'draftAssistantA',
  executor: 'draftAssistantB',
  drafting: 'draftAssistantD',
  confirmation: 'draftAssistantE',
  tasks: 'draftAssistantL',
  reminders: 'draftAssistantG',
  briefing: 'draftAssistantF',
  events: 'draftAssistantC',
  errors: 'draftAssistantErr',
  ops: 'draftAssistantOps',
} as const;
export type WorkflowRole = keyof typeof IDS;

export interface CredentialReference {
  id: string;
  name: string;
}

/** Credentials are referenced by type; after import the user picks theirs. */
export const CREDENTIALS = {
  telegram: { telegramApi: { id: 'draftAssistantTelegram', name: 'Telegram Bot (Draft Assistant)' } },
  gemini: { googlePalmApi: { id: 'draftAssistantGemini', name: 'Google Gemini (Draft Assistant)' } },
  tasks: { googleTasksOAuth2Api: { id: 'draftAssistantGoogleTasks', name: 'Google Tasks (Draft Assistant)' } },
  calendar: { googleCalendarOAuth2Api: { id: 'draftAssistantGoogleCalendar', name: 'Google Calendar (Draft Assistant)' } },
  database: { draftAssistantDatabase: { id: 'draftAssistantDatabase', name: 'Draft Assistant Database' } },
} satisfies Record<string, Record<string, CredentialReference>>;

/** The workflows' names; the Error Notifier names a failed workflow by these. */
export const NAMES = {
  router: 'Draft Assistant · A · Inbound Router',
  executor: 'Draft Assistant · B · Command Executor',
  drafting: 'Draft Assistant · D · Task Drafting',
  confirmation: 'Draft Assistant · E · Confirmation',
  tasks: 'Draft Assistant · L · Your Tasks',
  reminders: 'Draft Assistant · G · Reminder Checker',
  briefing: 'Draft Assistant · F · Daily Briefing',
  events: 'Draft Assistant · C · Event Drafting',
  errors: 'Draft Assistant · Error Notifier',
} as const satisfies Partial<Record<WorkflowRole, string>>;
export const OPERATIONS_NAME = 'Draft Assistant · O · Operations';
