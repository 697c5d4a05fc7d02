// What `setup` sends to n8n for each workflow, worked out without touching n8n: fresh ids for a
// first install, the user's settings and ids carried over for an upgrade, and the references
// between the workflows rewired to the ids n8n gave them. Pure, so it is unit-tested.
import { randomUUID } from 'node:crypto';

export interface WorkflowNode {
  id?: string;
  name: string;
  type: string;
  typeVersion?: number;
  position?: number[];
  parameters?: Record<string, unknown>;
  credentials?: Record<string, { id: string | null; name: string }>;
  webhookId?: string;
  [other: string]: unknown;
}

/** A workflow as the shipped files hold it, or as n8n's public API returns it. */
export interface WorkflowDefinition {
  id?: string;
  name: string;
  description?: string | null;
  nodes: WorkflowNode[];
  connections: Record<string, unknown>;
  settings?: Record<string, unknown> | null;
  active?: boolean;
  isArchived?: boolean;
  [other: string]: unknown;
}

export interface CredentialSummary {
  id: string;
  name: string;
  type: string;
}

/** What the user can choose on the command line; anything left out is kept from the installed workflows. */
export interface UserSettings {
  /** Telegram user ids allowed to use the bot (comma-separated, as the trigger stores them). */
  allowedUserIds?: string;
  /** Telegram chat id that gets error alerts and the health summary. */
  ownerChatId?: string;
  /** Time zone new users start with (IANA name). */
  defaultTimezone?: string;
  /** Credential id to use per credential type (e.g. telegramApi → "abc123"). */
  credentials?: Record<string, string>;
}

/** The body for n8n's public API (create, or update with `description`). */
export interface WorkflowBody {
  name: string;
  description: string;
  nodes: WorkflowNode[];
  connections: Record<string, unknown>;
  settings: Record<string, unknown>;
}

export interface WorkflowChanges {
  added: string[];
  removed: string[];
  /** Settings carried over from the installed workflow ("allowlist 424242 (Telegram Trigger)"). */
  kept: string[];
  /** Settings taken from the command line. */
  set: string[];
  /** Settings still empty that the assistant needs. */
  unset: string[];
  /** Nodes whose credential does not exist in n8n ("Telegram Trigger: telegramApi"). */
  missingCredentials: string[];
  credentialsKept: number;
  /** Nodes that still had the id printed in the shipped file (e.g. from `n8n import:workflow`): they get a random one. */
  replacedPublicIds: string[];
}

export const PACKAGE_NAME = 'n8n-nodes-draft-assistant';
const MARKER = new RegExp(`\\[${PACKAGE_NAME}:([A-Za-z0-9_-]+)\\]`);

/** The description setup gives each workflow; its bracketed marker is how a later run finds it again. */
export function markerDescription(shippedId: string): string {
  return `Part of the Draft Assistant. Installed and upgraded by \`npx ${PACKAGE_NAME} setup\`, which finds it by this marker: [${PACKAGE_NAME}:${shippedId}]`;
}

/**
 * Names a shipped workflow had in earlier versions, by shipped id ("Operations" was F's file
 * before it became O). Setup finds a manual import by them too, and gives a workflow that still
 * has one the current name; a name the user chose is kept.
 */
export const FORMER_NAMES: Readonly<Record<string, readonly string[]>> = {
  draftAssistantOps: ['Draft Assistant · Operations'],
};

/** The names by which an unmarked workflow is taken for this shipped one: its own, then its former ones. */
export function namesOf(shipped: Pick<WorkflowDefinition, 'id' | 'name'>): string[] {
  return [shipped.name, ...(FORMER_NAMES[shipped.id as string] ?? [])];
}

