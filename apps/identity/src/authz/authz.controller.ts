import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Ctx, RequestContext } from '../common/request-context';
import { AuthzCheckDto, AuthzCheckResult } from './authz-check.dto';
import { AuthzCheckService } from './authz-check.service';

@Controller('v1/authz')
export class AuthzController {
  constructor(private readonly authz: AuthzCheckService) {}

  /** Any authenticated caller reaches it; who may ask what is decided inside (no route permission). */
  @Post('check')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  check(
    @CurrentPrincipal() principal: Principal,
    @Body() body: AuthzCheckDto,
    @Ctx() context: RequestContext,
  ): Promise<AuthzCheckResult> {
    return this.authz.check(principal, body, context);
  }
}
