// Tessera's own rules for its manifests, beyond what the Kubernetes schemas can say: labels and
// namespace on every object, placeholders only in the Secret template, no secret in a
// ConfigMap; then the container rules and the references between objects.
import { SECRET_VARIABLES, checkWorkload } from './container-rules.mjs';
import { where } from './manifests.mjs';
import { podTemplateOf } from './pod-templates.mjs';
import { checkReferences } from './reference-rules.mjs';

const REQUIRED_LABELS = {
  'app.kubernetes.io/name': 'tessera',
  'app.kubernetes.io/part-of': 'tessera',
};
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass']);
const PLACEHOLDER = /^REPLACE_ME\b/;

function checkLabels(object, report) {
  const labelSets = [[['metadata', 'labels'], object.metadata?.labels]];
  const pod = podTemplateOf(object);
  if (pod) labelSets.push([[...pod.path, 'metadata', 'labels'], pod.template.metadata?.labels]);
  for (const [path, labels] of labelSets) {
    for (const [key, value] of Object.entries(REQUIRED_LABELS)) {
      if (labels?.[key] !== value) report(path, `label ${key}: ${value} is missing`);
    }
  }
}

function checkSecret(object, report) {
  for (const [key, value] of Object.entries(object.stringData ?? {})) {
    if (!PLACEHOLDER.test(String(value)))
      report(
        ['stringData', key],
        `Secret value ${key} must be a REPLACE_ME placeholder, never a real value`,
      );
  }
  for (const [key, value] of Object.entries(object.data ?? {})) {
    const decoded = Buffer.from(String(value), 'base64').toString('utf8');
    if (!PLACEHOLDER.test(decoded))
      report(
        ['data', key],
        `Secret value ${key} must be a REPLACE_ME placeholder, never a real value`,
      );
  }
}

function checkConfigMap(object, report) {
  for (const key of Object.keys(object.data ?? {})) {
    if (SECRET_VARIABLES.includes(key))
      report(['data', key], `${key} is a secret: it belongs in the Secret, mounted as a file`);
  }
}

/** Rules that look at one object at a time. */
function checkEach(documents, namespace, problems) {
  for (const document of documents) {
    const { object } = document;
    const report = (path, message) => problems.push(`${where(document, path)}: ${message}`);
    checkLabels(object, report);
    if (!CLUSTER_SCOPED.has(object.kind) && object.metadata?.namespace !== namespace) {
      report(['metadata'], `metadata.namespace must be ${namespace}, as in kustomization.yaml`);
    }
    checkWorkload(document, report);
    if (object.kind === 'Secret') checkSecret(object, report);
    if (object.kind === 'ConfigMap') checkConfigMap(object, report);
  }
}

export function checkRules(documents, namespace, problems) {
  checkEach(documents, namespace, problems);
  checkReferences(documents, problems);
}
