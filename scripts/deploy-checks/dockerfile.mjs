// Lints the Dockerfile offline: syntax and instruction checks from dockerfile-utils (the linter
// behind VS Code's Docker support), then the rules the image must keep for the cluster's
// security context and for reproducible builds.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
const DOCKERIGNORE_MUST_LIST = ['node_modules', 'dist', 'data', '.env', '.git'];

/** `${NAME}` and `$NAME` replaced by the defaults of the ARGs before the first FROM. */
function resolveArgs(text, dockerfile) {
  const defaults = new Map(
    dockerfile
      .getInitialARGs()
      .map((arg) => arg.getProperty())
      .filter(Boolean)
      .map((p) => [p.getName(), p.getValue() ?? '']),
  );
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a, b) => defaults.get(a ?? b) ?? whole);
}

/** A digest, or a tag with a full x.y.z version: `node:20-slim` moves with every release. */
function isPinned(reference) {
  if (reference.includes('@sha256:')) return true;
  const tag = /:([^/:]+)$/.exec(reference)?.[1];
  return /^v?\d+\.\d+\.\d+/.test(tag ?? '');
}

function jsonForm(instruction) {
  try {
    const value = JSON.parse(instruction.getArgumentsContent() ?? '');
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function checkBaseImages(dockerfile, report) {
  const stages = new Set();
  for (const from of dockerfile.getFROMs()) {
    const line = from.getRange().start.line;
    const [reference = ''] = resolveArgs(from.getArgumentsContent() ?? '', dockerfile).split(/\s+/);
    if (!stages.has(reference.toLowerCase()) && !isPinned(reference)) {
      report(
        line,
        `base image ${reference} must be pinned to a full x.y.z version tag or a digest`,
      );
    }
    const stage = from.getBuildStage();
    if (stage) stages.add(stage.toLowerCase());
  }
}

function checkRuntimeStage(dockerfile, report) {
  const froms = dockerfile.getFROMs();
  const last = froms[froms.length - 1];
  if (!last) return report(0, 'no FROM');
  const start = last.getRange().start.line;
  const runtime = dockerfile.getInstructions().filter((i) => i.getRange().start.line > start);
  const find = (keyword) => runtime.filter((i) => i.getKeyword() === keyword);
  const lineOf = (instructions) => (instructions[0] ?? last).getRange().start.line;

  const users = find('USER');
  const user = users[users.length - 1]?.getArguments()[0]?.getValue().split(':')[0];
  if (!/^\d+$/.test(user ?? '') || Number(user) === 0) {
    report(
      lineOf(users),
      'the runtime stage must end as a numeric non-root USER (runAsNonRoot needs a UID)',
    );
  }
  const healthchecks = find('HEALTHCHECK');
  if (healthchecks.length === 0 || /^NONE$/i.test(healthchecks[0].getArgumentsContent() ?? '')) {
    report(lineOf(healthchecks), 'the runtime stage needs a HEALTHCHECK');
  }
  const entrypoint = find('ENTRYPOINT').map(jsonForm)[0];
  if (!entrypoint || !/\/(tini|dumb-init)$/.test(entrypoint[0] ?? '')) {
    report(
      lineOf(find('ENTRYPOINT')),
      'ENTRYPOINT must be an init process (tini or dumb-init) in JSON form',
    );
  }
  const cmds = find('CMD');
  if (cmds.length === 0 || !jsonForm(cmds[cmds.length - 1])) {
    report(lineOf(cmds), 'CMD must be in JSON form, so that signals reach node without a shell');
  }
  if (
    !find('EXPOSE').some((i) => i.getArguments().some((a) => /^3000(\/tcp)?$/.test(a.getValue())))
  ) {
    report(start, 'the runtime stage must EXPOSE 3000');
  }
  const env = new Map(
    find('ENV').flatMap((i) => (i.getProperties?.() ?? []).map((p) => [p.getName(), p.getValue()])),
  );
  if (env.get('NODE_ENV') !== 'production')
    report(start, 'the runtime stage must set ENV NODE_ENV=production');
  if (!env.get('DATA_DIR'))
    report(start, 'the runtime stage must set DATA_DIR to its writable volume');
}

function checkInstructions(dockerfile, report) {
  for (const instruction of dockerfile.getInstructions()) {
    const line = instruction.getRange().start.line;
    const text = instruction.getArgumentsContent() ?? '';
    if (instruction.getKeyword() === 'ADD') {
      report(line, 'use COPY: ADD also fetches URLs and unpacks archives');
    }
    if (instruction.getKeyword() !== 'RUN' || !/apt-get\s+install/.test(text)) continue;
    if (!/--no-install-recommends/.test(text))
      report(line, 'apt-get install needs --no-install-recommends');
    if (!/\s-y\b|--yes\b/.test(text))
      report(line, 'apt-get install needs -y (builds have no terminal)');
    if (!/rm -rf \/var\/lib\/apt\/lists/.test(text))
      report(line, 'remove /var/lib/apt/lists in the same RUN');
  }
}

function checkDockerignore(root, problems) {
  const path = join(root, '.dockerignore');
  if (!existsSync(path))
    return problems.push(
      '.dockerignore: missing; the build context would carry node_modules and .env',
    );
  const entries = new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((l) => l.trim().replace(/^\/|\/$/g, '')),
  );
  for (const entry of DOCKERIGNORE_MUST_LIST) {
    if (!entries.has(entry)) problems.push(`.dockerignore: must list ${entry}`);
  }
}

export function checkDockerfile(root, problems) {
  const path = join(root, 'Dockerfile');
  if (!existsSync(path)) return problems.push('Dockerfile: missing');
  const text = readFileSync(path, 'utf8');
  // Lines are 0-based in both libraries; people count from 1.
  const report = (line, message) => problems.push(`Dockerfile:${line + 1}: ${message}`);
  for (const diagnostic of validate(text)) {
    report(
      diagnostic.range.start.line,
      `${SEVERITY[diagnostic.severity] ?? 'problem'}: ${diagnostic.message}`,
    );
  }
  const dockerfile = DockerfileParser.parse(text);
  checkBaseImages(dockerfile, report);
  checkRuntimeStage(dockerfile, report);
  checkInstructions(dockerfile, report);
  checkDockerignore(root, problems);
}
