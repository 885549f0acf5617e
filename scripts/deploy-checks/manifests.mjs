// Reads every YAML document under k8s/ with the line of each field, so that a problem can be
// reported where it is.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';

export const KUSTOMIZATION = 'kustomization.yaml';

/** The YAML files of a directory, by name. */
export function yamlFiles(dir) {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
}

/**
 * Parses one file into `{ file, object, lineOf(path) }` per non-empty document, adding each
 * syntax error to `problems`. YAML 1.1 is what kubectl reads (`0440` is octal, `yes` a boolean),
 * so the checks see the values that the cluster would.
 */
export function readDocuments(dir, name, problems) {
  const text = readFileSync(join(dir, name), 'utf8');
  const lineCounter = new LineCounter();
  const file = `k8s/${name}`;
  const documents = [];
  for (const doc of parseAllDocuments(text, { version: '1.1', lineCounter })) {
    for (const error of [...doc.errors, ...doc.warnings]) {
      const { line } = lineCounter.linePos(error.pos[0]);
      problems.push(`${file}:${line}: YAML: ${error.message.split('\n')[0].replace(/:$/, '')}`);
    }
    if (doc.errors.length > 0 || doc.contents === null) continue;
    const object = doc.toJS();
    const lineOf = (path) => {
      // The line of the deepest node that exists on the path (a missing field has no line).
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true);
        if (node?.range) return lineCounter.linePos(node.range[0]).line;
      }
      return lineCounter.linePos(doc.contents.range[0]).line;
    };
    documents.push({ file, object, lineOf });
  }
  return documents;
}

/** `k8s/file.yaml:LINE Kind/name` for a problem at `path` inside a document. */
export function where(document, path = []) {
  const { kind = '?', metadata = {} } = document.object ?? {};
  return `${document.file}:${document.lineOf(path)} ${kind}/${metadata.name ?? '?'}`;
}

/** `spec.template.spec.containers[0].image` from `['spec', 'template', ..., 0, 'image']`. */
export function formatPath(path) {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i ? `.${key}` : key))
    .join('');
}
