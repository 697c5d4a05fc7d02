// What n8n's expression engine costs per execution and per expression, in n8n 2.40's own
// n8n-workflow (issue 13): the isolate an execution acquires (the default 'vm' engine keeps a pool
// of ONE warm isolate, and every release disposes it and builds a new one), and one expression
// evaluated through the isolate bridge against the legacy in-process engine. Our workflows
// evaluate ~65 expressions per message in three executions; the floor ~5 in two.
//
// Run: node -r ./scripts/register-ts.js bench/expressions.bench.ts [--n=200]
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { installN8n } from '../playground/stack';

const N = Number(process.argv.find((a) => a.startsWith('--n='))?.split('=')[1] ?? 200);
// n8n's own copy: the engine is what n8n 2.40 runs, not the n8n-workflow this package builds against.
const workflowPackage = path.join(installN8n(), 'node_modules', 'n8n-workflow');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Workflow, Expression } = require(workflowPackage) as typeof import('n8n-workflow');

const nodeTypes = {
  getByName: () => ({ description: { properties: [] } }),
  getByNameAndVersion: () => ({ description: { properties: [] } }),
  getKnownTypes: () => ({}),
};
const nodes = ['Parse Update', 'Enqueue Command'].map((name, i) => ({ id: String(i), name, type: 'bench.node', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} }));
const connections = { 'Parse Update': { main: [[{ node: 'Enqueue Command', type: 'main', index: 0 }]] } };
const input = [{ json: { dedupeKey: 'telegram:router:1', userId: 'telegram:1', payload: { text: 'buy milk tomorrow', chatId: 1 } }, pairedItem: { item: 0 } }];
const runExecutionData = { resultData: { runData: { 'Parse Update': [{ startTime: 0, executionTime: 0, source: [], data: { main: [input] } }] } } };
const executeData = { node: nodes[1], data: { main: [input] }, source: { main: [{ previousNode: 'Parse Update' }] } };
const EXPRESSIONS = [
  '={{ $json.dedupeKey }}',
  "={{ $('Parse Update').item.json.userId }}",
  '={{ JSON.stringify({ text: $json.payload.text, chatId: $json.payload.chatId, userId: $json.userId }) }}',
];

const newWorkflow = () => new Workflow({ id: 'bench', nodes, connections: connections as never, active: false, nodeTypes: nodeTypes as never });

async function measure(engine: 'vm' | 'legacy') {
  await Expression.initExpressionEngine({ engine, poolSize: 1, maxCodeCacheSize: 1024, bridgeTimeout: 5000, bridgeMemoryLimit: 128, lazyAcquire: false } as never);
  if (engine === 'legacy') Expression.setExpressionEngine('legacy');
  let started = performance.now();
  for (let i = 0; i < N; i++) {
    // One execution's acquire and release, as n8n's WorkflowExecute does for every execution.
    const workflow = newWorkflow();
    await workflow.expression.acquireIsolate();
    await workflow.expression.releaseIsolate();
  }
  const isolateMs = (performance.now() - started) / N;
  const workflow = newWorkflow();
  await workflow.expression.acquireIsolate();
  const perExpression: Record<string, number> = {};
  for (const expression of EXPRESSIONS) {
    started = performance.now();
    for (let i = 0; i < N; i++) {
      workflow.expression.getParameterValue(expression, runExecutionData as never, 0, 0, 'Enqueue Command', input as never, 'webhook', {} as never, executeData as never);
    }
    perExpression[expression] = +((performance.now() - started) / N).toFixed(3);
  }
  await workflow.expression.releaseIsolate();
  await Expression.disposeExpressionEngine();
  return { engine, isolateAcquireReleaseMs: +isolateMs.toFixed(2), perExpressionMs: perExpression };
}

async function main() {
  const results = [await measure('vm'), await measure('legacy')];
  console.log(JSON.stringify({ n: N, loadAverage: os.loadavg().map((l) => +l.toFixed(2)), results }, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
