import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How long a role's permissions may be served from memory when nothing announces changes. */
export const SHORT_TTL_MS = 5_000;
/** The same while Redis carries every change to every instance: a backstop for a lost message. */
export const SAFETY_TTL_MS = 60_000;

export type PermissionsByRole = Map<string, string[]>;

/** Groups `(role, permission)` rows; a role without permissions gets an empty list. */
export function groupByRole(
  rows: { name: string; permission: string | null }[],
): PermissionsByRole {
  const map: PermissionsByRole = new Map();
  for (const row of rows) {
    const list = map.get(row.name) ?? [];
    if (row.permission) list.push(row.permission);
    map.set(row.name, list);
  }
  return map;
}

/**
 * Every role's permissions, kept in memory for the permission checks. A change made here is seen
 * at once ({@link invalidate}); one made by another instance arrives through Redis (see
 * RoleChanges), or else when the short TTL runs out. The longer TTL applies only while that
 * announcement channel is up, so losing Redis never keeps a revoked permission alive longer.
 */
@Injectable()
export class PermissionCache {
  private byRole: PermissionsByRole = new Map();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private generation = 0;
  private announced = false;
  private loading?: { generation: number; map: Promise<PermissionsByRole> };

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether every role change reaches this instance as it happens (Redis subscription up). */
  set changesAnnounced(on: boolean) {
    // Messages may have been lost while the channel was down: start again from the database.
    if (on && !this.announced) this.invalidate();
    this.announced = on;
  }

  get changesAnnounced(): boolean {
    return this.announced;
  }

  /**
   * Whether a fact read at `readAt` while the generation was `generation` may still be served,
   * under the same rules as this map: the same TTL, and nothing announced since. Other caches of
   * who holds which role (service clients) ride on it, so one announcement clears them all.
   */
  isFresh(generation: number, readAt: number): boolean {
    return generation === this.generation && Date.now() - readAt < this.ttlMs;
  }

  private get ttlMs(): number {
    return this.announced ? SAFETY_TTL_MS : SHORT_TTL_MS;
  }

  /** Changes with every invalidation; see {@link isFresh}. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** Forgets the map; the next check reads the database. */
  invalidate(): void {
    this.generation += 1;
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  async permissionsByRole(): Promise<PermissionsByRole> {
    if (this.isFresh(this.generation, this.loadedAt)) return this.byRole;
    if (this.loading?.generation !== this.generation) this.loading = this.load();
    return this.loading.map;
  }

  private load() {
    const generation = this.generation;
    const startedAt = Date.now();
    const map = this.dataSource
      .query(
        `SELECT r.name, rp.permission FROM roles r
         LEFT JOIN role_permissions rp ON rp.role_id = r.id`,
      )
      .then((rows: { name: string; permission: string | null }[]) => {
        const byRole = groupByRole(rows);
        // A change announced while this read ran may be missing from it: use it, but keep it not.
        if (generation === this.generation) {
          this.byRole = byRole;
          this.loadedAt = startedAt;
        }
        return byRole;
      })
      .finally(() => {
        if (this.loading?.generation === generation) this.loading = undefined;
      });
    return { generation, map };
  }
}
