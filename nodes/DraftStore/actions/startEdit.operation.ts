import type { Operation } from '../../adapter/operation';
import { startEdit as startEditOfDraft } from '../../shared/draft/drafts';
import { decisionFields, pressButton } from './decision';

export const startEdit: Operation = {
  value: 'startEdit',
  name: 'Start Edit',
  action: 'Start editing a draft',
  description: 'The user tapped Edit: the next message says what to change',
  properties: decisionFields,
  needsStore: true,
  async execute(i, store) {
    return pressButton(this, i, store, startEditOfDraft, { messageRequired: true });
  },
};
