// Entry point: `node bench/run.mjs [scenario|floor ...] [--db postgres|pglite] [--no-floors]`
// (`npm run bench` builds first). Starts Tessera from dist/, provisions over HTTP, runs the
// scenarios, then the floors, prints a markdown report and writes bench/results/<db>-<time>.json.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanUp, cleanUpOnSignals } from './children.mjs';
import { postgresVersion } from './database.mjs';
import { FLOORS, floorOfRow } from './floors/index.mjs';
import { Fixture } from './provision.mjs';
import { anchors, machineFacts, printReport, writeResults } from './report.mjs';
import { SCENARIOS } from './scenarios/index.mjs';
import { readSettings, USAGE } from './settings.mjs';
import { adminCredentials, ROOT, startTessera } from './tessera.mjs';

const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** The instances a run needs, in order, each with the scenarios it serves. */
function instancesFor(scenarios, settings) {
  const roles = [
    { role: 'main', bcryptCost: settings.bcryptCost },
    { role: 'cost10', bcryptCost: 10 },
  ];
  return roles
    .map((r) => ({ ...r, scenarios: scenarios.filter((s) => s.instance === r.role) }))
    .filter((r) => r.scenarios.length > 0);
}

/** Starts one Tessera, provisions everything its scenarios need, then runs them one by one. */
async function runOnInstance(plan, settings, admin, rows, database) {
  log(`starting Tessera (${plan.role}, BCRYPT_COST=${plan.bcryptCost}, ${settings.db})`);
  const tessera = await startTessera(settings, { bcryptCost: plan.bcryptCost, admin });
  const info = {
    role: plan.role,
    bcryptCost: plan.bcryptCost,
    timeToReadyMs: tessera.timeToReadyMs,
    rssReadyMiB: tessera.rssMiB(),
  };
  try {
    database.describe ??=
      settings.db === 'postgres' ? await postgresVersion(tessera.databaseUrl) : pgliteDescription();
    const fixture = new Fixture(tessera, settings, admin);
    const states = new Map();
    log(`provisioning for ${plan.scenarios.map((s) => s.name).join(', ')}`);
    for (const scenario of plan.scenarios)
      states.set(scenario.name, await scenario.prepare(fixture, settings));
    // Idle: after start and provisioning, before any load.
    info.rssIdleMiB = tessera.rssMiB();
    for (const scenario of plan.scenarios) {
      log(
        `running ${scenario.name} (${settings.warmup} s warm-up, ${settings.duration} s measured)`,
      );
      const ctx = {
        url: tessera.url,
        pid: tessera.pid,
        settings,
        fixture,
        bcryptCost: plan.bcryptCost,
      };
      rows.push(...(await scenario.run(ctx, states.get(scenario.name))));
    }
  } finally {
    await tessera.stop();
  }
  return info;
}

function pgliteDescription() {
  const { version } = JSON.parse(
    readFileSync(resolve(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  );
  return `PGlite ${version} (embedded, fresh temp DATA_DIR)`;
}

/** Named floors, plus (unless --no-floors) those the measured rows are compared with. */
function floorsFor(settings, rows) {
  if (!settings.names.length) return settings.floors ? FLOORS : [];
  const wanted = new Set(settings.names);
  if (settings.floors) {
    for (const row of rows) if (row.floor) wanted.add(floorOfRow(row.floor)?.name);
  }
  return FLOORS.filter((floor) => wanted.has(floor.name));
}

async function main() {
  cleanUpOnSignals();
  const knownNames = [...SCENARIOS, ...FLOORS].map((item) => item.name);
  const settings = readSettings(process.argv.slice(2), knownNames);
  if (settings.help) return void process.stdout.write(`${USAGE}\n`);

  const scenarios = settings.names.length
    ? SCENARIOS.filter((s) => settings.names.includes(s.name))
    : SCENARIOS;
  if (scenarios.length && !existsSync(resolve(ROOT, 'dist/apps/identity/src/main.js'))) {
    throw new Error('no build in dist/: run `npm run build` first (`npm run bench` does)');
  }
  const admin = adminCredentials(settings);
  const database = { describe: settings.db === 'pglite' ? pgliteDescription() : undefined };
  const rows = [];
  const instances = [];
  for (const plan of instancesFor(scenarios, settings)) {
    instances.push(await runOnInstance(plan, settings, admin, rows, database));
  }

  const floors = [];
  for (const floor of floorsFor(settings, rows)) {
    log(`measuring ${floor.name}`);
    floors.push(...(await floor.run({ settings })));
  }

  const facts = machineFacts(
    database.describe ??
      (settings.db === 'postgres' ? 'PostgreSQL (no Tessera started)' : pgliteDescription()),
  );
  const anchorRows = rows.length ? anchors(rows, instances, facts.cores) : [];
  const nonTwoXx = rows
    .filter((row) => (row.non2xx ?? 0) + (row.errors ?? 0) > 0)
    .map((row) => row.name);
  printReport({ facts, instances, rows, floors, anchorRows, nonTwoXx });
  const { adminEmail, adminPassword, databaseUrl, pgAdminUrl, redisUrl, names, ...knobs } =
    settings;
  const file = writeResults(settings.db, {
    at: new Date().toISOString(),
    machine: facts,
    settings: { ...knobs, names, redis: Boolean(redisUrl) },
    instances,
    scenarios: rows,
    floors,
    keycloakAnchors: anchorRows,
  });
  log(`results written to ${file}`);
  if (nonTwoXx.length) process.exitCode = 1;
}

main()
  .catch((error) => {
    log(`failed: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(cleanUp);
