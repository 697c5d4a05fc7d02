import type { Operation } from '../../adapter/operation';
import { confirmDraft } from '../../shared/draft/drafts';
import { decisionFields, pressButton } from './decision';

export const confirm: Operation = {
  value: 'confirm',
  name: 'Confirm',
  action: 'Confirm a draft',
  description: 'The user tapped Confirm. Exactly one of several taps wins.',
  properties: decisionFields,
  needsStore: true,
  async execute(i, store) {
    return pressButton(this, i, store, confirmDraft, { messageRequired: true });
  },
};
