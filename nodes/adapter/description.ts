import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** Shows an operation's fields only when that operation is selected. */
export function forOperation(operation: string, fields: INodeProperties[]): INodeProperties[] {
  return fields.map((field) => ({
    ...field,
    displayOptions: { ...field.displayOptions, show: { ...field.displayOptions?.show, operation: [operation] } },
  }));
}

/** Core results are plain objects; n8n items want IDataObject. */
export function asItem<T extends object>(value: T): IDataObject {
  return value as unknown as IDataObject;
}
