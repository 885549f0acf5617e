import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CurrentUser, UserPrincipal } from '../auth/principal';
import { Ctx, RequestContext } from '../common/request-context';
import { ChangePasswordDto, UpdateMeDto } from './me.dto';
import { MeService } from './me.service';

@Controller('v1/me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  view(@CurrentUser() principal: UserPrincipal) {
    return this.me.view(principal);
  }

  @Patch()
  update(@CurrentUser() principal: UserPrincipal, @Body() body: UpdateMeDto) {
    return this.me.rename(principal, body.displayName);
  }

  @Post('password')
  @HttpCode(204)
  async changePassword(
    @CurrentUser() principal: UserPrincipal,
    @Body() body: ChangePasswordDto,
    @Ctx() context: RequestContext,
  ) {
    await this.me.changePassword(principal, body, context);
  }

  @Get('sessions')
  sessions(@CurrentUser() principal: UserPrincipal) {
    return this.me.sessionsOf(principal);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  async endSession(
    @CurrentUser() principal: UserPrincipal,
    @Param('id') id: string,
    @Ctx() context: RequestContext,
  ) {
    await this.me.endSession(principal, id, context);
  }
}
