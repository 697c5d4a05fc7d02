// Reopen: one of the workflow's own steps on a draft. Unlike a button press, an illegal
// transition here is an error naming the current state.
import type { Operation } from '../../adapter/operation';
import { reopenDraft } from '../../shared/draft/drafts';
import { draftItem } from './draftItem';
import { draftIdField, userIdField } from './fields';

export const reopen: Operation = {
  value: 'reopen',
  name: 'Reopen',
  action: 'Give a confirmed draft back to the user',
  description: 'Its command failed for good: confirmed becomes drafted again, to edit, cancel or confirm once more',
  properties: [
    draftIdField,
    userIdField,
    {
      displayName: 'Reason',
      name: 'reason',
      type: 'string',
      default: '={{ $json.failure?.message ?? "" }}',
      description: 'Why the confirmed draft is given back to the user (kept in the audit log)',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const { reopened, draft } = await reopenDraft(store, this.getNodeParameter('draftId', i), this.getNodeParameter('userId', i), {
      reason: this.getNodeParameter('reason', i, ''),
    });
    return { ...draftItem(draft), reopened };
  },
};
