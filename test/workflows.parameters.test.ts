// Every parameter the generated workflows set on our own nodes is one the node defines for the
// operation (or mode) the workflow node uses, shown there by its displayOptions; option values
// and collection fields exist; credentials are those the node asks for in that configuration.
// The node descriptions are read from nodes/<Node>/*.node.ts at runtime (their `description`),
// whatever files the operations live in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeCredentialDescription, INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { PACKAGE } from '../workflows/src/ids';
import { renderAll, type Workflow, type WorkflowNode } from '../workflows/src';

const NODES_DIR = path.resolve(__dirname, '..', 'nodes');

/** Our node types by the name workflows use (`n8n-nodes-draft-assistant.<name>`), from every nodes/<Node>/<Node>.node.ts. */
function loadOurNodes(): Map<string, INodeType> {
  const nodes = new Map<string, INodeType>();
  for (const dir of fs.readdirSync(NODES_DIR)) {
    const folder = path.join(NODES_DIR, dir);
    if (!fs.statSync(folder).isDirectory()) continue;
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.node.ts'))) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(path.join(folder, file)) as Record<string, new () => INodeType>;
      for (const NodeClass of Object.values(module)) {
        if (typeof NodeClass !== 'function') continue;
        const node = new NodeClass();
        if (node.description?.name) nodes.set(`${PACKAGE}.${node.description.name}`, node);
      }
    }
  }
  return nodes;
}

const ours = loadOurNodes();
const workflows: Workflow[] = Object.values(renderAll()).map((text) => JSON.parse(text));
const ourNodes: { workflow: string; node: WorkflowNode; type: INodeType }[] = workflows.flatMap((wf) =>
  wf.nodes.filter((node) => ours.has(node.type)).map((node) => ({ workflow: wf.name, node, type: ours.get(node.type)! })),
);

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/** The value a node has for a parameter: what it sets, else the parameter's default. */
function valueOf(parameters: Record<string, unknown>, properties: INodeProperties[], name: string): unknown {
  if (name in parameters) return parameters[name];
  return properties.find((p) => p.name === name && !p.displayOptions)?.default;
}

/**
 * Whether n8n shows `described` for these parameters. A discriminator set by an expression is
 * only known per item, so it shows whatever it may select.
 */
function shown(described: Pick<INodeProperties, 'displayOptions'>, parameters: Record<string, unknown>, properties: INodeProperties[]): boolean {
  const { show = {}, hide = {} } = described.displayOptions ?? {};
  for (const [key, allowed] of Object.entries(show)) {
    const value = valueOf(parameters, properties, key);
    if (!isExpression(value) && !(allowed as unknown[]).includes(value)) return false;
  }
  for (const [key, hidden] of Object.entries(hide)) {
    const value = valueOf(parameters, properties, key);
    if (!isExpression(value) && (hidden as unknown[]).includes(value)) return false;
  }
  return true;
}

const optionValues = (property: INodeProperties) => (property.options ?? []).map((o) => (o as INodePropertyOptions).value);

describe('our nodes in the shipped workflows', () => {
  it('are all known, and every node of ours is used somewhere', () => {
    expect(ours.size).toBeGreaterThanOrEqual(5);
    expect(ourNodes.length).toBeGreaterThan(20);
    expect(new Set(ourNodes.map(({ node }) => node.type))).toEqual(new Set(ours.keys()));
  });

  it('set only parameters the node shows for their operation, with values it offers', () => {
    const problems: string[] = [];
    for (const { workflow, node, type } of ourNodes) {
      const parameters = node.parameters as Record<string, unknown>;
      const properties = type.description.properties;
      for (const [name, value] of Object.entries(parameters)) {
        const where = `${workflow} / ${node.name}: ${name}`;
        const candidates = properties.filter((p) => p.name === name);
        const property = candidates.find((p) => shown(p, parameters, properties));
        if (!property) {
          problems.push(candidates.length ? `${where} is not shown for this operation` : `${where} is not a parameter of ${type.description.name}`);
          continue;
        }
        // Static option lists only: lists loaded from an account (task lists) cannot be checked offline.
        if (property.type === 'options' && !property.typeOptions?.loadOptionsMethod && !isExpression(value) && !optionValues(property).includes(value as string)) {
          problems.push(`${where} = ${JSON.stringify(value)} is not one of ${JSON.stringify(optionValues(property))}`);
        }
        if (property.type === 'collection' && value && typeof value === 'object') {
          const fields = (property.options ?? []).map((o) => (o as INodeProperties | INodePropertyCollection).name);
          for (const field of Object.keys(value)) if (!fields.includes(field)) problems.push(`${where}.${field} is not a field of the collection`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('reference the credentials the node asks for in its configuration, and no others', () => {
    const problems: string[] = [];
    for (const { workflow, node, type } of ourNodes) {
      const parameters = node.parameters as Record<string, unknown>;
      const offered = (type.description.credentials ?? []).filter((c: INodeCredentialDescription) =>
        shown(c as Pick<INodeProperties, 'displayOptions'>, parameters, type.description.properties),
      );
      const referenced = Object.keys(node.credentials ?? {});
      const where = `${workflow} / ${node.name}`;
      for (const credential of offered.filter((c) => c.required)) if (!referenced.includes(credential.name)) problems.push(`${where} lacks ${credential.name}`);
      for (const name of referenced) if (!offered.some((c) => c.name === name)) problems.push(`${where} references ${name}, which it does not use here`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the check itself', () => {
  const commandQueue = ours.get(`${PACKAGE}.commandQueue`)!;
  const properties = commandQueue.description.properties;
  const problemsOf = (parameters: Record<string, unknown>) =>
    Object.keys(parameters).filter((name) => !properties.some((p) => p.name === name && shown(p, parameters, properties)));

  it('refuses a parameter of another operation, and accepts one of its own', () => {
    expect(problemsOf({ operation: 'claim', leaseSeconds: 60 })).toEqual([]);
    expect(problemsOf({ operation: 'claim', dedupeKey: 'x' })).toEqual(['dedupeKey']);
    expect(problemsOf({ operation: 'parseUpdate', update: '={{ $json }}', limit: 3 })).toEqual(['limit']);
  });

  it('asks for no database credential when parsing an update, and for one otherwise', () => {
    const database = commandQueue.description.credentials![0] as Pick<INodeProperties, 'displayOptions'>;
    expect(shown(database, { operation: 'parseUpdate' }, properties)).toBe(false);
    expect(shown(database, { operation: 'enqueue' }, properties)).toBe(true);
  });
});
