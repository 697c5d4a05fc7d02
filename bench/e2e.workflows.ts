// Workflow changes the e2e benchmark can apply to the shipped workflows before the stack imports
// them, without touching the generator (workflows/src): prototypes of proposed changes (measured with
// --prototype=<name>, reported in the output). Patches the generator module's renderAll, which
// playground/stack.ts calls when it installs the workflows.
// Required, not imported: the module object is patched below, and stack.ts reads renderAll from it at call time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require('../workflows/src') as { renderAll(): Record<string, string> };

interface Node {
  name: string;
  type: string;
  parameters: Record<string, unknown>;
  [other: string]: unknown;
}
interface Workflow {
  id: string;
  nodes: Node[];
  connections: Record<string, unknown>;
  [other: string]: unknown;
}

/** A change to the rendered workflows (by file name); returns a note when it changed something. */
type Patch = (workflows: Record<string, Workflow>) => string | undefined;

type Connections = Record<string, { main: { node: string; type: string; index: number }[][] }>;

/** Points every connection into `from` at `to` instead. */
function redirect(connections: Connections, from: string, to: string): void {
  for (const outputs of Object.values(connections)) for (const output of outputs.main) for (const c of output) if (c.node === from) c.node = to;
}

/** Removes a node and the connections from and to it. */
function removeNode(workflow: Workflow, name: string): void {
  const connections = workflow.connections as Connections;
  workflow.nodes = workflow.nodes.filter((n) => n.name !== name);
  delete connections[name];
  for (const outputs of Object.values(connections)) for (const output of outputs.main) output.splice(0, output.length, ...output.filter((c) => c.node !== name));
}

/** Prototypes of proposed workflow changes, measured on request (--prototype=a,b). */
export const PROTOTYPES: Record<string, { description: string; patch: Patch }> = {
  // The card is the acknowledgement: no "Got it! Working on it..." message before it.
  'no-got-it': {
    description: 'Workflow A: no "Got it" message; a new drafting command goes straight to the executor',
    patch: (workflows) => {
      const a = workflows['A-inbound-router.json'];
      const connections = a.connections as Connections;
      const after = connections['After Enqueue'].main;
      // After Enqueue output 1 (Drafting) went to Reply: Got It, which went on to Run Executor Now.
      after[1] = [{ node: 'Run Executor Now', type: 'main', index: 0 }];
      removeNode(a, 'Reply: Got It');
      return undefined;
    },
  },
  // A claim of 10 commands run one after another can outlast its 60 s lease under load; another
  // executor then claims the same command again and drafts it twice. One command per claim keeps
  // each lease about one command's work; many executor runs in parallel still drain a burst.
  'claim-one': {
    description: 'Claim Commands: limit 1 instead of 10 (a lease covers one command, not a batch run in sequence)',
    patch: (workflows) => {
      for (const workflow of Object.values(workflows)) {
        for (const node of workflow.nodes) if (node.type.endsWith('.commandQueue') && node.parameters.operation === 'claim') node.parameters.limit = 1;
      }
      return undefined;
    },
  },
  // Workflow A claims and runs the commands itself (B's nodes after its triggers, copied into A):
  // one execution fewer per message (A → D instead of A → B → D). B keeps its 10-second schedule
  // as the safety net for retries and for anything A did not finish.
  'executor-in-router': {
    description: "Workflow A runs B's claim/route/complete nodes itself instead of starting B (A → D, not A → B → D)",
    patch: (workflows) => {
      const a = workflows['A-inbound-router.json'];
      const b = workflows['B-command-executor.json'];
      const triggers = new Set(['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.executeWorkflowTrigger', 'n8n-nodes-base.stickyNote']);
      const copied = b.nodes.filter((n) => !triggers.has(n.type)).map((n) => JSON.parse(JSON.stringify(n)) as Node);
      const clash = copied.find((n) => a.nodes.some((m) => m.name === n.name));
      if (clash) throw new Error(`prototype executor-in-router: node name ${clash.name} exists in both A and B`);
      for (const node of copied) node.position = [(node.position as number[])[0] + 2600, (node.position as number[])[1] + 600];
      const aConnections = a.connections as Connections;
      const bConnections = b.connections as Connections;
      for (const node of copied) if (bConnections[node.name]) aConnections[node.name] = JSON.parse(JSON.stringify(bConnections[node.name])) as Connections[string];
      redirect(aConnections, 'Run Executor Now', 'Claim Commands');
      removeNode(a, 'Run Executor Now');
      a.nodes.push(...copied);
      return undefined;
    },
  },
};

let selected: string[] = [];
export const appliedNotes: string[] = [];

export function selectPrototypes(names: string[]): void {
  for (const name of names) if (!PROTOTYPES[name]) throw new Error(`unknown prototype ${name}; known: ${Object.keys(PROTOTYPES).join(', ') || 'none'}`);
  selected = names;
}

const original = generator.renderAll;
generator.renderAll = () => {
  const rendered = original();
  const workflows = Object.fromEntries(Object.entries(rendered).map(([file, text]) => [file, JSON.parse(text) as Workflow]));
  appliedNotes.length = 0;
  for (const name of selected) {
    const note = PROTOTYPES[name].patch(workflows);
    appliedNotes.push(`prototype ${name}: ${note ?? PROTOTYPES[name].description}`);
  }
  return Object.fromEntries(Object.entries(workflows).map(([file, workflow]) => [file, JSON.stringify(workflow, null, 2)]));
};
