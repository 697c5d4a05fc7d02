// The shipped workflow JSON: current with its generator, internally consistent, and using
// only parameters our nodes define. (That it imports and runs in real n8n is the e2e suite's job.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeType } from 'n8n-workflow';
import { CommandQueue } from '../nodes/CommandQueue/CommandQueue.node';
import { DraftStore } from '../nodes/DraftStore/DraftStore.node';
import { GeminiIntent } from '../nodes/GeminiIntent/GeminiIntent.node';
import { GeminiPlanner } from '../nodes/GeminiPlanner/GeminiPlanner.node';
import { TaskExecutor } from '../nodes/TaskExecutor/TaskExecutor.node';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderAll, IDS } = require('../scripts/build-workflows.js') as { renderAll(): Record<string, string>; IDS: Record<string, string> };

interface WorkflowNode {
  name: string;
  type: string;
  typeVersion: number;
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
}
interface Workflow {
  id: string;
  name: string;
  nodes: WorkflowNode[];
  connections: Record<string, { main: { node: string }[][] }>;
  settings: Record<string, unknown>;
}

const dir = path.resolve(__dirname, '..', 'workflows');
const rendered = renderAll();
const workflows: Workflow[] = Object.values(rendered).map((text) => JSON.parse(text));
const ours: Record<string, INodeType> = {
  'n8n-nodes-draft-assistant.commandQueue': new CommandQueue(),
  'n8n-nodes-draft-assistant.draftStore': new DraftStore(),
  'n8n-nodes-draft-assistant.geminiIntent': new GeminiIntent(),
  'n8n-nodes-draft-assistant.geminiPlanner': new GeminiPlanner(),
  'n8n-nodes-draft-assistant.taskExecutor': new TaskExecutor(),
};
const allNodes = workflows.flatMap((wf) => wf.nodes.map((node) => ({ wf, node })));

describe('shipped workflows', () => {
  it('are the generator output, byte for byte (run `npm run workflows` after changing it)', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(Object.keys(rendered).sort());
    for (const file of files) expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(rendered[file]);
  });

  it('have fixed ids, and every Execute Workflow node calls one of them', () => {
    expect(workflows.map((wf) => wf.id).sort()).toEqual(Object.values(IDS).sort());
    const calls = allNodes.filter(({ node }) => node.type === 'n8n-nodes-base.executeWorkflow');
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const { node } of calls) expect(Object.values(IDS)).toContain((node.parameters.workflowId as { value: string }).value);
  });

  it('connect only nodes that exist, and every non-note node is reachable from a trigger', () => {
    for (const wf of workflows) {
      const names = new Set(wf.nodes.map((n) => n.name));
      expect(names.size).toBe(wf.nodes.length);
      const reached = new Set(wf.nodes.filter((n) => /trigger/i.test(n.type)).map((n) => n.name));
      for (let grew = true; grew; ) {
        grew = false;
        for (const [from, { main }] of Object.entries(wf.connections)) {
          expect(names.has(from)).toBe(true);
          for (const target of main.flat()) {
            expect(names.has(target.node)).toBe(true);
            if (reached.has(from) && !reached.has(target.node)) {
              reached.add(target.node);
              grew = true;
            }
          }
        }
      }
      const unreachable = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote' && !reached.has(n.name)).map((n) => n.name);
      expect({ workflow: wf.name, unreachable }).toEqual({ workflow: wf.name, unreachable: [] });
    }
  });

  it('send Telegram messages as HTML without n8n attribution', () => {
    const sends = allNodes.filter(({ node }) => node.type === 'n8n-nodes-base.telegram' && node.parameters.operation === undefined);
    expect(sends.length).toBeGreaterThan(5);
    for (const { node } of sends) {
      expect({ node: node.name, fields: node.parameters.additionalFields }).toEqual({
        node: node.name,
        fields: { appendAttribution: false, parse_mode: 'HTML' },
      });
    }
  });

  it('reference credentials by the types the nodes declare', () => {
    for (const { node } of allNodes) {
      const description = ours[node.type]?.description;
      if (!description) continue;
      const declared = (description.credentials ?? []).filter((c) => c.required).map((c) => c.name).sort();
      const referenced = Object.keys(node.credentials ?? {}).sort();
      for (const type of declared) expect({ node: node.name, referenced }).toEqual({ node: node.name, referenced: expect.arrayContaining([type]) });
    }
  });

  it('set only parameters our nodes define, with option values they offer', () => {
    for (const { node } of allNodes) {
      const description = ours[node.type]?.description;
      if (!description) continue;
      const properties = description.properties;
      for (const [name, value] of Object.entries(node.parameters)) {
        const property = properties.find((p) => p.name === name);
        expect({ node: node.name, parameter: name, defined: Boolean(property) }).toEqual({ node: node.name, parameter: name, defined: true });
        // Static option lists only: lists loaded from an account (task lists) cannot be checked offline.
        if (property?.type === 'options' && !property.typeOptions?.loadOptionsMethod && typeof value === 'string' && !value.startsWith('=')) {
          const values = properties.filter((p) => p.name === name).flatMap((p) => (p.options ?? []).map((o) => (o as { value: unknown }).value));
          expect({ node: node.name, parameter: name, value, allowed: values.includes(value) }).toEqual({ node: node.name, parameter: name, value, allowed: true });
        }
      }
    }
  });

  it('start with an empty allowlist, which the router treats as "not set up" instead of "everyone"', () => {
    const trigger = allNodes.find(({ node }) => node.type === 'n8n-nodes-base.telegramTrigger')!.node;
    expect((trigger.parameters.additionalFields as Record<string, unknown>).userIds).toBe('');
    // Versions before 1.4 checked the allowlist for messages only, not for button presses.
    expect(trigger.typeVersion).toBeGreaterThanOrEqual(1.4);
    const parse = allNodes.find(({ node }) => node.name === 'Parse Update')!.node;
    expect(parse.parameters.jsCode).toContain("if (!allowlist) return { json: { ...base, kind: 'not_configured' } }");
  });

  it('hold Code nodes whose JavaScript compiles', () => {
    const code = allNodes.filter(({ node }) => node.type === 'n8n-nodes-base.code');
    expect(code.length).toBeGreaterThan(0);
    for (const { node } of code) {
      // n8n runs the code as the body of an async function with $input, $, $workflow … in scope.
      expect(() => new Function('$input', '$', '$workflow', `return (async () => {${node.parameters.jsCode as string}})`)).not.toThrow();
    }
  });

  it('report failures to the error workflow', () => {
    for (const wf of workflows.filter((w) => w.id !== IDS.errors)) expect(wf.settings.errorWorkflow).toBe(IDS.errors);
  });
});
