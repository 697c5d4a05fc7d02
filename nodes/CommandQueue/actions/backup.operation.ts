import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { backupStore, DEFAULT_BACKUPS_KEPT } from '../../shared/operations/backup';
import type { Store } from '../../shared/store/db';
import { asItem, forOperation } from '../../adapter/description';

export const description: INodeProperties[] = forOperation('backup', [
  {
    displayName: 'Backup Folder',
    name: 'folder',
    type: 'string',
    default: '',
    placeholder: '/home/node/.n8n/draft-assistant-backups',
    description: 'Where to write the backups. Empty: draft-assistant-backups in the n8n user folder (~/.n8n). SQLite only; back up PostgreSQL with pg_dump.',
  },
  {
    displayName: 'Backups to Keep',
    name: 'keep',
    type: 'number',
    default: DEFAULT_BACKUPS_KEPT,
    typeOptions: { minValue: 1 },
    description: 'The newest backups kept in the folder; older ones are deleted',
  },
]);

export async function execute(this: IExecuteFunctions, i: number, store: Store): Promise<IDataObject> {
  return asItem(
    await backupStore(store, {
      folder: this.getNodeParameter('folder', i, '') as string,
      keep: this.getNodeParameter('keep', i) as number,
    }),
  );
}
