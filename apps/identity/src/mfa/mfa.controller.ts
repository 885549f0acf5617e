import { Body, Controller, Delete, Header, HttpCode, Post } from '@nestjs/common';
import { CurrentUser, UserPrincipal } from '../auth/principal';
import { Ctx, RequestContext } from '../common/request-context';
import { MfaProofDto, TotpCodeDto } from './mfa.dto';
import { MfaService } from './mfa.service';

/** The signed-in user's own second factor. */
@Controller('v1/me/mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post('totp')
  @Header('cache-control', 'no-store')
  enroll(@CurrentUser() principal: UserPrincipal) {
    return this.mfa.enroll(principal.userId);
  }

  @Post('totp/verify')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  confirm(
    @CurrentUser() principal: UserPrincipal,
    @Body() body: TotpCodeDto,
    @Ctx() context: RequestContext,
  ) {
    return this.mfa.confirm(principal.userId, body.code, context);
  }

  @Delete('totp')
  @HttpCode(204)
  async disable(
    @CurrentUser() principal: UserPrincipal,
    @Body() body: MfaProofDto,
    @Ctx() context: RequestContext,
  ) {
    await this.mfa.disable(principal.userId, body, context);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  regenerateRecoveryCodes(
    @CurrentUser() principal: UserPrincipal,
    @Body() body: MfaProofDto,
    @Ctx() context: RequestContext,
  ) {
    return this.mfa.regenerateRecoveryCodes(principal.userId, body, context);
  }
}
