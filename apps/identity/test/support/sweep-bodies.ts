import { randomUUID } from 'node:crypto';
import type { OpenAPIObject, OperationObject, SchemaObject } from '@nestjs/swagger';
import { uniqueEmail } from './accounts';

/** Strings that would change a query built by concatenation, one of them for 5 seconds. */
export const SQL_STRINGS = ["' OR 1=1 --", "'; SELECT pg_sleep(5); --"];
export const NUL_STRING = 'before\u0000after';

/** The JSON body schema of an operation (its first media type), resolved, if it takes a body. */
export function bodySchemaOf(
  document: OpenAPIObject,
  operation: OperationObject,
): SchemaObject | undefined {
  const body = operation.requestBody as { content?: Record<string, { schema?: any }> } | undefined;
  const ref: string | undefined = body?.content?.['application/json']?.schema?.$ref;
  if (!ref) return undefined;
  return document.components?.schemas?.[ref.split('/').pop() ?? ''] as SchemaObject;
}

/** A value the schema accepts where that is easy to tell, so that probes reach the handlers. */
function sampleOf(name: string, schema: SchemaObject): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'array') return [sampleOf(name, (schema.items ?? {}) as SchemaObject)];
  if (schema.type === 'integer' || schema.type === 'number') return schema.minimum ?? 1;
  if (schema.type === 'boolean') return false;
  if (schema.format === 'uuid') return randomUUID();
  if (name === 'email') return uniqueEmail('sweep');
  if (name === 'cidr') return '198.51.100.0/24';
  const candidates = ['sample', '123456', 'sample:read'];
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  return candidates.find((candidate) => !pattern || pattern.test(candidate)) ?? 'sample';
}

/** The required properties, each with a sample value. */
export function baseBodyOf(schema: SchemaObject): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  return Object.fromEntries(
    (schema.required ?? []).map((name) => [name, sampleOf(name, properties[name] ?? {})]),
  );
}

/** A value of the wrong JSON type for the property. */
export function wrongTypeFor(schema: SchemaObject): unknown {
  switch (schema.type) {
    case 'integer':
    case 'number':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'array':
      return 'not an array';
    case 'object':
      return 'not an object';
    default:
      return 12345;
  }
}

/**
 * The property names of every string field (and array of strings), with how to put a string in
 * it: `place('x')` is `'x'` or `['x']`.
 */
export function stringFieldsOf(schema: SchemaObject): [string, (value: string) => unknown][] {
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  return Object.entries(properties).flatMap(([name, property]) => {
    const items = property.items as SchemaObject | undefined;
    if (property.type === 'array' && items?.type === 'string') {
      return [[name, (value: string) => [value]] as [string, (value: string) => unknown]];
    }
    const strings = property.type === 'string' || (property.oneOf && !property.type);
    return strings
      ? [[name, (value: string) => value] as [string, (value: string) => unknown]]
      : [];
  });
}
