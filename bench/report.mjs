// The report: machine facts, the scenario and floor tables (markdown), Keycloak's published
// sizing figures scaled to this machine, and the JSON file of everything measured.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { ROOT } from './tessera.mjs';

// Keycloak's sizing guide ("Concepts for sizing CPU and memory resources"), per vCPU.
const KEYCLOAK = {
  loginsPerCpu: 15,
  clientCredentialsPerCpu: 120,
  refreshPerCpu: 120,
  baseMemoryMB: 1250,
};

export function machineFacts(database) {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    database,
    loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

function num(n) {
  if (n === undefined || Number.isNaN(n)) return '—';
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 10) / 10);
}

/** autocannon's latencies are whole milliseconds: 0 means under one. */
function ms(n) {
  if (n === undefined) return '—';
  if (n === 0) return '<1';
  return n >= 10 ? String(Math.round(n)) : String(Math.round(n * 100) / 100);
}

const ratio = (a, b) => (a && b ? `${Math.round((a / b) * 1000) / 10}%` : '—');
const failures = (row) => (row.non2xx ?? 0) + (row.errors ?? 0);

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function scenarioTable(rows, floorsByName) {
  return table(
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'floor', 'ratio to floor'],
    rows.map((row) => {
      const floor = row.floor && floorsByName.get(row.floor);
      const bad = failures(row) > 0 ? `**⚠ ${row.non2xx} non-2xx, ${row.errors} errors**` : '0';
      let floorCell = row.floor ?? '—';
      if (row.floor && !floor) floorCell += ' (not run)';
      else if (floor?.skipped) floorCell += ' (skipped)';
      return [
        row.name,
        num(row.rps),
        ms(row.p50),
        ms(row.p99),
        bad,
        floorCell,
        floor && !floor.skipped ? ratio(row.rps, floor.rps) : '—',
      ];
    }),
  );
}

export function floorTable(rows) {
  return table(
    ['floor', 'ops/s', 'p50 ms', 'p99 ms', 'what'],
    rows.map((row) =>
      row.skipped
        ? [row.name, '—', '—', '—', row.note]
        : [row.name, num(row.rps), ms(row.p50), ms(row.p99), row.note ?? ''],
    ),
  );
}

/** Keycloak's per-vCPU figures times this machine's cores, beside what Tessera did here. */
export function anchors(rows, instances, cores) {
  const rps = (name) => rows.find((row) => row.name === name)?.rps;
  const idle = instances.find((i) => i.role === 'main')?.rssIdleMiB;
  return [
    { what: 'password logins/s', keycloak: KEYCLOAK.loginsPerCpu * cores, tessera: rps('login') },
    {
      what: 'client-credentials grants/s',
      keycloak: KEYCLOAK.clientCredentialsPerCpu * cores,
      tessera: rps('client-credentials'),
    },
    {
      what: 'refresh-token grants/s',
      keycloak: KEYCLOAK.refreshPerCpu * cores,
      tessera: rps('refresh'),
    },
    {
      what: 'memory, MB (Keycloak: base per pod; Tessera: RSS at idle)',
      keycloak: KEYCLOAK.baseMemoryMB,
      tessera: idle && Math.round((idle * 2 ** 20) / 1e6),
    },
  ];
}

export function printReport({ facts, instances, rows, floors, anchorRows, nonTwoXx }) {
  const floorsByName = new Map(floors.map((f) => [f.name, f]));
  const out = [];
  out.push('', '## Machine', '');
  out.push(`- CPU: ${facts.cpu}, ${facts.cores} cores, ${facts.memoryGiB} GiB; Node ${facts.node}`);
  out.push(
    `- Database: ${facts.database}; load average at start: ${facts.loadAverageAtStart.join(', ')}`,
  );
  out.push(
    '- Tessera: request logging off (LOG_LEVEL=warn), rate limits raised out of reach, ADMIN_MFA_REQUIRED=false',
  );
  for (const i of instances) {
    out.push(
      `- Instance ${i.role} (BCRYPT_COST=${i.bcryptCost}): ready ${(i.timeToReadyMs / 1000).toFixed(2)} s after spawn; RSS ${i.rssReadyMiB ?? '?'} MiB at ready, ${i.rssIdleMiB ?? '?'} MiB at idle after provisioning`,
    );
  }
  if (rows.length) out.push('', '## Scenarios', '', scenarioTable(rows, floorsByName));
  const notes = rows.filter((r) => r.note || failures(r) > 0);
  if (notes.length) out.push('');
  for (const row of notes) {
    const parts = [row.note];
    if (failures(row) > 0)
      parts.push(`status codes ${JSON.stringify(row.statusCodes)}, timeouts ${row.timeouts ?? 0}`);
    out.push(`- ${row.name}: ${parts.filter(Boolean).join('; ')}`);
  }
  if (floors.length) out.push('', '## Floors', '', floorTable(floors));
  if (anchorRows.length) {
    out.push('', `## Keycloak anchors (sizing guide, per vCPU, × ${facts.cores} cores)`, '');
    out.push(
      table(
        ['what', 'Keycloak', 'Tessera here', 'Tessera / Keycloak'],
        anchorRows.map((a) => [
          a.what,
          num(a.keycloak),
          num(a.tessera),
          ratio(a.tessera, a.keycloak),
        ]),
      ),
    );
    out.push(
      '',
      "Keycloak's figures come from other hardware and hashing settings: an order-of-magnitude anchor, not a comparison.",
    );
  }
  if (nonTwoXx.length)
    out.push(
      '',
      `**Answers other than 2xx, or errors, in: ${nonTwoXx.join(', ')}**: these figures are not clean.`,
    );
  process.stdout.write(`${out.join('\n')}\n`);
}

/** bench/results/<db>-<timestamp>.json */
export function writeResults(db, results) {
  const dir = resolve(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${db}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
