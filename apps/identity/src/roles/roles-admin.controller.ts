import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Ctx, RequestContext } from '../common/request-context';
import { RequirePermissions } from './require-permissions.decorator';
import { CreateRoleDto, DeleteRoleQuery, UpdateRoleDto } from './roles-admin.dto';
import { RolesAdminService } from './roles-admin.service';

@Controller('v1/admin')
export class RolesAdminController {
  constructor(private readonly roles: RolesAdminService) {}

  @Get('roles')
  @RequirePermissions('role:read')
  list() {
    return this.roles.list();
  }

  @Get('permissions')
  @RequirePermissions('role:read')
  permissions() {
    return this.roles.permissions();
  }

  @Post('roles')
  @RequirePermissions('role:write')
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateRoleDto,
    @Ctx() context: RequestContext,
  ) {
    return this.roles.create(principal, body, context);
  }

  @Patch('roles/:name')
  @RequirePermissions('role:write')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: UpdateRoleDto,
    @Ctx() context: RequestContext,
  ) {
    return this.roles.update(principal, name, body, context);
  }

  @Delete('roles/:name')
  @RequirePermissions('role:write')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Query() query: DeleteRoleQuery,
    @Ctx() context: RequestContext,
  ) {
    await this.roles.remove(principal, name, query.force === 'true', context);
  }
}