export function markerOf(description: string | null | undefined): string | undefined {
  return description ? MARKER.exec(description)?.[1] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const EXECUTE_WORKFLOW = 'n8n-nodes-base.executeWorkflow';
/** Node types with a webhook: each installation gets its own webhookId (the webhook's URL path). */
const WEBHOOK_NODE_TYPES = new Set(['n8n-nodes-base.telegramTrigger']);

/** Whether the workflow has a webhook trigger (outside events come in through it). */
export function receivesEvents(workflow: Pick<WorkflowDefinition, 'nodes'>): boolean {
  return workflow.nodes.some((node) => WEBHOOK_NODE_TYPES.has(node.type));
}

/** Shipped ids this workflow refers to: sub-workflows it calls and its error workflow. */
export function referencedIds(workflow: WorkflowDefinition): string[] {
  const ids = new Set<string>();
  const errorWorkflow = workflow.settings?.errorWorkflow;
  if (typeof errorWorkflow === 'string' && errorWorkflow) ids.add(errorWorkflow);
  for (const node of workflow.nodes) {
    const reference = node.type === EXECUTE_WORKFLOW ? node.parameters?.workflowId : undefined;
    if (isRecord(reference) && typeof reference.value === 'string') ids.add(reference.value);
  }
  return [...ids];
}

/** The shipped workflows in an order where every workflow comes after the ones it refers to (n8n publishes them in that order). */
export function installOrder(shipped: WorkflowDefinition[]): WorkflowDefinition[] {
  const byId = new Map(shipped.map((workflow) => [workflow.id as string, workflow]));
  const ordered: WorkflowDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (workflow: WorkflowDefinition, path: string[]) => {
    const id = workflow.id as string;
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`the workflows refer to each other in a cycle: ${[...path, id].join(' → ')}`);
    state.set(id, 'visiting');
    for (const reference of referencedIds(workflow)) {
      const target = byId.get(reference);
      if (target) visit(target, [...path, id]);
    }
    state.set(id, 'done');
    ordered.push(workflow);
  };
  // Workflows that receive outside events (a webhook) go live last, once everything they call is
  // live; alphabetical otherwise, so the order is the same on every run.
  const rank = (workflow: WorkflowDefinition) => (receivesEvents(workflow) ? 1 : 0);
  const starts = [...shipped].sort((a, b) => rank(a) - rank(b) || String(a.id).localeCompare(String(b.id)));
  for (const workflow of starts) visit(workflow, []);
  return ordered;
}

/** A setting the user makes on the canvas, which an upgrade must keep. */
interface UserSetting {
  label: string;
  option: 'allowedUserIds' | 'ownerChatId' | 'defaultTimezone';
  /** The setting's home in a node, or undefined when this node does not hold it. */
  locate(node: WorkflowNode): { get(): string; set(value: string): void } | undefined;
}

const USER_SETTINGS: UserSetting[] = [
  {
    label: 'allowlist',
    option: 'allowedUserIds',
    locate(node) {
      if (node.type !== 'n8n-nodes-base.telegramTrigger') return undefined;
      const parameters = (node.parameters ??= {});
      const fields = isRecord(parameters.additionalFields) ? parameters.additionalFields : (parameters.additionalFields = {});
      return { get: () => String(fields.userIds ?? '').trim(), set: (value) => (fields.userIds = value) };
    },
  },
  {
    label: 'owner chat id',
    option: 'ownerChatId',
    locate(node) {
      if (node.type !== 'n8n-nodes-base.set' || node.name !== 'Owner') return undefined;
      const assignments = (node.parameters?.assignments as { assignments?: { name: string; value: unknown }[] } | undefined)?.assignments;
      const chatId = assignments?.find((assignment) => assignment.name === 'chatId');
      if (!chatId) return undefined;
      return { get: () => String(chatId.value ?? '').trim(), set: (value) => (chatId.value = value) };
    },
  },
  {
    label: 'default time zone',
    option: 'defaultTimezone',
    locate(node) {
      const options = node.parameters?.contextOptions;
      if (!node.type.endsWith('.draftStore') || !isRecord(options) || !('defaultTimezone' in options)) return undefined;
      return { get: () => String(options.defaultTimezone ?? '').trim(), set: (value) => (options.defaultTimezone = value) };
    },
  },
];

/** Settings whose absence makes the assistant refuse to work or stay silent. */
const REQUIRED = new Set<UserSetting['option']>(['allowedUserIds', 'ownerChatId']);

/** Workflow settings n8n's public API accepts that a user may have changed; setup keeps them. */
const KEPT_WORKFLOW_SETTINGS = [
  'timezone',
  'saveExecutionProgress',
  'saveManualExecutions',
  'saveDataErrorExecution',
  'saveDataSuccessExecution',
  'executionTimeout',
  'callerPolicy',
  'callerIds',
];

export interface PlanContext {
  /** Shipped id → the installed workflow's id and name, for every workflow this one may refer to. */
  installed: Record<string, { id: string; name: string }>;
  settings: UserSettings;
  /** The credentials in n8n; undefined when the API key may not list them. */
  availableCredentials?: CredentialSummary[];
  newId?: () => string;
}

/**
 * The workflow to send for one shipped workflow: fresh ids when `existing` is undefined, else the
 * shipped nodes with the existing workflow's node ids, webhookIds, credentials and user settings.
 */
