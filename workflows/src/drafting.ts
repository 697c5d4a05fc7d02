// Workflow D: Task Drafting. Gemini plans the task (or asks a question); the draft is stored and
// shown as a card with Confirm / Edit / Cancel buttons. Nothing is created in Google Tasks here.
import type { DraftingCommandType, PlannerAuditDetails } from '../../nodes/shared/contracts';
import { BUTTON_LABELS, DRAFTING_REPLIES } from '../../nodes/shared/messages/workflowReplies';
import type { CreateDraftOutcome, PlanOutcome } from '../../nodes/shared/outcome';
import type { DraftCard } from '../../nodes/shared/telegram/draftCard';
import {
  condition,
  expr,
  ifNode,
  isTrue,
  jsonObject,
  jsString,
  outcomeIs,
  setResult,
  subWorkflowTrigger,
  switchNode,
  telegramEdit,
  telegramSend,
  type Workflow,
  WorkflowBuilder,
} from './builder';
import { IDS, NAMES } from './ids';
import { draftStore, geminiPlanner } from './nodes';

/** The planner's mode for a drafting command; a new message is 'create'. */
const PLANNER_MODE: Partial<Record<DraftingCommandType, 'revise' | 'answer'>> = { revise_draft: 'revise', answer_clarification: 'answer' };

/** Which field of the draft card (DraftStore's output) each button's data comes from. */
const BUTTON_DATA: Record<keyof typeof BUTTON_LABELS, keyof DraftCard> = { confirm: 'confirmData', edit: 'editData', cancel: 'cancelData' };

/**
 * An edit that worked, or found the message showing exactly this already (Telegram's "message is
 * not modified": a command that runs again after its edit went through). Anything else (the
 * message is gone) means sending a new message instead.
 */
const EDITED = isTrue(expr("!$json.error || /message is not modified/i.test(String($json.error))"));

/** A message id in the payload that is set. */
const isSet = (body: string) => condition(expr(body), { type: 'string', operation: 'exists', singleValue: true });

