import type { EntityManager } from 'typeorm';

/**
 * The rows of an `UPDATE` or `DELETE ... RETURNING`: TypeORM's postgres driver answers those as
 * `[rows, rowCount]`, unlike a `SELECT` or an `INSERT`.
 */
export async function changedRows<T = unknown>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const [rows]: [T[], number] = await manager.query(sql, parameters);
  return rows;
}
