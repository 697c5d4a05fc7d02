// Checks a parsed reply against the same schema object we sent as structured output.
// Gemini usually honours the schema, but not always (older models, truncated output,
// a proxy in between), so nothing from the model is trusted before this runs.
import type { SchemaNode } from './schemas';

/** Returns one readable line per violation; an empty list means the value conforms. */
export function validateAgainstSchema(value: unknown, schema: SchemaNode, path = '$'): string[] {
  if (value === null || value === undefined) {
    return schema.nullable && value === null ? [] : [`${path} is required`];
  }
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return [`${path} must be a string`];
      if (schema.enum && !schema.enum.includes(value)) return [`${path} must be one of ${schema.enum.join(', ')}`];
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        return [`${path} must be at most ${schema.maxLength} characters (got ${value.length})`];
      }
      return [];
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${path} must be a number`];
      if (schema.minimum !== undefined && value < schema.minimum) return [`${path} must be ≥ ${schema.minimum}`];
      if (schema.maximum !== undefined && value > schema.maximum) return [`${path} must be ≤ ${schema.maximum}`];
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path} must be true or false`];
    case 'array': {
      if (!Array.isArray(value)) return [`${path} must be an array`];
      const errors: string[] = [];
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        errors.push(`${path} must have at most ${schema.maxItems} items (got ${value.length})`);
      }
      value.forEach((item, index) => errors.push(...validateAgainstSchema(item, schema.items, `${path}[${index}]`)));
      return errors;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path} must be an object`];
      const record = value as Record<string, unknown>;
      const errors: string[] = [];
      for (const key of schema.required ?? []) {
        if (!(key in record)) errors.push(`${path}.${key} is required`);
      }
      for (const [key, child] of Object.entries(schema.properties)) {
        if (key in record) errors.push(...validateAgainstSchema(record[key], child, `${path}.${key}`));
      }
      return errors;
    }
  }
}
