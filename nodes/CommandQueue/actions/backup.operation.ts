import { backupStore, DEFAULT_BACKUPS_KEPT } from '../../shared/operations/backup';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const backup: Operation = {
  value: 'backup',
  name: 'Back Up Database',
  action: 'Back up the database',
  description: 'Write a consistent copy of the SQLite store to a folder, keeping the newest few',
  properties: [
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
  ],
  needsStore: true,
  async execute(i, store) {
    return asItem(
      await backupStore(store, {
        folder: this.getNodeParameter('folder', i, '') as string,
        keep: this.getNodeParameter('keep', i) as number,
      }),
    );
  },
};
