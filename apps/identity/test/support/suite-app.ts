import { client, Client } from './http';
import { startApp, TestApp } from './test-app';

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
