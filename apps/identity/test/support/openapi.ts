import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import type { Client } from './http';

export const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** One operation of the served document: `method` in upper case, `path` as OpenAPI writes it. */
export interface DocumentedOperation {
  method: string;
  path: string;
  operation: OperationObject;
}

/** The document the app serves at /docs-json, failing the test when it is not there. */
export async function servedDocument(api: Client): Promise<OpenAPIObject> {
  const reply = await api.get<OpenAPIObject>('/docs-json');
  if (reply.status !== 200) throw new Error(`/docs-json answered ${reply.status}`);
  return reply.body;
}

export function operationsOf(document: OpenAPIObject): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    OPERATION_METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ method: method.toUpperCase(), path, operation }] : [];
    }),
  );
}

/** The path with every `{param}` replaced by `value` (URL-encoded). */
export function concretePath(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

export function isBearerOperation(operation: OperationObject): boolean {
  return (operation.security ?? []).some((requirement) => 'bearerAuth' in requirement);
}
