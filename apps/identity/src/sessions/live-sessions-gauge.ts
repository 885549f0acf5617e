import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { Session } from './session.entity';
import { LIVE_SESSION } from './sessions.service';

/** A scrape reads the count at most this often; several Prometheus replicas cost one query. */
const COUNT_EVERY_MS = 15_000;

/** Feeds `tessera_active_sessions` with the number of live sessions, counted at scrape time. */
@Injectable()
export class LiveSessionsGauge implements OnModuleInit {
  private last?: { at: number; value: number };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.metrics.trackActiveSessions(() => this.count());
  }

  /** Undefined when the database does not answer: the gauge keeps its last value. */
  private async count(): Promise<number | undefined> {
    if (this.last && Date.now() - this.last.at < COUNT_EVERY_MS) return this.last.value;
    try {
      const row = await this.dataSource
        .createQueryBuilder(Session, 's')
        .select('count(*)::int', 'live')
        .where(LIVE_SESSION, { idle: this.config.sessionIdleTtl })
        .getRawOne<{ live: number }>();
      this.last = { at: Date.now(), value: row?.live ?? 0 };
      return this.last.value;
    } catch {
      return undefined;
    }
  }
}
