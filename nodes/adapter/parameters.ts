// Our nodes' parameters that only read a field of an item are resolved here, without n8n's
// expression engine. Each expression n8n evaluates crosses into its sandbox (an isolate with the
// default 'vm' engine), about 1–2.5 ms of CPU each on a busy 2-core machine against ~0.05 ms for
// the same read here (bench/expressions.bench.ts); Workflow A–D evaluate ~25 of these per message.
//
// Only these exact shapes qualify, read through n8n's own data proxy (the object the sandbox
// reads through), so the value is the one n8n would give:
//   ={{ $json }}  ={{ $json.a.b }}  ={{ $('Node Name').item.json.a.b }}
//   the same followed by ?? or || and a literal ('text', a number, true, false, null)
// Anything else, a value that is missing (undefined or null, without a ?? or || literal) or a read
// that fails goes to n8n's getNodeParameter unchanged, so its errors, defaults and messages stay
// n8n's. In an Options collection each expression is resolved on its own (n8n's, by its dotted
// path). None of our node parameters declares validateType, so n8n coerces nothing that this skips.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

const FIELD_READ = /^=\{\{\s*(?:\$json|\$\('([^'\\]+)'\)\.item\.json)((?:\.[A-Za-z_$][\w$]*)*)(?:\s*(\?\?|\|\|)\s*('[^'\\]*'|-?\d+(?:\.\d+)?|true|false|null))?\s*\}\}$/;

function literal(text: string): string | number | boolean | null {
  if (text.startsWith("'")) return text.slice(1, -1);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  return Number(text);
}

/** Why a read was not done here: n8n resolves the parameter instead. */
const NOT_NATIVE = Symbol('not native');

type GetNodeParameter = IExecuteFunctions['getNodeParameter'];
type DataProxy = ReturnType<IExecuteFunctions['getWorkflowDataProxy']>;

/** The item field a `={{ … }}` parameter reads, or NOT_NATIVE. */
function readField(ctx: IExecuteFunctions, expression: string, itemIndex: number, proxies: Map<number, DataProxy>): unknown {
  const match = FIELD_READ.exec(expression);
  if (!match) return NOT_NATIVE;
  const [, nodeName, path, operator, fallbackText] = match;
  let value: unknown;
  try {
    let proxy = proxies.get(itemIndex);
    if (!proxy) proxies.set(itemIndex, (proxy = ctx.getWorkflowDataProxy(itemIndex)));
    value = nodeName === undefined ? proxy.$json : (proxy.$(nodeName) as { item?: { json?: unknown } }).item?.json;
    for (const key of path ? path.slice(1).split('.') : []) {
      if (value === null || typeof value !== 'object') return NOT_NATIVE;
      // Own fields only: nothing reaches a prototype (__proto__, constructor) this way.
      value = Object.hasOwn(value, key) ? (value as IDataObject)[key] : undefined;
    }
  } catch {
    return NOT_NATIVE;
  }
  if (operator === '??' && (value === undefined || value === null)) return literal(fallbackText);
  if (operator === '||' && !value) return literal(fallbackText);
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

/**
 * A flat collection (Options): field reads resolved here, any other expression by n8n on its own
 * (its dotted path, which n8n resolves exactly as within the whole collection unless it refers to
 * a sibling through $parameter); NOT_NATIVE when nothing would be saved or a value is nested.
 */
function readCollection(ctx: IExecuteFunctions, name: string, raw: IDataObject, itemIndex: number, proxies: Map<number, DataProxy>, n8nGetNodeParameter: GetNodeParameter): unknown {
  const entries = Object.entries(raw);
  if (entries.some(([, value]) => value !== null && typeof value === 'object')) return NOT_NATIVE;
  if (entries.some(([, value]) => typeof value === 'string' && value.includes('$parameter'))) return NOT_NATIVE;
  const reads = entries.map(([key, value]) => [key, typeof value === 'string' && value.startsWith('=') ? readField(ctx, value, itemIndex, proxies) : value] as const);
  if (!reads.some(([key, read]) => read !== NOT_NATIVE && typeof raw[key] === 'string' && (raw[key] as string).startsWith('='))) return NOT_NATIVE;
  const resolved: IDataObject = {};
  for (const [key, read] of reads) {
    resolved[key] = (read === NOT_NATIVE ? n8nGetNodeParameter(`${name}.${key}`, itemIndex) : read) as IDataObject[string];
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
  // One data proxy per item for the node's run: the data it reads does not change meanwhile.
  const proxies = new Map<number, DataProxy>();
  const getNodeParameter = ((name: string, itemIndex: number, fallback?: unknown, options?: unknown) => {
    if (options === undefined) {
      const raw = rawParameter(ctx, name);
      let read: unknown = NOT_NATIVE;
      if (typeof raw === 'string' && raw.startsWith('=')) read = readField(ctx, raw, itemIndex, proxies);
      else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && Object.values(raw).some((v) => typeof v === 'string' && v.startsWith('='))) {
        read = readCollection(ctx, name, raw as IDataObject, itemIndex, proxies, n8nGetNodeParameter);
      }
      if (read !== NOT_NATIVE) return read;
    }
    return (n8nGetNodeParameter as (...args: unknown[]) => unknown)(name, itemIndex, fallback, options);
  }) as GetNodeParameter;
  return Object.create(ctx, { getNodeParameter: { value: getNodeParameter } }) as IExecuteFunctions;
}
