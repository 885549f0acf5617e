// Validates each object against the Kubernetes OpenAPI schema of its apiVersion and kind, as
// compiled (offline) into the `kubernetes-models` package: types, required fields, enums,
// formats. Unknown fields are unknown-fields.mjs's job, since these schemas allow them.
import { formatPath, where } from './manifests.mjs';

const API_VERSION = /^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** The `kubernetes-models` module of an object's type, e.g. `kubernetes-models/apps/v1/Deployment`. */
export function modelModule(object) {
  const { apiVersion, kind } = object ?? {};
  if (typeof apiVersion !== 'string' || !API_VERSION.test(apiVersion)) return undefined;
  if (typeof kind !== 'string' || !KIND.test(kind)) return undefined;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** "/spec/replicas must be integer" → path ['spec', 'replicas'] and the message. */
function splitError(text) {
  const match = /^data(\S*) (.*)$/.exec(text.trim());
  if (!match) return { path: [], message: text.trim() };
  const path = match[1]
    .split('/')
    .filter(Boolean)
    .map((key) => (/^\d+$/.test(key) ? Number(key) : key.replace(/~1/g, '/').replace(/~0/g, '~')));
  return { path, message: `${formatPath(path) || '(document)'} ${match[2]}` };
}

export async function checkSchemas(documents, problems) {
  for (const document of documents) {
    const module = modelModule(document.object);
    if (!module) {
      problems.push(`${where(document)}: apiVersion and kind must name a Kubernetes type`);
      continue;
    }
    let Model;
    try {
      Model = (await import(module))[document.object.kind];
    } catch {
      Model = undefined;
    }
    if (typeof Model !== 'function') {
      problems.push(
        `${where(document)}: no schema for ${document.object.apiVersion} ${document.object.kind}`,
      );
      continue;
    }
    try {
      new Model(document.object).validate();
    } catch (error) {
      // The validator joins every failure of the document into one message.
      for (const part of String(error?.message ?? error).split(/, (?=data)/)) {
        const { path, message } = splitError(part);
        problems.push(`${where(document, path)}: schema: ${message}`);
      }
    }
  }
}
