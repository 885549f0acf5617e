#!/usr/bin/env node
// `npm run check:deploy`: validates the container and cluster files without a network, a
// Docker engine or a cluster, so that CI catches a broken manifest before anyone applies it.
//   - every document in k8s/*.yaml against the Kubernetes schemas (kubernetes-models), with
//     unknown fields refused;
//   - Tessera's rules for the manifests (deploy-checks/kubernetes-rules.mjs) and the
//     kustomization;
//   - the Dockerfile (dockerfile-utils and deploy-checks/dockerfile.mjs).
// Prints every problem with its file and line, and exits 1 if there is any.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDockerfile } from './deploy-checks/dockerfile.mjs';
import { checkKustomization } from './deploy-checks/kustomization.mjs';
import { KUSTOMIZATION, readDocuments, yamlFiles } from './deploy-checks/manifests.mjs';
import { checkRules } from './deploy-checks/kubernetes-rules.mjs';
import { checkSchemas } from './deploy-checks/kubernetes-schema.mjs';
import { checkUnknownFields } from './deploy-checks/unknown-fields.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const k8s = join(root, 'k8s');
const problems = [];

const files = yamlFiles(k8s);
const manifests = files
  .filter((name) => name !== KUSTOMIZATION)
  .flatMap((name) => readDocuments(k8s, name, problems));
const kustomization = files.includes(KUSTOMIZATION)
  ? readDocuments(k8s, KUSTOMIZATION, problems)
  : [];
// A document that does not parse is missing from every later check, which would then report
// confusing follow-on problems: stop at the syntax errors.
if (problems.length > 0) fail('YAML that does not parse');

await checkSchemas(manifests, problems);
checkUnknownFields(root, manifests, problems);
const namespace = checkKustomization(k8s, files, kustomization, manifests, problems);
checkRules(manifests, namespace, problems);
checkDockerfile(root, problems);

const summary = `${manifests.length} Kubernetes objects in ${files.length} files under k8s/, and the Dockerfile`;
if (problems.length > 0) fail(summary);
process.stdout.write(`check:deploy: ${summary}: no problems\n`);

function fail(what) {
  process.stderr.write(`check:deploy found ${problems.length} problem(s) in ${what}:\n`);
  for (const problem of problems) process.stderr.write(`  ${problem}\n`);
  process.exit(1);
}
