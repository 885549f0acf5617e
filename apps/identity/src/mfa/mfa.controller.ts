import { Body, Controller, Delete, Header, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Ctx, RequestContext } from '../common/request-context';
import { MfaProofDto, TotpCodeDto } from './mfa.dto';
import { MfaService } from './mfa.service';

/** The signed-in user's own second factor. */
@Controller('v1/me/mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post('totp')
  @Header('cache-control', 'no-store')
  enroll(@CurrentPrincipal() principal: Principal) {
    return this.mfa.enroll(principal.userId);
  }

  @Post('totp/verify')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  confirm(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TotpCodeDto,
    @Ctx() context: RequestContext,
  ) {
    return this.mfa.confirm(principal.userId, body.code, context);
  }

  @Delete('totp')
  @HttpCode(204)
  async disable(
    @CurrentPrincipal() principal: Principal,
    @Body() body: MfaProofDto,
    @Ctx() context: RequestContext,
  ) {
    await this.mfa.disable(principal.userId, body, context);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  regenerateRecoveryCodes(
    @CurrentPrincipal() principal: Principal,
    @Body() body: MfaProofDto,
    @Ctx() context: RequestContext,
  ) {
    return this.mfa.regenerateRecoveryCodes(principal.userId, body, context);
  }
}
