// A deterministic "model" for the Gemini emulator, so end-to-end tests can hold whole
// conversations without a real model. It reads the structured prompt our nodes send
// (nodes/shared/gemini/prompts.ts: labelled JSON lines with the request kind, current date,
// time zone, context and user message) and answers with the same local rules the offline
// fallback uses, but without the "drafted offline" mark, as if Gemini had answered.
//
// How the e2e harness uses it:
//   const gemini = await startGeminiEmulator({ apiKey: 'test-key' });
//   gemini.setHandler(scriptedAssistantResponder());
//   credentials googlePalmApi: { host: gemini.url, apiKey: 'test-key' }
// What conversations then produce (GeminiIntent → GeminiPlanner):
//   "Plan Sam's birthday party next Saturday" → create_task; draft due the first Saturday after
//       today (WEEKDAY_RULE) with ≥ 3 suggested subtasks (guest list, invitations, cake, ...)
//   "buy milk tomorrow"                        → create_task; draft "Buy milk", due tomorrow
//   "stuff"                                    → create_task; planner asks a clarification question
//   an edit while awaitingEdit=true            → revise_draft (instruction = text); the planner
//       applies dates ("make it Friday"), times, "rename to X", "add a subtask to X", "remove
//       the subtask X", "no subtasks", "no due date", "add a note: X", two of them joined by
//       "and", and asks a question (no draft) for anything else
//   a new request while awaitingEdit=true      → create_task ("buy eggs and bread tomorrow")
//   any text while pendingQuestion is set      → answer_clarification (answer = text)
//   "cancel" / "never mind"                    → cancel;  "help" → help;  "hi", "thanks" → small_talk
//   "show my tasks" → list_tasks;  "undo that" → undo_last
//   a voice note, audio file or photo (Read Media) → what the file "says" or "shows": the
//       Telegram emulator's files carry it (emulators/media.ts); silence, a blank photo or a
//       file that is not one of those → nothing_found
//   "dinner with Ana on Friday at 7:30" → create_event; a bare link → event_from_url; the event
//       planner (plan_event, revise_event) answers from the local event rules (eventPlanner.ts)
// Faults can still be mixed in: gemini.enqueue(geminiResponses.rateLimited('1s')) answers the
// next request with a 429 before the responder takes over again. gemini.requests records
// every call (model, apiKey, promptText, generationConfig) for assertions and usage counts.
import { classifyLocally, draftLocally } from '../nodes/shared/gemini/fallback';
import { parsePrompt } from '../nodes/shared/gemini/prompts';
import { draftEventLocally } from '../nodes/shared/gemini/eventPlanner';
import type { EventDraft } from '../nodes/shared/draft/eventDraft';
import type { CompleteTaskDraft } from '../nodes/shared/draft/taskDraft';
import { DEFAULT_MAX_SUBTASKS } from '../nodes/shared/gemini/schemas';
import { geminiResponses } from './gemini';
import { readEmulatedMediaFile } from './media';
import type { EmulatorHandler, EmulatorResponse, RecordedRequest } from './gemini';

function minutesOf(clock: string | undefined): number | undefined {
  const match = clock ? /^(\d{2}):(\d{2})$/.exec(clock) : null;
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export function scriptedAssistantAnswer(request: RecordedRequest): EmulatorResponse {
  const fields = parsePrompt(request.promptText);
  if (!fields) return geminiResponses.error(400, 'Scripted responder: the prompt has no "Request:" and "User message:" lines.');
  if (fields.request === 'read_media') {
    const file = request.media[0] ? readEmulatedMediaFile(request.media[0].bytes) : null;
    if (!request.media[0]) return geminiResponses.error(400, 'Scripted responder: a read_media request without an inline file.');
    const said = (file?.kind === 'photo' ? file.shows : file?.says)?.trim() ?? '';
    if (!said) return geminiResponses.nothingFound();
    return file?.kind === 'photo' ? geminiResponses.mediaRead(said, file.summary?.trim() || said) : geminiResponses.transcript(said);
  }
  if (fields.request === 'classify_intent') {
    const local = classifyLocally(fields.userMessage, { awaitingEdit: fields.awaitingEdit ?? false, pendingQuestion: fields.pendingQuestion ?? '' });
    return geminiResponses.json({
      intent: local.intent,
      confidence: local.confidence,
      parameters: {
        task_description: local.parameters.task_description ?? null,
        instruction: local.parameters.instruction ?? null,
        answer: local.parameters.answer ?? null,
      },
    });
  }
  if (!fields.currentDate || !fields.timeZone) return geminiResponses.error(400, 'Scripted responder: planner prompt without current date or time zone.');
  if (fields.request === 'plan_event' || fields.request === 'revise_event') {
    return geminiResponses.json(
      draftEventLocally({
        mode: fields.request === 'revise_event' ? 'reviseEvent' : 'event',
        text: fields.userMessage,
        reference: { date: fields.currentDate, minutesIntoDay: minutesOf(fields.currentTime) },
        timeZone: fields.timeZone,
        previousDraft: (fields.previousDraft as EventDraft | null | undefined) ?? null,
        markOffline: false,
      }),
    );
  }
  const mode = fields.request === 'revise_draft' ? 'revise' : fields.request === 'answer_clarification' ? 'answer' : 'create';
  const reply = draftLocally({
    mode,
    text: fields.userMessage,
    reference: { date: fields.currentDate, minutesIntoDay: minutesOf(fields.currentTime) },
    timeZone: fields.timeZone,
    maxSubtasks: fields.maxSubtasks ?? DEFAULT_MAX_SUBTASKS,
    previousDraft: (fields.previousDraft as CompleteTaskDraft | null | undefined) ?? null,
    question: fields.clarificationQuestion,
    originalText: fields.originalRequest,
    markOffline: false,
  });
  return geminiResponses.json(reply);
}

/** The emulator handler: answers every intent and planner request from the prompt alone. */
export function scriptedAssistantResponder(): EmulatorHandler {
  return scriptedAssistantAnswer;
}
