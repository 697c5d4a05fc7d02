import type { IDataObject, IExecuteFunctions, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { geminiForItem } from '../adapter/geminiCredential';
import { runItems } from '../adapter/runItems';
import { fallbackField, modelField, temperatureFields, thinkingLevelField, usageUserField } from '../adapter/geminiFields';
import { DATABASE_CREDENTIAL } from '../adapter/store';
import { DEFAULT_PLANNER_MODEL, DEFAULT_PLANNER_TEMPERATURE, DEFAULT_PLANNER_THINKING } from '../shared/gemini/options';
import { planTask } from '../shared/gemini/planner';
import type { PlannerMode } from '../shared/gemini/planner';
import { planEvent, type EventPlannerMode } from '../shared/gemini/eventPlanner';
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
      { name: 'Event', value: 'event', description: 'Draft a Google Calendar event from a description (times in the user\'s time zone)', action: 'Draft an event from a description' },
      { name: 'Revise Event', value: 'reviseEvent', description: 'Apply an edit instruction to a previous event draft', action: 'Revise an event draft' },
    ],
  },
  {
    displayName: 'Text',
    name: 'text',
    type: 'string',
    default: '',
    required: true,
    typeOptions: { rows: 3 },
    description: 'Create and Event: the description. Revise and Revise Event: the edit instruction. Answer: the user\'s answer.',
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
    displayOptions: { show: { mode: ['revise', 'reviseEvent'] } },
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
  modelField(DEFAULT_PLANNER_MODEL),
  thinkingLevelField(DEFAULT_PLANNER_THINKING),
  ...temperatureFields(DEFAULT_PLANNER_TEMPERATURE),
  {
    displayName: 'Max Subtasks',
    name: 'maxSubtasks',
    type: 'number',
    default: DEFAULT_MAX_SUBTASKS,
    typeOptions: { minValue: 0, maxValue: MAX_SUBTASKS },
    description: 'Most suggested subtasks a draft may have',
  },
  fallbackField('draft the task (chrono-node date parsing, marked "Drafted offline")'),
  usageUserField,
];

export class GeminiPlanner implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Gemini Planner',
    name: 'geminiPlanner',
    icon: { light: 'file:geminiPlanner.svg', dark: 'file:geminiPlanner.dark.svg' },
    group: ['transform'],
    // 2: sampling is opt-in ("Set Temperature"); version 1 keeps sending its temperature.
    version: [1, 2],
    defaultVersion: 2,
    subtitle: '={{ { create: "Draft task", revise: "Revise draft", answer: "Draft from answer", event: "Draft event", reviseEvent: "Revise event" }[$parameter["mode"]] }}',
    description:
      'Turn a task description into a validated Google Tasks draft (title, due date, notes, suggested subtasks) with Gemini, or ask a clarification question',
    defaults: { name: 'Gemini Planner' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    // n8n's built-in Gemini credential, so users reuse the key they already have (decided for
    // this package; n8n's verification rules for community nodes would not allow it).
    credentials: [
      // eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
      { name: 'googlePalmApi', required: false, displayOptions: { hide: { fallback: ['always'] } } },
      // Optional: with it, each call's Gemini requests and tokens are recorded for the health summary.
      { name: DATABASE_CREDENTIAL, required: false },
    ],
    properties,
  };

  async execute(this: IExecuteFunctions) {
    return runItems(this, async (i) => {
      const gemini = await geminiForItem(this, i, { step: 'planner', model: DEFAULT_PLANNER_MODEL, temperature: DEFAULT_PLANNER_TEMPERATURE, thinkingLevel: DEFAULT_PLANNER_THINKING });
      const mode = this.getNodeParameter('mode', i) as PlannerMode | EventPlannerMode;
      if (mode === 'event' || mode === 'reviseEvent') {
        const planned = await planEvent(
          {
            mode,
            text: String(this.getNodeParameter('text', i, '') ?? ''),
            currentDate: String(this.getNodeParameter('currentDate', i, '') ?? ''),
            referenceTime: String(this.getNodeParameter('referenceTime', i, '') ?? ''),
            timeZone: String(this.getNodeParameter('timezone', i, 'UTC') ?? '').trim(),
            previousDraft: mode === 'reviseEvent' ? this.getNodeParameter('previousDraft', i, '') : undefined,
            model: gemini.model,
            temperature: gemini.temperature,
            thinkingLevel: gemini.thinkingLevel,
            fallback: gemini.fallback,
          },
          { generate: gemini.generate },
        ).finally(gemini.recordUsage);
        return planned as unknown as IDataObject;
      }
      const outcome = await planTask(
        {
          mode,
          text: String(this.getNodeParameter('text', i, '') ?? ''),
          currentDate: String(this.getNodeParameter('currentDate', i, '') ?? ''),
          referenceTime: String(this.getNodeParameter('referenceTime', i, '') ?? ''),
          timeZone: String(this.getNodeParameter('timezone', i, 'UTC') ?? '').trim(),
          previousDraft: mode === 'revise' ? this.getNodeParameter('previousDraft', i, '') : undefined,
          question: mode === 'answer' ? String(this.getNodeParameter('question', i, '') ?? '') : undefined,
          originalText: mode === 'answer' ? String(this.getNodeParameter('originalText', i, '') ?? '') : undefined,
          model: gemini.model,
          temperature: gemini.temperature,
          thinkingLevel: gemini.thinkingLevel,
          maxSubtasks: this.getNodeParameter('maxSubtasks', i) as number,
          fallback: gemini.fallback,
        },
        { generate: gemini.generate },
      ).finally(gemini.recordUsage);
      return outcome as unknown as IDataObject;
    });
  }
}
