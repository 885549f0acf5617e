// The knobs of a run, from the command line and the environment, read once and validated.

function intFromEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}`);
  return value;
}

/** `node bench/run.mjs [name...] [--db postgres|pglite] [--no-floors] [--profile]` plus the BENCH_* variables. */
export function readSettings(argv, knownNames) {
  const names = [];
  let db = 'postgres';
  let floors = true;
  let profile = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--db') db = argv[++i];
    else if (arg.startsWith('--db=')) db = arg.slice('--db='.length);
    else if (arg === '--no-floors') floors = false;
    else if (arg === '--profile') profile = true;
    else if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else names.push(arg);
  }
  if (!['postgres', 'pglite'].includes(db)) throw new Error('--db must be postgres or pglite');
  const unknown = names.filter((name) => !knownNames.includes(name));
  if (unknown.length) throw new Error(`unknown scenario or floor: ${unknown.join(', ')}`);

  return {
    names,
    db,
    floors,
    profile,
    duration: intFromEnv('BENCH_DURATION', 10, 1),
    warmup: intFromEnv('BENCH_WARMUP', 2, 0),
    connections: intFromEnv('BENCH_CONNECTIONS', 20, 1),
    // While logins saturate the hashing threads, this many connections ask permission checks.
    mixedCheckConnections: intFromEnv('BENCH_MIXED_CHECK_CONNECTIONS', 5, 1),
    users: Math.max(intFromEnv('BENCH_USERS', 60, 1), 50),
    bcryptCost: intFromEnv('BENCH_BCRYPT_COST', 12, 10),
    databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
    pgAdminUrl: process.env.BENCH_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.BENCH_REDIS_URL || undefined,
    adminEmail: process.env.BENCH_ADMIN_EMAIL || undefined,
    adminPassword: process.env.BENCH_ADMIN_PASSWORD || undefined,
  };
}

export const USAGE = `usage: node bench/run.mjs [scenario|floor ...] [--db postgres|pglite] [--no-floors] [--profile]

Without names, every scenario runs, then every floor. With names, only those run, plus the
floors their ratios need (unless --no-floors). --profile writes a V8 CPU profile of each
Tessera instance to bench/results/profiles/. See bench/README.md for the BENCH_* variables.`;
