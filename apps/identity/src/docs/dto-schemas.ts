import type { ParameterObject, SchemaObject } from '@nestjs/swagger';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

// class-transformer publishes its metadata storage only under cjs/, without type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/**
 * The JSON schema of every class that carries class-validator rules (the DTOs), keyed by class
 * name, read from the same metadata the validation pipe enforces so that the two cannot drift.
 * The pipe refuses unknown fields, so every object schema says `additionalProperties: false`.
 */
export function dtoSchemas(): Record<string, SchemaObject> {
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: SCHEMA_REF_PREFIX,
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: {
      // Its default, `not: {type: 'null'}`, is not OpenAPI 3.0; being required says it already.
      [ValidationTypes.IS_DEFINED]: {},
    },
  }) as Record<string, SchemaObject>;
  for (const schema of Object.values(schemas)) schema.additionalProperties = false;
  return schemas;
}

/** The query parameters a query DTO's schema describes, one per property. */
export function queryParametersOf(schema: SchemaObject): ParameterObject[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
  }));
}
