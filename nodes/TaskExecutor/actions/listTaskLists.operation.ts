import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { asItem } from '../../adapter/description';
import { listTaskLists } from '../../shared/tasks/lists';
import { tasksClientFor } from '../transport';

/** Google Tasks only: the node opens no database for it. */
export const usesStore = false;

export const description: INodeProperties[] = [];

/** One item: { ok, taskLists: [{ id, title, updated }] }. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
  return asItem(await listTaskLists(tasksClientFor(this, this.getNodeParameter('apiBaseUrl', i, ''))));
}
