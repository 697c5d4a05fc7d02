// Our nodes' parameters that only read a field of an item are resolved here, without n8n's
// expression engine. Each expression n8n evaluates crosses into its sandbox (an isolate with the
// default 'vm' engine), about 1–2.5 ms of CPU each on a busy 2-core machine against ~0.05 ms for
// the same read here (bench/expressions.bench.ts); Workflow A–D evaluate ~25 of these per message.
//
// Only two exact shapes qualify, and both are read through n8n's own data proxy (the object the
// sandbox reads through), so the value is the one n8n would give:
//   ={{ $json }}  ={{ $json.a.b }}  ={{ $('Node Name').item.json.a.b }}
// Anything else, a value that is missing (undefined or null) or a read that fails goes to n8n's
// getNodeParameter unchanged, so its errors, defaults and messages stay n8n's. None of our node
// parameters declares validateType, so n8n applies no type coercion that this would skip.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

const FIELD_READ = /^=\{\{\s*(?:\$json|\$\('([^'\\]+)'\)\.item\.json)((?:\.[A-Za-z_$][\w$]*)*)\s*\}\}$/;

/** Why a read was not done here: n8n resolves the parameter instead. */
const NOT_NATIVE = Symbol('not native');

type GetNodeParameter = IExecuteFunctions['getNodeParameter'];

/** The item field a `={{ … }}` parameter reads, or NOT_NATIVE. */
function readField(ctx: IExecuteFunctions, expression: string, itemIndex: number): unknown {
  const match = FIELD_READ.exec(expression);
  if (!match) return NOT_NATIVE;
  const [, nodeName, path] = match;
  let value: unknown;
  try {
    const proxy = ctx.getWorkflowDataProxy(itemIndex);
    value = nodeName === undefined ? proxy.$json : (proxy.$(nodeName) as { item?: { json?: unknown } }).item?.json;
    for (const key of path ? path.slice(1).split('.') : []) {
      if (value === null || typeof value !== 'object') return NOT_NATIVE;
      value = (value as IDataObject)[key];
    }
  } catch {
    return NOT_NATIVE;
  }
  if (value === undefined || value === null) return NOT_NATIVE;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'object') return NOT_NATIVE;
  // n8n hands out a copy (the sandbox's result), never the item itself.
  try {
    return structuredClone(value);
  } catch {
    return NOT_NATIVE;
  }
}

/** A flat collection (Options) whose expressions are all field reads, resolved here; else NOT_NATIVE. */
function readCollection(ctx: IExecuteFunctions, raw: IDataObject, itemIndex: number): unknown {
  const resolved: IDataObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' && value.startsWith('=')) {
      const read = readField(ctx, value, itemIndex);
      if (read === NOT_NATIVE) return NOT_NATIVE;
      resolved[key] = read as IDataObject[string];
    } else if (value === null || typeof value !== 'object') {
      resolved[key] = value;
    } else {
      return NOT_NATIVE;
    }
  }
  return resolved;
}

function rawParameter(ctx: IExecuteFunctions, name: string): unknown {
  // Top-level names only: a dotted path ("options.chatId") is left to n8n.
  if (name.includes('.')) return undefined;
  const parameters = ctx.getNode().parameters as IDataObject | undefined;
  return parameters && Object.hasOwn(parameters, name) ? parameters[name] : undefined;
}

/**
 * The node's context with getNodeParameter resolving field reads itself (see above). Everything
 * else on the context is n8n's own.
 */
export function withNativeFieldReads(ctx: IExecuteFunctions): IExecuteFunctions {
  const n8nGetNodeParameter = ctx.getNodeParameter.bind(ctx) as GetNodeParameter;
  const getNodeParameter = ((name: string, itemIndex: number, fallback?: unknown, options?: unknown) => {
    if (options === undefined) {
      const raw = rawParameter(ctx, name);
      let read: unknown = NOT_NATIVE;
      if (typeof raw === 'string' && raw.startsWith('=')) read = readField(ctx, raw, itemIndex);
      else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && Object.values(raw).some((v) => typeof v === 'string' && v.startsWith('='))) {
        read = readCollection(ctx, raw as IDataObject, itemIndex);
      }
      if (read !== NOT_NATIVE) return read;
    }
    return (n8nGetNodeParameter as (...args: unknown[]) => unknown)(name, itemIndex, fallback, options);
  }) as GetNodeParameter;
  return Object.create(ctx, { getNodeParameter: { value: getNodeParameter } }) as IExecuteFunctions;
}
