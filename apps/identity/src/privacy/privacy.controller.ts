import { Body, Controller, Delete, Get, Header, HttpCode } from '@nestjs/common';
import { CurrentUser, type UserPrincipal } from '../auth/principal';
import { Problem } from '../common/problem';
import { Ctx, RequestContext } from '../common/request-context';
import { ErasureService } from './erasure.service';
import { EraseMeDto } from './privacy.dto';
import { UserExport, UserExporter } from './user-export';

/** A person's rights over their data: a copy of it, and its erasure. */
@Controller('v1/me')
export class PrivacyController {
  constructor(
    private readonly exporter: UserExporter,
    private readonly erasure: ErasureService,
  ) {}

  @Get('export')
  @Header('cache-control', 'no-store')
  @Header('content-disposition', 'attachment; filename="tessera-export.json"')
  async export(@CurrentUser() principal: UserPrincipal): Promise<UserExport> {
    const data = await this.exporter.exportOf(principal.userId);
    if (!data) throw Problem.unauthenticated('invalid_token');
    return data;
  }

  @Delete()
  @HttpCode(204)
  async erase(
    @CurrentUser() principal: UserPrincipal,
    @Body() body: EraseMeDto,
    @Ctx() context: RequestContext,
  ): Promise<void> {
    await this.erasure.eraseSelf(principal, body.password, context);
  }
}
