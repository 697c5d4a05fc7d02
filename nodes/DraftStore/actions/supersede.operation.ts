// Supersede: one of the workflow's own steps on a draft. Unlike a button press, an illegal
// transition here is an error naming the current state.
import type { Operation } from '../../adapter/operation';
import { supersedeDraft } from '../../shared/draft/drafts';
import { draftItem } from './draftItem';
import { draftIdField, userIdField } from './fields';

export const supersede: Operation = {
  value: 'supersede',
  name: 'Supersede',
  action: 'Supersede a draft',
  description: 'Retire a draft replaced by a newer one',
  properties: [draftIdField, userIdField],
  needsStore: true,
  async execute(i, store) {
    return draftItem(await supersedeDraft(store, this.getNodeParameter('draftId', i), this.getNodeParameter('userId', i)));
  },
};
