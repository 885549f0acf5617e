import { Controller, Get } from '@nestjs/common';
import { Public } from '../../../libs/auth-client/src';

@Controller('health')
@Public()
export class HealthController {
  @Get()
  health() {
    return { status: 'ok' };
  }
}
