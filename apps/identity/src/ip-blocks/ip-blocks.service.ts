import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { isUuid } from '../common/uuid';
import { BlockedRanges } from './block-list';
import type { CreateIpBlockDto } from './ip-blocks.dto';

/** How often each instance reloads the list, picking up other instances' changes and expiries. */
export const IP_BLOCKS_RELOAD_MS = 5_000;

export interface IpBlockView {
  id: string;
  cidr: string;
  reason: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
}

interface IpBlockRow {
  id: string;
  cidr: string;
  reason: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
}

const VIEW_COLUMNS = 'id, cidr::text AS cidr, reason, created_by, created_at, expires_at';

/**
 * The block list for incident response. Every instance keeps the live entries in memory and
 * checks each request against them before anything else; the database is read only on reload.
 */
@Injectable()
export class IpBlocksService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IpBlocks');
  private ranges = new BlockedRanges([]);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      // On failure the last list stays in force: a database outage must not lift every block.
      this.reload().catch((err) => this.logger.warn({ err }, 'could not reload the IP block list'));
    }, IP_BLOCKS_RELOAD_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** True when the client address is inside a live block. */
  isBlocked(ip: string): boolean {
    return this.ranges.has(ip);
  }

  async list(): Promise<IpBlockView[]> {
    const rows: IpBlockRow[] = await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS} FROM ip_blocks
       WHERE expires_at IS NULL OR expires_at > now() ORDER BY created_at DESC, id`,
    );
    return rows.map(viewOf);
  }

  async create(input: CreateIpBlockDto, actorId: string, context: RequestContext) {
    if (new BlockedRanges([input.cidr]).has(context.ip)) {
      throw Problem.conflict(
        'would_block_self',
        'This range holds the address you are calling from; block it from elsewhere.',
      );
    }
    if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) {
      throw Problem.validation([
        { field: 'expiresAt', message: 'expiresAt must be in the future' },
      ]);
    }
    const created = await this.dataSource.transaction(async (manager) => {
      // network() drops host bits, so 203.0.113.7/24 is stored as the range 203.0.113.0/24.
      const [row]: IpBlockRow[] = await manager.query(
        `INSERT INTO ip_blocks (cidr, reason, created_by, expires_at)
         VALUES (network($1::inet), $2, $3, $4) RETURNING ${VIEW_COLUMNS}`,
        [input.cidr, input.reason, actorId, input.expiresAt ?? null],
      );
      await this.audit.record(
        {
          type: 'ip_block.created',
          outcome: 'success',
          actorId,
          details: { id: row.id, cidr: row.cidr, expiresAt: input.expiresAt ?? null },
        },
        context,
        manager,
      );
      return row;
    });
    await this.reload();
    return viewOf(created);
  }

  async remove(id: string, actorId: string, context: RequestContext): Promise<void> {
    if (!isUuid(id)) throw Problem.notFound('There is no such IP block.');
    const removed = await this.dataSource.transaction(async (manager) => {
      const rows: { cidr: string }[] = await manager.query(
        `SELECT cidr::text AS cidr FROM ip_blocks WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (rows.length === 0) return false;
      await manager.query(`DELETE FROM ip_blocks WHERE id = $1`, [id]);
      await this.audit.record(
        {
          type: 'ip_block.deleted',
          outcome: 'success',
          actorId,
          details: { id, cidr: rows[0].cidr },
        },
        context,
        manager,
      );
      return true;
    });
    if (!removed) throw Problem.notFound('There is no such IP block.');
    await this.reload();
  }

  private async reload(): Promise<void> {
    const rows: { cidr: string }[] = await this.dataSource.query(
      `SELECT cidr::text AS cidr FROM ip_blocks WHERE expires_at IS NULL OR expires_at > now()`,
    );
    this.ranges = new BlockedRanges(rows.map((row) => row.cidr));
  }
}

function viewOf(row: IpBlockRow): IpBlockView {
  return {
    id: row.id,
    cidr: row.cidr,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
