// What the editor shows, and what saved workflows rely on, per operation: the operation list
// (values, labels, actions) and, for each operation, the fields it shows in order with their
// names, types and defaults. Taken from the descriptions before the operations moved into one
// file each, so that restructuring (and any later one) keeps version 1 as saved workflows know it.
import type { INodeProperties, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { CommandQueue } from '../nodes/CommandQueue/CommandQueue.node';
import { CommandRouter } from '../nodes/CommandRouter/CommandRouter.node';
import { DraftStore } from '../nodes/DraftStore/DraftStore.node';
import { GeminiIntent } from '../nodes/GeminiIntent/GeminiIntent.node';
import { TaskExecutor } from '../nodes/TaskExecutor/TaskExecutor.node';
import { EventExecutor } from '../nodes/EventExecutor/EventExecutor.node';

/** The description n8n uses for a node of this type version (a plain node, or one version of a VersionedNodeType). */
function descriptionOf(node: INodeType | { nodeVersions: Record<number, INodeType> }, version: number): INodeTypeDescription {
  if ('nodeVersions' in node) return node.nodeVersions[version].description;
  return node.description;
}

type Conditions = Record<string, unknown[] | undefined>;

/** n8n's displayOptions for the parameters a test names (operation, resource, @version); other conditions are kept in the snapshot. */
function matches(conditions: Conditions | undefined, values: Record<string, unknown>, mode: 'show' | 'hide'): boolean {
  for (const [name, allowed] of Object.entries(conditions ?? {})) {
    if (!(name in values) || !allowed) continue;
    const hit = allowed.includes(values[name]);
    if (mode === 'show' && !hit) return false;
    if (mode === 'hide' && hit) return false;
  }
  return true;
}

function shownFor(property: INodeProperties, values: Record<string, unknown>): boolean {
  return matches(property.displayOptions?.show as Conditions, values, 'show') && matches(property.displayOptions?.hide as Conditions, values, 'hide');
}

/** displayOptions without the conditions that selected the property (those are what the per-operation grouping shows). */
function otherConditions(property: INodeProperties, selectors: string[]): unknown {
  const strip = (conditions: Conditions | undefined) => {
    const rest = Object.fromEntries(Object.entries(conditions ?? {}).filter(([name]) => !selectors.includes(name)));
    return Object.keys(rest).length ? rest : undefined;
  };
  const show = strip(property.displayOptions?.show as Conditions);
  const hide = strip(property.displayOptions?.hide as Conditions);
  return show || hide ? { ...(show ? { show } : {}), ...(hide ? { hide } : {}) } : undefined;
}

function field(property: INodeProperties, selectors: string[]) {
  const { displayOptions: _ignored, ...rest } = property;
  const others = otherConditions(property, selectors);
  return others ? { ...rest, displayOptions: others } : rest;
}

/** Version 1 as the editor shows it: the operation options, then per operation the fields shown for it, in order. */
function editorView(description: INodeTypeDescription, version = 1) {
  const selectors = ['operation', '@version'];
  const visible = description.properties.filter((p) => shownFor(p, { '@version': version }));
  const operationProperty = visible.find((p) => p.name === 'operation')!;
  const operations = (operationProperty.options as INodePropertyOptions[]).map(({ name, value, action, description: text }) => ({ name, value, action, description: text }));
  const fieldsByOperation = Object.fromEntries(
    operations.map(({ value }) => [value, visible.filter((p) => p.name !== 'operation' && shownFor(p, { operation: value })).map((p) => field(p, selectors))]),
  );
  const { properties: _properties, version: _version, defaultVersion: _defaultVersion, ...node } = description;
  return { node, operation: { ...operationProperty, options: undefined }, operations, fieldsByOperation };
}

describe.each([
  ['Command Queue', new CommandQueue()],
  ['Command Router', new CommandRouter()],
  ['Draft Store', new DraftStore()],
  ['Task Executor', new TaskExecutor()],
  ['Event Executor', new EventExecutor()],
])('%s version 1', (_name, node) => {
  it('describes the same operations and fields as saved workflows know', () => {
    expect(editorView(descriptionOf(node, 1))).toMatchSnapshot();
  });
});

// Gemini Intent got operations with Read Media: Classify Message (the default, so saved
// workflows without an "operation" keep classifying) keeps its fields; both versions.
describe.each([1, 2])('Gemini Intent version %i', (version) => {
  it('describes Classify Message with the fields saved workflows know, and Read Voice Note or Photo', () => {
    expect(editorView(new GeminiIntent().description, version)).toMatchSnapshot();
  });
});
