import type { Reply } from './http';
import type { TestApp } from './test-app';

const FUNCTION = 'tessera_test_injected_fault';
const TRIGGER = 'tessera_test_injected_fault';
export const FAULT_MESSAGE = 'injected fault';

/**
 * Makes the database refuse the next insert into `table` (only rows of audit `type`, when given)
 * with an exception, as a crash between two writes of one change would. Plain SQL, so it works
 * on PGlite and PostgreSQL alike; {@link removeFault} undoes it.
 */
export async function injectFault(
  app: TestApp,
  table: 'audit_events' | 'refresh_tokens',
  type?: string,
) {
  await app.db.query(
    `CREATE OR REPLACE FUNCTION ${FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION '${FAULT_MESSAGE}'; END $$`,
  );
  // A test constant, never input: quoted as a literal since a trigger's WHEN takes no parameter.
  const when = type ? `WHEN (NEW.type = '${type.replace(/'/g, "''")}')` : '';
  await app.db.query(
    `CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON ${table} FOR EACH ROW ${when}
     EXECUTE FUNCTION ${FUNCTION}()`,
  );
}

/** Drops whatever {@link injectFault} created, wherever it was. */
export async function removeFault(app: TestApp) {
  for (const table of ['audit_events', 'refresh_tokens']) {
    await app.db.query(`DROP TRIGGER IF EXISTS ${TRIGGER} ON ${table}`);
  }
  await app.db.query(`DROP FUNCTION IF EXISTS ${FUNCTION}()`);
}

/** Every row of every table, as text, sorted per table: what "nothing changed" compares. */
export async function storedState(app: TestApp): Promise<Record<string, string[]>> {
  const tables: { name: string }[] = await app.db.query(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const state: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows: { row: string }[] = await app.db.query(
      `SELECT to_jsonb(t)::text AS row FROM "${name}" t`,
    );
    state[name] = rows.map((r) => r.row).sort();
  }
  return state;
}

/**
 * The answer to a request the database failed in the middle of: a 5xx that says nothing of the
 * cause (the contract: only a request id), and never a success.
 */
export function expectFailedCleanly(reply: Reply) {
  expect([500, 503]).toContain(reply.status);
  expect(reply.text).toContain(reply.headers.get('x-request-id'));
  expect(reply.text).not.toContain(FAULT_MESSAGE);
  expect(reply.text).not.toMatch(/access_token|refresh_token|client_?secret|stack/i);
}
