// Finds fields that Kubernetes does not know (`securityContex`, `readinessProbe.httpGet.paht`).
// The OpenAPI schemas accept them, and kubectl's strict validation refuses them only at apply
// time; a typo in a security setting would otherwise pass every other check. The field names
// come from the TypeScript declarations that `kubernetes-models` generates from those schemas,
// read through the TypeScript compiler the project already has.
import { join } from 'node:path';
import ts from 'typescript';
import { modelModule } from './kubernetes-schema.mjs';
import { formatPath, where } from './manifests.mjs';

// The few global types the declarations need; the real lib files would only slow the check.
const MINIMAL_LIB =
  'interface Array<T> { length: number; [n: number]: T }\n' +
  'interface Boolean {} interface Function {} interface CallableFunction {}\n' +
  'interface NewableFunction {} interface IArguments {} interface Number {}\n' +
  'interface Object {} interface RegExp {} interface String {}\n';

/** The TypeScript type of each module's `I<Kind>` interface, by module name. */
function loadTypes(root, modules) {
  // Virtual files under the project root, so that imports resolve from its node_modules.
  const dir = join(root, '.deploy-check');
  const virtual = new Map([
    [join(dir, 'lib.d.ts'), MINIMAL_LIB],
    [
      join(dir, 'types.ts'),
      modules
        .map(
          (m, i) =>
            `import type { I${m.split('/').pop()} as T${i} } from '${m}';\nexport type E${i} = T${i};\n`,
        )
        .join(''),
    ],
  ]);
  const options = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noLib: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, ...rest) =>
    virtual.has(f)
      ? ts.createSourceFile(f, virtual.get(f), language)
      : getSourceFile.call(host, f, language, ...rest);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const checker = program.getTypeChecker();
  const exports = checker.getExportsOfModule(
    checker.getSymbolAtLocation(program.getSourceFile(join(dir, 'types.ts'))),
  );
  const types = new Map();
  modules.forEach((m, i) => {
    const symbol = exports.find((s) => s.name === `E${i}`);
    const type = symbol && checker.getDeclaredTypeOfSymbol(symbol);
    // An unresolved import gives `any`, which would accept everything: only keep real types.
    if (type && checker.getPropertyOfType(type, 'kind')) types.set(m, type);
  });
  return { checker, types };
}

function unknownFields(checker, value, type, path, found) {
  if (value === null || typeof value !== 'object') return;
  const nonNull = checker.getNonNullableType(type);
  if (nonNull.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  const parts = nonNull.isUnion() ? nonNull.types : [nonNull];
  if (Array.isArray(value)) {
    const element = parts
      .map((t) => checker.getIndexTypeOfType(t, ts.IndexKind.Number))
      .find(Boolean);
    if (!element) return; // A list where none belongs: the schema check reports it.
    value.forEach((item, i) => unknownFields(checker, item, element, [...path, i], found));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const property = parts.map((t) => checker.getPropertyOfType(t, key)).find(Boolean);
    // Maps such as labels have no named properties, only an index signature.
    const mapValue = parts
      .map((t) => checker.getIndexTypeOfType(t, ts.IndexKind.String))
      .find(Boolean);
    if (property)
      unknownFields(checker, item, checker.getTypeOfSymbol(property), [...path, key], found);
    else if (mapValue) unknownFields(checker, item, mapValue, [...path, key], found);
    else found.push([...path, key]);
  }
}

export function checkUnknownFields(root, documents, problems) {
  const modules = [...new Set(documents.map((d) => modelModule(d.object)).filter(Boolean))];
  const { checker, types } = loadTypes(root, modules);
  for (const document of documents) {
    const type = types.get(modelModule(document.object));
    if (!type) continue; // No such type: the schema check already reports the document.
    const found = [];
    unknownFields(checker, document.object, type, [], found);
    for (const path of found) {
      problems.push(`${where(document, path)}: unknown field ${formatPath(path)}`);
    }
  }
}