export function planWorkflow(
  shipped: WorkflowDefinition,
  existing: WorkflowDefinition | undefined,
  context: PlanContext,
): { body: WorkflowBody; changes: WorkflowChanges } {
  const newId = context.newId ?? randomUUID;
  const changes: WorkflowChanges = { added: [], removed: [], kept: [], set: [], unset: [], missingCredentials: [], credentialsKept: 0, replacedPublicIds: [] };
  const existingByName = new Map((existing?.nodes ?? []).map((node) => [node.name, node]));
  const shippedNames = new Set(shipped.nodes.map((node) => node.name));
  const settings = context.settings;
  // An owner not set yet defaults to the first person on the allowlist.
  const firstAllowed = settings.allowedUserIds?.split(',')[0].trim() || undefined;

  const nodes = shipped.nodes.map((shippedNode) => {
    const node = structuredClone(shippedNode);
    const previous = existingByName.get(node.name);
    if (existing && !previous) changes.added.push(node.name);
    // An id everybody can read in the shipped file would make the webhook secret public: replace it.
    const publicId = previous?.id !== undefined && previous.id === shippedNode.id;
    if (publicId) changes.replacedPublicIds.push(node.name);
    node.id = previous?.id && !publicId ? previous.id : newId();
    if (previous?.webhookId && !publicId) node.webhookId = previous.webhookId;
    else if (node.webhookId !== undefined || WEBHOOK_NODE_TYPES.has(node.type)) node.webhookId = newId();

    for (const setting of USER_SETTINGS) {
      const target = setting.locate(node);
      if (!target) continue;
      const before = previous ? setting.locate(structuredClone(previous))?.get() : undefined;
      const option = settings[setting.option] ?? (setting.option === 'ownerChatId' && !before ? firstAllowed : undefined);
      if (option !== undefined) {
        target.set(option);
        changes.set.push(`${setting.label} ${option || '(empty)'} (${node.name})`);
      } else if (before) {
        target.set(before);
        changes.kept.push(`${setting.label} ${before} (${node.name})`);
      }
      if (REQUIRED.has(setting.option) && !target.get()) changes.unset.push(`${setting.label} (${node.name})`);
    }

    rewireReference(node, context.installed);
    if (node.credentials) node.credentials = chooseCredentials(node, previous, context, changes);
    return node;
  });
  for (const name of existingByName.keys()) if (!shippedNames.has(name)) changes.removed.push(name);

  const workflowSettings: Record<string, unknown> = {};
  for (const key of KEPT_WORKFLOW_SETTINGS) if (existing?.settings?.[key] !== undefined) workflowSettings[key] = existing.settings[key];
  Object.assign(workflowSettings, shipped.settings ?? {});
  const errorWorkflow = workflowSettings.errorWorkflow;
  if (typeof errorWorkflow === 'string') {
    if (context.installed[errorWorkflow]) workflowSettings.errorWorkflow = context.installed[errorWorkflow].id;
    else delete workflowSettings.errorWorkflow;
  }

  return {
    body: {
      // A user's rename is kept (the marker in the description finds the workflow anyway); a
      // name an earlier version shipped becomes the current one.
      name: existing && !namesOf(shipped).includes(existing.name) ? existing.name : shipped.name,
      description: markerDescription(shipped.id as string),
      nodes,
      connections: structuredClone(shipped.connections),
      settings: workflowSettings,
    },
    changes,
  };
}

function rewireReference(node: WorkflowNode, installed: PlanContext['installed']): void {
  if (node.type !== EXECUTE_WORKFLOW) return;
  const reference = node.parameters?.workflowId;
  if (!isRecord(reference) || typeof reference.value !== 'string') return;
  const target = installed[reference.value];
  if (!target) throw new Error(`"${node.name}" calls workflow ${reference.value}, which is not being installed`);
  reference.value = target.id;
  reference.cachedResultName = target.name;
  reference.cachedResultUrl = `/workflow/${target.id}`;
}

function chooseCredentials(
  node: WorkflowNode,
  previous: WorkflowNode | undefined,
  context: PlanContext,
  changes: WorkflowChanges,
): Record<string, { id: string | null; name: string }> {
  const chosen: Record<string, { id: string | null; name: string }> = {};
  const available = context.availableCredentials;
  for (const [type, shippedReference] of Object.entries(node.credentials ?? {})) {
    const ofType = available?.filter((credential) => credential.type === type) ?? [];
    const requested = context.settings.credentials?.[type];
    const kept = previous?.credentials?.[type];
    let reference = shippedReference;
    if (requested !== undefined) {
      const found = available?.find((credential) => credential.id === requested);
      if (available && !found) throw new Error(`--credential ${type}=${requested}: n8n has no credential with that id`);
      if (found && found.type !== type) throw new Error(`--credential ${type}=${requested}: that credential is a ${found.type}, not a ${type}`);
      reference = { id: requested, name: found?.name ?? shippedReference.name };
    } else if (kept?.id) {
      reference = kept;
      changes.credentialsKept += 1;
    } else if (!ofType.some((credential) => credential.id === shippedReference.id)) {
      // Nothing chosen yet: one credential of the type, or the one named as ours, is the obvious choice.
      const only = ofType.length === 1 ? ofType[0] : ofType.find((credential) => credential.name === shippedReference.name);
      if (only) reference = { id: only.id, name: only.name };
    }
    if (available && !available.some((credential) => credential.id === reference.id)) changes.missingCredentials.push(`${node.name}: ${type}`);
    chosen[type] = reference;
  }
  return chosen;
}
