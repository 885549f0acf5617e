// Where the pods of a workload are described, for the rules that look inside them.

/** Kinds whose pods run until stopped: they need probes and must not migrate on their own. */
export const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** A workload's pod template and its path in the document. */
export function podTemplateOf(object) {
  const spec = object?.spec;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(object?.kind)) {
    return spec?.template && { template: spec.template, path: ['spec', 'template'] };
  }
  if (object?.kind === 'CronJob') {
    const template = spec?.jobTemplate?.spec?.template;
    return template && { template, path: ['spec', 'jobTemplate', 'spec', 'template'] };
  }
  return undefined;
}

/** Every init and app container of a pod template, with its path in the document. */
export function containersOf(template, templatePath) {
  const spec = template.spec ?? {};
  return ['initContainers', 'containers'].flatMap((list) =>
    (spec[list] ?? []).map((container, i) => ({
      container,
      list,
      path: [...templatePath, 'spec', list, i],
    })),
  );
}

/** A non-empty label selector that matches these labels. */
export function selects(selector, labels) {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels?.[key] === value);
}
