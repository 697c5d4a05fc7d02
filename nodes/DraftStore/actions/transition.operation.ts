// Get, Supersede, Reopen and Attach Message: the workflow's own steps on a draft.
// Unlike button presses, an illegal transition here is an error naming the current state.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/store/db';
import { attachDraftMessage, getDraftForUser, reopenDraft, supersedeDraft } from '../../shared/draft/drafts';
import { draftItem } from './draftItem';
import { draftIdField, userIdField } from './fields';

const operationsWithDraft = ['get', 'supersede', 'reopen', 'attachMessage'];

export const description: INodeProperties[] = [
  ...[draftIdField, userIdField].map((field) => ({ ...field, displayOptions: { show: { operation: operationsWithDraft } } })),
  {
    displayName: 'Telegram Message ID',
    name: 'messageId',
    type: 'string',
    default: '={{ $json.result?.message_id }}',
    required: true,
    description: 'The message that shows the draft with its buttons (from the Telegram node\'s output)',
    displayOptions: { show: { operation: ['attachMessage'] } },
  },
  {
    displayName: 'Reason',
    name: 'reason',
    type: 'string',
    default: '={{ $json.failure?.message ?? "" }}',
    description: 'Why the confirmed draft is given back to the user (kept in the audit log)',
    displayOptions: { show: { operation: ['reopen'] } },
  },
];

export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  const operation = this.getNodeParameter('operation', i) as string;
  const draftId = this.getNodeParameter('draftId', i);
  const userId = this.getNodeParameter('userId', i);
  switch (operation) {
    case 'get':
      return draftItem(await getDraftForUser(store, draftId, userId));
    case 'reopen': {
      const { reopened, draft } = await reopenDraft(store, draftId, userId, { reason: this.getNodeParameter('reason', i, '') });
      return { ...draftItem(draft), reopened };
    }
    case 'supersede':
      return draftItem(await supersedeDraft(store, draftId, userId));
    default:
      return draftItem(await attachDraftMessage(store, draftId, userId, this.getNodeParameter('messageId', i)));
  }
}
