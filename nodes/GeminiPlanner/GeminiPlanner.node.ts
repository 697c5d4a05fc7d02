import type { IDataObject, IExecuteFunctions, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { geminiForItem } from '../adapter/geminiCredential';
import { withNativeFieldReads } from '../adapter/parameters';
import { runItems } from '../adapter/runItems';
import { DEFAULT_MODEL } from '../shared/gemini/call';
import { fallbackField, modelField, temperatureField } from '../adapter/geminiFields';
import { planTask } from '../shared/gemini/planner';
import type { PlannerMode } from '../shared/gemini/planner';
import { MAX_SUBTASKS } from '../shared/draft/taskDraft';
import { DEFAULT_MAX_SUBTASKS } from '../shared/gemini/schemas';

const properties: INodeProperties[] = [
  {
    displayName: 'Mode',
    name: 'mode',
    type: 'options',
    default: 'create',
    options: [
      { name: 'Create', value: 'create', description: 'Draft a task from a description', action: 'Draft a task from a description' },
      { name: 'Revise', value: 'revise', description: 'Apply an edit instruction to a previous draft', action: 'Revise a draft' },
      { name: 'Answer', value: 'answer', description: 'Draft from the original request plus the answer to our clarification question', action: 'Draft from a clarification answer' },
    ],
  },
  {
    displayName: 'Text',
    name: 'text',
    type: 'string',
    default: '',
    required: true,
    typeOptions: { rows: 3 },
    description: 'Create: the task description. Revise: the edit instruction. Answer: the user\'s answer.',
  },
  {
    displayName: 'Current Date',
    name: 'currentDate',
    type: 'string',
    default: '',
    placeholder: 'YYYY-MM-DD',
    description: 'The date relative dates are counted from; leave empty for the day of the reference time (or today) in the time zone below',
  },
  {
    displayName: 'Reference Time',
    name: 'referenceTime',
    type: 'string',
    default: '',
    placeholder: '={{ $json.message.date }}',
    description:
      "When the user sent the message (unix seconds, as Telegram's message.date, or an ISO 8601 time): \"tomorrow\" and \"at 9am\" count from it, however late the draft is made. Leave empty for now.",
  },
  {
    displayName: 'Time Zone',
    name: 'timezone',
    type: 'string',
    default: 'UTC',
    placeholder: 'Europe/Berlin',
    description: "The user's IANA time zone; decides which day \"today\" and \"tomorrow\" are",
  },
  {
    displayName: 'Previous Draft',
    name: 'previousDraft',
    type: 'json',
    default: '',
    description: 'The draft being revised ({title, due_date, notes, subtasks, ...}), as an object or JSON text',
    displayOptions: { show: { mode: ['revise'] } },
  },
  {
    displayName: 'Question',
    name: 'question',
    type: 'string',
    default: '',
    description: 'The clarification question the user is answering',
    displayOptions: { show: { mode: ['answer'] } },
  },
  {
    displayName: 'Original Text',
    name: 'originalText',
    type: 'string',
    default: '',
    description: "The user's original request that prompted the question",
    displayOptions: { show: { mode: ['answer'] } },
  },
  modelField,
  temperatureField(0.3),
  {
    displayName: 'Max Subtasks',
    name: 'maxSubtasks',
    type: 'number',
    default: DEFAULT_MAX_SUBTASKS,
    typeOptions: { minValue: 0, maxValue: MAX_SUBTASKS },
    description: 'Most suggested subtasks a draft may have',
  },
  fallbackField('draft the task (chrono-node date parsing, marked "Drafted offline")'),
];

export class GeminiPlanner implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Gemini Planner',
    name: 'geminiPlanner',
    icon: { light: 'file:geminiPlanner.svg', dark: 'file:geminiPlanner.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ { create: "Draft task", revise: "Revise draft", answer: "Draft from answer" }[$parameter["mode"]] }}',
    description:
      'Turn a task description into a validated Google Tasks draft (title, due date, notes, suggested subtasks) with Gemini, or ask a clarification question',
    defaults: { name: 'Gemini Planner' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    // n8n's built-in Gemini credential, so users reuse the key they already have (decided for
    // this package; n8n's verification rules for community nodes would not allow it).
    // eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
    credentials: [{ name: 'googlePalmApi', required: false, displayOptions: { hide: { fallback: ['always'] } } }],
    properties,
  };

  async execute(this: IExecuteFunctions) {
    const ctx = withNativeFieldReads(this);
    return runItems(ctx, async (i) => {
      const { fallback, generate } = await geminiForItem(ctx, i);
      const mode = ctx.getNodeParameter('mode', i) as PlannerMode;
      const outcome = await planTask(
        {
          mode,
          text: String(ctx.getNodeParameter('text', i, '') ?? ''),
          currentDate: String(ctx.getNodeParameter('currentDate', i, '') ?? ''),
          referenceTime: String(ctx.getNodeParameter('referenceTime', i, '') ?? ''),
          timeZone: String(ctx.getNodeParameter('timezone', i, 'UTC') ?? '').trim(),
          previousDraft: mode === 'revise' ? ctx.getNodeParameter('previousDraft', i, '') : undefined,
          question: mode === 'answer' ? String(ctx.getNodeParameter('question', i, '') ?? '') : undefined,
          originalText: mode === 'answer' ? String(ctx.getNodeParameter('originalText', i, '') ?? '') : undefined,
          // Hidden parameters (fallback 'always') are absent in n8n, hence the fallbacks.
          model: String(ctx.getNodeParameter('model', i, DEFAULT_MODEL)).trim() || DEFAULT_MODEL,
          temperature: ctx.getNodeParameter('temperature', i, 0.3) as number,
          maxSubtasks: ctx.getNodeParameter('maxSubtasks', i) as number,
          fallback,
        },
        { generate },
      );
      return outcome as unknown as IDataObject;
    });
  }
}
