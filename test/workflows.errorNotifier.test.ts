// The Error Notifier's alert, evaluated on the items n8n 2.40.7 gives its Error Trigger: a failed
// execution, a failed trigger, and an execution n8n recovered after a crash. The text reads only
// $json (the Error Trigger's item, passed on by "Owner"): in n8n's recovery run, expressions that
// reach back with $('Error Trigger') come back empty, and the alert said "went wrong in : ".
import { renderAll } from '../workflows/src';

interface Node {
  name: string;
  parameters: Record<string, unknown>;
}
const notifier = JSON.parse(renderAll()['error-notifier.json']) as { nodes: Node[]; connections: Record<string, unknown> };
const node = (name: string) => notifier.nodes.find((n) => n.name === name)!;
const template = String(node('Tell Owner').parameters.text);

/** Renders an n8n "=…{{ expression }}…" text with $json bound, as n8n's expression engine does. */
function render(json: Record<string, unknown>): string {
  expect(template.startsWith('=')).toBe(true);
  return template.slice(1).replace(/\{\{([\s\S]+?)\}\}(?!\})/g, (_all, expression: string) => String(new Function('$json', `return (${expression});`)(json)));
}

const owner = (item: Record<string, unknown>) => ({ ...item, chatId: '424242' });
// What n8n 2.40.7's Error Trigger held after a SIGKILL and restart (seen in test/e2e/inbound.test.ts).
const recovered = {
  execution: {
    id: '6',
    url: 'http://127.0.0.1:5678/workflow/draftAssistantE/executions/6',
    error: { message: 'Workflow did not finish, possible out-of-memory issue', name: 'WorkflowCrashedError', context: {} },
    lastNodeExecuted: 'Create Google Task',
    mode: 'integrated',
  },
  workflow: { id: 'draftAssistantE', name: 'Draft Assistant · E · Confirmation' },
};

describe('the Error Notifier alert', () => {
  it('reads only the item itself, which "Owner" passes on with the chat id', () => {
    expect(template).not.toContain("$('");
    expect(node('Owner').parameters).toMatchObject({ includeOtherFields: true });
  });

  it('names the workflow and step of an execution n8n recovered after a crash, and says n8n stopped', () => {
    expect(render(owner(recovered))).toBe(
      '⚠️ Something went wrong in <b>Draft Assistant · E · Confirmation</b> at step <b>Create Google Task</b>: n8n stopped while it was running (a crash or a forced restart)\nYour queued messages are kept and retried.',
    );
  });

  it('names the workflow and the error of an ordinary failure, HTML-escaped', () => {
    const failed = { ...recovered, execution: { ...recovered.execution, error: { message: 'Bad <input> & more', name: 'NodeOperationError' } } };
    expect(render(owner(failed))).toContain('in <b>Draft Assistant · E · Confirmation</b> at step <b>Create Google Task</b>: Bad &lt;input&gt; &amp; more');
  });

  it('names a failed trigger, which has no execution', () => {
    const trigger = { trigger: { error: { message: 'Webhook failed', name: 'Error' }, mode: 'trigger' }, workflow: { id: 'draftAssistantA', name: 'Draft Assistant · A · Inbound Router' } };
    expect(render(owner(trigger))).toContain('in <b>Draft Assistant · A · Inbound Router</b>: Webhook failed');
  });

  it('falls back to the name it knows for the id, then to the id', () => {
    expect(render(owner({ ...recovered, workflow: { id: 'draftAssistantB' } }))).toContain('in <b>Draft Assistant · B · Command Executor</b>');
    expect(render(owner({ ...recovered, workflow: { id: 'x1y2' } }))).toContain('in <b>workflow x1y2</b>');
    expect(render(owner({}))).toBe('⚠️ Something went wrong in <b>a Draft Assistant workflow</b>: unknown error\nYour queued messages are kept and retried.');
  });
});

export {}; // a module: its names stay its own
