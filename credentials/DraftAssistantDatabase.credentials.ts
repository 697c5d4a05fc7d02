import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Where the assistant keeps its command queue, drafts, executions and audit log.
 * SQLite (built into Node 24, nothing to install) for one n8n instance; PostgreSQL when
 * several n8n workers share the queue (n8n queue mode).
 */
export class DraftAssistantDatabase implements ICredentialType {
  name = 'draftAssistantDatabase';
  displayName = 'Draft Assistant Database';
  icon: Icon = { light: 'file:draftAssistant.svg', dark: 'file:draftAssistant.dark.svg' };
  documentationUrl = 'https://github.com/n8n-nodes-draft-assistant/n8n-nodes-draft-assistant#database-credential';
  properties: INodeProperties[] = [
    {
      displayName: 'Backend',
      name: 'backend',
      type: 'options',
      options: [
        { name: 'SQLite (Single n8n Instance)', value: 'sqlite' },
        { name: 'PostgreSQL (Queue Mode, Several Workers)', value: 'postgres' },
      ],
      default: 'sqlite',
    },
    {
      displayName: 'Database File',
      name: 'file',
      type: 'string',
      default: '',
      placeholder: '~/.n8n/draft-assistant.sqlite',
      description:
        'Path of the SQLite file; a leading ~/ is the home folder (N8N_USER_FOLDER when set). Leave empty to use draft-assistant.sqlite inside the n8n user folder (~/.n8n). Created with its tables on first use.',
      displayOptions: { show: { backend: ['sqlite'] } },
    },
    {
      displayName: 'Host',
      name: 'host',
      type: 'string',
      default: 'localhost',
      displayOptions: { show: { backend: ['postgres'] } },
    },
    {
      displayName: 'Port',
      name: 'port',
      type: 'number',
      default: 5432,
      displayOptions: { show: { backend: ['postgres'] } },
    },
    {
      displayName: 'Database',
      name: 'database',
      type: 'string',
      default: 'draft_assistant',
      displayOptions: { show: { backend: ['postgres'] } },
    },
    {
      displayName: 'User',
      name: 'user',
      type: 'string',
      default: 'postgres',
      displayOptions: { show: { backend: ['postgres'] } },
    },
    {
      displayName: 'Password',
      name: 'password',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      displayOptions: { show: { backend: ['postgres'] } },
    },
    {
      displayName: 'SSL',
      name: 'ssl',
      type: 'boolean',
      default: false,
      displayOptions: { show: { backend: ['postgres'] } },
    },
  ];
}
