import { client, Client } from './http';
import { createTestDatabase, startApp, TestApp } from './test-app';
import type { TestDatabase } from './test-database';

/** Stands in for the value `current()` gives, reading each property from it when used. */
function standIn<T extends object>(current: () => T): T {
  return new Proxy({} as T, { get: (_, key) => Reflect.get(current(), key) });
}

/**
 * Starts one app (with `env` overrides) before the tests of the enclosing describe block and
 * closes it after them. Returns stand-ins for the app and a client for it, usable from the
 * tests and hooks (not at the time the describe block is declared).
 */
export function appForSuite(env: Record<string, string> = {}): { app: TestApp; api: Client } {
  let started: { app: TestApp; api: Client } | undefined;
  const current = () => {
    if (!started) throw new Error('the suite app is used before its beforeAll has started it');
    return started;
  };

  beforeAll(async () => {
    const app = await startApp(env);
    started = { app, api: client(app.url) };
  });

  afterAll(async () => {
    await started?.app.close();
  });

  return { app: standIn(() => current().app), api: standIn(() => current().api) };
}

/**
 * Like {@link appForSuite}, two instances of one service: apps `a` and `b` on one fresh database
 * (and, under E2E_REDIS_URL, one Redis key prefix), with a client for each. PGlite is one process
 * that two apps cannot share: use it under E2E_DATABASE_URL only.
 */
export function instancesForSuite(env: Record<string, string> = {}) {
  const started: { database?: TestDatabase; a?: TestApp; b?: TestApp } = {};
  const instance = (name: 'a' | 'b') => (): TestApp => {
    const app = started[name];
    if (!app) throw new Error(`instance ${name} is used before its beforeAll has started it`);
    return app;
  };

  beforeAll(async () => {
    started.database = await createTestDatabase();
    started.a = await startApp(env, started.database);
    started.b = await startApp(env, started.database);
  });

  afterAll(async () => {
    await started.b?.stop();
    await started.a?.stop();
    await started.database?.drop();
  });

  return {
    a: standIn(instance('a')),
    b: standIn(instance('b')),
    apiA: standIn(() => client(instance('a')().url)),
    apiB: standIn(() => client(instance('b')().url)),
  };
}

/**
 * Like {@link instancesForSuite}, `count` instances on one fresh database (and one Redis key
 * prefix): a client for each, in order. PostgreSQL only, for the same reason.
 */
export function clusterForSuite(count: number, env: Record<string, string> = {}): Client[] {
  const started: { database?: TestDatabase; apps: TestApp[] } = { apps: [] };

  beforeAll(async () => {
    started.database = await createTestDatabase();
    for (let i = 0; i < count; i += 1) started.apps.push(await startApp(env, started.database));
  });

  afterAll(async () => {
    for (const app of started.apps.reverse()) await app.stop();
    await started.database?.drop();
  });

  return Array.from({ length: count }, (_, i) =>
    standIn(() => {
      const app = started.apps[i];
      if (!app) throw new Error(`instance ${i} is used before its beforeAll has started it`);
      return client(app.url);
    }),
  );
}
