// The response schemas sent to Gemini as structured output, and the TypeScript shapes they
// describe. They are written once, in a small typed form (`nullable`, `propertyOrdering`);
// toJsonSchema turns them into the JSON Schema sent as `responseJsonSchema`, and validate.ts
// checks replies against the same objects, so what we ask for and what we accept cannot drift apart.

import { NOTES_MAX_CHARS, TITLE_MAX_CHARS } from '../draft/taskDraft';
import { EVENT_LOCATION_MAX_CHARS, EVENT_NOTES_MAX_CHARS, EVENT_TITLE_MAX_CHARS } from '../draft/eventDraft';

export type SchemaNode =
  | { type: 'string'; description?: string; nullable?: boolean; format?: 'enum'; enum?: string[]; maxLength?: number }
  | { type: 'number'; description?: string; nullable?: boolean; minimum?: number; maximum?: number }
  | { type: 'boolean'; description?: string; nullable?: boolean }
  | { type: 'array'; description?: string; nullable?: boolean; items: SchemaNode; maxItems?: number }
  | {
      type: 'object';
      description?: string;
      nullable?: boolean;
      properties: Record<string, SchemaNode>;
      required?: string[];
      propertyOrdering?: string[];
    };

export const INTENTS = [
  'create_task',
  'create_event',
  'event_from_url',
  'revise_draft',
  'answer_clarification',
  'cancel',
  'help',
  'small_talk',
  'list_tasks',
  'undo_last',
  'list_calendars',
  'list_reminders',
  'set_briefing',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

export const DEFAULT_MAX_SUBTASKS = 10;

export interface IntentReply {
  intent: Intent;
  confidence: number;
  parameters: { task_description: string | null; instruction: string | null; answer: string | null };
}

export const INTENT_SCHEMA: SchemaNode = {
  type: 'object',
  properties: {
    intent: { type: 'string', format: 'enum', enum: [...INTENTS], description: 'What the user wants.' },
    confidence: { type: 'number', minimum: 0, maximum: 1, description: 'How sure you are, 0 to 1.' },
    parameters: {
      type: 'object',
      properties: {
        task_description: { type: 'string', nullable: true, description: 'For create_task and create_event: the request in the user\'s words; for event_from_url: the link.' },
        instruction: { type: 'string', nullable: true, description: 'For revise_draft: the requested change.' },
        answer: { type: 'string', nullable: true, description: 'For answer_clarification: the user\'s answer.' },
      },
      required: ['task_description', 'instruction', 'answer'],
      propertyOrdering: ['task_description', 'instruction', 'answer'],
    },
  },
  required: ['intent', 'confidence', 'parameters'],
  propertyOrdering: ['intent', 'parameters', 'confidence'],
};

export interface PlannerReply {
  title: string;
  due_date: string | null;
  due_date_reasoning: string;
  notes: string;
  subtasks: Array<{ title: string; suggested?: boolean }>;
  clarification_needed: boolean;
  clarification_question: string | null;
}

export function plannerSchema(maxSubtasks: number): SchemaNode {
  return {
    type: 'object',
    properties: {
      title: { type: 'string', maxLength: TITLE_MAX_CHARS, description: 'Short imperative task title. Empty only when clarification is needed.' },
      due_date: { type: 'string', nullable: true, description: 'Due date as YYYY-MM-DD, or null when the user gave none.' },
      due_date_reasoning: { type: 'string', description: 'One sentence: how the due date was derived from the current date, or why there is none.' },
      notes: { type: 'string', maxLength: NOTES_MAX_CHARS, description: 'Details worth keeping, including any time of day the user mentioned.' },
      subtasks: {
        type: 'array',
        maxItems: maxSubtasks,
        description: 'Suggested steps, only when the task has several distinct steps.',
        items: {
          type: 'object',
          properties: { title: { type: 'string' }, suggested: { type: 'boolean' } },
          required: ['title', 'suggested'],
          propertyOrdering: ['title', 'suggested'],
        },
      },
      clarification_needed: { type: 'boolean', description: 'True when the request is too vague to draft a task.' },
      clarification_question: { type: 'string', nullable: true, description: 'One short question to the user when clarification is needed, else null.' },
    },
    required: ['title', 'due_date', 'due_date_reasoning', 'notes', 'subtasks', 'clarification_needed', 'clarification_question'],
    propertyOrdering: ['title', 'due_date', 'due_date_reasoning', 'notes', 'subtasks', 'clarification_needed', 'clarification_question'],
  };
}

/** What Gemini reports about a voice note, audio file or photo (Gemini Intent › Read Media). */
export interface MediaReply {
  text: string;
  summary: string;
  nothing_found: boolean;
}

/** No maxLength: a long voice note is clipped by us, not refused (a refusal would cost a repair call). */
export const MEDIA_SCHEMA: SchemaNode = {
  type: 'object',
  properties: {
    text: { type: 'string', description: 'The transcript of the speech, or what the image shows and says that matters for a to-do. Empty when nothing was found.' },
    summary: { type: 'string', description: 'One short line: the transcript shortened, or what the image is and its key facts.' },
    nothing_found: { type: 'boolean', description: 'True when there is no speech, or nothing readable in the image.' },
  },
  required: ['text', 'summary', 'nothing_found'],
  propertyOrdering: ['text', 'summary', 'nothing_found'],
};

/** What Gemini answers (and the local rules): the day and clock times, never an instant. */
export interface EventPlannerReply {
  title: string;
  /** YYYY-MM-DD the event starts, or null when the user named no day. */
  date: string | null;
  /** HH:MM, or null for an all-day event. */
  time: string | null;
  end_date: string | null;
  end_time: string | null;
  duration_minutes: number | null;
  location: string;
  notes: string;
  time_reasoning: string;
  clarification_needed: boolean;
  clarification_question: string | null;
}

const nullableString = (description: string): SchemaNode => ({ type: 'string', nullable: true, description });

export const EVENT_PLANNER_SCHEMA: SchemaNode = {
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: EVENT_TITLE_MAX_CHARS, description: 'Short event title ("Dinner with Ana"), without the date and time words. Empty only when clarification is needed.' },
    date: nullableString('The day the event starts, YYYY-MM-DD, resolved from "Current date" in "Time zone"; null when the user named no day.'),
    time: nullableString('Start time HH:MM (24-hour), or null for an all-day event (a birthday, an anniversary, a holiday).'),
    end_date: nullableString('For an event over several days: the last day, YYYY-MM-DD; else null.'),
    end_time: nullableString('End time HH:MM when the user gave one ("7 to 9pm"), else null.'),
    duration_minutes: { type: 'number', nullable: true, minimum: 1, maximum: 20160, description: 'The length in minutes when the user gave one ("for 2 hours"), else null.' },
    location: { type: 'string', maxLength: EVENT_LOCATION_MAX_CHARS, description: 'Where, when the user said; else empty.' },
    notes: { type: 'string', maxLength: EVENT_NOTES_MAX_CHARS, description: 'Details worth keeping; else empty.' },
    time_reasoning: { type: 'string', description: 'One short phrase: the words the day and time came from.' },
    clarification_needed: { type: 'boolean', description: 'True when the message names no day for the event.' },
    clarification_question: nullableString('One short question when clarification is needed, else null.'),
  },
  required: ['title', 'date', 'time', 'end_date', 'end_time', 'duration_minutes', 'location', 'notes', 'time_reasoning', 'clarification_needed', 'clarification_question'],
  propertyOrdering: ['title', 'date', 'time', 'end_date', 'end_time', 'duration_minutes', 'location', 'notes', 'time_reasoning', 'clarification_needed', 'clarification_question'],
};

