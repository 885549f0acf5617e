import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

/**
 * SQLSTATE classes that say the database is unreachable, overloaded or slow rather than that the
 * query is wrong: 08 connection exception, 53 insufficient resources, 57 operator intervention
 * (shutdowns, statement timeouts).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)[0-9A-Z]{3}$/;
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);
/** node-postgres's own errors for a lost or never-made connection carry no code. */
const POOL_ERRORS = /^(Connection terminated|timeout exceeded when trying to connect)/;

/** True when the database could not be reached or did not answer in time: worth a retry. */
export function databaseUnavailable(error: unknown): boolean {
  // TypeORM wraps every failed query; a bare DatabaseError comes from opening a connection.
  if (error instanceof DatabaseError) return true;
  const cause: unknown = error instanceof QueryFailedError ? error.driverError : error;
  // Duck-typed: socket errors come from Node's own realm, where `instanceof Error` can fail.
  if (typeof cause !== 'object' || cause === null) return false;
  const { code, message } = cause as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return UNAVAILABLE_SQLSTATE.test(code) || SOCKET_ERRORS.has(code);
  return typeof message === 'string' && POOL_ERRORS.test(message);
}

/** SQLSTATE class 22 (data exception): a value the database refused, which came from the client. */
export function databaseRefusedValue(error: unknown): boolean {
  const cause: unknown = error instanceof QueryFailedError ? error.driverError : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('22');
}
