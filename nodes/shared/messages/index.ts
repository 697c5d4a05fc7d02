// Every text a Telegram user (or the owner) reads, in one place: the precondition for
// consistent wording and, later, other languages. Grouped by what the text is about. Prompts for
// Gemini are not here (gemini/prompts.ts: the model reads them), nor errors for the workflow's
// builder (InputError, Failure.message).
export * from './account';
export * from './assistant';
export * from './calendar';
export * from './briefing';
export * from './decisions';
export * from './draftCard';
export * from './eventCard';
export * from './failures';
export * from './health';
export * from './media';
export * from './owner';
export * from './planning';
export * from './reminders';
export * from './tasks';
export * from './workflowReplies';
