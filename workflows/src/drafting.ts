// Workflow D: Task Drafting. Gemini plans the task (or asks a question); the draft is stored and
// shown as a card with Confirm / Edit / Cancel buttons. Nothing is created in Google Tasks here.
import type { DraftingCommandType, PlannerAuditDetails } from '../../nodes/shared/contracts';
import { BUTTON_LABELS, DRAFTING_REPLIES } from '../../nodes/shared/messages/workflowReplies';
import type { DraftCard } from '../../nodes/shared/telegram/draftCard';
import { condition, expr, ifNode, isTrue, jsonObject, jsString, setResult, subWorkflowTrigger, telegramEdit, telegramSend, type Workflow, WorkflowBuilder } from './builder';
import { IDS, NAMES } from './ids';
import { draftStore, geminiPlanner } from './nodes';

/** The planner's mode for a drafting command; a new message is 'create'. */
const PLANNER_MODE: Partial<Record<DraftingCommandType, 'revise' | 'answer'>> = { revise_draft: 'revise', answer_clarification: 'answer' };

/** Which field of the draft card (DraftStore's output) each button's data comes from. */
const BUTTON_DATA: Record<keyof typeof BUTTON_LABELS, keyof DraftCard> = { confirm: 'confirmData', edit: 'editData', cancel: 'cancelData' };

export function buildDrafting(): Workflow {
  const wf = new WorkflowBuilder(IDS.drafting, NAMES.drafting);
  const command = "$('When Called by Executor').item.json";
  const chat = expr(`${command}.payload.chatId`);
  wf.note(
    '## D · Task Drafting\nGemini structures the task (title, due date and why, notes, suggested subtasks), or asks one clarifying question. The draft is stored, then shown with ✅ Confirm / ✏️ Edit / ❌ Cancel. Nothing is created here.',
    [-0.2, -1.5],
    [3.4, 0.8],
    4,
  );
  subWorkflowTrigger(wf, 'When Called by Executor', [0, 0]);
  const modes = Object.entries(PLANNER_MODE).map(([type, mode]) => `${type}: ${jsString(mode)}`);
  geminiPlanner(wf, 'Plan Task', [1, 0], {
    mode: expr(`{ ${modes.join(', ')} }[$json.type] ?? 'create'`),
    text: '={{ $json.payload.text }}',
    referenceTime: "={{ $json.payload.sentAt ?? '' }}",
    timezone: "={{ $json.payload.timezone || 'UTC' }}",
    previousDraft: '={{ JSON.stringify($json.payload.previousDraft ?? null) }}',
    question: "={{ $json.payload.question ?? '' }}",
    originalText: "={{ $json.payload.originalText ?? '' }}",
  });
  ifNode(wf, 'Planned?', [2, 0], isTrue('={{ $json.ok === true }}'));
  setResult(wf, 'Result: Planning Failed', [3, 1.0], { ok: ['boolean', '={{ false }}'], failure: ['object', '={{ $json.failure }}'] });
  ifNode(wf, 'Needs Clarification?', [3, 0], isTrue('={{ $json.clarification_needed === true }}'));
  wf.chain('When Called by Executor', 'Plan Task', 'Planned?');
  wf.connect('Planned?', 'Needs Clarification?', 0);
  wf.connect('Planned?', 'Result: Planning Failed', 1);

  wf.note('### Clarification\nRemembered first, so the answer finds its question.', [3.8, -1.5], [3.2, 0.5]);
  draftStore(wf, 'Remember Question', [4, -0.8], {
    operation: 'rememberQuestion',
    userId: expr(`${command}.userId`),
    question: '={{ $json.clarification_question }}',
    originalText: expr(`${command}.payload.originalText || ${command}.payload.text`),
  });
  telegramSend(wf, 'Send Question', [5, -0.8], chat, '={{ $json.message }}');
  setResult(wf, 'Result: Question Asked', [6, -0.8], { ok: ['boolean', '={{ true }}'], result: ['object', "={{ { asked: $('Remember Question').item.json.question } }}"] });
  wf.connect('Needs Clarification?', 'Remember Question', 0);
  wf.chain('Remember Question', 'Send Question', 'Result: Question Asked');

  wf.note(
    '### Draft\nStored as "drafted", shown as a card whose buttons carry the draft id. An edit retires the card it replaces. A command that runs again finds its card already sent.',
    [3.8, 0.35],
    [6.6, 0.45],
  );
  draftStore(wf, 'Save Draft', [4, 1.0], {
    operation: 'create',
    userId: expr(`${command}.userId`),
    task: '={{ JSON.stringify($json.draft) }}',
    options: {
      chatId: chat,
      commandId: expr(`${command}.id`),
      sourceMessageId: expr(`${command}.payload.messageId`),
      supersedesId: expr(`${command}.payload.draftId ?? 0`),
      auditDetails: expr(
        jsonObject<PlannerAuditDetails>({ source: '$json.source', usage: '$json.usage', latencyMs: '$json.latencyMs', model: '$json.model', repaired: '$json.repaired' }),
      ),
    },
  });
  const buttons = (Object.keys(BUTTON_LABELS) as (keyof typeof BUTTON_LABELS)[]).map((action) => ({
    text: BUTTON_LABELS[action],
    additionalFields: { callback_data: expr(`$json.card.${BUTTON_DATA[action]}`) },
  }));
  telegramSend(wf, 'Send Draft', [6, 1.0], chat, '={{ $json.card.text }}', {
    parameters: { replyMarkup: 'inlineKeyboard', inlineKeyboard: { rows: [{ row: { buttons } }] } },
  });
  draftStore(wf, 'Remember Card', [7, 1.0], {
    operation: 'attachMessage',
    draftId: "={{ $('Save Draft').item.json.id }}",
    userId: expr(`${command}.userId`),
    messageId: '={{ $json.result.message_id }}',
  });
  ifNode(wf, 'Replaced a Draft?', [8, 1.0], condition(expr(`${command}.payload.previousMessageId`), { type: 'string', operation: 'exists', singleValue: true }));
  telegramEdit(wf, 'Retire Old Card', [9, 1.6], chat, expr(`${command}.payload.previousMessageId`), DRAFTING_REPLIES.replacedCard);
  setResult(wf, 'Result: Draft Sent', [10, 1.0], { ok: ['boolean', '={{ true }}'], result: ['object', "={{ { draftId: $('Save Draft').item.json.id } }}"] });
  // A command that ran twice finds its draft already made and shown: nothing is sent again.
  ifNode(wf, 'Card Already Sent?', [5, 1.0], isTrue('={{ $json.existing === true && !!$json.telegramMessageId }}'));
  wf.connect('Needs Clarification?', 'Save Draft', 1);
  wf.connect('Save Draft', 'Card Already Sent?');
  wf.connect('Card Already Sent?', 'Result: Draft Sent', 0);
  wf.connect('Card Already Sent?', 'Send Draft', 1);
  wf.chain('Send Draft', 'Remember Card', 'Replaced a Draft?');
  wf.connect('Replaced a Draft?', 'Retire Old Card', 0);
  wf.connect('Replaced a Draft?', 'Result: Draft Sent', 1);
  wf.connect('Retire Old Card', 'Result: Draft Sent');
  return wf.toJSON();
}
