// `setup`: installs the shipped workflows into a running n8n, or upgrades the ones a previous run
// (or a manual import) put there, and publishes them sub-workflows first. Each installation gets
// workflow ids from n8n and random node ids and webhookIds from here, so the Telegram webhook's
// secret token (`<workflow id>_<trigger node id>`) and URL are nobody else's to compute.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type CredentialSummary,
  installOrder,
  markerOf,
  namesOf,
  PACKAGE_NAME,
  planWorkflow,
  receivesEvents,
  type UserSettings,
  type WorkflowChanges,
  type WorkflowDefinition,
} from './plan';
import { N8nApiError, type N8nPublicApi } from './publicApi';

/** The package's root: the nearest folder above this file with our package.json (in `dist/` or in the repository). */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${__dirname}`);
  }
}

/** The workflow files the package ships (`workflows/` at its root). */
export const SHIPPED_WORKFLOWS_DIR = path.join(packageRoot(), 'workflows');

export function loadShippedWorkflows(dir = SHIPPED_WORKFLOWS_DIR): { file: string; workflow: WorkflowDefinition }[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as WorkflowDefinition }));
}

export interface SetupOptions {
  api: N8nPublicApi;
  /** The workflows to install, as shipped (their `id` is the shipped id, used as their key). */
  workflows: WorkflowDefinition[];
  settings?: UserSettings;
  /** Publish after saving (default true). */
  publish?: boolean;
  log?: (line: string) => void;
  /** How long to wait for n8n to answer on (or drop) a webhook after a publish (default 20 s). */
  webhookWaitMs?: number;
}

export interface WorkflowOutcome {
  shippedId: string;
  id: string;
  name: string;
  action: 'created' | 'updated';
  changes: WorkflowChanges;
  /** It was published before this run and has a webhook trigger. */
  republishWebhook: boolean;
  /** The paths n8n serves its webhook triggers on (`/webhook/<path>`). */
  webhookPaths: string[];
}

export interface SetupResult {
  /** Shipped id → the id of the workflow in this n8n. */
  workflowIds: Record<string, string>;
  outcomes: WorkflowOutcome[];
  published: string[];
  /** Why nothing was published, when it was not. */
  notPublished?: string;
  /** Workflows published whose webhook n8n still did not answer on (see the log). */
  webhooksNotLive?: string[];
}

/** Node types that only our workflows hold: a workflow without any of them is never ours. */
function mayBeOurs(workflow: WorkflowDefinition, shippedNames: Set<string>): boolean {
  return (
    shippedNames.has(workflow.name) ||
    (workflow.nodes ?? []).some((node) => node.type.startsWith(`${PACKAGE_NAME}.`) || node.type === 'n8n-nodes-base.errorTrigger')
  );
}

/**
 * Finds the installed copy of each shipped workflow: by the marker setup writes into the
 * description, else (a manual import, or a marker the user removed) by its shipped name.
 * Archived workflows are ignored. Two candidates for one workflow is an error, not a guess.
 */
export async function locateInstalled(api: N8nPublicApi, shipped: WorkflowDefinition[]): Promise<Map<string, WorkflowDefinition>> {
  const shippedNames = new Set(shipped.flatMap((workflow) => namesOf(workflow)));
  const listed = (await api.listWorkflows()).filter((workflow) => !workflow.isArchived && mayBeOurs(workflow, shippedNames));
  const candidates = await Promise.all(listed.map((workflow) => api.getWorkflow(workflow.id as string)));
  const found = new Map<string, WorkflowDefinition>();
  const taken = new Set<string>();
  const pick = (shippedId: string, matches: WorkflowDefinition[], how: string) => {
    const open = matches.filter((workflow) => !taken.has(workflow.id as string));
    if (open.length === 0) return;
    const active = open.filter((workflow) => workflow.active);
    const chosen = open.length === 1 ? open[0] : active.length === 1 ? active[0] : undefined;
    if (!chosen) {
      throw new Error(
        `${open.length} workflows ${how} (${open.map((workflow) => `${workflow.id} "${workflow.name}"`).join(', ')}); ` +
          'archive or delete the ones you do not use, then run setup again',
      );
    }
    found.set(shippedId, chosen);
    taken.add(chosen.id as string);
  };
  for (const workflow of shipped) {
    pick(workflow.id as string, candidates.filter((candidate) => markerOf(candidate.description) === workflow.id), `carry the marker of ${workflow.id}`);
  }
  for (const workflow of shipped) {
    if (found.has(workflow.id as string)) continue;
    const names = namesOf(workflow);
    pick(
      workflow.id as string,
      candidates.filter((candidate) => !markerOf(candidate.description) && names.includes(candidate.name)),
      `are named ${names.map((name) => `"${name}"`).join(' or ')}`,
    );
  }
  return found;
}

export async function runSetup(options: SetupOptions): Promise<SetupResult> {
  const { api, workflows } = options;
  const log = options.log ?? (() => undefined);
  for (const workflow of workflows) if (!workflow.id) throw new Error(`shipped workflow "${workflow.name}" has no id`);
  const usedTypes = new Set(workflows.flatMap((workflow) => workflow.nodes.flatMap((node) => Object.keys(node.credentials ?? {}))));
  for (const type of Object.keys(options.settings?.credentials ?? {})) {
    if (!usedTypes.has(type)) throw new Error(`--credential ${type}=…: no node uses that credential type (they use ${[...usedTypes].sort().join(', ')})`);
  }
  const ordered = installOrder(workflows);
  const existing = await locateInstalled(api, workflows);
  let availableCredentials: CredentialSummary[] | undefined;
  try {
    availableCredentials = await api.listCredentials();
  } catch (error) {
    // An API key without credential:list still installs; credentials are then not checked.
    if (!(error instanceof N8nApiError) || (error.status !== 403 && error.status !== 404)) throw error;
    log('(this API key may not list credentials: credential choices are not checked)');
  }

  const installed: Record<string, { id: string; name: string }> = {};
  for (const [shippedId, workflow] of existing) installed[shippedId] = { id: workflow.id as string, name: workflow.name };
  const outcomes: WorkflowOutcome[] = [];
  for (const shipped of ordered) {
    const shippedId = shipped.id as string;
    const previous = existing.get(shippedId);
    const { body, changes } = planWorkflow(shipped, previous, { installed, settings: options.settings ?? {}, availableCredentials });
    let id: string;
    if (previous) {
      id = previous.id as string;
      await api.updateWorkflow(id, body);
    } else {
      id = (await api.createWorkflow(body)).id;
      // The create call takes no description; the marker goes in with an update.
      await api.updateWorkflow(id, body);
    }
    installed[shippedId] = { id, name: body.name };
    const outcome: WorkflowOutcome = {
      shippedId,
      id,
      name: body.name,
      action: previous ? 'updated' : 'created',
      changes,
      republishWebhook: Boolean(previous?.active) && receivesEvents(body),
      webhookPaths: webhookPaths(body.nodes),
    };
    outcomes.push(outcome);
    for (const line of describeOutcome(outcome)) log(line);
  }

  const result: SetupResult = { workflowIds: Object.fromEntries(outcomes.map((outcome) => [outcome.shippedId, outcome.id])), outcomes, published: [] };
  const missing = outcomes.flatMap((outcome) => outcome.changes.missingCredentials.map((entry) => `${outcome.name} → ${entry}`));
  if (options.publish === false) {
    result.notPublished = 'not asked to publish';
  } else if (missing.length > 0) {
    result.notPublished = `these nodes have no credential in n8n yet:\n    ${missing.join('\n    ')}\n  pass --credential <type>=<id>, or select them in the editor, then run setup again`;
  } else {
    // Sub-workflows first: n8n refuses to publish a workflow that calls an unpublished one.
    for (const outcome of outcomes) {
      if (outcome.webhookPaths.length === 0) {
        await api.publishWorkflow(outcome.id);
      } else if (!(await publishWebhookWorkflow(api, outcome, options.webhookWaitMs ?? 20_000))) {
        log(`Warning: ${outcome.name} is published, but n8n did not start answering on its webhook; publish it again in the editor (toggle it off and on)`);
        (result.webhooksNotLive ??= []).push(outcome.name);
      }
      result.published.push(outcome.name);
    }
  }
  log(result.notPublished ? `Not published: ${result.notPublished}` : `Published, in this order: ${result.published.join(', ')}`);
  return result;
}

/** The paths n8n serves a workflow's webhook triggers on (`/webhook/<path>`). */
function webhookPaths(nodes: WorkflowDefinition['nodes']): string[] {
  return nodes.filter((node) => receivesEvents({ nodes: [node] }) && typeof node.webhookId === 'string').map((node) => `${node.webhookId}/webhook`);
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(10, timeoutMs / 10))));
  }
}

/**
 * Publishes a workflow with a webhook trigger and waits until n8n answers on the webhook. n8n
 * 2.40.7 publishes through an outbox after the API call returns, and re-registering the changed
 * trigger of a published workflow sometimes loses the registration (Telegram keeps the URL, n8n
 * answers 404 for good). So an already published one is taken offline first, and the webhook is
 * probed (an unsigned request: the trigger refuses it with 403 and starts nothing) until it
 * answers; a lost registration is published again. Telegram retries updates that arrive meanwhile.
 */
async function publishWebhookWorkflow(api: N8nPublicApi, outcome: WorkflowOutcome, waitMs: number): Promise<boolean> {
  const paths = outcome.webhookPaths;
  const allLive = async () => (await Promise.all(paths.map((p) => api.webhookIsLive(p)))).every(Boolean);
  const noneLive = async () => !(await Promise.all(paths.map((p) => api.webhookIsLive(p)))).some(Boolean);
  for (let round = 0; round < 3; round++) {
    if (outcome.republishWebhook || round > 0) {
      await api.unpublishWorkflow(outcome.id);
      await until(noneLive, waitMs);
    }
    await api.publishWorkflow(outcome.id);
    if (await until(allLive, waitMs)) return true;
  }
  return false;
}

/** The lines setup prints for one workflow. */
export function describeOutcome(outcome: WorkflowOutcome): string[] {
  const { changes } = outcome;
  const lines = [`${outcome.action === 'created' ? 'Created' : 'Updated'}  ${outcome.name} (id ${outcome.id})`];
  if (changes.added.length > 0) lines.push(`    nodes added: ${changes.added.join(', ')}`);
  if (changes.removed.length > 0) lines.push(`    nodes removed: ${changes.removed.join(', ')}`);
  if (changes.replacedPublicIds.length > 0) {
    lines.push(`    new random ids for ${changes.replacedPublicIds.length} node(s) that had the published ids (the webhook secret and URL change)`);
  }
  for (const entry of changes.kept) lines.push(`    kept ${entry}`);
  if (changes.credentialsKept > 0) lines.push(`    kept the selected credentials on ${changes.credentialsKept} node(s)`);
  for (const entry of changes.set) lines.push(`    set ${entry}`);
  for (const entry of changes.unset) lines.push(`    NOT SET: ${entry}`);
  for (const entry of changes.missingCredentials) lines.push(`    no credential: ${entry}`);
  return lines;
}
