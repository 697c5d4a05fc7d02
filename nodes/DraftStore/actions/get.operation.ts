import type { Operation } from '../../adapter/operation';
import { getDraftForUser } from '../../shared/draft/drafts';
import { draftItem } from './draftItem';
import { draftIdField, userIdField } from './fields';

export const get: Operation = {
  value: 'get',
  name: 'Get',
  action: 'Get a draft',
  description: 'Read a draft of this user',
  properties: [draftIdField, userIdField],
  needsStore: true,
  async execute(i, store) {
    return draftItem(await getDraftForUser(store, this.getNodeParameter('draftId', i), this.getNodeParameter('userId', i)));
  },
};
