// One operation of a node, described and executed from one file. The node's Operation options,
// its fields (shown only for their operation) and its router are all derived from a list of
// these, so an operation is added by writing its file and listing it once.
import type { ExpressionString, IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { Store } from '../shared/store/db';
import { forOperation } from './description';

/** An item an operation with several outputs sends to one of them (an index into its `outputs`). */
export class ToOutput {
  constructor(
    readonly output: number,
    readonly json: IDataObject,
  ) {}
}

export type OperationOutput = Promise<IDataObject | IDataObject[] | ToOutput | ToOutput[]>;

interface OperationDescription {
  /** The stable value saved in workflows ("operation": "claim"); never renamed. */
  value: string;
  /** The label in the Operation dropdown. */
  name: string;
  /** The label n8n shows in the node panel's action list and for AI tools. */
  action: string;
  description: string;
  /** The fields shown for this operation, in order; their displayOptions get `operation: [value]`. */
  properties: INodeProperties[];
  /** The names of its outputs when it has more than one; its items then say where they go (ToOutput). */
  outputs?: readonly string[];
}

/** An operation that never touches the database says so (needsStore: false) and gets no store. */
export type Operation = OperationDescription &
  (
    | { needsStore: true; execute(this: IExecuteFunctions, itemIndex: number, store: Store): OperationOutput }
    | { needsStore: false; execute(this: IExecuteFunctions, itemIndex: number): OperationOutput }
  );

/** The Operation dropdown: one option per operation, in the list's order. */
export function operationProperty(operations: readonly Operation[], defaultValue: string): INodeProperties {
  if (!operations.some((operation) => operation.value === defaultValue)) throw new Error(`The default operation "${defaultValue}" is not in the list`);
  const options: INodePropertyOptions[] = operations.map(({ name, value, action, description }) => ({ name, value, action, description }));
  return { displayName: 'Operation', name: 'operation', type: 'options', noDataExpression: true, options, default: defaultValue };
}

/** Every operation's fields, each shown only when its operation is selected. */
export function operationFields(operations: readonly Operation[]): INodeProperties[] {
  return operations.flatMap((operation) => forOperation(operation.value, operation.properties));
}

/** The operations by value, refusing two with the same value (the second would never run). */
export function operationsByValue(operations: readonly Operation[]): ReadonlyMap<string, Operation> {
  const byValue = new Map<string, Operation>();
  for (const operation of operations) {
    if (byValue.has(operation.value)) throw new Error(`Two operations have the value "${operation.value}"`);
    byValue.set(operation.value, operation);
  }
  return byValue;
}

/**
 * The node's `outputs`: one, or the named outputs of the selected operation. It is an expression:
 * the editor evaluates it, and n8n does too when running the node if an expression in the node's
 * parameters reads `$('…').item` or the node has an error output. A node with it should have
 * neither on its hot path (the Command Router has none), or every run pays an evaluation.
 */
export function operationOutputs(operations: readonly Operation[]): ExpressionString {
  const named = Object.fromEntries(
    operations.filter((operation) => operation.outputs).map((operation) => [operation.value, operation.outputs!.map((displayName) => ({ type: 'main', displayName }))]),
  );
  return `={{ (${JSON.stringify(named)})[$parameter.operation] ?? ["main"] }}`;
}
