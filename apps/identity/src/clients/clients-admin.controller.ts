import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { PageQuery } from '../common/pagination';
import { Ctx, RequestContext } from '../common/request-context';
import { RequirePermissions } from '../roles/require-permissions.decorator';
import { ClientsAdminService } from './clients-admin.service';
import { CreateClientDto } from './clients.dto';

/** Service clients, for admins holding `client:write`. Secrets are shown once, when made. */
@Controller('v1/admin/clients')
@RequirePermissions('client:write')
export class ClientsAdminController {
  constructor(private readonly clients: ClientsAdminService) {}

  @Get()
  list(@Query() query: PageQuery) {
    return this.clients.list(query.limit, query.cursor);
  }

  @Post()
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateClientDto,
    @Ctx() context: RequestContext,
  ) {
    return this.clients.create(principal, body.name, body.roles, context);
  }

  @Post(':id/secret')
  @HttpCode(200)
  rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Ctx() context: RequestContext,
  ) {
    return this.clients.rotateSecret(principal, id, context);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Ctx() context: RequestContext,
  ) {
    await this.clients.remove(principal, id, context);
  }
}
