// `kubectl apply -k k8s/` applies what kustomization.yaml lists: every manifest must be listed
// (else it is silently never applied) except the Secret template, which must not be (else its
// placeholders would overwrite the real Secret).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KUSTOMIZATION } from './manifests.mjs';
import { podTemplateOf } from './pod-templates.mjs';

export const isTemplate = (name) => /\.template\.ya?ml$/.test(name);

/** Checks the kustomization; returns its namespace for the other rules. */
export function checkKustomization(dir, files, kustomizationDocuments, manifests, problems) {
  const where = `k8s/${KUSTOMIZATION}`;
  const [kustomization] = kustomizationDocuments;
  if (!kustomization) {
    problems.push(`${where}: missing; \`kubectl apply -k k8s/\` needs it`);
    return undefined;
  }
  const { object } = kustomization;
  if (object.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || object.kind !== 'Kustomization') {
    problems.push(
      `${where}: must be apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization`,
    );
  }
  const listed = object.resources ?? [];
  for (const name of listed) {
    if (!existsSync(join(dir, name)))
      problems.push(`${where}: lists ${name}, which does not exist`);
    if (isTemplate(name))
      problems.push(
        `${where}: lists the template ${name}; its placeholders would overwrite the real values`,
      );
  }
  for (const name of files) {
    if (name !== KUSTOMIZATION && !isTemplate(name) && !listed.includes(name)) {
      problems.push(`${where}: does not list ${name}, so \`kubectl apply -k\` never applies it`);
    }
  }
  // An `images` entry that names no container's image would leave the release unset.
  const images = manifests.flatMap(({ object: o }) => {
    const spec = podTemplateOf(o)?.template.spec ?? {};
    // The name without digest or tag (a registry's :port stays).
    return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c) =>
      String(c.image)
        .replace(/@.*$/, '')
        .replace(/:[^/:]+$/, ''),
    );
  });
  for (const { name } of object.images ?? []) {
    if (!images.includes(name))
      problems.push(`${where}: images names ${name}, which no container uses`);
  }
  if (typeof object.namespace !== 'string') problems.push(`${where}: must set the namespace`);
  return object.namespace;
}
