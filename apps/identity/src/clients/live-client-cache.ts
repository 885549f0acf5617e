import { Injectable } from '@nestjs/common';
import { PermissionCache } from '../roles/permission-cache';
import { ClientsService, LiveClient } from './clients.service';

/** Beyond this many distinct clients the cache starts again rather than grow without bound. */
const MAX_ENTRIES = 10_000;

interface Entry {
  client: LiveClient;
  generation: number;
  readAt: number;
}

/**
 * The clients whose tokens call Tessera (resource servers asking permission checks), kept in
 * memory so that a service's request costs no lookup of the service itself. Entries live exactly
 * as long as the permission cache's map: a deletion announced through RoleChanges clears them on
 * every instance, and without Redis they expire after the short TTL. Unknown clients are never
 * remembered, so a new client is seen at once. Authenticating with a secret never reads this.
 */
@Injectable()
export class LiveClientCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clients: ClientsService,
    private readonly permissions: PermissionCache,
  ) {}

  async liveClient(clientId: string): Promise<LiveClient | undefined> {
    const hit = this.entries.get(clientId);
    if (hit && this.permissions.isFresh(hit.generation, hit.readAt)) return hit.client;

    const generation = this.permissions.currentGeneration;
    const readAt = Date.now();
    const client = await this.clients.liveClient(clientId);
    if (!client) {
      this.entries.delete(clientId);
      return undefined;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(clientId, { client, generation, readAt });
    return client;
  }
}
