// How the objects refer to each other: a selector that selects nothing, or a name that names
// nothing, is valid YAML and a silent outage.
import { where } from './manifests.mjs';
import { LONG_RUNNING, containersOf, podTemplateOf, selects } from './pod-templates.mjs';

/** Rules about how the objects refer to each other. */
export function checkReferences(documents, problems) {
  const byKind = (kind) => documents.filter((d) => d.object.kind === kind);
  const workloads = documents
    .map((d) => ({ document: d, pod: podTemplateOf(d.object) }))
    .filter((w) => w.pod);
  const podLabels = workloads.map((w) => w.pod.template.metadata?.labels ?? {});
  const named = (kind, name) => byKind(kind).find((d) => d.object.metadata?.name === name);
  const report = (document, path, message) => problems.push(`${where(document, path)}: ${message}`);

  const selectors = [
    ['Service', ['spec', 'selector'], (o) => o.spec?.selector],
    ['PodDisruptionBudget', ['spec', 'selector'], (o) => o.spec?.selector?.matchLabels],
    ['NetworkPolicy', ['spec', 'podSelector'], (o) => o.spec?.podSelector?.matchLabels],
  ];
  for (const [kind, path, selectorOf] of selectors) {
    for (const document of byKind(kind)) {
      if (!podLabels.some((labels) => selects(selectorOf(document.object), labels))) {
        report(document, path, 'the selector matches no pod template here');
      }
    }
  }
  for (const document of byKind('HorizontalPodAutoscaler')) {
    const target = document.object.spec?.scaleTargetRef ?? {};
    if (!named(target.kind, target.name))
      report(document, ['spec', 'scaleTargetRef'], `no ${target.kind} ${target.name} to scale`);
  }

  for (const { document, pod } of workloads) {
    const { object } = document;
    const spec = pod.template.spec ?? {};
    if (
      object.spec?.selector?.matchLabels &&
      !selects(object.spec.selector.matchLabels, pod.template.metadata?.labels)
    ) {
      report(document, ['spec', 'selector'], 'the selector does not match its own pod template');
    }
    (spec.volumes ?? []).forEach((volume, i) => {
      const at = [...pod.path, 'spec', 'volumes', i];
      if (volume.configMap && !named('ConfigMap', volume.configMap.name))
        report(document, at, `no ConfigMap ${volume.configMap.name}`);
      if (!volume.secret) return;
      const secret = named('Secret', volume.secret.secretName);
      if (!secret) return report(document, at, `no Secret (template) ${volume.secret.secretName}`);
      const keys = new Set(Object.keys({ ...secret.object.data, ...secret.object.stringData }));
      for (const item of volume.secret.items ?? []) {
        if (!keys.has(item.key)) report(document, at, `the Secret template has no key ${item.key}`);
      }
    });
    for (const { container, path } of containersOf(pod.template, pod.path)) {
      for (const source of container.envFrom ?? []) {
        const configMap = source.configMapRef && named('ConfigMap', source.configMapRef.name);
        if (source.configMapRef && !configMap)
          report(document, [...path, 'envFrom'], `no ConfigMap ${source.configMapRef.name}`);
        // METRICS_PORT tells the service where to listen; the pod must expose that port.
        const metricsPort = configMap?.object.data?.METRICS_PORT;
        if (metricsPort && LONG_RUNNING.has(object.kind)) {
          const port = (container.ports ?? []).find((p) => p.name === 'metrics');
          if (String(port?.containerPort) !== String(metricsPort)) {
            report(
              document,
              [...path, 'ports'],
              `METRICS_PORT ${metricsPort} must be the containerPort named metrics`,
            );
          }
        }
      }
    }
  }
  checkMigrations(workloads, report);
}

/** One Job migrates; the long-running instances must not race it (MIGRATIONS_RUN=false). */
function checkMigrations(workloads, report) {
  const runsMigrate = (c) =>
    [...(c.command ?? []), ...(c.args ?? [])].some((a) => String(a).endsWith('migrate.js'));
  const hasJob = workloads.some(
    ({ document, pod }) =>
      document.object.kind === 'Job' && (pod.template.spec?.containers ?? []).some(runsMigrate),
  );
  for (const { document, pod } of workloads) {
    if (!LONG_RUNNING.has(document.object.kind)) continue;
    for (const { container, path, list } of containersOf(pod.template, pod.path)) {
      if (list !== 'containers') continue;
      const setting = (container.env ?? []).find((v) => v.name === 'MIGRATIONS_RUN');
      if (setting?.value !== 'false')
        report(
          document,
          [...path, 'env'],
          `container ${container.name} must set MIGRATIONS_RUN=false: the migration Job migrates`,
        );
      if (!hasJob) report(document, path, 'no Job runs dist/apps/identity/src/migrate.js');
    }
  }
}
