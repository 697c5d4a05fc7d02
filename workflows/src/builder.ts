// Builds workflows as n8n exports them: stable node ids (derived from the workflow and node
// names), positions on a grid, connections by node name, and helpers for the n8n nodes the
// workflows use. Our own nodes' helpers (nodes.ts) type their parameters per operation.
import * as crypto from 'node:crypto';
import { CREDENTIALS, type CredentialReference, IDS } from './ids';

const X = 240; // horizontal grid step
const Y = 200; // vertical grid step

/** An n8n expression: `={{ … }}`, or text with `{{ … }}` in it after a leading `=`. */
export type Expression = `=${string}`;

/** A position on the grid: [column, row]. */
export type Cell = [number, number];

export type Credentials = Record<string, CredentialReference>;

/** Node settings besides its parameters, as n8n exports them. */
export interface NodeSettings {
  credentials?: Credentials;
  onError?: 'continueRegularOutput' | 'continueErrorOutput';
}

export interface WorkflowNode extends NodeSettings {
  parameters: object;
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
}

export interface Workflow {
  id: string;
  name: string;
  nodes: WorkflowNode[];
  connections: Record<string, { main: { node: string; type: 'main'; index: number }[][] }>;
  active: false;
  settings: Record<string, unknown>;
  pinData: Record<string, never>;
  tags: never[];
  meta: { templateCredsSetupCompleted: false };
}

export function stableId(...parts: string[]): string {
  const hash = crypto.createHash('sha256').update(parts.join('/')).digest('hex');
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

export class WorkflowBuilder {
  readonly nodes: WorkflowNode[] = [];
  private readonly connections: Workflow['connections'] = {};
  private notes = 0;

  constructor(
    readonly id: string,
    readonly name: string,
  ) {}

  add(name: string, type: string, typeVersion: number, [col, row]: Cell, parameters: object, settings: NodeSettings = {}): string {
    if (this.nodes.some((n) => n.name === name)) throw new Error(`${this.name}: duplicate node name ${name}`);
    this.nodes.push({ parameters, id: stableId(this.id, name), name, type, typeVersion, position: [col * X, row * Y], ...settings });
    return name;
  }

  connect(from: string, to: string, output = 0): void {
    const outputs = (this.connections[from] ??= { main: [] }).main;
    while (outputs.length <= output) outputs.push([]);
    outputs[output].push({ node: to, type: 'main', index: 0 });
  }

  chain(...names: string[]): void {
    for (let i = 1; i < names.length; i++) this.connect(names[i - 1], names[i]);
  }

  /** A sticky note: it must say what the nodes under it do. */
  note(content: string, [col, row]: Cell, [cols, rows]: Cell, color = 7): void {
    this.notes += 1;
    this.add(`Note ${this.notes}`, 'n8n-nodes-base.stickyNote', 1, [col, row], { content, height: rows * Y, width: cols * X, color });
  }

  toJSON(settings: Record<string, unknown> = {}): Workflow {
    return {
      id: this.id,
      name: this.name,
      nodes: this.nodes,
      connections: this.connections,
      active: false,
      settings: { executionOrder: 'v1', errorWorkflow: IDS.errors, ...settings },
      pinData: {},
      tags: [],
      meta: { templateCredsSetupCompleted: false },
    };
  }
}

// ---------------------------------------------------------------- expressions

/** `={{ body }}` */
export const expr = (body: string): Expression => `={{ ${body} }}`;

/**
 * `['a', 'b'].includes($json.outcome)`, or `$json.outcome === 'a'` for one: the names typed by
 * the operation's outcome union (nodes/shared/outcome.ts), so a renamed outcome fails typecheck.
 * Call it with the union: `outcomeIs<LookupOutcome>('duplicate')`.
 */
export function outcomeIs<Name extends string>(names: Name | readonly Name[], of = '$json'): string {
  const list = typeof names === 'string' ? [names] : names;
  if (list.length === 1) return `${of}.outcome === ${jsString(list[0])}`;
  return `[${list.map((name) => jsString(name)).join(', ')}].includes(${of}.outcome)`;
}

/** A JavaScript string literal for text inside an expression (the texts hold no quotes of this kind). */
export function jsString(text: string, quote: "'" | '"' = "'"): string {
  if (text.includes(quote) || text.includes('\\')) throw new Error(`cannot quote ${text} with ${quote}`);
  return `${quote}${text}${quote}`;
}

/**
 * `JSON.stringify({ key: value, … })` over the fields of a contract: the keys are checked
 * against the shape the core reads, the values are expression bodies.
 */
export function jsonObject<T>(fields: { [K in keyof T]-?: string }): string {
  return `JSON.stringify(${objectLiteral<T>(fields)})`;
}

/** `{ key: value, … }` over the fields of a contract (for an object inside a jsonObject). */
export function objectLiteral<T>(fields: { [K in keyof T]-?: string }): string {
  return `{ ${Object.entries(fields as Record<string, string>)
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ')} }`;
}

// ---------------------------------------------------------------- n8n's nodes

interface Operator {
  type: 'boolean' | 'string' | 'number';
  operation: string;
  singleValue?: true;
}

export interface Condition {
  id: string;
  leftValue: string;
  rightValue: string;
  operator: Operator;
}

export function condition(leftValue: string, operator: Operator, rightValue = ''): Condition {
  return { id: stableId('condition', leftValue, JSON.stringify(operator), String(rightValue)), leftValue, rightValue, operator };
}
export const isTrue = (expression: Expression): Condition => condition(expression, { type: 'boolean', operation: 'true', singleValue: true });
export const equals = (expression: Expression, value: string): Condition => condition(expression, { type: 'string', operation: 'equals' }, value);

function filter(...conditions: Condition[]) {
  return { options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 }, conditions, combinator: 'and' };
}

