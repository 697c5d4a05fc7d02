import type { IDataObject } from 'n8n-workflow';
import { createDraftOnce } from '../../shared/draft/drafts';
import type { Operation } from '../../adapter/operation';
import { draftItem } from './draftItem';
import { userIdField } from './fields';

export const create: Operation = {
  value: 'create',
  name: 'Create',
  action: 'Create a draft',
  description: 'Store a new task or event draft awaiting confirmation',
  properties: [
    userIdField,
    {
      displayName: 'Task Draft (JSON)',
      name: 'task',
      type: 'json',
      default: '={{ JSON.stringify($json.draft) }}',
      required: true,
      description: 'The planner\'s draft: {title, due_date, due_date_reasoning, notes, subtasks: [{title, suggested}]}',
    },
    {
      displayName: 'Options',
      name: 'options',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      options: [
        { displayName: 'Chat ID', name: 'chatId', type: 'string', default: '' },
        {
          displayName: 'Draft Type',
          name: 'draftType',
          type: 'options',
          default: 'task',
          options: [
            { name: 'Task', value: 'task', description: 'A Google Tasks draft (title, due date, notes, subtasks)' },
            { name: 'Event', value: 'event', description: 'A Google Calendar event draft (title, start, end, time zone)' },
          ],
        },
        { displayName: 'Command ID', name: 'commandId', type: 'number', default: 0, description: 'The command that produced the draft' },
        { displayName: 'Source Message ID', name: 'sourceMessageId', type: 'string', default: '' },
        { displayName: 'Supersedes Draft ID', name: 'supersedesId', type: 'number', default: 0, description: 'An edit: the earlier draft this one replaces (it becomes superseded)' },
        {
          displayName: 'Media (JSON)',
          name: 'media',
          type: 'json',
          default: '',
          description:
            'A draft made from a voice note, an audio file or a photo: {kind, fileId, summary} as Gemini Intent › Read Media gave it. The card shows the summary above the draft (🎤 / 📷); the file itself is never stored.',
        },
        { displayName: 'Audit Details (JSON)', name: 'auditDetails', type: 'json', default: '', description: 'Extra facts for the "draft_created" audit row, e.g. Gemini token usage' },
        {
          displayName: 'Reminder From Text',
          name: 'reminderText',
          type: 'string',
          default: '',
          description: 'What the user wrote: a time of day or a delay in it ("at 9pm", "in 20 minutes") becomes the draft\'s reminder, shown on the card and sent at that time once the task exists',
        },
        { displayName: 'Time Zone', name: 'timezone', type: 'string', default: 'UTC', description: 'The user\'s IANA time zone, for the reminder\'s time' },
        { displayName: 'Sent At (Unix Seconds)', name: 'sentAt', type: 'number', default: 0, description: 'When the user sent the message: "in 20 minutes" counts from then (0: now)' },
      ],
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const options = this.getNodeParameter('options', i, {}) as IDataObject;
    let auditDetails: unknown = options.auditDetails || undefined;
    if (typeof auditDetails === 'string') {
      try {
        auditDetails = JSON.parse(auditDetails);
      } catch {
        // Kept as text: audit details are informational.
      }
    }
    const { outcome, draft, existing } = await createDraftOnce(store, {
      userId: this.getNodeParameter('userId', i),
      task: this.getNodeParameter('task', i),
      chatId: (options.chatId as string) || null,
      draftType: options.draftType === 'event' ? 'event' : 'task',
      commandId: (options.commandId as number) || null,
      sourceMessageId: (options.sourceMessageId as string) || null,
      supersedesId: (options.supersedesId as number) || null,
      media: options.media,
      auditDetails,
      ...(options.reminderText
        ? {
            reminderFrom: {
              text: String(options.reminderText),
              timezone: String(options.timezone || 'UTC'),
              sentAt: Number(options.sentAt) > 0 ? new Date(Number(options.sentAt) * 1000) : null,
            },
          }
        : {}),
    });
    return { ...draftItem(draft), outcome, existing };
  },
};