export function buildDrafting(): Workflow {
  const wf = new WorkflowBuilder(IDS.drafting, NAMES.drafting);
  const command = "$('When Called by Executor').item.json";
  const chat = expr(`${command}.payload.chatId`);
  const ackMessage = `${command}.payload.ackMessageId`;
  // Where the card goes: the card of the draft being revised, else the "Got it!" of this message.
  const cardInPlace = `(${command}.payload.previousMessageId ?? ${command}.payload.ackMessageId)`;
  wf.note(
    '## D · Task Drafting\nGemini structures the task (title, due date and why, notes, suggested subtasks), or asks one clarifying question. The draft is stored, then shown with ✅ Confirm / ✏️ Edit / ❌ Cancel. Nothing is created here.\nOne bubble per message: the router\'s "Got it!" is edited into the question or the card; a revision edits its old card in place.',
    [-0.2, -1.5],
    [3.4, 0.8],
    4,
  );
  subWorkflowTrigger(wf, 'When Called by Executor', [0, 0]);
  const modes = Object.entries(PLANNER_MODE).map(([type, mode]) => `${type}: ${jsString(mode)}`);
  geminiPlanner(wf, 'Plan Task', [1, 0], {
    mode: expr(`{ ${modes.join(', ')} }[$json.type] ?? 'create'`),
    text: '={{ $json.payload.text }}',
    usageUserId: '={{ $json.userId }}',
    referenceTime: "={{ $json.payload.sentAt ?? '' }}",
    timezone: "={{ $json.payload.timezone || 'UTC' }}",
    previousDraft: '={{ JSON.stringify($json.payload.previousDraft ?? null) }}',
    question: "={{ $json.payload.question ?? '' }}",
    originalText: "={{ $json.payload.originalText ?? '' }}",
  });
  switchNode(
    wf,
    'Plan Outcome',
    [2, 0],
    [
      ['Drafted', isTrue(expr(outcomeIs<PlanOutcome>('drafted')))],
      ['Question', isTrue(expr(outcomeIs<PlanOutcome>('clarification_needed')))],
    ],
    'Failed',
  );
  setResult(wf, 'Result: Planning Failed', [3, 2.2], { ok: ['boolean', '={{ false }}'], failure: ['object', '={{ $json.failure }}'] });
  wf.chain('When Called by Executor', 'Plan Task', 'Plan Outcome');
  wf.connect('Plan Outcome', 'Result: Planning Failed', 2);

  wf.note('### Clarification\nRemembered first, so the answer finds its question; shown in the "Got it!" message.', [2.8, -1.5], [4.2, 0.5]);
  draftStore(wf, 'Remember Question', [3, -0.8], {
    operation: 'rememberQuestion',
    userId: expr(`${command}.userId`),
    question: '={{ $json.clarification_question }}',
    originalText: expr(`${command}.payload.originalText || ${command}.payload.text`),
    // A revision the planner could not apply asks; the edit of that draft stays pending.
    editOfDraftId: expr(`${command}.type === ${jsString('revise_draft' satisfies DraftingCommandType)} ? (${command}.payload.draftId ?? 0) : 0`),
  });
  const question = "={{ $('Remember Question').item.json.message }}";
  ifNode(wf, 'Acknowledged?', [4, -0.8], isSet(ackMessage));
  telegramEdit(wf, 'Edit Ack Into Question', [5, -1.0], chat, expr(ackMessage), question);
  ifNode(wf, 'Question Shown?', [6, -1.0], EDITED);
  telegramSend(wf, 'Send Question', [6, -0.4], chat, question);
  setResult(wf, 'Result: Question Asked', [7, -0.8], { ok: ['boolean', '={{ true }}'], result: ['object', "={{ { asked: $('Remember Question').item.json.question } }}"] });
  wf.connect('Plan Outcome', 'Remember Question', 1);
  wf.chain('Remember Question', 'Acknowledged?');
  wf.connect('Acknowledged?', 'Edit Ack Into Question', 0);
  wf.connect('Acknowledged?', 'Send Question', 1);
  wf.chain('Edit Ack Into Question', 'Question Shown?');
  wf.connect('Question Shown?', 'Result: Question Asked', 0);
  wf.connect('Question Shown?', 'Send Question', 1);
  wf.connect('Send Question', 'Result: Question Asked');

  wf.note(
    '### Draft\nStored as "drafted", shown as a card whose buttons carry the draft id: the "Got it!" message (or, for an edit, the card it revises) becomes the card; if that message is gone, a new card is sent. A command that runs again finds its card already shown.',
    [2.8, 0.35],
    [8.6, 0.45],
  );
  draftStore(wf, 'Save Draft', [3, 1.0], {
    operation: 'create',
    userId: expr(`${command}.userId`),
    task: '={{ JSON.stringify($json.draft) }}',
    options: {
      chatId: chat,
      commandId: expr(`${command}.id`),
      sourceMessageId: expr(`${command}.payload.messageId`),
      supersedesId: expr(`${command}.payload.draftId ?? 0`),
      // Made from a voice note or photo: the card shows what was heard or read.
      media: expr(`JSON.stringify(${command}.payload.media ?? null)`),
      // A time in the message ("at 9pm", "in 20 minutes") is the task's reminder (Workflow G).
      reminderText: expr(`[${command}.payload.originalText, ${command}.payload.text].filter(Boolean).join(' ')`),
      timezone: expr(`${command}.payload.timezone || 'UTC'`),
      sentAt: expr(`${command}.payload.sentAt ?? 0`),
      auditDetails: expr(
        jsonObject<PlannerAuditDetails>({ source: '$json.source', usage: '$json.usage', latencyMs: '$json.latencyMs', model: '$json.model', repaired: '$json.repaired' }),
      ),
    },
  });
  const saved = "$('Save Draft').item.json";
  const buttons = (Object.keys(BUTTON_LABELS) as (keyof typeof BUTTON_LABELS)[]).map((action) => ({
    text: BUTTON_LABELS[action],
    additionalFields: { callback_data: expr(`${saved}.card.${BUTTON_DATA[action]}`) },
  }));
  // A second row: 📅 Event turns the task draft into an event draft (Workflow C).
  const switchButton = { text: expr(`${saved}.card.extraText`), additionalFields: { callback_data: expr(`${saved}.card.extraData`) } };
  const keyboard = { replyMarkup: 'inlineKeyboard', inlineKeyboard: { rows: [{ row: { buttons } }, { row: { buttons: [switchButton] } }] } };
  // A command that ran twice finds its draft already made and shown: nothing is sent again.
  ifNode(wf, 'Card Already Sent?', [4, 1.0], isTrue(expr(`${outcomeIs<CreateDraftOutcome>('existing')} && !!$json.telegramMessageId`)));
  ifNode(wf, 'Message to Edit?', [5, 1.0], isSet(cardInPlace));
  telegramEdit(wf, 'Edit Into Card', [6, 0.8], chat, expr(cardInPlace), expr(`${saved}.card.text`), keyboard);
  ifNode(wf, 'Card Shown?', [7, 0.8], EDITED);
  telegramSend(wf, 'Send Draft', [7, 1.5], chat, expr(`${saved}.card.text`), { parameters: keyboard });
  draftStore(wf, 'Remember Card', [8, 1.0], {
    operation: 'attachMessage',
    draftId: expr(`${saved}.id`),
    userId: expr(`${command}.userId`),
    // The edited message (its id even when Telegram found it unchanged), or the new card.
    messageId: expr(`$json.result?.message_id ?? ${cardInPlace}`),
  });
  // A revision shown in its old card: the "Got it!" below it says where to look.
  ifNode(
    wf,
    'Revised in Place?',
    [9, 1.0],
    isTrue(expr(`!!${ackMessage} && ${command}.payload.previousMessageId != null && String($json.telegramMessageId) === String(${command}.payload.previousMessageId)`)),
  );
  telegramEdit(wf, 'Point to the Card', [10, 1.5], chat, expr(ackMessage), DRAFTING_REPLIES.revisedAbove);
  setResult(wf, 'Result: Draft Sent', [11, 1.0], { ok: ['boolean', '={{ true }}'], result: ['object', `={{ { draftId: ${saved}.id } }}`] });
  wf.connect('Plan Outcome', 'Save Draft', 0);
  wf.connect('Save Draft', 'Card Already Sent?');
  wf.connect('Card Already Sent?', 'Result: Draft Sent', 0);
  wf.connect('Card Already Sent?', 'Message to Edit?', 1);
  wf.connect('Message to Edit?', 'Edit Into Card', 0);
  wf.connect('Message to Edit?', 'Send Draft', 1);
  wf.chain('Edit Into Card', 'Card Shown?');
  wf.connect('Card Shown?', 'Remember Card', 0);
  wf.connect('Card Shown?', 'Send Draft', 1);
  wf.chain('Send Draft', 'Remember Card', 'Revised in Place?');
  wf.connect('Revised in Place?', 'Point to the Card', 0);
  wf.connect('Revised in Place?', 'Result: Draft Sent', 1);
  wf.connect('Point to the Card', 'Result: Draft Sent');
  return wf.toJSON();
}