export function ifNode(wf: WorkflowBuilder, name: string, position: Cell, ...conditions: Condition[]): string {
  return wf.add(name, 'n8n-nodes-base.if', 2.2, position, { conditions: filter(...conditions), looseTypeValidation: true, options: {} });
}

/** Switch with one named output per rule, first match wins; `fallback` names an extra output for the rest. */
export function switchNode(wf: WorkflowBuilder, name: string, position: Cell, rules: [string, ...Condition[]][], fallback?: string): string {
  return wf.add(name, 'n8n-nodes-base.switch', 3.2, position, {
    rules: { values: rules.map(([outputKey, ...conditions]) => ({ conditions: filter(...conditions), renameOutput: true, outputKey })) },
    looseTypeValidation: true,
    options: fallback ? { fallbackOutput: 'extra', renameFallbackOutput: fallback } : {},
  });
}

/** Sends `text` (plain text or an expression) as HTML, without n8n's attribution. */
export function telegramSend(
  wf: WorkflowBuilder,
  name: string,
  position: Cell,
  chatId: string,
  text: string,
  extra: { parameters?: object; node?: NodeSettings } = {},
): string {
  return wf.add(
    name,
    'n8n-nodes-base.telegram',
    1.2,
    position,
    { chatId, text, ...extra.parameters, additionalFields: { appendAttribution: false, parse_mode: 'HTML' } },
    { credentials: CREDENTIALS.telegram, ...extra.node },
  );
}

/** Edits a message the bot sent; `parameters` may add an inline keyboard (replyMarkup, inlineKeyboard). */
export function telegramEdit(wf: WorkflowBuilder, name: string, position: Cell, chatId: string, messageId: string, text: string, parameters: object = {}): string {
  return wf.add(
    name,
    'n8n-nodes-base.telegram',
    1.2,
    position,
    { operation: 'editMessageText', chatId, messageId, text, ...parameters, additionalFields: { parse_mode: 'HTML' } },
    // The card may be gone (deleted by the user): that must not fail the command.
    { credentials: CREDENTIALS.telegram, onError: 'continueRegularOutput' },
  );
}

/** Answers a button press with a toast. */
export function telegramAnswer(wf: WorkflowBuilder, name: string, position: Cell, queryId: string, text: string): string {
  return wf.add(
    name,
    'n8n-nodes-base.telegram',
    1.2,
    position,
    { resource: 'callback', operation: 'answerQuery', queryId, additionalFields: { text } },
    // Telegram refuses a second answer to the same press (a re-delivered update): not a reason to lose the command.
    { credentials: CREDENTIALS.telegram, onError: 'continueRegularOutput' },
  );
}

type FieldType = 'boolean' | 'object' | 'string' | 'number';

export function setResult(wf: WorkflowBuilder, name: string, position: Cell, fields: Record<string, [FieldType, string]>): string {
  return wf.add(name, 'n8n-nodes-base.set', 3.4, position, {
    assignments: {
      assignments: Object.entries(fields).map(([field, [type, value]]) => ({ id: stableId(wf.id, name, field), name: field, value, type })),
    },
    options: {},
  });
}

export function executeWorkflow(
  wf: WorkflowBuilder,
  name: string,
  position: Cell,
  workflowId: string,
  workflowName: string,
  { wait = true, mode = 'each' }: { wait?: boolean; mode?: 'each' | 'once' } = {},
): string {
  // Version 1.3: a sub-workflow that throws for the n-th item gives its error item on output 0, where
  // the next node is; 1.2 put it on output n, which nothing is connected to (the command was lost).
  return wf.add(
    name,
    'n8n-nodes-base.executeWorkflow',
    1.3,
    position,
    {
      workflowId: { __rl: true, value: workflowId, mode: 'list', cachedResultName: workflowName },
      mode,
      options: wait ? {} : { waitForSubWorkflow: false },
    },
    // A sub-workflow that throws becomes an item with `error`, so the command is failed and retried, not left leased.
    wait ? { onError: 'continueRegularOutput' } : {},
  );
}

export function subWorkflowTrigger(wf: WorkflowBuilder, name: string, position: Cell): string {
  return wf.add(name, 'n8n-nodes-base.executeWorkflowTrigger', 1.1, position, { inputSource: 'passthrough' });
}

export function dailyAt(wf: WorkflowBuilder, name: string, position: Cell, hour: number): string {
  return wf.add(name, 'n8n-nodes-base.scheduleTrigger', 1.2, position, { rule: { interval: [{ field: 'days', triggerAtHour: hour }] } });
}
