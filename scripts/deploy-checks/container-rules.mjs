// How every container is locked down, and how secrets reach it: as files from a Secret volume,
// never as values. The cluster's Pod Security admission would refuse some of this only at
// apply time; here it fails in CI.
import { LONG_RUNNING, containersOf, podTemplateOf } from './pod-templates.mjs';

// The variables that config.ts also accepts as *_FILE (SECRET_VARIABLES there): in a cluster
// they arrive only as files, never as a value in a manifest or a ConfigMap.
export const SECRET_VARIABLES = [
  'MASTER_KEY',
  'DATABASE_URL',
  'REDIS_URL',
  'BOOTSTRAP_ADMIN_PASSWORD',
];

function isPinned(image) {
  if (typeof image !== 'string') return false;
  if (image.includes('@sha256:')) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return Boolean(tag) && tag !== 'latest';
}

function checkContainer({ container, list, path }, podSpec, long, report) {
  const pod = podSpec.securityContext ?? {};
  const own = container.securityContext ?? {};
  const at = (...rest) => [...path, ...rest];
  const name = `container ${container.name}`;

  if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true)
    report(at('securityContext'), `${name} must set runAsNonRoot: true`);
  const uid = own.runAsUser ?? pod.runAsUser;
  if (!Number.isInteger(uid) || uid === 0)
    report(at('securityContext'), `${name} must run as a numeric non-root runAsUser`);
  if (own.readOnlyRootFilesystem !== true)
    report(at('securityContext'), `${name} must set readOnlyRootFilesystem: true`);
  if (own.allowPrivilegeEscalation !== false)
    report(at('securityContext'), `${name} must set allowPrivilegeEscalation: false`);
  if (own.privileged === true)
    report(at('securityContext', 'privileged'), `${name} must not be privileged`);
  if (!(own.capabilities?.drop ?? []).includes('ALL'))
    report(at('securityContext'), `${name} must drop ALL capabilities`);
  if ((own.capabilities?.add ?? []).length > 0)
    report(at('securityContext', 'capabilities', 'add'), `${name} must add no capability`);
  if ((own.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault') {
    report(at('securityContext'), `${name} must use seccompProfile RuntimeDefault`);
  }
  if (!isPinned(container.image))
    report(at('image'), `${name} image must carry a tag (not latest) or a digest`);
  for (const kind of ['requests', 'limits']) {
    for (const resource of ['cpu', 'memory']) {
      if (container.resources?.[kind]?.[resource] === undefined) {
        report(at('resources'), `${name} must set resources.${kind}.${resource}`);
      }
    }
  }
  if (long && list === 'containers') {
    for (const probe of ['livenessProbe', 'readinessProbe']) {
      if (!container[probe]) report(path, `${name} needs a ${probe}`);
    }
  }
  const portNames = new Set((container.ports ?? []).map((p) => p.name));
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    const port = container[probe]?.httpGet?.port ?? container[probe]?.tcpSocket?.port;
    if (typeof port === 'string' && !portNames.has(port))
      report(at(probe), `${name} ${probe} names no port of the container: ${port}`);
  }
  checkSecretDelivery(container, podSpec, at, name, report);
}

/** Secrets come as files from a Secret volume, named by *_FILE; never as a value in env. */
function checkSecretDelivery(container, podSpec, at, name, report) {
  const secretVolumes = new Set(
    (podSpec.volumes ?? []).filter((v) => v.secret || v.projected).map((v) => v.name),
  );
  const secretMounts = (container.volumeMounts ?? []).filter((m) => secretVolumes.has(m.name));
  (container.env ?? []).forEach((variable, i) => {
    if (SECRET_VARIABLES.includes(variable.name)) {
      report(
        at('env', i),
        `${name} gets ${variable.name} in env; mount it and set ${variable.name}_FILE`,
      );
    }
    if (variable.name.endsWith('_FILE') && SECRET_VARIABLES.includes(variable.name.slice(0, -5))) {
      const file = String(variable.value ?? '');
      if (!secretMounts.some((m) => file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))) {
        report(
          at('env', i),
          `${name} ${variable.name} must name a file under a mounted Secret volume`,
        );
      }
    }
  });
}

export function checkWorkload(document, report) {
  const pod = podTemplateOf(document.object);
  if (!pod) return;
  const spec = pod.template.spec ?? {};
  const specPath = [...pod.path, 'spec'];
  if (spec.automountServiceAccountToken !== false) {
    report(
      specPath,
      'pods must set automountServiceAccountToken: false (Tessera never calls the API)',
    );
  }
  for (const hostField of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[hostField] === true)
      report([...specPath, hostField], `pods must not use ${hostField}`);
  }
  const long = LONG_RUNNING.has(document.object.kind);
  for (const entry of containersOf(pod.template, pod.path))
    checkContainer(entry, spec, long, report);
}
