import type { IDataObject } from 'n8n-workflow';
import type { Draft } from '../../shared/draft/drafts';
import { draftCard } from '../../shared/telegram/draftCard';
import { asItem } from '../../adapter/description';

/** A draft as an item, with its Telegram card (HTML text and button data) ready to send. */
export function draftItem(draft: Draft): IDataObject {
  return { ...asItem(draft), draftId: draft.id, card: asItem(draftCard(draft)) };
}
