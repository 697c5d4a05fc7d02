import type { Operation } from '../../adapter/operation';
import { getDraft, requireDraftId } from '../../shared/draft/drafts';
import { decisionRefusal } from '../../shared/messages/decisions';
import { requireUserId } from '../../shared/users';
import { DRAFT_TRANSFORMS, taskHasNoDay, transformDraft, type DraftTransform } from '../../shared/draft/transform';
import { eventNeedsDay } from '../../shared/messages/eventCard';
import { InputError } from '../../shared/errors';
import { draftIdField, userIdField } from './fields';

export const transform: Operation = {
  value: 'transform',
  name: 'Transform',
  action: 'Turn a draft into another',
  description: 'A task draft as an event draft (📅 Event), an event draft as a task draft (✅ Task), or an event draft moved to its next free slot; saves nothing (Create with Supersedes Draft ID does)',
  properties: [
    draftIdField,
    userIdField,
    {
      displayName: 'Transform',
      name: 'transform',
      type: 'options',
      default: 'toEvent',
      options: [
        { name: 'To Event', value: 'toEvent', description: 'A task draft becomes an event draft (its time of day, else all day)' },
        { name: 'To Task', value: 'toTask', description: 'An event draft becomes a task draft due on its day' },
        { name: 'Move to Next Free Slot', value: 'moveToSlot', description: 'An event draft moves to the free slot its conflict check found' },
      ],
    },
    { displayName: 'Time Zone', name: 'timezone', type: 'string', default: 'UTC', description: "The user's IANA time zone, for a task that becomes an event" },
  ],
  needsStore: true,
  /** One item: { ok, outcome: transformed | not_drafted | needs_day | not_owner (message), draftId (the old draft), draftType, draft, chatId, telegramMessageId }; the old draft must still be drafted. */
  async execute(i, store) {
    const draftId = requireDraftId(this.getNodeParameter('draftId', i));
    const old = await getDraft(store, draftId);
    if (!old) throw new InputError(`Draft ${draftId} does not exist`);
    // Another user's draft (a forged press): refused in words, never retried, nothing of it shown.
    if (old.userId !== requireUserId(this.getNodeParameter('userId', i))) return { ok: false, outcome: 'not_owner', message: decisionRefusal('not_owner'), draftId };
    const which = this.getNodeParameter('transform', i) as DraftTransform;
    if (!DRAFT_TRANSFORMS.includes(which)) throw new InputError(`Unknown transform "${which}"`);
    if (old.status !== 'drafted') return { ok: false, outcome: 'not_drafted', status: old.status, draftId: old.id, chatId: old.chatId, telegramMessageId: old.telegramMessageId };
    // An event needs a day, and we never pick one for the user: they are told how to give it.
    if (which === 'toEvent' && taskHasNoDay(old)) {
      return { ok: false, outcome: 'needs_day', message: eventNeedsDay(old.task.title), draftId: old.id, chatId: old.chatId, telegramMessageId: old.telegramMessageId };
    }
    const made = transformDraft(old, which, String(this.getNodeParameter('timezone', i, 'UTC') || 'UTC'));
    return { ok: true, outcome: 'transformed', draftId: old.id, draftType: made.draftType, draft: made.draft, chatId: old.chatId, telegramMessageId: old.telegramMessageId };
  },
};
