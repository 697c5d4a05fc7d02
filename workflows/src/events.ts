// Workflow C: Event Drafting. A clear event request ("dinner with Ana on Friday at 7:30"), a link
// to an event page, an edit of an event draft, a 🕒 Move / 📅 Event / ✅ Task press: the event is
// planned (or read from the page), checked against the user's busy times, stored as a draft
// (draft_type 'event') and shown as a card with ✅ Confirm ✏️ Edit ❌ Cancel and one more button.
// /calendar lists the account's calendars to pick one. Nothing is created in Google Calendar here.
import type { CommandType, EventCommandType, PlannerAuditDetails } from '../../nodes/shared/contracts';
import type { DraftTransform } from '../../nodes/shared/draft/transform';
import { CALENDAR_PICKER } from '../../nodes/shared/messages/eventCard';
import { BUTTON_LABELS, DRAFTING_REPLIES } from '../../nodes/shared/messages/workflowReplies';
import type { CreateDraftOutcome, TransformOutcome } from '../../nodes/shared/outcome';
import type { DraftCard } from '../../nodes/shared/telegram/draftCard';
import {
  condition,
  equals,
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
import { draftStore, eventExecutor, geminiPlanner } from './nodes';

const BUTTON_DATA: Record<keyof typeof BUTTON_LABELS, keyof DraftCard> = { confirm: 'confirmData', edit: 'editData', cancel: 'cancelData' };
const TRANSFORM_FOR: Record<Extract<EventCommandType, 'move_event' | 'switch_to_event' | 'switch_to_task'>, DraftTransform> = {
  move_event: 'moveToSlot',
  switch_to_event: 'toEvent',
  switch_to_task: 'toTask',
};
const EDITED = isTrue(expr("!$json.error || /message is not modified/i.test(String($json.error))"));
const isSet = (body: string) => condition(expr(body), { type: 'string', operation: 'exists', singleValue: true });

export function buildEvents(): Workflow {
  const wf = new WorkflowBuilder(IDS.events, NAMES.events);
  const command = "$('When Called by Executor').item.json";
  const chat = expr(`${command}.payload.chatId`);
  const user = expr(`${command}.userId`);
  const typeIs = (type: CommandType) => equals('={{ $json.type }}', type);
  const ackMessage = `${command}.payload.ackMessageId`;
  // Where the card goes: the card being revised or pressed, else the "Got it!" of this message.
  const cardInPlace = `(${command}.payload.previousMessageId ?? ${command}.payload.cardMessageId ?? ${command}.payload.ackMessageId)`;
  wf.note(
    '## C · Event Drafting\nAn event in words, a link to an event page, an edit of an event draft, or a 🕒 Move / 📅 Event / ✅ Task press: the event is planned (times in the user\'s zone), checked against the calendar\'s busy times, stored as a draft and shown with ✅ Confirm / ✏️ Edit / ❌ Cancel, plus 🕒 Move to the next free slot on an overlap (else ✅ Task). Nothing is created here: Confirm (Workflow E) does, exactly once.\n/calendar lists the calendars to pick one.',
    [-0.2, -1.7],
    [4.6, 1.0],
    4,
  );
  subWorkflowTrigger(wf, 'When Called by Executor', [0, 1]);
  switchNode(wf, 'Route by Command', [1, 1], [
    ['Words', isTrue(expr("['draft_event_from_text', 'revise_draft', 'answer_clarification'].includes($json.type)"))],
    ['Link', typeIs('draft_event_from_url')],
    ['Switch', isTrue(expr(`${JSON.stringify(Object.keys(TRANSFORM_FOR))}.includes($json.type)`))],
    ['Calendars', typeIs('list_calendars')],
    ['Pick Calendar', typeIs('set_calendar')],
  ]);
  wf.connect('When Called by Executor', 'Route by Command');
  setResult(wf, 'Result: Failed', [4, 3.2], { ok: ['boolean', '={{ false }}'], failure: ['object', '={{ $json.failure }}'] });
  setResult(wf, 'Result: Handled', [12, 3.2], { ok: ['boolean', '={{ true }}'], result: ['object', expr(`{ handled: ${command}.type }`)] });

  // Words: plan the event (a revision applies to the draft being edited)
  const revising = `${command}.type === ${jsString('revise_draft' satisfies CommandType)}`;
  geminiPlanner(wf, 'Plan Event', [2, 0], {
    mode: expr(`${revising} ? 'reviseEvent' : 'event'`),
    // An answer to "When is it?" completes the request it answers.
    text: expr(
      `$('Read Event Page').isExecuted ? $('Read Event Page').item.json.text : ${command}.type === ${jsString('answer_clarification' satisfies CommandType)} ? ((${command}.payload.originalText ?? '') + ' ' + ${command}.payload.text).trim() : ${command}.payload.text`,
    ),
    usageUserId: user,
    referenceTime: expr(`${command}.payload.sentAt ?? ''`),
    timezone: expr(`${command}.payload.timezone || 'UTC'`),
    previousDraft: expr(`JSON.stringify(${command}.payload.previousDraft ?? null)`),
  });
  switchNode(
    wf,
    'Plan Outcome',
    [3, 0],
    [
      ['Drafted', isTrue(expr("$json.outcome === 'drafted'"))],
      ['Question', isTrue(expr("$json.outcome === 'clarification_needed'"))],
    ],
    'Failed',
  );
  wf.connect('Route by Command', 'Plan Event', 0);
  wf.chain('Plan Event', 'Plan Outcome');
  wf.connect('Plan Outcome', 'Result: Failed', 2);
  // A question (no day given, an unclear edit) is remembered, so that the answer finds it, and
  // goes in the "Got it!"; an edit that asks stays pending.
  draftStore(wf, 'Remember Question', [4, -1.0], {
    operation: 'rememberQuestion',
    userId: user,
    question: '={{ $json.clarification_question }}',
    originalText: expr(`${command}.payload.originalText || ${command}.payload.text`),
    editOfDraftId: expr(`${revising} ? (${command}.payload.draftId ?? 0) : 0`),
  });
  const question = "={{ $('Remember Question').item.json.message }}";
  ifNode(wf, 'Acknowledged?', [5, -1.0], isSet(ackMessage));
  telegramEdit(wf, 'Edit Ack Into Question', [6, -1.2], chat, expr(ackMessage), question);
  ifNode(wf, 'Question Shown?', [7, -1.2], EDITED);
  telegramSend(wf, 'Send Question', [7, -0.6], chat, question);
  wf.connect('Plan Outcome', 'Remember Question', 1);
  wf.chain('Remember Question', 'Acknowledged?');
  wf.connect('Acknowledged?', 'Edit Ack Into Question', 0);
  wf.connect('Acknowledged?', 'Send Question', 1);
  wf.chain('Edit Ack Into Question', 'Question Shown?');
  wf.connect('Question Shown?', 'Result: Handled', 0);
  wf.connect('Question Shown?', 'Send Question', 1);
  wf.connect('Send Question', 'Result: Handled');

  // Link: read the page (its schema.org Event or iCalendar, else its text for the planner)
  eventExecutor(wf, 'Read Event Page', [2, 1.2], { operation: 'draftFromLink', url: expr(`${command}.payload.text`), timeZone: expr(`${command}.payload.timezone || 'UTC'`) });
  switchNode(
    wf,
    'Page Outcome',
    [3, 1.2],
    [
      ['Found', isTrue(expr("$json.outcome === 'found'"))],
      ['Text', isTrue(expr("$json.outcome === 'text'"))],
    ],
    'Refused',
  );
  telegramSend(wf, 'Tell User: No Event', [4, 1.6], chat, '={{ $json.failure.userMessage }}');
  wf.connect('Route by Command', 'Read Event Page', 1);
  wf.chain('Read Event Page', 'Page Outcome');
  wf.connect('Page Outcome', 'Plan Event', 1);
  wf.connect('Page Outcome', 'Tell User: No Event', 2);
  wf.connect('Tell User: No Event', 'Result: Handled');

  // Switch: 🕒 Move to the next free slot, 📅 Event, ✅ Task
  const transforms = Object.entries(TRANSFORM_FOR).map(([type, transform]) => `${type}: ${jsString(transform)}`);
  draftStore(wf, 'Transform Draft', [2, 2.2], {
    operation: 'transform',
    draftId: expr(`${command}.payload.draftId`),
    userId: user,
    transform: expr(`{ ${transforms.join(', ')} }[${command}.type]`),
    timezone: expr(`${command}.payload.timezone || 'UTC'`),
  });
  ifNode(wf, 'Still a Draft?', [3, 2.2], isTrue('={{ $json.ok === true }}'));
  wf.connect('Route by Command', 'Transform Draft', 2);
  wf.chain('Transform Draft', 'Still a Draft?');
  // 📅 Event on a task without a date: the user is told how to give it one (nothing changes);
  // a press naming another user's draft is refused in words (and not retried).
  ifNode(wf, 'Needs a Day?', [4, 2.6], isTrue(expr(outcomeIs<TransformOutcome>(['needs_day', 'not_owner']))));
  telegramSend(wf, 'Tell User: Needs a Day', [5, 2.6], chat, '={{ $json.message }}');
  wf.connect('Still a Draft?', 'Needs a Day?', 1);
  wf.connect('Needs a Day?', 'Tell User: Needs a Day', 0);
  wf.connect('Needs a Day?', 'Result: Handled', 1);
  wf.connect('Tell User: Needs a Day', 'Result: Handled');

  // The draft to save: the planner's, the page's or the transform's
  wf.note('### Draft\nChecked against the busy times (an overlap shows ⚠️ and offers 🕒 Move to the next free slot), stored, and shown in place of the "Got it!" or the card it replaces.', [3.8, -0.2], [6, 0.45]);
  setResult(wf, 'Draft to Save', [4, 0.4], {
    draft: ['object', '={{ $json.draft }}'],
    draftType: ['string', "={{ $json.draftType ?? 'event' }}"],
    supersedesId: ['number', expr(`$json.outcome === 'transformed' ? $json.draftId : (${command}.payload.draftId ?? 0)`)],
    audit: ['object', expr(jsonObject<PlannerAuditDetails>({ source: '$json.source ?? "rules"', usage: '$json.usage ?? null', latencyMs: '$json.latencyMs ?? 0', model: '$json.model ?? ""', repaired: '$json.repaired ?? false' }))],
  });
  wf.connect('Plan Outcome', 'Draft to Save', 0);
  wf.connect('Page Outcome', 'Draft to Save', 0);
  wf.connect('Still a Draft?', 'Draft to Save', 0);
  ifNode(wf, 'An Event?', [5, 0.4], isTrue("={{ $json.draftType === 'event' }}"));
  eventExecutor(wf, 'Check Conflicts', [6, 0.2], { operation: 'checkConflicts', event: '={{ JSON.stringify($json.draft) }}' }, { onError: 'continueRegularOutput' });
  wf.chain('Draft to Save', 'An Event?');
  wf.connect('An Event?', 'Check Conflicts', 0);
  const toSave = "$('Draft to Save').item.json";
  const checked = "$('Check Conflicts')";
  draftStore(wf, 'Save Draft', [7, 0.4], {
    operation: 'create',
    userId: user,
    task: expr(
      `JSON.stringify(${toSave}.draftType === 'event' && ${checked}.isExecuted ? { ...${toSave}.draft, conflicts: ${checked}.item.json.conflicts ?? [], next_free_slot: ${checked}.item.json.nextFreeSlot ?? null, conflict_check_failed: ${checked}.item.json.ok !== true } : ${toSave}.draft)`,
    ),
    options: {
      chatId: chat,
      draftType: expr(`${toSave}.draftType`),
      commandId: expr(`${command}.id`),
      sourceMessageId: expr(`${command}.payload.messageId ?? ''`),
      supersedesId: expr(`${toSave}.supersedesId`),
      auditDetails: expr(`JSON.stringify(${toSave}.audit)`),
      // Made from a voice note or photo: the card shows what was heard or read.
      media: expr(`JSON.stringify(${command}.payload.media ?? null)`),
    },
  });
  wf.connect('Check Conflicts', 'Save Draft');
  wf.connect('An Event?', 'Save Draft', 1);

  const saved = "$('Save Draft').item.json";
  const buttons = (Object.keys(BUTTON_LABELS) as (keyof typeof BUTTON_LABELS)[]).map((action) => ({
    text: BUTTON_LABELS[action],
    additionalFields: { callback_data: expr(`${saved}.card.${BUTTON_DATA[action]}`) },
  }));
  const keyboard = {
    replyMarkup: 'inlineKeyboard',
    inlineKeyboard: { rows: [{ row: { buttons } }, { row: { buttons: [{ text: expr(`${saved}.card.extraText`), additionalFields: { callback_data: expr(`${saved}.card.extraData`) } }] } }] },
  };
  ifNode(wf, 'Card Already Sent?', [8, 0.4], isTrue(expr(`${outcomeIs<CreateDraftOutcome>('existing')} && !!$json.telegramMessageId`)));
  ifNode(wf, 'Message to Edit?', [9, 0.4], isSet(cardInPlace));
  telegramEdit(wf, 'Edit Into Card', [10, 0.2], chat, expr(cardInPlace), expr(`${saved}.card.text`), keyboard);
  ifNode(wf, 'Card Shown?', [11, 0.2], EDITED);
  telegramSend(wf, 'Send Draft', [11, 0.9], chat, expr(`${saved}.card.text`), { parameters: keyboard });
  draftStore(wf, 'Remember Card', [12, 0.4], { operation: 'attachMessage', draftId: expr(`${saved}.id`), userId: user, messageId: expr(`$json.result?.message_id ?? ${cardInPlace}`) });
  ifNode(
    wf,
    'Revised in Place?',
    [13, 0.4],
    isTrue(expr(`!!${ackMessage} && ${command}.payload.previousMessageId != null && String($json.telegramMessageId) === String(${command}.payload.previousMessageId)`)),
  );
  telegramEdit(wf, 'Point to the Card', [14, 0.9], chat, expr(ackMessage), DRAFTING_REPLIES.revisedAbove);
  setResult(wf, 'Result: Draft Sent', [15, 0.4], { ok: ['boolean', '={{ true }}'], result: ['object', `={{ { draftId: ${saved}.id, draftType: ${saved}.draftType } }}`] });
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

  // /calendar: the calendars, one message each with "Use this"; a press sets the user's calendar
  wf.note('### /calendar\nThe account\'s calendars that events can be added to, primary first, each with a button. A press re-reads the list and picks that calendar for the user\'s new events.', [1.8, 3.6], [5, 0.45]);
  eventExecutor(wf, 'List Calendars', [2, 4.2], { operation: 'listCalendars' });
  ifNode(wf, 'Any Calendars?', [3, 4.2], isTrue('={{ $json.ok === true && ($json.calendars ?? []).length > 0 }}'));
  telegramSend(wf, 'Send Calendars Heading', [4, 4.0], chat, CALENDAR_PICKER.heading);
  setResult(wf, 'Calendars to Send', [5, 4.0], { list: ['object', "={{ { calendars: $('List Calendars').item.json.calendars.map((c, i) => ({ ...c, index: i })) } }}"] });
  wf.add('One Item per Calendar', 'n8n-nodes-base.splitOut', 1, [6, 4.0], { fieldToSplitOut: 'list.calendars', options: {} });
  telegramSend(wf, 'Send Calendar', [7, 4.0], chat, "={{ '📅 ' + $json.summary + ($json.primary ? ' (primary)' : '') }}", {
    parameters: { replyMarkup: 'inlineKeyboard', inlineKeyboard: { rows: [{ row: { buttons: [{ text: CALENDAR_PICKER.use, additionalFields: { callback_data: "={{ 'cal:' + $json.index }}" } }] } }] } },
  });
  wf.add('Once', 'n8n-nodes-base.limit', 1, [8, 4.0], { maxItems: 1 });
  telegramSend(wf, 'Tell User: No Calendars', [4, 4.6], chat, CALENDAR_PICKER.none);
  wf.connect('Route by Command', 'List Calendars', 3);
  wf.chain('List Calendars', 'Any Calendars?');
  wf.connect('Any Calendars?', 'Send Calendars Heading', 0);
  wf.connect('Any Calendars?', 'Tell User: No Calendars', 1);
  wf.chain('Send Calendars Heading', 'Calendars to Send', 'One Item per Calendar', 'Send Calendar', 'Once', 'Result: Handled');
  wf.connect('Tell User: No Calendars', 'Result: Handled');

  eventExecutor(wf, 'Re-read Calendars', [2, 5.4], { operation: 'listCalendars' });
  ifNode(wf, 'Still Listed?', [3, 5.4], isTrue(expr(`$json.ok === true && !!($json.calendars ?? [])[${command}.payload.target]`)));
  eventExecutor(wf, 'Set User Calendar', [4, 5.2], { operation: 'setCalendar', userId: user, calendarId: expr(`$json.calendars[${command}.payload.target].id`) });
  const chosenName = `$('Re-read Calendars').item.json.calendars[${command}.payload.target].summary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')`;
  telegramSend(wf, 'Tell User: Calendar Chosen', [5, 5.2], chat, expr(`${jsString(CALENDAR_PICKER.chosen('CALENDAR_NAME'))}.replace('CALENDAR_NAME', ${chosenName})`));
  telegramSend(wf, 'Tell User: List Out of Date', [4, 5.8], chat, CALENDAR_PICKER.gone);
  wf.connect('Route by Command', 'Re-read Calendars', 4);
  wf.chain('Re-read Calendars', 'Still Listed?');
  wf.connect('Still Listed?', 'Set User Calendar', 0);
  wf.connect('Still Listed?', 'Tell User: List Out of Date', 1);
  wf.chain('Set User Calendar', 'Tell User: Calendar Chosen', 'Result: Handled');
  wf.connect('Tell User: List Out of Date', 'Result: Handled');
  return wf.toJSON();
}
