import { Controller, Get, HttpCode } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { Problem } from '../common/problem';

const READY_TIMEOUT_MS = 2_000;

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** 200 when the database answers within two seconds, else 503 with Retry-After. */
  @Get('ready')
  @HttpCode(200)
  async ready() {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database timeout')), READY_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return { status: 'ok' };
    } catch {
      throw Problem.unavailable('The database is unreachable.');
    } finally {
      clearTimeout(timer);
    }
  }
}