export type JsonSchema = Record<string, unknown>;

/**
 * The schema as JSON Schema for `responseJsonSchema`: `nullable` becomes a ["type", "null"]
 * union, properties are listed in `propertyOrdering` order (Gemini answers in the order the
 * schema lists them) and objects allow no other keys.
 */
export function toJsonSchema(node: SchemaNode): JsonSchema {
  const type = node.nullable ? [node.type, 'null'] : node.type;
  const out: JsonSchema = { type };
  if (node.description) out.description = node.description;
  switch (node.type) {
    case 'string':
      if (node.enum) out.enum = node.nullable ? [...node.enum, null] : [...node.enum];
      if (node.maxLength !== undefined) out.maxLength = node.maxLength;
      break;
    case 'number':
      if (node.minimum !== undefined) out.minimum = node.minimum;
      if (node.maximum !== undefined) out.maximum = node.maximum;
      break;
    case 'array':
      out.items = toJsonSchema(node.items);
      if (node.maxItems !== undefined) out.maxItems = node.maxItems;
      break;
    case 'object': {
      const order = [...(node.propertyOrdering ?? []), ...Object.keys(node.properties).filter((key) => !node.propertyOrdering?.includes(key))];
      out.properties = Object.fromEntries(order.filter((key) => key in node.properties).map((key) => [key, toJsonSchema(node.properties[key])]));
      if (node.required?.length) out.required = [...node.required];
      out.additionalProperties = false;
      break;
    }
    case 'boolean':
      break;
  }
  return out;
}
