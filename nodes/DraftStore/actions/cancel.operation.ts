import type { Operation } from '../../adapter/operation';
import { cancelDraft } from '../../shared/draft/drafts';
import { decisionFields, pressButton } from './decision';

export const cancel: Operation = {
  value: 'cancel',
  name: 'Cancel',
  action: 'Cancel a draft',
  description: 'The user tapped Cancel: nothing will be created',
  properties: decisionFields,
  needsStore: true,
  async execute(i, store) {
    // A /cancel typed in the draft's chat has no card message.
    return pressButton(this, i, store, cancelDraft, { messageRequired: false });
  },
};
