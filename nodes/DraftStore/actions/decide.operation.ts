// Confirm, Cancel and Edit are the user's button presses: each is a compare-and-set on a
// drafted draft. A lost race or a stale button is a normal result (ok: false with the reason),
// not an error, so the workflow can answer the user kindly.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Store } from '../../shared/db';
import { cancelDraft, confirmDraft, type DecisionResult, startEdit } from '../../shared/drafts';
import { draftItem } from './draftItem';
import { draftIdField, userIdField } from './fields';

export const description: INodeProperties[] = [draftIdField, userIdField].map((field) => ({
  ...field,
  displayOptions: { show: { operation: ['confirm', 'cancel', 'startEdit'] } },
}));

const REFUSALS: Record<string, string> = {
  not_found: 'This draft no longer exists.',
  not_owner: 'This draft belongs to someone else.',
  confirmed: 'This draft is already confirmed.',
  executed: 'This task was already created.',
  cancelled: 'This draft was cancelled.',
  superseded: 'This draft was replaced by a newer version.',
};

function toItem(result: DecisionResult): IDataObject {
  if (result.ok) {
    const draft = draftItem(result.draft);
    return { ok: true, draftId: result.draft.id, draft, card: draft.card };
  }
  return {
    ok: false,
    reason: result.reason,
    currentStatus: result.currentStatus,
    message: REFUSALS[result.reason] ?? `This draft is ${result.reason}.`,
    draftId: result.draft?.id ?? null,
    draft: result.draft ? draftItem(result.draft) : null,
  };
}

const decisions = { confirm: confirmDraft, cancel: cancelDraft, startEdit };

export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  const operation = this.getNodeParameter('operation', i) as keyof typeof decisions;
  return toItem(await decisions[operation](store, this.getNodeParameter('draftId', i), this.getNodeParameter('userId', i)));
}
