// Runs one of our nodes' execute() outside n8n, with the parameters and credentials a test
// gives. It stands in for n8n's IExecuteFunctions only as far as our nodes use it; the
// end-to-end suite runs the same nodes inside real n8n.
import type {
  IDataObject,
  IExecuteFunctions,
  INode,
  INodeExecutionData,
  INodeType,
  INodeProperties,
} from 'n8n-workflow';

export interface HarnessOptions {
  /** Node parameters, either one object for all items or one per item. */
  parameters: IDataObject | IDataObject[];
  /** Input items' json; defaults to one empty item. */
  items?: IDataObject[];
  /** Credential data by credential type name. */
  credentials?: Record<string, IDataObject>;
  continueOnFail?: boolean;
  /** Extra helpers (e.g. httpRequestWithAuthentication) merged into this.helpers. */
  helpers?: Record<string, unknown>;
  /** The node's type version, as a saved workflow names it; default 1. */
  typeVersion?: number;
  /** More of n8n's execute functions (e.g. getParentNodes, getWorkflowDataProxy), as the test plays them. */
  context?: Record<string, unknown>;
}

function defaultFor(properties: INodeProperties[], name: string): unknown {
  const property = properties.find((p) => p.name === name);
  if (!property) throw new Error(`Node has no parameter "${name}"`);
  return property.default;
}

function pick(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    current = (current as IDataObject)[key];
  }
  return current;
}

export async function runNode(node: INodeType, options: HarnessOptions): Promise<INodeExecutionData[][]> {
  // Each item pairs with the item of the same index before it, as most n8n nodes leave them.
  const items = (options.items ?? [{}]).map((json, item) => ({ json, pairedItem: { item } }));
  const nodeInfo: INode = {
    id: 'test-node',
    name: node.description.displayName,
    type: node.description.name,
    typeVersion: options.typeVersion ?? 1,
    position: [0, 0],
    parameters: {},
    // The credentials selected on the node, as n8n lists them on the node itself.
    credentials: Object.fromEntries(Object.keys(options.credentials ?? {}).map((type) => [type, { id: `${type}-id`, name: type }])),
  };
  const ctx = {
    getInputData: () => items,
    getNode: () => nodeInfo,
    continueOnFail: () => options.continueOnFail ?? false,
    getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
      const params = Array.isArray(options.parameters) ? options.parameters[itemIndex] : options.parameters;
      const [head, ...rest] = name.split('.');
      const value = head in params ? params[head] : defaultFor(node.description.properties, head);
      const found = rest.length ? pick(value, rest) : value;
      if (found === undefined) {
        if (fallback !== undefined) return fallback;
        throw new Error(`Could not get parameter "${name}"`);
      }
      return found;
    },
    getCredentials: async (type: string) => {
      const data = options.credentials?.[type];
      if (!data) throw new Error(`Node does not have credentials of type "${type}"`);
      return data;
    },
    getWorkflow: () => ({ id: 'test-workflow', name: 'test', active: false }),
    getExecutionId: () => 'test-execution',
    helpers: {
      returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
      ...options.helpers,
    },
    ...options.context,
  } as unknown as IExecuteFunctions;
  return (await node.execute!.call(ctx)) as INodeExecutionData[][];
}
