// The shipped workflow JSON: current with its generator and internally consistent; the
// parameters of our nodes are checked in workflows.parameters.test.ts. (That it imports and runs
// in real n8n is the e2e suite's job.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IDS, renderAll } from '../workflows/src';

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

  it("B: a run that succeeds runs no expression, from its triggers through the claims, Route by Type, D/E/L/C and Finish (under n8n's lazy expression engine it builds no isolate)", () => {
    const b = workflows.find((wf) => wf.id === IDS.executor)!;
    const byName = new Map(b.nodes.map((node) => [node.name, node]));
    // Not followed: the reply route (it sends with n8n's Telegram node) and Finish's Failed output (the failure path).
    const skipped = new Set(['Route by Type/2', 'Finish Command/1']);
    const visited = new Set<string>();
    const queue = b.nodes.filter((node) => /trigger/i.test(node.type)).map((node) => node.name);
    while (queue.length) {
      const name = queue.shift()!;
      if (visited.has(name)) continue;
      visited.add(name);
      (b.connections[name]?.main ?? []).forEach((targets, output) => {
        if (!skipped.has(`${name}/${output}`)) queue.push(...targets.map((t) => t.node));
      });
    }
    const expressions = (value: unknown, at: string): string[] => {
      if (typeof value === 'string') return value.startsWith('=') ? [`${at}: ${value}`] : [];
      if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => expressions(inner, `${at}.${key}`));
      return [];
    };
    expect([...visited].sort()).toEqual(
      ['Every 10 Seconds', 'When Called by Router', 'Claim Backlog', 'Claim Commands', 'Route by Type', 'Run Task Drafting (D)', 'Run Confirmation (E)', 'Run Your Tasks (L)', 'Run Event Drafting (C)', 'Finish Command'].sort(),
    );
    expect([...visited].flatMap((name) => expressions(byName.get(name)!.parameters, name))).toEqual([]);
  });

  it("run sub-workflows with Execute Workflow 1.3 or later where an error continues: 1.2 put the n-th item's error on output n, connected to nothing", () => {
    const continuing = allNodes.filter(({ node }) => node.type === 'n8n-nodes-base.executeWorkflow' && (node as { onError?: string }).onError === 'continueRegularOutput');
    expect(continuing.length).toBeGreaterThanOrEqual(4);
    for (const { wf, node } of continuing) expect({ workflow: wf.name, node: node.name, typeVersion: node.typeVersion }).toEqual({ workflow: wf.name, node: node.name, typeVersion: 1.3 });
  });

  it('send Telegram messages as HTML without n8n attribution', () => {
    // Without an operation (and resource) the Telegram node sends a message; File › Get downloads one.
    const sends = allNodes.filter(({ node }) => node.type === 'n8n-nodes-base.telegram' && node.parameters.operation === undefined && node.parameters.resource === undefined);
    expect(sends.length).toBeGreaterThan(5);
    for (const { node } of sends) {
      expect({ node: node.name, fields: node.parameters.additionalFields }).toEqual({
        node: node.name,
        fields: { appendAttribution: false, parse_mode: 'HTML' },
      });
    }
  });

  it('start with an empty allowlist, which the router treats as "not set up" instead of "everyone"', () => {
    const trigger = allNodes.find(({ node }) => node.type === 'n8n-nodes-base.telegramTrigger')!.node;
    expect((trigger.parameters.additionalFields as Record<string, unknown>).userIds).toBe('');
    // Versions before 1.4 checked the allowlist for messages only, not for button presses.
    expect(trigger.typeVersion).toBeGreaterThanOrEqual(1.4);
    // The router's parser reads that allowlist: empty, every update is "not set up" (test/telegramUpdate.test.ts).
    const parse = allNodes.find(({ node }) => node.name === 'Parse Update')!.node;
    expect(parse.type).toBe('n8n-nodes-draft-assistant.commandQueue');
    expect(parse.parameters).toEqual({
      operation: 'parseUpdate',
      update: '={{ $json }}',
      allowlist: "={{ $('Telegram Trigger').params.additionalFields?.userIds ?? '' }}",
    });
  });

  it('hold no Code node: n8n runs one in its task runner, another process, a round trip for every item', () => {
    expect(allNodes.filter(({ node }) => node.type === 'n8n-nodes-base.code').map(({ node }) => node.name)).toEqual([]);
  });

  it('report failures to the error workflow', () => {
    for (const wf of workflows.filter((w) => w.id !== IDS.errors)) expect(wf.settings.errorWorkflow).toBe(IDS.errors);
  });

  it('E: a reminder that could not be scheduled fails the command (retried, it resumes and schedules once), never a success without it', () => {
    const confirmation = workflows.find((wf) => wf.id === IDS.confirmation)!;
    const node = confirmation.nodes.find((n) => n.name === 'Schedule Reminder') as WorkflowNode & { onError?: string };
    // continueRegularOutput would carry on to "Task created" with the reminder lost for good.
    expect(node.onError).toBe('continueErrorOutput');
    const [ok, failed] = confirmation.connections['Schedule Reminder'].main;
    expect(ok.map((c) => c.node)).toEqual(['News for the User?']);
    expect(failed).toHaveLength(1);
    const result = confirmation.nodes.find((n) => n.name === failed[0].node)!;
    const assignments = (result.parameters.assignments as { assignments: { name: string; value: string }[] }).assignments;
    expect(assignments.find((a) => a.name === 'ok')?.value).toBe('={{ false }}');
    expect(assignments.find((a) => a.name === 'failure')?.value).toMatch(/retryable: true/);
  });
});
